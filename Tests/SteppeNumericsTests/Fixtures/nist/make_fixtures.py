#!/usr/bin/env python3
"""One-time extractor of Steppe's NIST StRD fixtures (one JSON per dataset) from the NIST
reference files.

Its output, the NAME.json files beside this script, is committed: the tests read only those
and need nothing outside the repository. Rerun this script only to regenerate them from a
copy of the NIST files. Source: NIST/ITL Statistical Reference Datasets (StRD), linear least
squares (https://www.itl.nist.gov/div898/strd/lls/lls.shtml); certified values to 15 digits.
Each fixture keeps the numbers as the exact decimal strings NIST prints, so the Swift test
parses them with a correctly rounded conversion.

Usage: python3 make_fixtures.py [NIST]
NIST is a folder holding NAME.csv and NAME.certified.json for each dataset; the default,
../../../../../shared/data/nist, is the project's reference-data folder beside the repository.
"""
import csv, json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../../../../shared/data/nist")
names = ["Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley",
         "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"]

def text(v):
    # NIST's own 15-digit strings: 0.358191792925910E-01 -> "0.358191792925910E-01" (Swift's Double() reads E notation).
    return v.strip()

for name in names:
    cert = json.load(open(os.path.join(src, f"{name}.certified.json")))
    rows = list(csv.reader(open(os.path.join(src, f"{name}.csv"))))
    header, body = rows[0], rows[1:]
    ct = cert["certified_text"]
    fixture = {
        "name": name,
        "difficulty": cert["difficulty"],
        "source": "NIST/ITL StRD linear least squares, " + cert["source_file"].split("/")[-1]
                  + " (https://www.itl.nist.gov/div898/strd/lls/data/LINKS/DATA/" + name + ".dat)",
        "model": cert["model"],
        "intercept": cert["intercept"],
        # Longley is linear in six predictors; the others are polynomials in one x.
        "polynomialDegree": None if name == "Longley" else cert["polynomial_degree"],
        "rSquared": "centered" if cert["intercept"] else "uncentered",
        "response": [r[0] for r in body],
        "predictors": [[r[j] for r in body] for j in range(1, len(header))],
        "certified": {
            "estimates": [text(v) for v in ct["estimates"]],
            "standardErrors": [text(v) for v in ct["std_errors"]],
            "residualStandardDeviation": text(ct["residual_sd"]),
            "rSquared": text(ct["r_squared"]),
        },
    }
    assert len(body) == cert["n_obs"], name
    with open(os.path.join(here, f"{name}.json"), "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
print("wrote", len(names), "fixtures")
