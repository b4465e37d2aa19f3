#!/usr/bin/env python3
"""Builds the small derived tables the notebooks read, from the bundled datasets as
`steppe datasets export` writes them (Python 3 standard library only). Every number in
Notebooks-text/data/*.csv comes from a bundled dataset, and README.md beside this file
says which rows; nothing is typed in except the region capitals of Italy (copied from
Sources/SteppeModels/Sensitivity/InputUncertainty+ItalyCentres.swift, which
`steppe flows --calibrated` uses for the same purpose).

    python3 Notebooks-text/data/make_data.py [--steppe .build/debug/steppe] [--check]

--check rebuilds into memory and exits 1 if a file differs from the one on disk.
"""

import argparse
import csv
import io
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Italy's twenty regions: NUTS1 area, the capital (degrees north, east) and the 2001
# census population in millions (ISTAT), as in InputUncertainty+ItalyCentres.swift.
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
EARTH_RADIUS_KM = 6371.0088  # SteppeData's GreatCircle.earthRadiusKm


def export(steppe, name):
    out = subprocess.run([steppe, "datasets", "export", name], cwd=ROOT, check=True,
                         stdout=subprocess.PIPE, env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"}).stdout
    return list(csv.DictReader(io.StringIO(out.decode("utf-8"))))


def number(text):
    return float(text) if text not in ("", None) else None


def fmt(x):
    """A number as the bundled CSVs write it: integers without a decimal point."""
    if isinstance(x, str):
        return x
    return str(int(x)) if float(x).is_integer() else repr(round(x, 6))


def table(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([fmt(v) for v in r])
    return buf.getvalue()


def great_circle(a, b):
    (la1, lo1), (la2, lo2) = [(math.radians(p[0]), math.radians(p[1])) for p in (a, b)]
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def italy_centres():
    out = {}
    for area in dict.fromkeys(r[0] for r in ITALY_REGIONS):
        rows = [r for r in ITALY_REGIONS if r[0] == area]
        w = sum(r[4] for r in rows)
        out[area] = (sum(r[2] * r[4] for r in rows) / w, sum(r[3] * r[4] for r in rows) / w, w)
    return out


def build(steppe):
    files = {}

    # Kazakhstan: population at 1 January 2023 by region (kazakhstan-push-factors).
    push = export(steppe, "kazakhstan-push-factors")
    files["kazakhstan-population-2023.csv"] = table(
        ["region", "population"], [(r["region"], number(r["population"])) for r in push if r["year"] == "2023"])

    # The same table with an interval on departures in the south only: [reported, 2 × reported]
    # for Zhambyl, Turkistan and Shymkent city, the reported figure elsewhere (one reading of
    # the IWPR article's "official figures for the movement of people is low").
    columns = ["region", "year", "departures", "departures_low", "departures_high", "population",
               "crude_birth_rate", "dist_main_km", "south"]
    rows = []
    for r in push:
        d = number(r["departures"])
        rows.append((r["region"], number(r["year"]), d, d, 2 * d if r["south"] == "true" else d,
                     number(r["population"]), r["crude_birth_rate"], r["dist_main_km"], r["south"]))
    files["push-factors-south-undercount.csv"] = table(columns, rows)

    # Italy: flows summed over the age groups, with the distance between the areas' centres.
    centres = italy_centres()
    files["italy-areas-centres.csv"] = table(
        ["region", "lat", "lon", "population_2001_millions"],
        [(a, round(c[0], 4), round(c[1], 4), round(c[2], 6)) for a, c in centres.items()])
    totals = {}
    for r in export(steppe, "italy-areas"):
        key = (r["origin"], r["destination"], int(float(r["year"])))
        totals[key] = totals.get(key, 0) + number(r["flow"])
    rows = []
    for (o, d, y), flow in sorted(totals.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])):
        km = great_circle(centres[o][:2], centres[d][:2])
        rows.append((o, d, y, flow, round(km, 3)))
    files["italy-areas-totals.csv"] = table(["origin", "destination", "year", "flow", "distance_km"], rows)

    # Refugees by origin in three counts (kazakhstan-refugees): the document's ICRC influx
    # 1994–1997, UNHCR registrations at the end of 1997, USCR's estimate at the end of 1997.
    refugees = export(steppe, "kazakhstan-refugees")

    def pick(measure, origin, start):
        hits = [r for r in refugees if r["measure"] == measure and r["origin"] == origin and r["period_start"] == start]
        assert len(hits) == 1, (measure, origin, start, len(hits))
        return hits[0]

    rows = []
    counts = [("ICRC influx 1994-1997", "refugee influx", "1994", ["Chechnya and Tajikistan"]),
              ("UNHCR registered end 1997", "registered with UNHCR", "1997", ["Russian Federation (Chechnya)", "Tajikistan"]),
              ("USCR estimate end 1997", "refugees and asylum seekers", "1997", ["Russian Federation (Chechnya)", "Tajikistan"])]
    for label, measure, start, others in counts:
        afghans = number(pick(measure, "Afghanistan", start)["value"])
        parts = [pick(measure, o, start) for o in others]
        low, high = sum(number(p["value_low"]) for p in parts), sum(number(p["value_high"]) for p in parts)
        # The document gives no single figure for Chechnya and Tajikistan: the middle of its interval.
        value = sum(number(p["value"]) for p in parts) if all(p["value"] for p in parts) else round((low + high) / 2)
        rows.append((label, afghans, value, low, high))
    files["refugees-by-count.csv"] = table(
        ["count", "afghanistan", "chechnya_tajikistan", "chechnya_tajikistan_low", "chechnya_tajikistan_high"], rows)

    # The document's influx alone, with its total "over 4,000" (4,001 to 4,999).
    total = pick("refugee influx", "all", "1994")
    low, high = number(total["value_low"]), number(total["value_high"])
    files["refugees-icrc-1994-1997.csv"] = table(
        ["count", "afghanistan", "chechnya_tajikistan", "chechnya_tajikistan_low", "chechnya_tajikistan_high",
         "total", "total_low", "total_high"],
        [rows[0] + (round((low + high) / 2), low, high)])

    # Ethnic Kazakhs abroad (kazakhstan-documents F7, F8) and returnees (kazakhstan-refugees).
    documents = {r["id"]: r for r in export(steppe, "kazakhstan-documents")}
    abroad = documents["F7"]
    returned = [r for r in refugees if r["measure"] == "ethnic Kazakh returnees cumulative" and r["period_end"] == "2001"]
    assert len(returned) == 1
    low, high = number(abroad["value_low"]), number(abroad["value_high"])
    mid = round((low + high) / 2)
    f8 = documents["F8"]
    rows = [("in Afghanistan and Tajikistan 1998", round((number(f8["value_low"]) + number(f8["value_high"])) / 2),
             number(f8["value_low"]), number(f8["value_high"]), mid),
            ("returned to Kazakhstan 1991-2001", number(returned[0]["value"]), number(returned[0]["value_low"]),
             number(returned[0]["value_high"]), mid)]
    files["kazakhs-abroad.csv"] = table(["group", "kazakhs", "kazakhs_low", "kazakhs_high", "abroad"], rows)
    return files


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--steppe", default=".build/debug/steppe")
    p.add_argument("--check", action="store_true")
    a = p.parse_args()
    steppe = a.steppe if os.path.isabs(a.steppe) else os.path.join(ROOT, a.steppe)
    files = build(steppe)
    stale = 0
    for name, text in files.items():
        path = os.path.join(HERE, name)
        if a.check:
            current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
            if current != text:
                print(f"{os.path.relpath(path, ROOT)} differs from what make_data.py builds", file=sys.stderr)
                stale += 1
        else:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            print(f"wrote {os.path.relpath(path, ROOT)}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
