#!/usr/bin/env python3
"""Reference numbers of `OmittedVariableBias` (steppe sensitivity ovb) from PySensemakr.

Needs: PySensemakr 0.0.8 (pip install PySensemakr "pandas<3"; pandas 3 breaks its
Series[0] lookups), MIT licence, which ships the Darfur
data of Cinelli & Hazlett (2020) and of R's sensemakr (curated by Chad Hazlett; Hazlett
2019, Journal of Conflict Resolution; R's sensemakr, GPL-3, ships the same data as
darfur.rda, from which PySensemakr took its copy). Writes, beside this script:

- ovb_darfur.csv: PySensemakr's sensemakr/data/darfur.csv, its 14 columns and 1276 rows
  unchanged, plus one derived column `occupation` (farmer, herder, both or neither, from
  farmer_dar and herder_dar) to test a benchmark that is a group of dummies.
- ovb_darfur_reference.json: sensemakr's statistics for the cases below, at full precision.

Cases (the outcome regression always has village dummies, as in the paper):
- paper: treatment directlyharmed, benchmark female, kd = 1, 2, 3 (the paper's example).
- options: q = 0.5, alpha = 0.1, kd = (1, 2), ky = (0.5, 3), benchmarks female and
  pastvoted, reduce = False.
- group: farmer_dar + herder_dar replaced by C(occupation); benchmark occupation (its three
  dummies, sensemakr's group partial R2), kd = 1, 2.
Each case also has the adjusted estimate on a 40 x 40 grid of (r2dz.x, r2yz.dx) from 0 to
sensemakr's contour limit min(max(0.4, 1.2 * max bound), 1 - 1e-12), per axis.

Run: python3 ovb_make_reference.py
"""
import json
import os

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
import sensemakr
from sensemakr import bias_functions, sensitivity_bounds

HERE = os.path.dirname(os.path.abspath(__file__))
CONTROLS = "age + farmer_dar + herder_dar + pastvoted + hhsize_darfur + female + C(village)"
GROUP_CONTROLS = "age + C(occupation) + pastvoted + hhsize_darfur + female + C(village)"


def occupation(row):
    if row.farmer_dar == 1 and row.herder_dar == 1:
        return "both"
    if row.farmer_dar == 1:
        return "farmer"
    if row.herder_dar == 1:
        return "herder"
    return "neither"


def contour(estimate, se, dof, bounds, reduce):
    def axis(values):
        lim = min(max(0.4, 1.2 * max(values)), 1 - 1e-12)
        return np.linspace(0, lim, 40)
    x, y = axis(bounds["r2dz_x"]), axis(bounds["r2yz_dx"])
    z = [[float(bias_functions.adjusted_estimate(r2dz_x=float(a), r2yz_dx=float(b), estimate=estimate, se=se,
                                                 dof=dof, reduce=reduce)) for b in y] for a in x]
    return {"r2dzx": x.tolist(), "r2yzdx": y.tolist(), "adjustedEstimate": z}


def case(data, formula, benchmarks, kd, ky=None, q=1.0, alpha=0.05, reduce=True, labels=None):
    fit = smf.ols(formula, data=data).fit()
    s = sensemakr.Sensemakr(model=fit, treatment="directlyharmed", benchmark_covariates=benchmarks,
                            kd=kd, ky=ky, q=q, alpha=alpha, reduce=reduce)
    stats = s.sensitivity_stats
    b = s.bounds
    dof = int(fit.df_resid)
    names = labels or benchmarks
    ky_values = ky if ky is not None else kd
    bounds = [{"benchmark": names[i // len(kd)], "kd": float(kd[i % len(kd)]), "ky": float(ky_values[i % len(kd)]),
               "r2dzx": float(r["r2dz_x"]), "r2yzdx": float(r["r2yz_dx"]),
               "adjustedEstimate": float(r["adjusted_estimate"]), "adjustedStdError": float(r["adjusted_se"]),
               "adjustedT": float(r["adjusted_t"]), "adjustedConfLow": float(r["adjusted_lower_CI"]),
               "adjustedConfHigh": float(r["adjusted_upper_CI"])} for i, (_, r) in enumerate(b.iterrows())]
    return {
        "formula": formula, "treatment": "directlyharmed", "q": q, "alpha": alpha, "reduce": reduce,
        "estimate": float(stats["estimate"]), "stdError": float(stats["se"]),
        "tStatistic": float(stats["estimate"] / stats["se"]), "degreesOfFreedom": dof,
        "partialR2": float(stats["r2yd_x"]), "partialF2": float(stats["f2yd_x"]),
        "robustnessValue": float(stats["rv_q"]), "robustnessValueAlpha": float(stats["rv_qa"]),
        "bounds": bounds,
        "contour": contour(float(stats["estimate"]), float(stats["se"]), dof, b, reduce),
    }


def main():
    source = os.path.join(os.path.dirname(sensemakr.__file__), "data", "darfur.csv")
    data = pd.read_csv(source)
    data["occupation"] = data.apply(occupation, axis=1)
    data.to_csv(os.path.join(HERE, "ovb_darfur.csv"), index=False)
    data = pd.read_csv(os.path.join(HERE, "ovb_darfur.csv"))
    fit = smf.ols("peacefactor ~ directlyharmed + " + GROUP_CONTROLS, data=data).fit()
    occupation_terms = [n for n in fit.model.exog_names if n.startswith("C(occupation)")]
    out = {
        "source": "PySensemakr %s (sensemakr.Sensemakr, statsmodels OLS)" % getattr(sensemakr, "__version__", "0.0.8"),
        "paper": case(data, "peacefactor ~ directlyharmed + " + CONTROLS, ["female"], [1, 2, 3]),
        "options": case(data, "peacefactor ~ directlyharmed + " + CONTROLS, ["female", "pastvoted"], [1, 2],
                        ky=[0.5, 3], q=0.5, alpha=0.1, reduce=False),
        "group": case(data, "peacefactor ~ directlyharmed + " + GROUP_CONTROLS, {"occupation": occupation_terms},
                      [1, 2], labels=["occupation"]),
    }
    with open(os.path.join(HERE, "ovb_darfur_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
