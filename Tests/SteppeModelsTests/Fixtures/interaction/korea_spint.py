"""spint's doubly constrained power-cost model on Korea's 2020 matrix: the reference for
`steppe interaction`'s default run and its golden output
(Tests/SteppeCLITests/Expected/interaction-default.txt and .md).

Run from this directory:  python3 korea_spint.py
Needs: spint 1.0.7 (pip install spint), numpy, and scikit-mobility for the CPC
(pip install --no-deps scikit-mobility; the shim below lets it import on shapely 2).

Reads Datasets/files/korea-interregional.csv, keeps year 2020 and the 272 pairs between
distinct regions (as steppe interaction does), and fits spint.gravity.Doubly(flows,
origins, destinations, dist_centroid_km, 'pow') with and without Quasi=True.

Writes korea_spint.json: the cost coefficient, its standard errors (model-based and
quasi-Poisson), spint's fit statistics (deviance, D2, adjusted D2, log-likelihood,
pseudo-R2 and adjusted, AIC, SSI, SRMSE), scikit-mobility's CPC, the Pearson dispersion,
and the fitted flow of every pair; and under "radiation" the same statistics of
scikit-mobility's radiation flows (radiation.json, with and without the finite-size
factor) by statsmodels' Poisson family and spint's sorensen and srmse.
"""
import csv
import json

import numpy as np
import shapely.ops

shapely.ops.cascaded_union = shapely.ops.unary_union  # scikit-mobility 1.3.1 on shapely 2

import spint
from spint.gravity import Doubly
from skmob.measures.evaluation import common_part_of_commuters

rows = [r for r in csv.DictReader(open("../../../../Datasets/files/korea-interregional.csv"))
        if r["year"] == "2020" and r["origin"] != r["destination"]]
f = np.array([int(r["flow"]) for r in rows])
o = np.array([r["origin"] for r in rows])
d = np.array([r["destination"] for r in rows])
dij = np.array([float(r["dist_centroid_km"]) for r in rows])

model = Doubly(f, o, d, dij, "pow", constant=True)
quasi = Doubly(f, o, d, dij, "pow", constant=True, Quasi=True)
yhat = np.ravel(model.yhat)
pearson = float(np.sum((f - yhat) ** 2 / yhat) / (model.n - model.k))
out = dict(
    meta=dict(spint=getattr(spint, "__version__", "1.0.7"), data="korea-interregional 2020, 272 inter-regional pairs, dist_centroid_km"),
    cost=float(np.ravel(model.params)[-1]), costStdError=float(np.ravel(model.std_err)[-1]),
    costStdErrorQuasi=float(np.ravel(quasi.std_err)[-1]),
    n=int(model.n), k=int(model.k), deviance=float(model.deviance), D2=float(model.D2), adjD2=float(model.adj_D2),
    llf=float(model.llf), pseudoR2=float(model.pseudoR2), adjPseudoR2=float(model.adj_pseudoR2), AIC=float(model.AIC),
    SSI=float(model.SSI), SRMSE=float(model.SRMSE), CPC=float(common_part_of_commuters(f, yhat)), pearsonDispersion=pearson,
    fitted=[dict(origin=a, destination=b, observed=float(y), fitted=float(m)) for a, b, y, m in zip(o, d, f, yhat)],
)
# The radiation model's flows by scikit-mobility (radiation.json, from generate.py) scored
# by statsmodels' Poisson family and spint's own SSI and SRMSE: the radiation columns of
# the golden's statistics table.
from types import SimpleNamespace

import statsmodels.api as sm
from spint.utils import sorensen, srmse

observed = {(a, b): y for a, b, y in zip(o, d, f)}
poisson = sm.families.Poisson()
radiation = {}
for key in ("finiteSize", "plain"):
    pairs = json.load(open("radiation.json"))["flows"]
    y = np.array([observed[(e["origin"], e["destination"])] for e in pairs], dtype=float)
    mu = np.array([e[key] for e in pairs])
    mean = np.full_like(y, y.mean())
    scored = SimpleNamespace(y=y, yhat=mu, n=len(y))  # what spint's sorensen and srmse read of a model
    llf, ll0 = float(poisson.loglike(y, mu)), float(poisson.loglike(y, mean))
    dev, dev0 = float(poisson.deviance(y, mu)), float(poisson.deviance(y, mean))
    radiation[key] = dict(n=len(y), deviance=dev, D2=1 - dev / dev0, llf=llf, pseudoR2=1 - llf / ll0, AIC=-2 * llf,
                          SSI=float(sorensen(scored)), SRMSE=float(srmse(scored)), CPC=float(common_part_of_commuters(y, mu)),
                          pearsonDispersion=float(np.sum((y - mu) ** 2 / mu) / len(y)))
out["radiation"] = radiation

with open("korea_spint.json", "w") as fh:
    json.dump(out, fh, indent=1)
print("wrote korea_spint.json: beta %.10f (se %.3g, quasi %.6f)" % (out["cost"], out["costStdError"], out["costStdErrorQuasi"]))
