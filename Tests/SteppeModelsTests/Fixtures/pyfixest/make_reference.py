#!/usr/bin/env python3
"""pyfixest (fixest's rules for small-sample corrections) on the test data.

Usage: python3 make_reference.py   (needs pyfixest; writes reference.json beside this script)
pyfixest copies fixest's defaults: ssc(adj=TRUE, fixef.K="nested", cluster.adj=TRUE,
cluster.df="min"), t tests on n − K (iid, hetero) or G − 1 (cluster).
"""
import json, os
import pandas as pd
import pyfixest as pf

here = os.path.dirname(os.path.abspath(__file__))
trade = pd.read_csv(os.path.join(here, "../gravity/trade.csv"))
trade["product"] = trade["product"].astype(str)
trade["year"] = trade["year"].astype(str)
chick = pd.read_csv(os.path.join(here, "../r/chickweight.csv"))
chick["Chick"] = chick["Chick"].astype(str)
chick["Diet"] = chick["Diet"].astype(str)

def summary(fit, names):
    coefs = fit.coef()
    ses = fit.se()
    out = {"coefficients": {n: float(coefs[n]) for n in names}, "standardErrors": {n: float(ses[n]) for n in names},
           "nobs": int(fit._N)}
    import math
    for key, attr in [("withinRSquared", "_r2_within"), ("rSquared", "_r2")]:
        value = getattr(fit, attr, None)
        if value is not None and math.isfinite(float(value)):
            out[key] = float(value)
    return out

ref = {"pyfixest": pf.__version__}
fml = "np.log(euros) ~ np.log(dist_km) | origin + destination + product + year"
for name, vcov in [("iid", "iid"), ("hetero", "hetero"), ("cluster_origin", {"CRV1": "origin"}),
                   ("cluster_origin_destination", {"CRV1": "origin+destination"})]:
    fit = pf.feols(fml, data=trade[trade["euros"] > 0], vcov=vcov)
    ref["trade_ols_" + name] = summary(fit, ["np.log(dist_km)"])
for name, vcov in [("iid", "iid"), ("hetero", "hetero")]:
    fit = pf.fepois("euros ~ np.log(dist_km) | origin + destination + product + year", data=trade, vcov=vcov)
    ref["trade_ppml_" + name] = summary(fit, ["np.log(dist_km)"])
for name, vcov in [("iid", "iid"), ("hetero", "hetero"), ("cluster_chick", {"CRV1": "Chick"})]:
    fit = pf.feols("weight ~ Time + I(Time**2) | Chick", data=chick, vcov=vcov)
    ref["chick_ols_fe_" + name] = summary(fit, ["Time", "I(Time ** 2)"])
with open(os.path.join(here, "reference.json"), "w") as f:
    json.dump(ref, f, indent=1)
    f.write("\n")
print(json.dumps(ref, indent=1))
