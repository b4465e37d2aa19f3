#!/usr/bin/env python3
"""One-time extractor of the SteppeModels test fixtures from the original public sources.

Its output is committed: the tests read only the files below, in the repository, and need
nothing outside it. Rerun this script only to regenerate them from a copy of the sources.

- separation/NAME.json, from ppmlhdfe's separation examples (github.com/sergiocorreia/ppmlhdfe,
  test/separation_datasets and guides/csv, snapshot 08d8856): each test set as columns, with
  the rows that must be dropped (its `separated` column, confirmed by a linear program) and
  the R glm fit on the remaining rows (slopes, deviance, dropped collinear regressors; R 4.2.2).
- gravity/trade.csv, from fixest's `trade` data (fixest docs, snapshot dbe56c5), columns
  renamed to snake case, and gravity/published.json: the published fepois results.

Usage: python3 make_fixtures.py [SOURCES]
SOURCES is a local copy of those sources laid out as ppml-separation/ (the sets and
check/reference_fits_R.json) and gravity/ (trade.csv, expected_published.json); the default,
../../../../shared/data, is the project's reference-data folder beside the repository.
"""
import csv, json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../../../shared/data")

# Separation sets.
sep = os.path.join(src, "ppml-separation")
fits = json.load(open(os.path.join(sep, "check", "reference_fits_R.json")))["fits"]
for key, fit in fits.items():
    path = os.path.join(sep, key)
    rows = list(csv.reader(open(path)))
    header, body = rows[0], [r for r in rows[1:] if r]
    columns = {h: [r[j] for r in body] for j, h in enumerate(header) if h != "separated"}
    slopes = {n: c for n, c in zip(fit["coef_names"], fit["coefficients"]) if n.startswith("x")}
    ses = {n: c for n, c in zip(fit["coef_names"], fit["std_errors"]) if n.startswith("x")}
    name = key.split("/")[-1].replace(".csv", "")
    fixture = {
        "name": name,
        "source": f"ppmlhdfe {key} (github.com/sergiocorreia/ppmlhdfe, snapshot 08d8856)",
        "columns": columns,
        "regressors": [h for h in header if h.startswith("x")],
        "fixedEffects": [h for h in header if h.startswith("id") or h in ("i", "j")],
        "separatedRows": fit["separated_rows_1based"],
        "reference": {
            "software": "R 4.2.2 glm(poisson), factor dummies, on the rows not separated",
            "slopes": slopes,
            "standardErrors": ses,
            "collinear": [c for c in fit["aliased_collinear"] if c],
            "deviance": fit["deviance"],
            "observations": fit["n_used"],
        },
    }
    with open(os.path.join(here, "separation", name + ".json"), "w") as f:
        json.dump(fixture, f, indent=0)
        f.write("\n")

# Gravity.
grav = os.path.join(src, "gravity")
rows = list(csv.reader(open(os.path.join(grav, "trade.csv"))))
header = rows[0]
order = ["Origin", "Destination", "Product", "Year", "dist_km", "Euros"]
rename = {"Origin": "origin", "Destination": "destination", "Product": "product", "Year": "year",
          "dist_km": "dist_km", "Euros": "euros"}
idx = [header.index(c) for c in order]
with open(os.path.join(here, "gravity", "trade.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow([rename[c] for c in order])
    for r in rows[1:]:
        if r:
            w.writerow([r[i] for i in idx])
pub = json.load(open(os.path.join(grav, "expected_published.json")))
fe = pub["fe_model"]
out = {
    "source": pub["source"],
    "model": "euros ~ log(dist_km) | origin + destination + product + year (fepois)",
    "coefficient": fe["coef_log_dist_km"],
    "coefficientDummyGLM": -1.5278743714863454,
    "coefficientDummyGLMNote": "R glm(poisson) with the four fixed effects as factor dummies (the Models issue's figure)",
    "seClusterOrigin": fe["se_cluster_Origin"],
    "seClusterOriginDestination": fe["se_twoway_Origin_Destination"],
    "seClusterProduct": fe["se_cluster_Product"],
    "adjustedPseudoRSquared": fe["adj_pseudo_r2"],
    "squaredCorrelation": fe["squared_cor"],
    "logLikelihood": fe["loglik"],
    "bic": fe["bic"],
    "yearEffectsRelativeTo2007": fe["year_fe_relative_to_2007"],
    "levels": fe["fixed_effects_levels"],
}
with open(os.path.join(here, "gravity", "published.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
# NIST Filip: the formula test reads the numerics tests' copy (Tests/SteppeNumericsTests/Fixtures/nist/Filip.json).
print("fixtures written")
