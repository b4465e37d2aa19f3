"""Reference for the specification curve's test under the null (specr's boot_null,
Simonsohn, Simmons & Nelson 2020), written from the definition with statsmodels.

Data: R's mtcars (../r/mtcars.csv). Curve of the coefficient of drat over
model = ols | ols-log | poisson, controls = none | wt | wt + hp, fe = none | cyl
(fixed effects as C(cyl) dummies: the same estimates and iid standard errors as
absorbed ones; Poisson standard errors times sqrt((n - 1)/(n - K)), the small-sample
factor fixest and Steppe apply to GLMs). Every specification's outcome gets its own estimate removed:
y - b*drat (ols on mpg, ols-log on log(mpg)), y*exp(-b*drat) (Poisson, log link).
Resample r draws the 32 rows with replacement (numpy, seed 20261201); a resample in
which some cyl level is drawn exactly once is redrawn (Steppe drops singletons of a
fixed effect, statsmodels' dummies would not). Each resample's statistics: the median
estimate, the share of specifications with p < 0.05 and the sign of the observed
median, Stouffer's Z of the one-sided p-values in that direction; the p-values are
the shares of resamples at least as extreme.

Run: python3 null_make_reference.py  (writes null_reference.json)
"""
import json, os
import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy.stats import norm

here = os.path.dirname(os.path.abspath(__file__))
cars = pd.read_csv(os.path.join(here, "..", "r", "mtcars.csv"))
n = len(cars)

specs = []
for model in ["ols", "ols-log", "poisson"]:
    for controls in ["", "wt", "wt + hp"]:
        for fe in ["", "cyl"]:
            specs.append((model, controls, fe))


def fit(data, model, controls, fe, y):
    rhs = "drat" + (" + " + controls if controls else "") + (" + C(cyl)" if fe else "")
    frame = data.assign(_y=y)
    if model == "poisson":
        res = smf.glm("_y ~ " + rhs, data=frame, family=sm.families.Poisson()).fit(tol=1e-13)
        # fixest's (and Steppe's) small-sample factor for GLM standard errors: (n - 1)/(n - K).
        k = len(res.params)
        se = res.bse["drat"] * np.sqrt((len(frame) - 1) / (len(frame) - k))
        return res.params["drat"], 2 * norm.sf(abs(res.params["drat"] / se))
    else:
        res = smf.ols("_y ~ " + rhs, data=frame).fit()
    return res.params["drat"], res.pvalues["drat"]


def outcome(data, model):
    return np.log(data["mpg"].values) if model == "ols-log" else data["mpg"].values.astype(float)


def statistics(fits, direction):
    est = np.array([f[0] for f in fits]); p = np.array([f[1] for f in fits])
    same = est * direction > 0
    one_sided = np.where(same, p / 2, 1 - p / 2)
    return dict(median=float(np.median(est)),
                shareSignificant=float(np.mean((p < 0.05) & same)),
                stouffer=float(np.sum(norm.isf(one_sided)) / np.sqrt(len(est))))


observed_fits, nulls = [], []
for model, controls, fe in specs:
    y = outcome(cars, model)
    b, p = fit(cars, model, controls, fe, y)
    observed_fits.append((b, p))
    y0 = y * np.exp(-b * cars["drat"].values) if model == "poisson" else y - b * cars["drat"].values
    nulls.append(y0)
direction = -1.0 if np.median([f[0] for f in observed_fits]) < 0 else 1.0
observed = statistics(observed_fits, direction)

rng = np.random.default_rng(20261201)
resamples, replicate_stats = [], []
while len(resamples) < 30:
    rows = rng.integers(0, n, size=n)
    counts = np.bincount(cars["cyl"].values[rows])
    if np.any(counts == 1):
        continue
    data = cars.iloc[rows].reset_index(drop=True)
    fits = [fit(data, m, c, f, nulls[k][rows]) for k, (m, c, f) in enumerate(specs)]
    resamples.append([int(r) for r in rows])
    replicate_stats.append(statistics(fits, direction))

def share(key, sign=1.0):
    return float(np.mean([sign * s[key] >= sign * observed[key] for s in replicate_stats]))

out = dict(
    source="statsmodels %s, numpy %s; mtcars from R's datasets" % (sm.__version__, np.__version__),
    specifications=[dict(model=m, controls=c, fe=f, estimate=float(o[0]), pValue=float(o[1]))
                    for (m, c, f), o in zip(specs, observed_fits)],
    direction=direction, observed=observed, resamples=resamples, replicates=replicate_stats,
    pValueMedian=share("median", direction), pValueShare=share("shareSignificant"), pValueStouffer=share("stouffer"))
with open(os.path.join(here, "null_reference.json"), "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps({k: out[k] for k in ["direction", "observed", "pValueMedian", "pValueShare", "pValueStouffer"]}, indent=1))
