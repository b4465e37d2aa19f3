#!/usr/bin/env python3
"""Reference numbers for Steppe's leave-one-cluster-out jackknife (JackknifeTests).

Usage: python3 jackknife_make_reference.py
Needs numpy, pandas, statsmodels and pyfixest (pip install pyfixest statsmodels).
Writes, beside this script:
  jackknife_data.csv       60 rows made here from a fixed seed: 8 clusters `g` of unequal
                           sizes (3 to 17 rows), fixed effects `fe1` (text, 5 levels) and `fe2`
                           (a year, 4 levels), regressors x1 and x2, a continuous outcome y
                           and a count outcome `count`; drawn again until leaving out any one
                           cluster leaves every fixed-effect level with at least two rows and a
                           positive count (no singletons, no all-zero groups, in any refit).
  jackknife_reference.json for each case: the full-sample estimates, the leave-one-cluster-out
                           estimates (brute-force refits), the CRV3 standard errors and the
                           cluster leverages.
Reads Datasets/files/kazakhstan-push-factors.csv (the bundled data) for the default analysis.

References:
- CRV3 = (G-1)/G * sum_g (b_(-g) - b)(b_(-g) - b)' centred at the full-sample b, as
  MacKinnon, Nielsen & Webb (2023) and summclust's "CRV3" define it. pyfixest's
  vcov={"CRV3": g} computes the same sum, centred at b as well, times its small-sample factor;
  with ssc(k_adj=False, G_adj=False) the factor is 1, so its variance times (G-1)/G is ours.
  Cases are checked against pyfixest where it has them (feols with and without fixed effects,
  fepois with fixed effects) and against summclust's algorithm (ported below with numpy:
  b_(-g) = ginv(X'X - Xg'Xg)(X'y - Xg'yg)) for OLS.
- Leverage of cluster g (summclust): trace(Xg (X'WX)^-1 Xg' Wg) on the design after absorbing
  the fixed effects (weighted by the IRLS weights mu at convergence for Poisson); partial
  leverage of term j: sum_{i in g} w_i xt_ij^2 / sum_i w_i xt_ij^2, xt_j the residual of
  column j on the others (summclust's partial_leverage). summclust itself adds the fixed
  effects as dummies unless the cluster is the only fixed effect; on the within design the
  two agree when there are no fixed effects or the cluster is the fixed effect (cases
  ols_nofe and ols_clusterfe, computed here both ways).
"""
import json
import os

import numpy as np
import pandas as pd
import pyfixest as pf
import statsmodels.api as sm
import statsmodels.formula.api as smf

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, "../../../.."))


def make_data():
    sizes = [3, 4, 5, 6, 7, 8, 10, 17]
    rng = np.random.default_rng(20240611)
    while True:
        g = np.repeat([f"c{k + 1}" for k in range(len(sizes))], sizes)
        n = len(g)
        order = rng.permutation(n)
        g = g[order]
        fe1 = rng.choice(list("abcde"), size=n)
        fe2 = rng.choice([2019, 2020, 2021, 2022], size=n)
        effect = {c: rng.normal() for c in np.unique(g)}
        a = {c: rng.normal() * 0.5 for c in "abcde"}
        t = {y: 0.1 * (y - 2019) for y in [2019, 2020, 2021, 2022]}
        x1 = np.round(rng.normal(size=n) + np.array([effect[c] for c in g]) * 0.5, 6)
        x2 = np.round(rng.uniform(-1, 1, size=n), 6)
        y = np.round(1 + 0.5 * x1 - 0.3 * x2 + np.array([effect[c] + a[f] + t[s] for c, f, s in zip(g, fe1, fe2)])
                     + rng.normal(size=n) * (1 + 0.5 * np.abs(x2)), 6)
        mu = np.exp(0.8 + 0.3 * x1 - 0.2 * x2 + np.array([a[f] + t[s] for f, s in zip(fe1, fe2)]))
        count = rng.poisson(mu)
        df = pd.DataFrame({"id": np.arange(1, n + 1), "g": g, "fe1": fe1, "fe2": fe2, "x1": x1, "x2": x2, "y": y,
                           "count": count})
        ok = True
        for c in np.unique(g):
            rest = df[df.g != c]
            for fe in ["fe1", "fe2"]:
                sizes_ = rest.groupby(fe).size()
                sums = rest.groupby(fe)["count"].sum()
                if sizes_.min() < 2 or sums.min() <= 0 or len(sizes_) < df[fe].nunique():
                    ok = False
        if ok:
            return df


def within(X, D, w):
    """X after absorbing the dummies D, weighted by w (a projection, exact)."""
    if D is None:
        return X
    sw = np.sqrt(w)[:, None]
    coef, *_ = np.linalg.lstsq(D * sw, X * sw, rcond=None)
    return X - D @ coef


def dummies(df, names):
    if not names:
        return None
    parts = [pd.get_dummies(df[n].astype(str), dtype=float).to_numpy() for n in names]
    return np.column_stack(parts)


def leverages(Xt, w, clusters, labels):
    """summclust's cluster leverage and partial leverage on the within design, weights w."""
    B = np.linalg.inv(Xt.T @ (Xt * w[:, None]))
    h = w * np.einsum("ij,jk,ik->i", Xt, B, Xt)
    lev = [float(h[clusters == c].sum()) for c in labels]
    partial = []
    k = Xt.shape[1]
    for j in range(k):
        others = np.delete(Xt, j, axis=1)
        if others.shape[1]:
            sw = np.sqrt(w)
            coef, *_ = np.linalg.lstsq(others * sw[:, None], Xt[:, j] * sw, rcond=None)
            r = Xt[:, j] - others @ coef
        else:
            r = Xt[:, j]
        tot = (w * r * r).sum()
        partial.append([float((w * r * r)[clusters == c].sum() / tot) for c in labels])
    return lev, partial


def summclust_ols(X, y, clusters, labels):
    """summclust's CRV3 (centred at b) and leverage for OLS, as its R code computes them."""
    XtX = X.T @ X
    Xty = X.T @ y
    beta = np.linalg.solve(XtX, Xty)
    jack = []
    lev = []
    for c in labels:
        m = clusters == c
        Xg, yg = X[m], y[m]
        jack.append(np.linalg.pinv(XtX - Xg.T @ Xg) @ (Xty - Xg.T @ yg))
        lev.append(float(np.trace(Xg.T @ Xg @ np.linalg.pinv(XtX))))
    jack = np.array(jack)
    G = len(labels)
    V = (G - 1) / G * sum(np.outer(b - beta, b - beta) for b in jack)
    return np.sqrt(np.diag(V)), lev


def first_appearance(values):
    seen = []
    for v in values:
        if v not in seen:
            seen.append(v)
    return seen


def pyfixest_crv3(fml, df, cluster, method):
    fit = (pf.feols if method == "ols" else pf.fepois)(fml, data=df, vcov={"CRV3": cluster},
                                                        ssc=pf.ssc(k_adj=False, G_adj=False))
    G = df[cluster].nunique()
    return fit, np.sqrt(np.diag(fit._vcov) * (G - 1) / G)


def ols_case(df, rhs, fe, cluster, names):
    """OLS: brute-force refits (statsmodels on explicit dummies), pyfixest CRV3, leverage."""
    labels = first_appearance(list(df[cluster]))
    formula = "y ~ " + " + ".join(rhs + [f"C({f})" for f in fe])
    full = smf.ols(formula, data=df).fit()
    terms = [n if n != "(Intercept)" else "Intercept" for n in names]
    loo = {}
    for c in labels:
        refit = smf.ols(formula, data=df[df[cluster] != c]).fit()
        loo[c] = [float(refit.params[t]) for t in terms]
    beta = np.array([full.params[t] for t in terms])
    G = len(labels)
    jack = np.array([loo[c] for c in labels])
    crv3 = np.sqrt(np.diag((G - 1) / G * (jack - beta).T @ (jack - beta)))
    fml = "y ~ " + " + ".join(rhs) + (" | " + " + ".join(fe) if fe else "")
    _, pyf = pyfixest_crv3(fml, df, cluster, "ols")
    X = df[rhs].to_numpy(float)
    if not fe:
        X = np.column_stack([np.ones(len(df)), X])
    w = np.ones(len(df))
    Xt = within(X, dummies(df, fe), w)
    lev, partial = leverages(Xt, w, df[cluster].to_numpy(), labels)
    out = {"estimates": beta.tolist(), "clusters": labels, "leaveOneOut": [loo[c] for c in labels],
           "crv3": crv3.tolist(), "crv3Pyfixest": pyf.tolist(), "leverage": lev, "partialLeverage": partial}
    if not fe or fe == [cluster]:
        se, lev_s = summclust_ols(Xt, within(df["y"].to_numpy(float)[:, None], dummies(df, fe), w)[:, 0],
                                  df[cluster].to_numpy(), labels)
        out["crv3Summclust"] = se.tolist()
        out["leverageSummclust"] = lev_s
    return out


def glm_fit(formula, data, offset=None):
    model = smf.glm(formula, data=data, family=sm.families.Poisson(),
                    offset=None if offset is None else offset)
    return model.fit(tol=1e-14, maxiter=200)


def poisson_case(df, rhs, fe, cluster, names, offset=None, formula_rhs=None):
    """Poisson: brute-force refits (statsmodels GLM, dummies), pyfixest CRV3 when it has FE."""
    labels = first_appearance(list(df[cluster]))
    formula = "count ~ " + " + ".join((formula_rhs or rhs) + [f"C({f})" for f in fe])
    off = None if offset is None else np.log(df[offset].to_numpy(float))
    full = glm_fit(formula, df, off)
    terms = [n if n != "(Intercept)" else "Intercept" for n in names]
    loo = {}
    for c in labels:
        m = (df[cluster] != c).to_numpy()
        refit = glm_fit(formula, df[m], None if off is None else off[m])
        loo[c] = [float(refit.params[t]) for t in terms]
    beta = np.array([full.params[t] for t in terms])
    G = len(labels)
    jack = np.array([loo[c] for c in labels])
    crv3 = np.sqrt(np.diag((G - 1) / G * (jack - beta).T @ (jack - beta)))
    mu = full.fittedvalues.to_numpy()
    X = full.model.exog[:, [full.model.exog_names.index(t) for t in terms]]
    D = dummies(df, fe)
    Xt = within(X, D, mu)
    lev, partial = leverages(Xt, mu, df[cluster].to_numpy(), labels)
    out = {"estimates": beta.tolist(), "clusters": labels, "leaveOneOut": [loo[c] for c in labels],
           "crv3": crv3.tolist(), "leverage": lev, "partialLeverage": partial}
    if fe and offset is None:
        _, pyf = pyfixest_crv3("count ~ " + " + ".join(rhs) + " | " + " + ".join(fe), df, cluster, "poisson")
        out["crv3Pyfixest"] = pyf.tolist()
    return out


def kazakhstan():
    """The default analysis (pooled model (2), PPML, offset log(population)), leaving out each region."""
    kz = pd.read_csv(os.path.join(repo, "Datasets/files/kazakhstan-push-factors.csv"), float_precision="round_trip")
    kz = kz.dropna(subset=["income_2020_kzt_month", "crude_birth_rate", "dist_main_km", "departures", "population"])
    kz = kz.rename(columns={"departures": "count"})
    kz["year"] = kz["year"].astype(str)
    names = ["(Intercept)", "log(income_2020_kzt_month)", "crude_birth_rate", "log(dist_main_km)", "C(year)[T.2023]"]
    rhs = ["np.log(income_2020_kzt_month)", "crude_birth_rate", "np.log(dist_main_km)", "C(year)"]
    sm_names = ["Intercept", "np.log(income_2020_kzt_month)", "crude_birth_rate", "np.log(dist_main_km)", "C(year)[T.2023]"]
    labels = first_appearance(list(kz["region"]))
    formula = "count ~ " + " + ".join(rhs)
    off = np.log(kz["population"].to_numpy(float))
    full = glm_fit(formula, kz, off)
    loo = []
    for c in labels:
        m = (kz["region"] != c).to_numpy()
        refit = glm_fit(formula, kz[m], off[m])
        loo.append([float(refit.params[t]) for t in sm_names])
    beta = np.array([full.params[t] for t in sm_names])
    G = len(labels)
    jack = np.array(loo)
    crv3 = np.sqrt(np.diag((G - 1) / G * (jack - beta).T @ (jack - beta)))
    mu = full.fittedvalues.to_numpy()
    X = full.model.exog[:, [full.model.exog_names.index(t) for t in sm_names]]
    lev, partial = leverages(X, mu, kz["region"].to_numpy(), labels)
    return {"names": names, "estimates": beta.tolist(), "clusters": labels, "leaveOneOut": loo, "crv3": crv3.tolist(),
            "leverage": lev, "partialLeverage": partial}


def main():
    df = make_data()
    df.to_csv(os.path.join(here, "jackknife_data.csv"), index=False)
    df = pd.read_csv(os.path.join(here, "jackknife_data.csv"), float_precision="round_trip")
    ref = {"pyfixest": pf.__version__, "statsmodels": sm.__version__, "numpy": np.__version__}
    ref["ols_nofe"] = ols_case(df, ["x1", "x2"], [], "g", ["(Intercept)", "x1", "x2"])
    ref["ols_fe"] = ols_case(df, ["x1", "x2"], ["fe1", "fe2"], "g", ["x1", "x2"])
    ref["ols_clusterfe"] = ols_case(df, ["x1", "x2"], ["g"], "g", ["x1", "x2"])
    ref["poisson_fe"] = poisson_case(df, ["x1", "x2"], ["fe1", "fe2"], "g", ["x1", "x2"])
    # Leave-one-observation-out: every row its own cluster.
    df_obs = df.assign(row=[f"row {i}" for i in range(1, len(df) + 1)])
    ref["poisson_observations"] = poisson_case(df_obs, ["x1", "x2"], [], "row", ["(Intercept)", "x1", "x2"])
    ref["kazakhstan"] = kazakhstan()
    with open(os.path.join(here, "jackknife_reference.json"), "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
