#!/usr/bin/env python3
"""Reference values for Steppe's bootstrap (Tests/SteppeModelsTests/BootstrapTests.swift).

Writes, beside this script:
  bootstrap_data.csv       a deterministic dataset (seeded numpy): 500 rows, outcome y,
                           count outcome n, regressors x1-x3, weights w, clusters cl10
                           (10 unequal clusters) and cl20 (20), a fixed effect fe (12 levels,
                           not nested in the clusters) and fen (nested in cl10);
  bootstrap_reference.json one entry per case (see "cases" below).

References:
  * wild cluster bootstrap of OLS: wildboottest 0.3.2 (pip install wildboottest), the
    Python port of fwildclusterboot, class WildboottestCL with bootstrap_type "11", on
    statsmodels-style designs with the fixed effects as dummies. Under full enumeration
    (2^G <= B, here G = 10 and B = 9999, so 1024 sign vectors) the results do not depend
    on any random generator: each case stores t, every t* (sorted), wildboottest's own
    p-value (it counts |t*| > |t| strictly) and the count of |t*| >= |t| with ties
    within 1e-10 relative (Steppe's rule). Two cases with random draws (G = 20) store
    wildboottest's p-values, compared loosely.
  * cases that need Steppe's own draws (Webb and Mammen weights, the pairs and cluster
    bootstraps): this script reimplements Steppe's generator (SeededRandom: SplitMix64
    seeding, xoshiro256**, its jump polynomial, nextUniform, nextInt by Lemire's method)
    and its draw rules (WildWeightDraws, ResamplingBootstrap), and computes every
    replicate by brute force: a full refit with the fixed effects as dummies.
  * score bootstrap of Poisson with one-way fixed effects: boottest's definition
    (Roodman et al. 2019, section 5; WildBootTests.jl, scorebs) computed with the full
    parameter vector (dummies, no Frisch-Waugh): scores and Hessian at the restricted
    (null-imposed) Poisson MLE, c_h = e_t' H^-1 sum_{i in h} s_i, numerator sum v_h c_h,
    recentred J_h = v_h c_h - share_h * numerator, t* = numerator / sqrt(ssc sum J_h^2).

Run: python3 bootstrap_make_reference.py   (needs numpy, pandas, wildboottest 0.3.2)
"""
import json
import os
from itertools import product

import numpy as np
import pandas as pd
import wildboottest
from wildboottest.wildboottest import WildboottestCL

HERE = os.path.dirname(os.path.abspath(__file__))
MASK = (1 << 64) - 1
TIE = 1e-10


# ---------------------------------------------------------------- Steppe's generator
class SeededRandom:
    JUMP = [0x180EC6D33CFD0ABA, 0xD5A61266F0C9392C, 0xA9582618E03FC9AA, 0x39ABDC4529B1661C]

    def __init__(self, seed):
        x = seed & MASK
        s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            s.append(z ^ (z >> 31))
        self.s = s

    def copy(self):
        g = SeededRandom(0)
        g.s = list(self.s)
        return g

    @staticmethod
    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    def next(self):
        s0, s1, s2, s3 = self.s
        result = (self.rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = self.rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def jump(self):
        t = [0, 0, 0, 0]
        for word in self.JUMP:
            for bit in range(64):
                if word & (1 << bit):
                    t = [a ^ b for a, b in zip(t, self.s)]
                self.next()
        self.s = t

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def int_below(self, n):
        m = self.next() * n
        low = m & MASK
        if low < n:
            threshold = ((1 << 64) - n) % n
            while low < threshold:
                m = self.next() * n
                low = m & MASK
        return m >> 64


def streams(count, seed):
    g = SeededRandom(seed)
    out = []
    for _ in range(count):
        g.jump()
        out.append(g.copy())
    return out


WEBB = [-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)]
MAMMEN_P = (np.sqrt(5) + 1) / (2 * np.sqrt(5))


def wild_weights(kind, G, B, seed):
    """G x B weights as WildWeightDraws draws them (enumeration when Rademacher, 2^G <= B)."""
    if kind == "rademacher" and 2 ** G <= B:
        return np.array([[1.0 if (b >> (G - 1 - g)) & 1 else -1.0 for b in range(2 ** G)] for g in range(G)])
    v = np.zeros((G, B))
    for b, r in enumerate(streams(B, seed)):
        for g in range(G):
            if kind == "rademacher":
                v[g, b] = -1.0 if r.uniform() < 0.5 else 1.0
            elif kind == "webb":
                v[g, b] = WEBB[r.int_below(6)]
            elif kind == "mammen":
                v[g, b] = -(np.sqrt(5) - 1) / 2 if r.uniform() < MAMMEN_P else (np.sqrt(5) + 1) / 2
    return v


# ---------------------------------------------------------------- data
def make_data():
    rng = np.random.default_rng(20240607)
    n = 500
    p10 = np.arange(1, 11) / np.arange(1, 11).sum()
    cl10 = rng.choice(10, size=n, p=p10)
    p20 = np.arange(1, 21) ** 0.7
    cl20 = rng.choice(20, size=n, p=p20 / p20.sum())
    fe = rng.integers(0, 12, size=n)
    sub = rng.integers(0, 3, size=n)
    shock10 = rng.normal(0, 0.6, 10)
    x1 = rng.normal(0, 1, n) + 0.5 * rng.normal(0, 1, 10)[cl10]
    x2 = rng.normal(0, 1, n) + 0.3 * x1
    x3 = rng.uniform(-1, 1, n)
    alpha = rng.normal(0, 0.8, 12)
    y = 1 + 0.25 * x1 + 0.05 * x2 - 0.4 * x3 + alpha[fe] + shock10[cl10] + rng.normal(0, 1, n) * (1 + 0.5 * np.abs(x3))
    mu = np.exp(0.3 + 0.2 * x1 + 0.05 * x2 + 0.5 * alpha[fe] + 0.5 * shock10[cl10])
    count = rng.poisson(mu)
    w = rng.uniform(0.5, 2.0, n)
    letters = "ABCDEFGHIJKLMNOPQRST"
    return pd.DataFrame({
        "y": np.round(y, 6), "n": count, "x1": np.round(x1, 6), "x2": np.round(x2, 6), "x3": np.round(x3, 6),
        "w": np.round(w, 6),
        "cl10": ["c" + letters[c] for c in cl10], "cl20": ["k" + letters[c] for c in cl20],
        "fe": ["f%02d" % f for f in fe], "fen": ["c%s_%d" % (letters[c], s) for c, s in zip(cl10, sub)],
    })


def first_appearance_codes(values):
    seen = {}
    return np.array([seen.setdefault(v, len(seen)) for v in values])


def design(df, slopes, fe):
    """Intercept + slopes without fixed effects; slopes + one dummy per level with them (fixest's K)."""
    cols = [df[s].to_numpy(float) for s in slopes]
    names = list(slopes)
    if fe is None:
        cols = [np.ones(len(df))] + cols
        names = ["(Intercept)"] + names
    else:
        for level in sorted(df[fe].unique()):
            cols.append((df[fe] == level).to_numpy(float))
            names.append("fe:" + level)
    return np.column_stack(cols), names


# ---------------------------------------------------------------- wild bootstrap references
def tie_count(t, tstar):
    return int(np.sum(np.abs(tstar) >= abs(t) * (1 - TIE)))


def wildboottest_case(df, name, slopes, fe, cluster, term, null, impose, B, seed=1, weights="rademacher"):
    X, names = design(df, slopes, fe)
    y = df["y"].to_numpy(float) - null * df[term].to_numpy(float)
    R = np.zeros(X.shape[1])
    R[names.index(term)] = 1
    wb = WildboottestCL(X=X, Y=y, cluster=pd.factorize(df[cluster], sort=True)[0].astype(np.int64), R=R, B=B, seed=seed, parallel=False)
    wb.get_scores(bootstrap_type="11", impose_null=impose)
    wb.get_weights(weights_type=weights)
    wb.get_numer()
    wb.get_denom()
    wb.get_tboot()
    wb.get_vcov()
    wb.get_tstat()
    wb.get_pvalue(pval_type="two-tailed")
    t = float(np.squeeze(wb.t_stat))
    tstar = np.asarray(wb.t_boot, float).ravel()
    case = {"name": name, "type": "wild", "model": "ols", "formula": formula(slopes, fe, "y"), "cluster": cluster,
            "term": term, "null": null, "imposeNull": impose, "weights": weights, "B": B, "reps": int(wb.B),
            "enumerated": bool(wb.full_enumeration), "t": t, "ssc": float(wb.ssc),
            "pWildboottest": float(wb.pvalue), "countGreaterWildboottest": int(round(wb.pvalue * wb.B)),
            "source": "wildboottest %s WildboottestCL(bootstrap_type='11')" % getattr(wildboottest, "__version__", "0.3.2")}
    if wb.full_enumeration:
        case["countAtLeast"] = tie_count(t, tstar)
        case["tstarSorted"] = sorted(tstar.tolist())
    return case


def formula(slopes, fe, response):
    return response + " ~ " + " + ".join(slopes) + (" | " + fe if fe else "")


def crv1_t(X, y, w, codes, G, m, r, ssc):
    """(b_m - r)/se_CRV1 of the weighted regression of y on X (brute force)."""
    sw = np.sqrt(w)
    Xs, ys = X * sw[:, None], y * sw
    A = np.linalg.inv(Xs.T @ Xs)
    b = A @ Xs.T @ ys
    u = ys - Xs @ b
    meat = np.zeros((X.shape[1], X.shape[1]))
    for g in range(G):
        s = Xs[codes == g].T @ u[codes == g]
        meat += np.outer(s, s)
    V = A @ meat @ A
    return (b[m] - r) / np.sqrt(ssc * V[m, m]), b, u / sw


def brute_wild_case(df, name, slopes, fe, cluster, term, null, impose, kind, B, seed, weighted):
    X, names = design(df, slopes, fe)
    y = df["y"].to_numpy(float)
    w = df["w"].to_numpy(float) if weighted else np.ones(len(df))
    codes = first_appearance_codes(df[cluster])
    G = codes.max() + 1
    n, K = X.shape
    ssc = G / (G - 1) * (n - 1) / (n - K)
    m = names.index(term)
    t, b, uhat = crv1_t(X, y, w, codes, G, m, null, ssc)
    if impose:
        keep = [j for j in range(K) if j != m]
        yr = y - null * X[:, m]
        sw = np.sqrt(w)
        br = np.linalg.lstsq(X[:, keep] * sw[:, None], yr * sw, rcond=None)[0]
        fitted = X[:, keep] @ br + null * X[:, m]
        center = null
    else:
        fitted = X @ b
        center = b[m]
    resid = y - fitted
    v = wild_weights(kind, G, B, seed)
    tstar = []
    for col in range(v.shape[1]):
        ystar = fitted + resid * v[codes, col]
        tstar.append(crv1_t(X, ystar, w, codes, G, m, center, ssc)[0])
    tstar = np.array(tstar)
    enumerated = bool(kind == "rademacher" and 2 ** G <= B)
    return {"name": name, "type": "wild", "model": "ols", "formula": formula(slopes, fe, "y"), "cluster": cluster,
            "term": term, "null": null, "imposeNull": impose, "weights": kind, "B": B, "reps": int(v.shape[1]),
            "enumerated": enumerated, "seed": seed, "weighted": weighted, "t": float(t),
            "countAtLeast": tie_count(t, tstar), "tstarSorted": sorted(tstar.tolist()),
            "source": "brute force: every replicate refitted with the fixed effects as dummies (numpy), Steppe's draws"}


# ---------------------------------------------------------------- Poisson with dummies
def poisson_fit(X, y, offset=None, beta=None):
    offset = np.zeros(len(y)) if offset is None else offset
    beta = np.zeros(X.shape[1]) if beta is None else beta.copy()
    if beta is None or not np.any(beta):
        beta = np.linalg.lstsq(X, np.log(y + 0.5) - offset, rcond=None)[0]
    for _ in range(200):
        mu = np.exp(offset + X @ beta)
        step = np.linalg.solve(X.T @ (X * mu[:, None]), X.T @ (y - mu))
        beta += step
        if np.max(np.abs(step)) < 1e-13:
            break
    return beta, np.exp(offset + X @ beta)


def score_contributions(X, y, mu, codes, G, m):
    A = np.linalg.inv(X.T @ (X * mu[:, None]))
    s = X * (y - mu)[:, None]
    return np.array([(A @ s[codes == g].sum(axis=0))[m] for g in range(G)])


def score_case(df, name, slopes, fe, cluster, term, null, impose, kind, B, seed):
    X, names = design(df, slopes, fe)
    y = df["n"].to_numpy(float)
    codes = first_appearance_codes(df[cluster])
    G = codes.max() + 1
    n, K = X.shape
    ssc = G / (G - 1) * (n - 1) / (n - K)
    share = np.bincount(codes, minlength=G) / n
    m = names.index(term)
    beta, mu = poisson_fit(X, y)
    if impose:
        keep = [j for j in range(K) if j != m]
        _, mu = poisson_fit(X[:, keep], y, offset=null * X[:, m])
    c = score_contributions(X, y, mu, codes, G, m)
    v = wild_weights(kind, G, B, seed)
    numer = c @ v
    J = v * c[:, None] - share[:, None] * numer[None, :]
    tstar = numer / np.sqrt(ssc * np.sum(J ** 2, axis=0))
    J1 = c - share * c.sum()
    se = np.sqrt(ssc * np.sum(J1 ** 2))
    t = c.sum() / se if impose else (beta[m] - null) / se
    return {"name": name, "type": "score", "model": "ppml", "formula": formula(slopes, fe, "n"), "cluster": cluster,
            "term": term, "null": null, "imposeNull": impose, "weights": kind, "B": B, "reps": int(v.shape[1]),
            "enumerated": bool(kind == "rademacher" and 2 ** G <= B), "seed": seed, "t": float(t), "estimate": float(beta[m]),
            "countAtLeast": tie_count(t, tstar), "tstarSorted": sorted(tstar.tolist()),
            "source": "boottest's score bootstrap (WildBootTests.jl scorebs) in numpy: Poisson MLE with dummies, full parameter vector"}


# ---------------------------------------------------------------- pairs and cluster bootstrap
def resampling_case(df, name, kind, model, slopes, fe, cluster, B, seed, level=0.95):
    X, names = design(df, slopes, fe)
    y = df["y" if model == "ols" else "n"].to_numpy(float)
    codes = first_appearance_codes(df[cluster]) if cluster else None
    n = len(df)
    members = [np.flatnonzero(codes == g) for g in range(codes.max() + 1)] if cluster else None
    draws = {s: [] for s in slopes}
    for r in streams(B, seed):
        if kind == "pairs":
            rows = np.array([r.int_below(n) for _ in range(n)])
        else:
            rows = np.concatenate([members[r.int_below(len(members))] for _ in range(len(members))])
        Xb, yb = X[rows], y[rows]
        present = np.flatnonzero(np.abs(Xb).sum(axis=0) > 0)
        Xb = Xb[:, present]
        if model == "ols":
            b = np.linalg.lstsq(Xb, yb, rcond=None)[0]
        else:
            b = poisson_fit(Xb, yb)[0]
        for s in slopes:
            draws[s].append(b[list(present).index(names.index(s))])
    alpha = 1 - level
    terms = []
    for s in slopes:
        d = np.array(draws[s])
        terms.append({"term": s, "stdError": float(d.std(ddof=1)),
                      "confLow": float(np.quantile(d, alpha / 2)), "confHigh": float(np.quantile(d, 1 - alpha / 2))})
    return {"name": name, "type": kind, "model": model, "formula": formula(slopes, fe, "y" if model == "ols" else "n"),
            "cluster": cluster, "B": B, "seed": seed, "terms": terms,
            "source": "numpy refits of the rows Steppe's generator draws (np.quantile linear, std ddof=1)"}


def main():
    df = make_data()
    df.to_csv(os.path.join(HERE, "bootstrap_data.csv"), index=False)
    s3 = ["x1", "x2", "x3"]
    s2 = ["x1", "x2"]
    cases = [
        wildboottest_case(df, "ols_wcr_x1", s3, None, "cl10", "x1", 0.0, True, 9999),
        wildboottest_case(df, "ols_wcr_x2_null", s3, None, "cl10", "x2", 0.1, True, 9999),
        wildboottest_case(df, "ols_wcu_x3", s3, None, "cl10", "x3", 0.0, False, 9999),
        wildboottest_case(df, "ols_fe_wcr_x2", s2, "fe", "cl10", "x2", 0.0, True, 9999),
        wildboottest_case(df, "ols_fe_wcu_x1", s2, "fe", "cl10", "x1", 0.0, False, 9999),
        wildboottest_case(df, "ols_nestedfe_wcr_x1", s2, "fen", "cl10", "x1", 0.0, True, 9999),
        wildboottest_case(df, "ols_random_rademacher", s3, None, "cl20", "x2", 0.0, True, 9999, seed=7),
        wildboottest_case(df, "ols_random_webb", s3, None, "cl20", "x2", 0.0, True, 9999, seed=7, weights="webb"),
        brute_wild_case(df, "ols_fe_webb_brute", s2, "fe", "cl20", "x1", 0.0, True, "webb", 199, 5, False),
        brute_wild_case(df, "ols_fe_mammen_wcu_brute", s2, "fe", "cl20", "x2", 0.0, False, "mammen", 199, 9, False),
        brute_wild_case(df, "wls_fe_wcr_brute", s2, "fe", "cl10", "x1", 0.2, True, "rademacher", 9999, 1, True),
        score_case(df, "ppml_fe_score_wcr_x1", s2, "fe", "cl10", "x1", 0.0, True, "rademacher", 9999, 1),
        score_case(df, "ppml_fe_score_wcr_x2_null", s2, "fe", "cl10", "x2", 0.1, True, "rademacher", 9999, 1),
        score_case(df, "ppml_fe_score_wcu_x1", s2, "fe", "cl10", "x1", 0.0, False, "rademacher", 9999, 1),
        score_case(df, "ppml_fe_score_webb_x2", s2, "fe", "cl20", "x2", 0.0, True, "webb", 199, 3),
        resampling_case(df, "pairs_ols_fe", "pairs", "ols", s2, "fe", None, 199, 11),
        resampling_case(df, "cluster_ppml", "cluster", "ppml", s2, None, "cl10", 199, 13),
    ]
    with open(os.path.join(HERE, "bootstrap_reference.json"), "w") as f:
        json.dump({"generator": "bootstrap_make_reference.py", "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
