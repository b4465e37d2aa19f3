"""statsmodels' answers on hostility.csv (written by make_reference.R), for NumericalHostilityTests.

Usage: python3 make_reference_statsmodels.py   (prints the numbers the tests embed)
"""
import os
import warnings
import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

here = os.path.dirname(os.path.abspath(__file__))
d = pd.read_csv(os.path.join(here, "hostility.csv"), float_precision="round_trip")
print(f"// statsmodels {statsmodels.__version__}")


def emit(key, fit, note=""):
    print(f'    "{key}": [{", ".join(repr(float(v)) for v in fit.params)}], // {note}')


def run(key, make, note=""):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = make()
        except Exception as e:  # noqa: BLE001 - the failure is the result
            print(f"    // {key}: statsmodels fails: {type(e).__name__}: {e}")
            return None
    for w in caught:
        print(f"    // {key}: statsmodels warns: {str(w.message).splitlines()[0]}")
    emit(key, fit, note)
    return fit


def X(*cols):
    return sm.add_constant(d[list(cols)].to_numpy())


run("ols_big", lambda: sm.OLS(d.ylinbig, X("x1big", "x2big")).fit(), "OLS on everything x 1e300")
run("ols_tiny", lambda: sm.OLS(d.ylintiny, X("x1tiny", "x2tiny")).fit(), "OLS on everything x 1e-300")
run("wls_wide", lambda: sm.WLS(d.ylin, X("x1", "x2"), weights=d.w).fit(), "weights 1e-12..1e12")
pois = sm.families.Poisson()
run("pois_ybig", lambda: sm.GLM(d.ycountbig, X("x1", "x2"), family=pois).fit(tol=1e-14, maxiter=1000), "y x 1e300")
run("pois_ytiny", lambda: sm.GLM(d.ycounttiny, X("x1", "x2"), family=pois).fit(tol=1e-14, maxiter=1000), "y x 1e-300")
run("pois_xtiny", lambda: sm.GLM(d.ycount, X("x1tiny", "x2tiny"), family=pois).fit(tol=1e-14, maxiter=1000), "x x 1e-300")
run("pois_wide", lambda: sm.GLM(d.ycount, X("x1", "x2"), family=pois, var_weights=d.w).fit(tol=1e-14, maxiter=1000),
    "weights 1e-12..1e12")
run("pois_nearsep", lambda: sm.GLM(d.ysep, X("s"), family=pois).fit(tol=1e-14, maxiter=1000), "near separation")
gam = sm.families.Gamma(sm.families.links.Log())
run("gamma_tiny", lambda: sm.GLM(d.ypostiny, X("x1", "x2"), family=gam).fit(tol=1e-14, maxiter=1000), "y x 1e-300")
run("gamma_mixed", lambda: sm.GLM(d.ymixed, X("x1", "x2"), family=gam).fit(tol=1e-14, maxiter=1000),
    "three y at 1e-300, 1e-200, 1e-100")
nb = run("negbin_underdispersed",
         lambda: sm.NegativeBinomial(d.ynb, X("x1", "x2")).fit(method="bfgs", maxiter=2000, disp=0),
         "discrete NB2, last entry alpha = 1/theta")
