#!/usr/bin/env python3
"""Brute-force reference for Steppe's two-way (multiway) wild cluster bootstrap
(Tests/SteppeModelsTests/BootstrapTests.swift, "multiway" tests).

wildboottest (PyPI) clusters one way only, so this script computes the two-way wild
cluster bootstrap from its definition (boottest / fwildclusterboot, Roodman et al. 2019,
section 3.4; MacKinnon, Nielsen & Webb 2021), with no fast algebra at all:

  * data: multiway_data.csv, written here (seeded numpy, PCG64 seed 2024): 360 rows,
    outcome y, regressors x1-x3, clusters a (8 unequal clusters) and b (11), crossed and
    not nested, and a fixed effect fe (6 levels, nested in neither);
  * the design X has an intercept and, for fixed-effect cases, fe as dummies (first level
    dropped), so no Frisch-Waugh is used either;
  * the bootcluster (a, 8 clusters: Steppe's default "fewest"; or b, 11) is enumerated in
    full: all 2^G Rademacher sign vectors, in the order of itertools.product([-1, 1],
    repeat=G) over the bootclusters in order of first appearance (Steppe's order);
  * each draw v builds y* = X beta_tilde + u_tilde * v[bootcluster(i)] (WCR: beta_tilde
    the least-squares fit with beta_t = r imposed; WCU: the unrestricted fit), refits OLS
    on y*, and forms the two-way CRVE of Cameron, Gelbach & Miller (2011):
        V = c_a B M_a B + c_b B M_b B - c_ab B M_ab B,   B = (X'X)^-1,
    M_S = sum over clusters h of S of (X_h' u*_h)(X_h' u*_h)', without any eigenvalue fix,
    and t* = (beta*_t - beta_tilde_t) / sqrt(V_tt);
  * the observed t = (beta_hat_t - r) / sqrt(V_tt) from the original fit;
  * factors: "none" (c = 1 for every term; Steppe's --small-sample none) and "own"
    (c_S = G_S/(G_S - 1) * (n - 1)/(n - K), K the columns of X: fwildclusterboot's and
    boottest's choice, Steppe's --small-sample statsmodels). With equal factors (fixest's
    G_min rule, Steppe's default) t and every t* are those of "none" over sqrt(c).

Per case the JSON stores t, every t* in draw order (null where the draw's two-way
variance is not positive: a failed draw, as in boottest, which leaves it out), the
count of |t*| >= |t| over the feasible draws (ties within 1e-10 relative count, as
Steppe's BootstrapPValue), the strict count and the p-value = count / feasible draws
(= count / 2^G when no draw fails).

Run: python3 multiway_make_reference.py   (needs numpy and pandas)
"""
import json
import os
from itertools import product

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
TIE = 1e-10


def make_data():
    rng = np.random.default_rng(2024)
    n = 360
    a = rng.choice(8, size=n, p=rng.dirichlet(np.full(8, 3.0)))
    b = rng.choice(11, size=n, p=rng.dirichlet(np.full(11, 3.0)))
    fe = rng.integers(0, 6, n)
    x = rng.standard_normal((n, 3)) + 0.4 * rng.standard_normal((8, 3))[a] + 0.3 * rng.standard_normal((11, 3))[b]
    y = 0.5 + x @ np.array([0.0, 0.3, -0.2]) + 0.2 * fe + 0.6 * rng.standard_normal(8)[a] \
        + 0.5 * rng.standard_normal(11)[b] + rng.standard_normal(n)
    df = pd.DataFrame({"y": np.round(y, 6), "x1": np.round(x[:, 0], 6), "x2": np.round(x[:, 1], 6),
                       "x3": np.round(x[:, 2], 6), "a": [f"a{v}" for v in a], "b": [f"b{v:02d}" for v in b],
                       "fe": [f"f{v}" for v in fe]})
    df.to_csv(os.path.join(HERE, "multiway_data.csv"), index=False)
    return df


def codes(column):
    """Codes in order of first appearance (Steppe's Grouping)."""
    return pd.factorize(column, sort=False)[0]


def design(df, fixed_effect):
    cols = [np.ones(len(df)), df.x1.to_numpy(), df.x2.to_numpy(), df.x3.to_numpy()]
    names = ["(Intercept)", "x1", "x2", "x3"]
    if fixed_effect:
        f = codes(df.fe)
        for level in range(1, f.max() + 1):
            cols.append((f == level).astype(float))
            names.append(f"fe{level}")
    return np.column_stack(cols), names


def twoway_variance(X, u, groups, factors, t):
    bread = np.linalg.inv(X.T @ X)
    v = 0.0
    for g, c, sign in zip(groups, factors, (1, 1, -1)):
        scores = np.zeros((g.max() + 1, X.shape[1]))
        np.add.at(scores, g, X * u[:, None])
        row = bread[t] @ scores.T
        v += sign * c * float(row @ row)
    return v


def case(df, name, term, null, impose, boot, fixed_effect, factor_rule):
    X, names = design(df, fixed_effect)
    y = df.y.to_numpy()
    n, K = X.shape
    t = names.index(term)
    a, b = codes(df.a), codes(df.b)
    ab = codes(pd.Series(list(zip(a, b))).astype(str))
    groups = [a, b, ab]
    if factor_rule == "none":
        factors = [1.0, 1.0, 1.0]
    else:
        factors = [(g.max() + 1) / g.max() * (n - 1) / (n - K) for g in groups]
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    u_hat = y - X @ beta
    observed = (beta[t] - null) / np.sqrt(twoway_variance(X, u_hat, groups, factors, t))
    if impose:
        others = [j for j in range(K) if j != t]
        restricted = np.zeros(K)
        restricted[others] = np.linalg.lstsq(X[:, others], y - null * X[:, t], rcond=None)[0]
        restricted[t] = null
    else:
        restricted = beta
    fitted = X @ restricted
    resid = y - fitted
    bc = codes(df[boot])
    G = bc.max() + 1
    stars = []
    for signs in product([-1.0, 1.0], repeat=G):
        v = np.array(signs)[bc]
        ystar = fitted + resid * v
        bstar = np.linalg.lstsq(X, ystar, rcond=None)[0]
        ustar = ystar - X @ bstar
        var = twoway_variance(X, ustar, groups, factors, t)
        stars.append((bstar[t] - restricted[t]) / np.sqrt(var) if var > 0 else float("nan"))
    stars = np.array(stars)
    threshold = abs(observed) * (1 - TIE)
    feasible = stars[np.isfinite(stars)]
    count = int(np.sum(np.abs(feasible) >= threshold))
    strict = int(np.sum(np.abs(feasible) > abs(observed)))
    return {"name": name, "formula": "y ~ x1 + x2 + x3" + (" | fe" if fixed_effect else ""), "term": term,
            "null": null, "imposeNull": impose, "bootcluster": boot, "smallSample": factor_rule,
            "clusters": ["a", "b"], "counts": [int(a.max() + 1), int(b.max() + 1), int(ab.max() + 1)],
            "factors": factors, "reps": int(2 ** G), "t": float(observed),
            "tstar": [float(s) if np.isfinite(s) else None for s in stars], "failed": int(len(stars) - len(feasible)),
            "countAtLeast": count, "countGreater": strict, "pValue": count / len(feasible)}


def main():
    df = make_data()
    cases = [
        case(df, "twoway_wcr_x1_min", "x1", 0.0, True, "a", False, "none"),
        case(df, "twoway_wcr_x2_own", "x2", 0.2, True, "a", False, "own"),
        case(df, "twoway_wcu_x3_b", "x3", 0.0, False, "b", False, "own"),
        case(df, "twoway_fe_wcr_x2", "x2", 0.1, True, "a", True, "none"),
        case(df, "twoway_fe_wcu_x1_b", "x1", 0.0, False, "b", True, "own"),
    ]
    with open(os.path.join(HERE, "multiway_reference.json"), "w") as f:
        json.dump({"generator": "multiway_make_reference.py (brute force: one OLS refit per draw)", "cases": cases}, f)
    for c in cases:
        print(c["name"], c["reps"], "t", c["t"], "p", c["pValue"], "failed", c["failed"], "counts", c["counts"])


if __name__ == "__main__":
    main()
