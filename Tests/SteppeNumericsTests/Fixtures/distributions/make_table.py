#!/usr/bin/env python3
"""Reference values for Steppe's distribution functions: scipy.stats, cross-checked with mpmath.

Usage: python3 make_table.py > scipy_reference.csv
Needs scipy and mpmath (pip install scipy mpmath). Recorded with the versions in the
header lines of the output.

Columns: distribution, df1, df2, function, argument, scipy, mpmath
- function: cdf, sf, ppf (quantile of a lower-tail probability), isf (quantile of an upper-tail probability)
- scipy: scipy.stats' value (the reference the tests hold Steppe to, 1e-12 relative)
- mpmath: the same quantity at 60 significant digits, rounded to double (quantiles by
  Newton's method on ln x with a bisection bracket, from mpmath's own tails).
Where scipy and mpmath differ by more than 1e-12 relative, scipy is the one that is
wrong, and the tests hold Steppe to mpmath there: with scipy 1.17.1, F upper quantiles
below 1e-8 come back as inf or lose up to 8 digits, t upper quantiles at 1e-300 come
back as -inf for 3 to 10 degrees of freedom, the t(1) tail beyond 1e299 is flushed to 0,
and F(20, 100000) tails lose 2.6e-12. The arguments in the tails are mpmath's quantiles.
Points include far tails: for every parameter set, arguments whose survival probability is
1e-10, 1e-50, 1e-150 and 1e-300.
"""
import sys
import mpmath as mp
import numpy as np
import scipy
from scipy import stats

mp.mp.dps = 60

def mp_norm_cdf(x): return mp.ncdf(x)
def mp_norm_sf(x): return mp.ncdf(-x)

def mp_ibeta(a, b, x, y):
    """(I_x(a, b), 1 - I_x(a, b)) at 60 digits; the hypergeometric series is summed
    on the side where it converges fast (x below the mean), the other side by complement."""
    a = mp.mpf(a); b = mp.mpf(b); x = mp.mpf(x); y = mp.mpf(y)
    if x <= (a + 1) / (a + b + 2):
        w = mp.betainc(a, b, 0, x, regularized=True)
        return w, 1 - w
    w1 = mp.betainc(b, a, 0, y, regularized=True)
    return 1 - w1, w1

def mp_t_cdf(x, v):
    x = mp.mpf(x); v = mp.mpf(v)
    # Tail form: P(T > |x|) = I_{v/(v+x^2)}(v/2, 1/2) / 2
    w, _ = mp_ibeta(v / 2, mp.mpf(1) / 2, v / (v + x * x), x * x / (v + x * x))
    tail = w / 2
    return tail if x < 0 else 1 - tail
def mp_t_sf(x, v): return mp_t_cdf(-x, v)

def mp_chi2_cdf(x, v):
    a, z = mp.mpf(v) / 2, mp.mpf(x) / 2
    # The series for the smaller tail converges; the other is 1 minus it (60 digits spare).
    return mp.gammainc(a, 0, z, regularized=True) if z < a else 1 - mp.gammainc(a, z, mp.inf, regularized=True)
def mp_chi2_sf(x, v):
    a, z = mp.mpf(v) / 2, mp.mpf(x) / 2
    return mp.gammainc(a, z, mp.inf, regularized=True) if z >= a else 1 - mp.gammainc(a, 0, z, regularized=True)

def mp_f_cdf(x, d1, d2):
    x = mp.mpf(x); d1 = mp.mpf(d1); d2 = mp.mpf(d2)
    return mp_ibeta(d1 / 2, d2 / 2, d1 * x / (d1 * x + d2), d2 / (d1 * x + d2))[0]
def mp_f_sf(x, d1, d2):
    x = mp.mpf(x); d1 = mp.mpf(d1); d2 = mp.mpf(d2)
    return mp_ibeta(d1 / 2, d2 / 2, d1 * x / (d1 * x + d2), d2 / (d1 * x + d2))[1]

def mp_invert(f, target, lo, hi):
    """Root of f(x) = target for increasing f, by bisection then secant on log scale (mpmath)."""
    target = mp.mpf(target)
    return mp.findroot(lambda u: mp.log(f(u)) - mp.log(target), (lo, hi), solver="anderson")

def round3(x):
    return float(f"{x:.4g}")

# Quantiles by mpmath: Newton's method on the log of the tail probability, started
# from scipy's answer, with the exact density (a few steps reach 30 digits).
def mp_pdf(dist, d1, d2, x):
    x = mp.mpf(x)
    if dist == "t":
        v = mp.mpf(d1)
        return mp.exp(mp.loggamma((v + 1) / 2) - mp.loggamma(v / 2)) / mp.sqrt(v * mp.pi) * (1 + x * x / v) ** (-(v + 1) / 2)
    if dist == "chi2":
        k = mp.mpf(d1) / 2
        return mp.exp((k - 1) * mp.log(x) - x / 2 - k * mp.log(2) - mp.loggamma(k))
    a = mp.mpf(d1) / 2; b = mp.mpf(d2) / 2
    return mp.exp(a * mp.log(2 * a) + b * mp.log(2 * b) + (a - 1) * mp.log(x)
                  - (a + b) * mp.log(2 * a * x + 2 * b) - mp.log(mp.beta(a, b)))

def mp_quantile(dist, d1, d2, fn, p, start):
    """Newton's method on u = ln x for ln T(e^u) = ln p at 60 digits, with a bisection
    bracket over the whole double range, so it needs no help from scipy's answer."""
    cdf = {"t": lambda x: mp_t_cdf(x, d1), "chi2": lambda x: mp_chi2_cdf(x, d1), "f": lambda x: mp_f_cdf(x, d1, d2)}[dist]
    sf = {"t": lambda x: mp_t_sf(x, d1), "chi2": lambda x: mp_chi2_sf(x, d1), "f": lambda x: mp_f_sf(x, d1, d2)}[dist]
    p = mp.mpf(p)
    if dist == "t":
        # Solve on the positive half-line and reflect (ppf(p) = -isf(p)); never form 1 - p
        # for tiny p, which would lose its digits even at 60.
        half = mp.mpf(1) / 2
        if p == half:
            return mp.mpf(0)
        q = p if p < half else 1 - p
        x = _solve_log(lambda x: sf(x), -1, q, dist, d1, d2)
        below = p < half
        return (-x if below else x) if fn == "ppf" else (x if below else -x)
    if fn == "ppf":
        return _solve_log(cdf, 1, p, dist, d1, d2) if p <= 0.5 else _solve_log(sf, -1, 1 - p, dist, d1, d2)
    return _solve_log(sf, -1, p, dist, d1, d2) if p <= 0.5 else _solve_log(cdf, 1, 1 - p, dist, d1, d2)

def _solve_log(tail, sign, p, dist, d1, d2):
    target = mp.log(p)
    def g(u):                      # increasing in u; a tail that underflows counts as -inf
        try:
            t = tail(mp.exp(u))
        except ValueError:
            t = mp.mpf(0)
        return sign * (mp.log(t) - target) if t > 0 else -sign * mp.inf
    lo, hi = mp.mpf(-745), mp.mpf(710)   # the whole range of positive doubles
    for _ in range(14):            # coarse bisection to get near the root
        mid = (lo + hi) / 2
        if g(mid) < 0: lo = mid
        else: hi = mid
    u = (lo + hi) / 2
    for _ in range(100):
        x = mp.exp(u)
        t = tail(x)
        slope = x * mp_pdf(dist, d1, d2, x) / t
        gu = sign * (mp.log(t) - target)
        nu = u - gu / slope
        newton = lo < nu < hi
        if not newton:
            nu = (lo + hi) / 2
        if g(nu) < 0: lo = nu
        else: hi = nu
        if hi - lo < mp.mpf("1e-40") or (newton and abs(nu - u) < mp.mpf("1e-40")):
            u = nu
            break
        u = nu
    if u < -744:
        return mp.mpf(0)       # below the smallest double (F(1,1) at 1e-300 is about 1e-600)
    return mp.exp(u)

def tail_point(dist, d1, d2, q):
    """The argument whose upper tail is q, from mpmath, to 4 significant digits."""
    return round3(float(mp_quantile(dist, d1, d2, "isf", q, 0)))

import time
rows = []
_t = [time.time()]
def add(dist, d1, d2, fn, arg, sp, mpv):
    rows.append((dist, d1, d2, fn, arg, float(sp), float(mpv)))
    now = time.time()
    if now - _t[0] > 5:
        print("slow:", dist, d1, d2, fn, arg, round(now - _t[0], 1), file=sys.stderr)
    _t[0] = now

# Arguments: a fixed grid plus points whose upper tail is 1e-10 ... 1e-300.
tails = [1e-10, 1e-50, 1e-150, 1e-300]
probs = [1e-300, 1e-150, 1e-50, 1e-20, 1e-8, 1e-3, 0.025, 0.2, 0.5, 0.8, 0.975, 0.999]

# Normal(0, 1)
for x in [-37.5, -30, -20, -9, -4, -1.96, -1, -0.3, 0, 0.3, 1, 1.96, 4, 9, 20, 30, 37.5]:
    add("normal", "", "", "cdf", x, stats.norm.cdf(x), mp_norm_cdf(x))
    add("normal", "", "", "sf", x, stats.norm.sf(x), mp_norm_sf(x))
for p in probs:
    add("normal", "", "", "ppf", p, stats.norm.ppf(p), mp.mpf(-mp.sqrt(2)) * mp.erfinv(1 - 2 * mp.mpf(p)) if p > 1e-15 else mp_invert(lambda u: mp.ncdf(-u), p, 5, 40) * -1)
    add("normal", "", "", "isf", p, stats.norm.isf(p), mp.sqrt(2) * mp.erfinv(1 - 2 * mp.mpf(p)) if p > 1e-15 else mp_invert(lambda u: mp.ncdf(-u), p, 5, 40))

# Student t
for v in [1, 2, 3, 4.5, 10, 30, 100, 1000, 100000]:
    grid = [0.1, 0.7, 1.5, 2.5, 4, 10] + [tail_point("t", v, "", q) for q in tails]
    for x in grid:
        for s in (1, -1):
            add("t", v, "", "cdf", s * x, stats.t.cdf(s * x, v), mp_t_cdf(s * x, v))
            add("t", v, "", "sf", s * x, stats.t.sf(s * x, v), mp_t_sf(s * x, v))
    for p in probs:
        add("t", v, "", "ppf", p, stats.t.ppf(p, v), 0)
        add("t", v, "", "isf", p, stats.t.isf(p, v), 0)

# Chi-squared
for v in [1, 2, 3, 7.5, 10, 50, 1000, 100000]:
    grid = [1e-6, 0.01, 0.5, v * 0.5, v, v * 1.5 + 3] + [tail_point("chi2", v, "", q) for q in tails]
    for x in grid:
        add("chi2", v, "", "cdf", x, stats.chi2.cdf(x, v), mp_chi2_cdf(x, v))
        add("chi2", v, "", "sf", x, stats.chi2.sf(x, v), mp_chi2_sf(x, v))
    for p in probs:
        add("chi2", v, "", "ppf", p, stats.chi2.ppf(p, v), 0)
        add("chi2", v, "", "isf", p, stats.chi2.isf(p, v), 0)

# F
for d1, d2 in [(1, 1), (2, 5), (5, 2), (4, 30), (10, 10), (3, 1000), (20, 100000), (200, 300)]:
    grid = [1e-4, 0.2, 0.9, 1.0, 1.7, 3, 8] + [tail_point("f", d1, d2, q) for q in tails]
    for x in grid:
        add("f", d1, d2, "cdf", x, stats.f.cdf(x, d1, d2), mp_f_cdf(x, d1, d2))
        add("f", d1, d2, "sf", x, stats.f.sf(x, d1, d2), mp_f_sf(x, d1, d2))
    for p in probs:
        add("f", d1, d2, "ppf", p, stats.f.ppf(p, d1, d2), 0)
        add("f", d1, d2, "isf", p, stats.f.isf(p, d1, d2), 0)

out = []
for (dist, d1, d2, fn, arg, sp, mpv) in rows:
    if fn in ("ppf", "isf") and dist != "normal":
        mpv = mp_quantile(dist, d1, d2, fn, arg, sp)
        if abs(mpv) > mp.mpf("1.7976931348623157e308"):
            mpv = mp.inf if mpv > 0 else -mp.inf
    out.append((dist, d1, d2, fn, arg, sp, float(mpv)))

print(f"# scipy {scipy.__version__}, numpy {np.__version__}, mpmath {mp.__version__}; generated by make_table.py")
print("distribution,df1,df2,function,argument,scipy,mpmath")
for (dist, d1, d2, fn, arg, sp, mpv) in out:
    print(f"{dist},{d1},{d2},{fn},{arg!r},{sp!r},{mpv!r}")
