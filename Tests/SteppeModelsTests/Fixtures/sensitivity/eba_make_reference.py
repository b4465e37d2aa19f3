#!/usr/bin/env python3
"""An independent brute-force reference of `ExtremeBounds` (steppe sensitivity eba).

Fits every regression of each case of eba_make_reference.R with statsmodels (OLS, or a
Poisson GLM) and computes Leamer's bounds, Sala-i-Martin's CDF(0)s and the shares by the
formulas of Hlavac (2016) (Poisson fits to a deviance change of 1e-13), JSS 72(9), section 2, without ExtremeBounds' code:
tau = Phi^-1((1 + 0.95)/2); bounds min(b - tau*se), max(b + tau*se); normal CDF(0) =
Phi(-mean/sqrt(var)) with mean = sum(w b)/sum(w) and var = sum(w se^2)/sum(w); generic
CDF(0) = sum(w Phi(-b/se))/sum(w). Weights: 1, 1 - llf/llf0 (llf0 of the fit of y ~ 1 by the same
estimator), or R^2. VIF: statsmodels' variance_inflation_factor on each regression's
design (the intercept and any dummies included), the intercept exempt.

Needs: numpy, scipy, pandas, statsmodels; reads eba_mtcars.csv (written by
eba_make_reference.R). Writes eba_reference_python.json beside this script.
Run: python3 eba_make_reference.py
"""
import itertools
import json
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy.stats import norm
from statsmodels.stats.outliers_influence import variance_inflation_factor

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = {
    "paper": dict(y="mpg", free=["wt"], focus=["cyl", "carb", "disp", "hp"],
                  doubtful=["vs", "drat", "wt", "qsec", "gear", "am"], k=[0, 1, 2, 3],
                  exclusive=[["cyl", "carb", "disp", "hp"], ["am", "gear"]], vif=7, se="hc0", weights="lri"),
    "naive": dict(y="mpg", free=[], focus=["cyl", "disp", "hp", "wt", "qsec"], doubtful=[], k=[0, 1, 2, 3, 4]),
    "r2": dict(y="mpg", free=["am"], focus=["wt", "hp"], doubtful=["cyl", "disp", "qsec", "drat"], k=[0, 1, 2],
               weights="r2"),
    "poisson": dict(y="carb", free=[], focus=["hp", "wt"], doubtful=["cyl", "disp", "qsec"], k=[0, 1, 2],
                    family="poisson", weights="lri"),
    "dummies": dict(y="mpg", free=["C(cyl)"], focus=["wt", "hp"], doubtful=["disp", "qsec", "drat"], k=[0, 1, 2],
                    vif=4, weights="lri"),
}


def regressions(case):
    pool = list(dict.fromkeys(case["doubtful"] + case["focus"]))
    for k in case["k"]:
        for combo in itertools.combinations(pool, k + 1):
            if not any(t in case["focus"] for t in combo):
                continue
            if any(sum(t in combo for t in s) > 1 for s in case.get("exclusive", [])):
                continue
            yield list(dict.fromkeys(case["free"] + list(combo)))


def fit(case, data, terms):
    formula = case["y"] + " ~ " + " + ".join(terms)
    if case.get("family") == "poisson":
        return smf.glm(formula, data=data, family=sm.families.Poisson()).fit(tol=1e-13, maxiter=100)
    return smf.ols(formula, data=data).fit()


def label(name):
    return "(Intercept)" if name == "Intercept" else name


def reported(name, case):
    """The intercept, free and focus coefficients (a free C(cyl)'s dummies too)."""
    terms = case["free"] + case["focus"]
    return name == "Intercept" or name in terms or any(name.startswith(t + "[") for t in terms)


def summarise(rows, tau):
    if not rows:
        return None
    b = np.array([r[0] for r in rows]); se = np.array([r[1] for r in rows]); w = np.array([r[2] for r in rows])
    mean, var = np.sum(w * b) / np.sum(w), np.sum(w * se ** 2) / np.sum(w)
    low, high = np.min(b - tau * se), np.max(b + tau * se)
    n = len(rows)
    return {"coefficientsUsed": n, "weightedMean": mean, "weightedStdError": np.sum(w * se) / np.sum(w),
            "weightedVariance": var, "shareNegative": np.sum(b < 0) / n, "sharePositive": np.sum(b > 0) / n,
            "shareSignificantNegative": np.sum((b < 0) & (b + tau * se < 0)) / n,
            "shareSignificantPositive": np.sum((b > 0) & (b - tau * se > 0)) / n,
            "leamerLow": low, "leamerHigh": high, "leamerRobust": bool(not (low <= 0 <= high)),
            "cdfNormalBelowZero": norm.cdf(-mean / np.sqrt(var)),
            "cdfGenericBelowZero": np.sum(w * norm.cdf(-b / se)) / np.sum(w)}


def run(case, data):
    tau = norm.ppf((1 + 0.95) / 2)
    used, counts, count = {}, {}, 0
    for terms in regressions(case):
        f = fit(case, data, terms)
        count += 1
        names = list(f.model.exog_names)
        se = f.HC0_se if case.get("se") == "hc0" else f.bse
        weight = {"lri": lambda: 1 - f.llf / fit(case, data, ["1"]).llf,
                  "r2": lambda: f.rsquared}.get(case.get("weights"), lambda: 1.0)()
        for j, name in enumerate(names):
            if not reported(name, case):
                continue
            counts[label(name)] = counts.get(label(name), 0) + 1
            if case.get("vif") and name != "Intercept":
                if variance_inflation_factor(f.model.exog, j) > case["vif"]:
                    continue
            used.setdefault(label(name), []).append((f.params.iloc[j], se.iloc[j], weight))
    variables = []
    for name in counts:
        s = summarise(used.get(name, []), tau) or {"coefficientsUsed": 0}
        variables.append(dict(term=name, regressions=counts[name], **{k: float(v) if not isinstance(v, bool) else v
                                                                      for k, v in s.items()}))
    return {"combinations": count, "regressions": count, "variables": variables}


def main():
    data = pd.read_csv(os.path.join(HERE, "eba_mtcars.csv"))
    out = {"source": "statsmodels brute force (eba_make_reference.py)"}
    out.update({name: run(case, data) for name, case in CASES.items()})
    with open(os.path.join(HERE, "eba_reference_python.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
