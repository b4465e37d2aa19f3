#!/usr/bin/env python3
"""Reference numbers for Steppe's influence measures (InfluenceTests).

Usage: python3 influence_make_reference.py
Needs numpy, pandas and statsmodels (pip install statsmodels).
Writes, beside this script:
  influence_data.csv       40 rows made here from a fixed seed: a fixed effect `fe` (text,
                           5 levels of unequal sizes), regressors x1 and x2 (one row with a
                           large x1, to have a point of high leverage), a continuous outcome y,
                           a count outcome `count` and positive weights w.
  influence_reference.json per case and observation: hat, internally and externally
                           studentized residuals, Cook's distance, DFFITS and DFBETAS per term.

References:
- OLS: statsmodels OLSInfluence (hat_matrix_diag, resid_studentized_internal/external,
  cooks_distance, dffits, dfbetas); with the fixed effect as C(fe) dummies (and with two, C(fe) + C(g2)); with weights as
  the OLS of sqrt(w)*y on sqrt(w)*X, which is the weighted fit (R's lm.influence does the same).
- Poisson: statsmodels GLMInfluence (hat_matrix_diag, resid_studentized, cooks_distance,
  d_fittedvalues_scaled = summary_frame's dffits_internal, dfbetas); the externally studentized
  residual is R's rstudent.glm, sign(d) sqrt(d^2 + h p^2/(1 - h)), computed from statsmodels'
  deviance residuals d, Pearson residuals p and hat values h (R's formula; statsmodels has none).
- Poisson, exact: each observation left out and the GLM refitted with statsmodels; then
  dfbetas = (b - b_(-i)) / bse, Cook's = (b - b_(-i))' X'WX (b - b_(-i)) / k,
  dffits = x_i'(b - b_(-i)) / se(eta_i), with the full fit's W, bse and se(eta_i).
"""
import json
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from statsmodels.stats.outliers_influence import OLSInfluence

here = os.path.dirname(os.path.abspath(__file__))


def make_data():
    rng = np.random.default_rng(7)
    sizes = {"a": 4, "b": 6, "c": 8, "d": 10, "e": 12}
    fe = np.array([k for k, s in sizes.items() for _ in range(s)])
    fe = fe[rng.permutation(len(fe))]
    n = len(fe)
    effect = {k: rng.normal() * 0.4 for k in sizes}
    x1 = np.round(rng.normal(size=n), 6)
    x1[5] = 3.5  # a point of high leverage
    x2 = np.round(rng.uniform(0, 2, size=n), 6)
    y = np.round(1 + 0.8 * x1 - 0.5 * x2 + np.array([effect[k] for k in fe]) + rng.normal(size=n), 6)
    mu = np.exp(1.0 + 0.3 * x1 - 0.4 * x2 + np.array([effect[k] for k in fe]))
    count = rng.poisson(mu)
    w = np.round(rng.uniform(0.5, 2.0, size=n), 4)
    return pd.DataFrame({"fe": fe, "x1": x1, "x2": x2, "y": y, "count": count, "w": w})


def ols(formula, df, terms):
    res = smf.ols(formula, data=df).fit()
    inf = OLSInfluence(res)
    names = [t if t != "(Intercept)" else "Intercept" for t in terms]
    cols = [res.model.exog_names.index(t) for t in names]
    return {"hat": inf.hat_matrix_diag.tolist(), "studentized": inf.resid_studentized_internal.tolist(),
            "external": inf.resid_studentized_external.tolist(), "cooks": inf.cooks_distance[0].tolist(),
            "dffits": inf.dffits[0].tolist(), "dfbetas": inf.dfbetas[:, cols].T.tolist()}


def ols_weighted(df, terms):
    sw = np.sqrt(df["w"].to_numpy())
    X = np.column_stack([sw, sw * df["x1"], sw * df["x2"]])
    res = sm.OLS(sw * df["y"].to_numpy(), X).fit()
    inf = OLSInfluence(res)
    return {"hat": inf.hat_matrix_diag.tolist(), "studentized": inf.resid_studentized_internal.tolist(),
            "external": inf.resid_studentized_external.tolist(), "cooks": inf.cooks_distance[0].tolist(),
            "dffits": inf.dffits[0].tolist(), "dfbetas": inf.dfbetas.T.tolist()}


def poisson_fit(formula, df):
    return smf.glm(formula, data=df, family=sm.families.Poisson()).fit(tol=1e-14, maxiter=200)


def poisson(formula, df, terms):
    res = poisson_fit(formula, df)
    inf = res.get_influence()
    names = [t if t != "(Intercept)" else "Intercept" for t in terms]
    cols = [res.model.exog_names.index(t) for t in names]
    h = inf.hat_matrix_diag
    d = res.resid_deviance
    p = res.resid_pearson
    external = np.sign(d) * np.sqrt(d ** 2 + h * p ** 2 / (1 - h))
    frame = inf.summary_frame()
    return {"hat": h.tolist(), "studentized": inf.resid_studentized.tolist(), "external": external.tolist(),
            "cooks": inf.cooks_distance[0].tolist(), "dffits": frame["dffits_internal"].tolist(),
            "dfbetas": inf.dfbetas[:, cols].T.tolist()}


def poisson_exact(formula, df, terms):
    res = poisson_fit(formula, df)
    names = [t if t != "(Intercept)" else "Intercept" for t in terms]
    X = res.model.exog
    mu = res.fittedvalues.to_numpy()
    gram = X.T @ (X * mu[:, None])
    cov = res.cov_params().to_numpy()
    bse = res.bse.to_numpy()
    k = X.shape[1]
    out = {"cooks": [], "dffits": [], "dfbetas": [[] for _ in names]}
    for i in range(len(df)):
        refit = poisson_fit(formula, df.drop(index=df.index[i]))
        change = res.params.to_numpy() - refit.params.to_numpy()
        out["cooks"].append(float(change @ gram @ change / k))
        out["dffits"].append(float(X[i] @ change / np.sqrt(X[i] @ cov @ X[i])))
        for j, t in enumerate(names):
            col = res.model.exog_names.index(t)
            out["dfbetas"][j].append(float(change[col] / bse[col]))
    return out


def main():
    df = make_data()
    df.to_csv(os.path.join(here, "influence_data.csv"), index=False)
    df = pd.read_csv(os.path.join(here, "influence_data.csv"), float_precision="round_trip")
    ref = {"statsmodels": sm.__version__, "numpy": np.__version__}
    all_terms = ["(Intercept)", "x1", "x2"]
    ref["ols_nofe"] = ols("y ~ x1 + x2", df, all_terms)
    ref["ols_fe"] = ols("y ~ x1 + x2 + C(fe)", df, ["x1", "x2"])
    ref["ols_weighted"] = ols_weighted(df, all_terms)
    ref["poisson_nofe"] = poisson("count ~ x1 + x2", df, all_terms)
    ref["poisson_fe"] = poisson("count ~ x1 + x2 + C(fe)", df, ["x1", "x2"])
    ref["poisson_exact"] = poisson_exact("count ~ x1 + x2", df, all_terms)
    # Two fixed effects, not nested: fe and g2 = row number mod 4 (the Swift test adds the same column).
    df["g2"] = ["g%d" % (i % 4) for i in range(len(df))]
    ref["ols_fe2"] = ols("y ~ x1 + x2 + C(fe) + C(g2)", df, ["x1", "x2"])
    ref["poisson_fe2"] = poisson("count ~ x1 + x2 + C(fe) + C(g2)", df, ["x1", "x2"])
    with open(os.path.join(here, "influence_reference.json"), "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
