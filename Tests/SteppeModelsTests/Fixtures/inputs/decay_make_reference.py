"""Reference for DecayCalibration: the distance decay beta of the doubly constrained
gravity model, fitted by PPML with origin-by-year and destination-by-year fixed effects
on the bundled observed origin-destination matrices of Korea, the Netherlands and Italy.

    flow ~ log(distance_km) | origin^year + destination^year      (beta = -coefficient)
    flow ~ distance_100km   | origin^year + destination^year      (exponential decay)

Rows between a region and itself are left out (the flows model has T_ii = 0). Italy's
five NUTS1 areas are aggregated over age groups; their distances are great-circle
distances (haversine, R = 6371.0088 km) between population-weighted centres of the
regional capitals (the table below, the same as DecayCalibration.italyAreaCentres).
Two independent fits: pyfixest.fepois (hetero standard errors), and for Korea and Italy
statsmodels' Poisson GLM with the fixed effects as dummies, whose estimates must agree
(the Netherlands' 720 dummies on 14,040 rows are beyond statsmodels' dense IRLS). Then
the three stacked in one fit with a slope per country and fixed effects per country
(origin^year^country), as DecayCalibration fits them: the same estimates (the likelihood
separates), and its hetero standard errors, which Steppe's must equal.

Run from the repository root:  python3 Tests/SteppeModelsTests/Fixtures/inputs/decay_make_reference.py
Writes decay_reference.json beside this script. pyfixest 0.60.0, statsmodels 0.15.0.
"""
import json, math, os
import numpy as np
import pandas as pd
import pyfixest as pf
import statsmodels.api as sm

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
DATA = os.path.join(ROOT, "Datasets", "files")

# (area, region, capital latitude, longitude, population 2001 census, millions)
ITALY_REGIONS = [
    ("North-West", "Piemonte", 45.0703, 7.6869, 4.214677), ("North-West", "Valle d'Aosta", 45.7370, 7.3201, 0.119548),
    ("North-West", "Lombardia", 45.4642, 9.1900, 9.032554), ("North-West", "Liguria", 44.4056, 8.9463, 1.571783),
    ("North-East", "Trentino-Alto Adige", 46.0748, 11.1217, 0.940016), ("North-East", "Veneto", 45.4408, 12.3155, 4.527694),
    ("North-East", "Friuli-Venezia Giulia", 45.6495, 13.7768, 1.183764), ("North-East", "Emilia-Romagna", 44.4949, 11.3426, 3.983346),
    ("Center", "Toscana", 43.7696, 11.2558, 3.497806), ("Center", "Umbria", 43.1107, 12.3908, 0.825826),
    ("Center", "Marche", 43.6158, 13.5189, 1.470581), ("Center", "Lazio", 41.9028, 12.4964, 5.112413),
    ("South", "Abruzzo", 42.3498, 13.3995, 1.262392), ("South", "Molise", 41.5603, 14.6627, 0.320601),
    ("South", "Campania", 40.8518, 14.2681, 5.701931), ("South", "Puglia", 41.1171, 16.8719, 4.020707),
    ("South", "Basilicata", 40.6401, 15.8056, 0.597768), ("South", "Calabria", 38.9098, 16.5877, 2.011466),
    ("Islands", "Sicilia", 38.1157, 13.3615, 4.968991), ("Islands", "Sardegna", 39.2238, 9.1217, 1.631880),
]


def italy_centres():
    out = {}
    for area in sorted({r[0] for r in ITALY_REGIONS}):
        rows = [r for r in ITALY_REGIONS if r[0] == area]
        w = sum(r[4] for r in rows)
        out[area] = (sum(r[2] * r[4] for r in rows) / w, sum(r[3] * r[4] for r in rows) / w)
    return out


def haversine(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def load():
    k = pd.read_csv(os.path.join(DATA, "korea-interregional.csv"))
    k = k[k.origin != k.destination].rename(columns={"dist_centroid_km": "distance_km"})
    n = pd.read_csv(os.path.join(DATA, "netherlands-corop.csv"))
    n = n[n.origin != n.destination]
    i = pd.read_csv(os.path.join(DATA, "italy-areas.csv"))
    i = i.groupby(["origin", "destination", "year"], as_index=False)["flow"].sum()
    c = italy_centres()
    i["distance_km"] = [haversine(c[o], c[d]) for o, d in zip(i.origin, i.destination)]
    cols = ["origin", "destination", "year", "flow", "distance_km"]
    return {"korea-interregional": k[cols].copy(), "netherlands-corop": n[cols].copy(), "italy-areas": i[cols].copy()}, c


def fit(df, decay):
    df = df.copy()
    df["x"] = np.log(df.distance_km) if decay == "power" else df.distance_km / 100
    df["oy"] = df.origin.astype(str) + "_" + df.year.astype(str)
    df["dy"] = df.destination.astype(str) + "_" + df.year.astype(str)
    m = pf.fepois("flow ~ x | oy + dy", data=df, vcov="hetero")
    b, se = float(m.coef()["x"]), float(m.se()["x"])
    if len(df) > 5000:
        return {"beta": -b, "stdError": se, "nobs": int(len(df))}
    X = pd.get_dummies(df[["oy", "dy"]], drop_first=False).astype(float)
    X = X.drop(columns=[c for c in X.columns if c.startswith("dy_")][:1])   # one dummy set spans the constant
    X.insert(0, "x", df.x.values)
    g = sm.GLM(df.flow.values, X.values, family=sm.families.Poisson()).fit(tol=1e-13, maxiter=200)
    return {"beta": -b, "stdError": se, "betaStatsmodels": -float(g.params[0]), "nobs": int(len(df))}


def stacked(data, decay):
    parts = []
    for name, df in data.items():
        df = df.copy()
        df["country"] = name
        parts.append(df)
    df = pd.concat(parts, ignore_index=True)
    x = np.log(df.distance_km) if decay == "power" else df.distance_km / 100
    terms = []
    for name in data:
        t = "x_" + name.split("-")[0]
        df[t] = np.where(df.country == name, x, 0.0)
        terms.append(t)
    df["oy"] = df.country + "/" + df.origin.astype(str) + "_" + df.year.astype(str)
    df["dy"] = df.country + "/" + df.destination.astype(str) + "_" + df.year.astype(str)
    m = pf.fepois("flow ~ " + " + ".join(terms) + " | oy + dy", data=df, vcov="hetero")
    return {name: {"beta": -float(m.coef()[t]), "stdError": float(m.se()[t])} for name, t in zip(data, terms)} | {"nobs": int(m._N)}


def main():
    data, centres = load()
    out = {"italyAreaCentres": {a: {"lat": v[0], "lon": v[1]} for a, v in centres.items()}, "power": {}, "exponential": {}}
    for decay in ("power", "exponential"):
        for name, df in data.items():
            out[decay][name] = fit(df, decay)
            print(decay, name, out[decay][name])
        out[decay]["stacked"] = stacked(data, decay)
        print(decay, "stacked", out[decay]["stacked"])
    with open(os.path.join(os.path.dirname(__file__), "decay_reference.json"), "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
