#!/usr/bin/env python3
"""Builds Steppe's bundled datasets (Datasets/files/*.csv and their *.manifest.json).

Inputs: the public statistics gathered in ../shared/data/migration (each file's source is
named in the manifests written here) and the two documents in ../shared/seeds, whose
quantitative statements are transcribed below by hand, with their quotes.

Run from the repository root:  python3 Datasets/tools/build_datasets.py [path/to/shared]
The output is deterministic; committing it after a run keeps CI independent of ../shared.
Nothing is interpolated or imputed: a figure that does not exist stays empty.
Distances are not computed here: `kazakhstan-distances` is derived by Steppe's own
Swift code (SteppeData.GreatCircle) from the oblast centres when the dataset is opened.
"""
import csv, json, math, os, sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared")
MIG = os.path.join(SHARED, "data", "migration")
OUT = os.path.join(ROOT, "Datasets", "files")

def read(name):
    with open(os.path.join(MIG, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))

def fmt(v):
    if v is None or v == "":
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        r = repr(round(v, 10))
        return r[:-2] if r.endswith(".0") else r
    return str(v)

def write(name, columns, rows, manifest):
    header = [c[0] for c in columns]
    with open(os.path.join(OUT, name + ".csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(r.get(h)) for h in header])
    manifest = dict(manifest)
    manifest["name"] = name
    manifest["file"] = name + ".csv"
    manifest["rows"] = len(rows)
    manifest["columns"] = [{"name": c[0], "type": c[1], "unit": c[2], "description": c[3]} for c in columns]
    with open(os.path.join(OUT, name + ".manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")

# ---------------------------------------------------------------------------------------
# Shared facts about the oblasts

IWPR = {"document": "IWPR, \"Kazaks Flee South in Droves\", by Bakhytjamal Bekturganova (Institute for War and Peace Reporting, c. 2000–2001)"}
MONITOR = {"document": "The Jamestown Foundation, Monitor vol. 4 issue 130 (1998), on refugees and guest-workers in Kazakhstan"}
BNS_POP = {"publisher": "Bureau of National Statistics of Kazakhstan (BNS)", "table": "resident population at 1 January by region (sheet \"Все население\")",
           "url": "https://stat.gov.kz/api/iblock/element/6584/file/ru/",
           "via": "open-data-kazakhstan/population-projections-by-regions archive/source.xlsx (commit 2568e41)"}
BNS_INCOME = {"publisher": "BNS", "table": "taldau index 704447: average per-capita nominal money income, tenge per month",
              "url": "https://taldau.stat.gov.kz/ru/Api/GetIndexData/704447?period=7&dics=67",
              "via": "open-data-kazakhstan/average-per-capita-nominal-cash-income data/output.csv (commit 495278c)"}
BNS_BIRTHS = {"publisher": "BNS", "table": "dynamic table 6548: live births by region",
              "url": "https://stat.gov.kz/api/iblock/element/6548/csv/file/ru/",
              "via": "armanbostybayev-maker/kaz-Data births.json (commit 4d78fe7), transcribed by hand; South Kazakhstan 2000–2016 from SayaTurysbekova/demographic (table mislabelled pavlodar2, identified by elimination)"}
UNEMP = {"publisher": "BNS labour statistics", "table": "unemployment rate by region, 2022",
         "via": "open-data-kazakhstan/city-unemployment-rate data/unemploymentRate-final.csv"}
CENTRES = {"publisher": "arodionoff/geokz (CC BY 4.0)", "table": "inst/shape/kaz_admbnda_cnt1_2022 (administrative centres, WGS84)",
           "via": "commit 41c1a00; the package cites en.wikipedia List of cities in Kazakhstan"}
INTERNAL = {"publisher": "presumably BNS (not stated by the repository)", "table": "internal migration: arrivals, departures, net by region",
            "via": "kanatislambekov/internal-migration-flow-kz data/internal_migration_{2022,2023,2024}.csv (HEAD b6edc50)"}
BNS_NET = {"publisher": "BNS", "table": "table 6567: migration balance, all flows",
           "via": "armanbostybayev-maker/kaz-Data (migration_balance), transcribed by hand"}

NAMES = {}  # kato2 -> English name used throughout Steppe's files
for r in read("kz_population_oblast_2000_2023.csv"):
    NAMES[r["kato2"]] = r["region"]
NAMES["51"] = "South Kazakhstan"

# Status of each region code over time: the explicit boundary mapping.
BOUNDARIES = [
    # kato2, region, first, last, kind, note
    ("11", "Akmola", 2000, None, "oblast", "Reported without Astana city in every series here. Centre Kokshetau since 1999 (earlier Akmola/Astana city); Kokshetau oblast was merged into North Kazakhstan in 1997 and the city later transferred to Akmola."),
    ("15", "Aktobe", 2000, None, "oblast", ""),
    ("19", "Almaty oblast", 2000, None, "oblast", "Boundaries change in 2022: Zhetysu (33) split off, so 2022+ figures are not comparable with 2000–2021. Centre: Almaty city before 2001, Taldykorgan 2001–2022, Konaev since 2022."),
    ("23", "Atyrau", 2000, None, "oblast", ""),
    ("27", "West Kazakhstan", 2000, None, "oblast", ""),
    ("31", "Zhambyl", 2000, None, "oblast", "Centre Taraz, the southern city the IWPR article names."),
    ("35", "Karaganda", 2000, None, "oblast", "Boundaries change in 2022: Ulytau (62) split off, so 2022+ figures are not comparable with 2000–2021. Zhezkazgan oblast merged in 1997."),
    ("39", "Kostanay", 2000, None, "oblast", "Part of Turgay oblast merged in 1997."),
    ("43", "Kyzylorda", 2000, None, "oblast", "The Baikonur lease area (centre Baikonur) is not an oblast and is left out of Steppe's oblast files."),
    ("47", "Mangystau", 2000, None, "oblast", ""),
    ("55", "Pavlodar", 2000, None, "oblast", ""),
    ("59", "North Kazakhstan", 2000, None, "oblast", "Kokshetau oblast merged in 1997."),
    ("51", "South Kazakhstan", 2000, 2016, "oblast (historical)", "Included Shymkent. Code 51 is not in the current KATO; Steppe uses it for the historical oblast. From 2017 (population, births; 2018 for income) the successors Turkistan (61) and Shymkent city (79) are reported separately."),
    ("61", "Turkistan", 2017, None, "oblast", "South Kazakhstan oblast without Shymkent, renamed in June 2018; centre Turkistan since 2018. BNS recalculated 2017 on the new boundaries; income starts 2018."),
    ("79", "Shymkent city", 2017, None, "city of republican significance", "Separated from South Kazakhstan in June 2018; population and births recalculated from 2017, income from 2018."),
    ("63", "East Kazakhstan", 2000, None, "oblast", "Boundaries change in 2022: Abay (10) split off, so 2022+ figures are not comparable with 2000–2021. Semipalatinsk oblast merged in 1997. Centre Oskemen (Ust-Kamenogorsk)."),
    ("71", "Astana city", 2000, None, "city of republican significance (capital)", "Capital since December 1997; reported separately from Akmola in all series here. Named Nur-Sultan 2019–2022."),
    ("75", "Almaty city", 2000, None, "city of republican significance", "The former capital."),
    ("10", "Abay", 2022, None, "oblast", "Created in 2022 from East Kazakhstan; centre Semey."),
    ("33", "Zhetysu", 2022, None, "oblast", "Created in 2022 from Almaty oblast; centre Taldykorgan."),
    ("62", "Ulytau", 2022, None, "oblast", "Created in 2022 from Karaganda; centre Zhezkazgan."),
]
SUCCESSORS = {"51": ["61", "79"], "63": ["63", "10"], "19": ["19", "33"], "35": ["35", "62"]}

def boundary_dataset():
    rows = []
    for k, name, first, last, kind, note in BOUNDARIES:
        pred = [p for p, succ in SUCCESSORS.items() if k in succ and p != k]
        rows.append({"kato2": k, "region": name, "kind": kind, "first_year": first, "last_year": last,
                     "successors": ";".join(s for s in SUCCESSORS.get(k, []) if s != k) if last else "",
                     "split_from": ";".join(pred), "comparable_across_2022": "false" if k in ("19", "35", "63") else "true",
                     "note": note})
    cols = [("kato2", "text", "", "First two digits of the KATO code (official classifier); 51 is Steppe's code for the pre-2018 South Kazakhstan oblast."),
            ("region", "text", "", "English name used in every Steppe dataset."),
            ("kind", "text", "", "Oblast, city of republican significance, or historical oblast."),
            ("first_year", "number", "year", "First year the region appears in Steppe's panels (2000 = the panels' start, not the region's creation)."),
            ("last_year", "number", "year", "Last year reported under this code; empty when still current."),
            ("successors", "text", "", "Codes that report its territory afterwards (historical regions only), separated by ';'."),
            ("split_from", "text", "", "The code a region was split from in 2017–2022, separated by ';'."),
            ("comparable_across_2022", "boolean", "", "false where the 2022 splits changed the region's territory, so 2022+ values cannot be compared with earlier ones."),
            ("note", "text", "", "The change, its date and its consequence for pooling years.")]
    write("kazakhstan-boundaries", cols, rows, {
        "title": "Kazakhstan regions and their boundary changes, 1997–2022",
        "description": "The explicit mapping between region codes over time, so that no panel pools territories silently: the 2017/2018 split of South Kazakhstan into Turkistan oblast and Shymkent city, the 2022 creation of Abay, Zhetysu and Ulytau, Astana's separation from Akmola, and the 1997 mergers.",
        "years": "1997–2022", "licence": "Facts from public sources; Steppe's file CC BY 4.0.",
        "sources": [{"publisher": "compiled from the notes of BNS population tables and KATO", "via": "../shared/data/migration README (boundary and name changes)"}],
        "caveats": ["The 1997 mergers predate every series here and are noted only for readers of the 1998–2001 documents.",
                    "BNS re-based population estimates after the 2009 census (e.g. Almaty oblast 1,643,278 at 1 Jan 2008 and 1,804,005 at 1 Jan 2009): a jump that is not migration."]})

def oblast_panel():
    pop = {(r["kato2"], int(r["year"])): int(r["population_start_of_year"]) for r in read("kz_population_oblast_2000_2023.csv")}
    inc = {(r["kato2"], int(r["year"])): int(r["income_per_capita_kzt_month"]) for r in read("kz_income_per_capita_oblast_2000_2020.csv")}
    births, inferred = {}, set()
    for r in read("kz_births_oblast_2000_2024.csv"):
        births[(r["kato2"], int(r["year"]))] = int(r["births"])
        if r["label_inferred"] == "True":
            inferred.add((r["kato2"], int(r["year"])))
    unemp = {(r["kato2"], int(r["year"])): float(r["unemployment_rate_pct"]) for r in read("kz_unemployment_rate_oblast_2022.csv")}
    centres = {}
    for r in read("kz_oblast_centres_2022.csv"):
        if r["centre_type"] == "4":
            continue  # Baikonur
        centres[r["kato2"]] = r
    rows = []
    for k, name, first, last, kind, note in BOUNDARIES:
        for year in range(2000, 2024):
            if year < first or (last is not None and year > last):
                continue
            p = pop.get((k, year))
            if p is None:
                continue
            b = births.get((k, year))
            c = centres[k]
            rows.append({"kato2": k, "region": name, "year": year, "population": p,
                         "income_per_capita_kzt_month": inc.get((k, year)),
                         "births": b, "crude_birth_rate": (1000.0 * b / p) if b is not None else None,
                         "births_source_inferred": "true" if (k, year) in inferred else ("false" if b is not None else ""),
                         "unemployment_rate_pct": unemp.get((k, year)),
                         "centre": c["centre_en"], "centre_lat": float(c["lat"]), "centre_lon": float(c["lon"]),
                         "territory_note": territory_note(k, year)})
    cols = [("kato2", "text", "", "Region code (first two KATO digits); see kazakhstan-boundaries."),
            ("region", "text", "", "Region name."),
            ("year", "number", "year", "Calendar year."),
            ("population", "number", "persons", "Resident population at 1 January of the year (BNS)."),
            ("income_per_capita_kzt_month", "number", "tenge per month, current prices", "Average per-capita nominal money income (BNS taldau 704447); ends 2020; integers (the intermediate script truncated decimals); deflate before comparing years."),
            ("births", "number", "persons", "Live births in the calendar year (BNS table 6548)."),
            ("crude_birth_rate", "number", "births per 1,000 population", "Derived: 1000 × births / population at 1 January of the same year (the mid-year population is not in the sources)."),
            ("births_source_inferred", "boolean", "", "true for South Kazakhstan 2000–2016, whose births come from a mislabelled SQL table identified by elimination (credible, not certain)."),
            ("unemployment_rate_pct", "number", "percent", "Unemployment rate; only 2022 exists in a usable form."),
            ("centre", "text", "", "Administrative centre in 2022 (Shymkent for South Kazakhstan); earlier centres are in kazakhstan-boundaries."),
            ("centre_lat", "number", "degrees north (WGS84)", "Latitude of the centre (geokz)."),
            ("centre_lon", "number", "degrees east (WGS84)", "Longitude of the centre (geokz)."),
            ("territory_note", "text", "", "Set where the row's territory differs from the region's other years; empty otherwise.")]
    write("kazakhstan-oblasts", cols, rows, {
        "title": "Kazakhstan regions by year, 2000–2023: population, income, births, unemployment, centres",
        "description": "One row per region and year on the boundaries of that year: 14 oblasts, the cities of Astana and Almaty, South Kazakhstan until 2016, Turkistan and Shymkent from 2017, Abay, Zhetysu and Ulytau from 2022. The national total is left out.",
        "years": "2000–2023", "licence": "BNS statistics are public; geokz coordinates CC BY 4.0; Steppe's file CC BY 4.0.",
        "sources": [BNS_POP, BNS_INCOME, BNS_BIRTHS, UNEMP, CENTRES],
        "caveats": ["Regions 19 (Almaty oblast), 35 (Karaganda) and 63 (East Kazakhstan) lose territory in 2022; their 2022–2023 rows are not comparable with earlier ones (territory_note says so).",
                    "South Kazakhstan (51) ends in 2016; Turkistan (61) and Shymkent (79) start in 2017 for population and births but in 2018 for income, so income is empty for them in 2017.",
                    "Population estimates were re-based after the 2009 census; the 2008→2009 jumps are not migration.",
                    "Income is nominal; crude birth rate uses the 1 January population.",
                    "No oblast figures exist here for 1998–1999, the years of the documents; 2000 is the nearest."]})
    return rows

def territory_note(k, year):
    if k in ("19", "35", "63") and year >= 2022:
        return {"19": "without Zhetysu (split off 2022)", "35": "without Ulytau (split off 2022)", "63": "without Abay (split off 2022)"}[k]
    if k in ("61", "79") and year == 2017:
        return "2017 recalculated by BNS on the 2018 boundaries"
    return ""

def haversine_km(a, b):
    # Only used to choose the nearest main destination below; the distances themselves are
    # derived by SteppeData.GreatCircle, and a test checks this file's against it.
    R = 6371.0088
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * R * math.asin(math.sqrt(h))

def migration_dataset():
    rows = []
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    for r in read("kz_internal_migration_arrivals_departures_2022_2024.csv"):
        month = None if r["month"] == "Total" else months.index(r["month"]) + 1
        rows.append({"kato2": r["kato2"], "region": NAMES[r["kato2"]], "year": int(r["year"]), "month": month,
                     "period": r["year"] if month is None else "%s-%02d" % (r["year"], month),
                     "arrivals": int(r["arrivals"]), "departures": int(r["departures"]), "net": int(r["net"])})
    rows.sort(key=lambda r: (r["year"], r["month"] or 0, r["kato2"]))
    cols = [("kato2", "text", "", "Region code (2022 boundaries)."),
            ("region", "text", "", "Region name."),
            ("year", "number", "year", "Calendar year."),
            ("month", "number", "month (1–12)", "Month for 2024; empty for the annual totals of 2022 and 2023."),
            ("period", "text", "", "The year, or year-month for 2024."),
            ("arrivals", "number", "persons", "Arrivals from elsewhere in Kazakhstan."),
            ("departures", "number", "persons", "Departures to elsewhere in Kazakhstan."),
            ("net", "number", "persons", "arrivals − departures.")]
    write("kazakhstan-migration", cols, rows, {
        "title": "Internal migration in Kazakhstan by region: arrivals, departures, net, 2022–2024",
        "description": "Migration within Kazakhstan by region on the 2022 boundaries (20 regions): annual totals for 2022 and 2023, months for 2024. Nationally arrivals equal departures every year, which confirms the series is internal only. Not an origin–destination matrix: `steppe flows` estimates one from these margins.",
        "years": "2022–2024", "licence": "Public statistics; Steppe's file CC BY 4.0.",
        "sources": [INTERNAL],
        "caveats": ["The publisher is not stated by the repository the figures come from (presumably BNS).",
                    "The series probably includes moves between settlements of the same region, so it is not the interregional total.",
                    "The 2024 total (1.51 million) is almost twice 2022 (0.80 million): check definitions before pooling years."]})
    return rows

def facts_dataset():
    rows = []
    for r in read("kz_national_net_migration_2000_2024.csv"):
        for part in ("total", "urban", "rural"):
            rows.append({"topic": "net migration", "region": "Kazakhstan", "kato2": "00", "period_start": int(r["year"]), "period_end": int(r["year"]),
                         "indicator": "net_migration_all_flows_" + part, "value": int(r["net_migration_" + part]), "unit": "persons",
                         "source": "BNS table 6567 (migration balance, all flows), via kaz-Data, transcribed by hand",
                         "url": "", "note": "All flows: external migration plus urban–rural moves inside the country.", "quality": "official"})
    for r in read("kz_net_migration_oblast_2023_2024.csv"):
        rows.append({"topic": "net migration", "region": NAMES[r["kato2"]], "kato2": r["kato2"], "period_start": int(r["year"]), "period_end": int(r["year"]),
                     "indicator": "net_migration_all_flows_total", "value": int(r["net_migration_all_flows"]), "unit": "persons",
                     "source": "BNS table 6567, via kaz-Data migration_balance.json, transcribed by hand", "url": "", "note": "", "quality": "official"})
    regions = {"Almaty oblast": "19", "South Kazakhstan (pre-2018 boundaries, incl. Shymkent)": "51", "Zhambyl": "31",
               "Astana (Nur-Sultan) city": "71", "Astana city": "71", "Almaty city": "75", "Mangystau": "47", "South Kazakhstan": "51",
               "East Kazakhstan": "63", "Kostanay": "39", "North Kazakhstan": "59", "Karaganda": "35", "Kazakhstan": "00"}
    for r in read("kz_context_facts.csv"):
        if r["topic"] in ("refugees", "repatriation", "document_claim"):
            continue  # in kazakhstan-refugees and kazakhstan-documents
        value = float(r["value"])
        unit = r["unit"]
        if unit == "thousand persons":
            value, unit = value * 1000, "persons"
        rows.append({"topic": r["topic"].replace("_", " "), "region": r["region"], "kato2": regions.get(r["region"], ""),
                     "period_start": int(r["period_start"]), "period_end": int(r["period_end"]), "indicator": r["indicator"],
                     "value": value, "unit": unit, "source": source_name(r["source_url"]), "url": r["source_url"],
                     "note": r["note"], "quality": r["quality"]})
    cols = [("topic", "text", "", "What the fact is about."),
            ("region", "text", "", "The region as the source names it."),
            ("kato2", "text", "", "Region code (00 for Kazakhstan; 51 for pre-2018 South Kazakhstan); empty when the source's region has none."),
            ("period_start", "number", "year", "First year the figure covers."),
            ("period_end", "number", "year", "Last year the figure covers."),
            ("indicator", "text", "", "What was measured (`share_of_arrivals_from:X` for origin shares)."),
            ("value", "number", "see unit", "The figure (thousands converted to persons)."),
            ("unit", "text", "", "Unit of value."),
            ("source", "text", "", "Who published it."),
            ("url", "text", "", "Where it was read."),
            ("note", "text", "", "Qualifications given with the figure."),
            ("quality", "text", "", "official (statistical office), reported (press or secondary source quoting statistics), secondary.")]
    write("kazakhstan-migration-facts", cols, rows, {
        "title": "Aggregate migration facts for Kazakhstan, 1989–2024",
        "description": "National net migration 2000–2024 (total, urban, rural); net migration by region 2023–2024; cumulative interregional departures and balances 2000–2019 for the regions the documents name (South Kazakhstan, Zhambyl, Almaty, Astana); origin shares of arrivals to Astana in 2018 (the only origin–destination information found); census totals 1989 and 1999; rural outflows 2014; Zhambyl 2013.",
        "years": "1989–2024", "licence": "Public statistics and press reports; Steppe's file CC BY 4.0.",
        "sources": [BNS_NET, {"publisher": "crcons.com", "table": "blog b202011051 on BNS interregional migration 2000–2019", "url": "https://crcons.com/eng/b202011051"},
                    {"publisher": "bnews.kz", "table": "Kazakhstan's regional migration leaders (Jan–May 2018)", "url": "https://bnews.kz/en/news/kazakhstans_regional_migration_leaders"},
                    {"publisher": "Agency on Statistics census summary", "table": "1989 and 1999 census totals", "url": "http://stat.ivisa.com/ru/dynamic/svedenia_rk/population/nas.htm"},
                    {"publisher": "kaztag.kz", "table": "rural outflow Jan–Oct 2014", "url": "https://kaztag.kz/en/news/more-than-50-000-kazakhstani-people-left-their-villages-in-10-months"}],
        "caveats": ["No oblast-to-oblast matrix is published openly for any year; these aggregates are what exists.",
                    "The crcons figures are cumulative over 2000–2019 and on pre-2018 boundaries (South Kazakhstan includes Shymkent).",
                    "Astana origin shares: the base is not stated explicitly (probably interregional arrivals, Jan–May 2018).",
                    "No oblast net migration exists here for 1999–2002, the years of the documents."]})

def source_name(url):
    for key, name in (("crcons", "crcons.com (BNS data)"), ("bnews", "bnews.kz"), ("ivisa", "Agency on Statistics census summary (mirror)"),
                      ("kaztag", "kaztag.kz (statistics committee)"), ("zhambyl", "Zhambyl oblast education department news (statistics)"),
                      ("nationsencyclopedia", "nationsencyclopedia.com (secondary)"), ("refworld", "USCR World Refugee Survey (refworld.org)")):
        if key in url:
            return name
    return url

def refugees_dataset():
    rows = [
        {"source_kind": "document", "period_start": 1994, "period_end": 1997, "measure": "refugee influx", "origin": "all",
         "value": None, "value_low": 4001, "value_high": 4999, "unit": "persons",
         "source": "International Committee of the Red Cross, as reported by " + MONITOR["document"],
         "url": "", "note": "\"over 4,000\": read as more than 4,000 and fewer than 5,000 (a round 5,000 would have been said).",
         "quote": "between 1994 and 1997 Kazakhstan experienced an influx of over 4,000 refugees"},
        {"source_kind": "document", "period_start": 1994, "period_end": 1997, "measure": "refugee influx", "origin": "Afghanistan",
         "value": 2100, "value_low": 2100, "value_high": 2100, "unit": "persons",
         "source": "International Committee of the Red Cross, as reported by " + MONITOR["document"], "url": "", "note": "",
         "quote": "Of those, 2,100 had fled Afghanistan"},
        {"source_kind": "document", "period_start": 1994, "period_end": 1997, "measure": "refugee influx", "origin": "Chechnya and Tajikistan",
         "value": None, "value_low": 951, "value_high": 2899, "unit": "persons",
         "source": "International Committee of the Red Cross, as reported by " + MONITOR["document"], "url": "",
         "note": "\"most of the remainder\": the remainder is 1,901–2,899 (total 4,001–4,999 less 2,100); most of it is more than half of the smallest remainder (951) and at most all of the largest (2,899).",
         "quote": "most of the remainder, Chechnya and Tajikistan"},
    ]
    for r in read("kz_context_facts.csv"):
        if r["topic"] not in ("refugees", "repatriation"):
            continue
        ind = r["indicator"]
        origin = ind.split("from:")[1] if "from:" in ind else ("ethnic Kazakhs abroad" if r["topic"] == "repatriation" else "all")
        measure = ind.split("_from:")[0].replace("_", " ")
        measure = measure.replace(" total year end", " (year end)").replace(" year end", " (year end)")
        approx = "approx" in r["unit"]
        v = float(r["value"])
        rows.append({"source_kind": "survey" if "refworld" in r["source_url"] else "secondary", "period_start": int(r["period_start"]),
                     "period_end": int(r["period_end"]), "measure": measure, "origin": origin, "value": v,
                     "value_low": v, "value_high": v, "unit": "persons (approx.)" if approx else "persons",
                     "source": source_name(r["source_url"]), "url": r["source_url"], "note": r["note"], "quote": ""})
    cols = [("source_kind", "text", "", "document (one of the two seed documents), survey (USCR World Refugee Survey) or secondary."),
            ("period_start", "number", "year", "First year covered."),
            ("period_end", "number", "year", "Last year covered."),
            ("measure", "text", "", "What is counted: an influx over a period, a stock at year end, registrations, applications, returnees."),
            ("origin", "text", "", "Country or group of origin; all for totals."),
            ("value", "number", "persons", "The figure when the source gives one number; empty when it gives only a bound."),
            ("value_low", "number", "persons", "Low end of the interval the text supports."),
            ("value_high", "number", "persons", "High end of the interval the text supports."),
            ("unit", "text", "", "persons, or persons (approx.) where the source rounds."),
            ("source", "text", "", "Who counted."),
            ("url", "text", "", "Where it was read."),
            ("note", "text", "", "The source's qualification, or how a loose phrase became an interval."),
            ("quote", "text", "", "The document's words, for rows from the documents.")]
    write("kazakhstan-refugees", cols, rows, {
        "title": "Refugees and returnees in Kazakhstan by origin, 1991–2003",
        "description": "The refugee figures of the 1998 Monitor report (ICRC count of the 1994–1997 influx, with its loose wording as intervals) beside the USCR World Refugee Survey's year-end estimates by origin (Chechnya, Tajikistan, Afghanistan) for 1996–2003, UNHCR registrations and ethnic-Kazakh returnees.",
        "years": "1991–2003", "licence": "Public reports; Steppe's file CC BY 4.0.",
        "sources": [MONITOR, {"publisher": "U.S. Committee for Refugees (USCR)", "table": "World Refugee Survey, country reports on Kazakhstan, 1997–2004", "url": "https://www.refworld.org"}],
        "caveats": ["No refugee figures were found for 1994–1995 apart from the document's four-year total.",
                    "USCR estimates are rounded and include asylum seekers; UNHCR registrations are far lower (2,700 of about 14,000 in 1997).",
                    "The 1999 figure from nationsencyclopedia is secondary and includes some 25,000 ethnic-Kazakh returnees."]})

def documents_dataset():
    A, B = IWPR["document"], MONITOR["document"]
    figures = [
        ("migrants from the southern provinces", "South (Zhambyl, South Kazakhstan)", "", None, 2000, 9999, "persons", "'thousands': at least two thousand, fewer than ten thousand; the period is not stated.",
         A, "Thousands are migrating from their homes in the southern provinces to the country's safer and more prosperous cities."),
        ("people fleeing the southern regions", "South (Zhambyl, South Kazakhstan)", "", None, 2000, 9999, "persons", "'thousands', as above (the article's subtitle, the same claim).",
         A, "Whether fearing poverty or the spread of Islamic militancy, thousands are fleeing from southern regions"),
        ("house prices in Almaty relative to the migrants' home towns", "Almaty city vs the south", "75", None, 20, 100, "ratio (times)", "'twenty to hundred times': the interval as stated.",
         A, "Moving to Almaty can mean encountering house prices twenty to hundred times higher than the homes they leave behind."),
        ("refugee influx 1994–1997", "Kazakhstan", "00", None, 4001, 4999, "persons", "'over 4,000': more than 4,000, fewer than 5,000.",
         B, "between 1994 and 1997 Kazakhstan experienced an influx of over 4,000 refugees"),
        ("refugees from Afghanistan among them", "Kazakhstan", "00", 2100, 2100, 2100, "persons", "exact figure.",
         B, "Of those, 2,100 had fled Afghanistan"),
        ("refugees from Chechnya and Tajikistan among them", "Kazakhstan", "00", None, 951, 2899, "persons", "'most of the remainder' of 1,901–2,899: from just over half of the smallest remainder to all of the largest.",
         B, "and most of the remainder, Chechnya and Tajikistan"),
        ("ethnic Kazakhs living outside Kazakhstan", "abroad", "", None, 3000001, 3999999, "persons", "'more than three million': above 3 million, below 4 million.",
         B, "Of the more than three million Kazakhs who live outside Kazakhstan"),
        ("ethnic Kazakhs living in Afghanistan and Tajikistan", "Afghanistan and Tajikistan", "", None, 20000, 99999, "persons", "'tens of thousands': at least twenty thousand, fewer than a hundred thousand.",
         B, "tens of thousands live in conflict-torn Afghanistan and Tajikistan"),
    ]
    rows = []
    for i, (subject, region, k, v, lo, hi, unit, rule, doc, quote) in enumerate(figures, 1):
        period = (1994, 1997) if "1994" in subject or "among them" in subject else ((1998, 1998) if doc == B else (1999, 2001))
        rows.append({"id": "F%d" % i, "document": doc, "kind": "figure", "subject": subject, "region": region, "kato2": k,
                     "period_start": period[0], "period_end": period[1], "value": v, "value_low": lo, "value_high": hi,
                     "unit": unit, "interval_rule": rule, "quote": quote})
    south = [("Zhambyl", "31"), ("South Kazakhstan", "51")]
    factors = [
        ("fear of incursions by Islamic militants", "\"It's not clear yet whether the Wahabbis will come,\" ... \"the worry that they might is enough for people to take to their heels.\""),
        ("lack of faith in the army's protection", "anxious, like many Taraz residents, about the large army presence in the town ... they have no faith in the army to protect them"),
        ("poverty", "Whether fearing poverty or the spread of Islamic militancy, thousands are fleeing from southern regions"),
        ("high birth rate", "He lists problems such as the high birth-rate, lack of jobs, destroyed infrastructure and lack of water."),
        ("lack of jobs", "He lists problems such as the high birth-rate, lack of jobs, destroyed infrastructure and lack of water."),
        ("destroyed infrastructure", "He lists problems such as the high birth-rate, lack of jobs, destroyed infrastructure and lack of water."),
        ("lack of water", "He lists problems such as the high birth-rate, lack of jobs, destroyed infrastructure and lack of water."),
    ]
    n = 0
    for factor, quote in factors:
        for region, k in south:
            n += 1
            rows.append({"id": "P%d" % n, "document": A, "kind": "push factor", "subject": factor, "region": region, "kato2": k,
                         "period_start": 1999, "period_end": 2001, "quote": quote,
                         "interval_rule": "named for the southern provinces; Taraz (Zhambyl) is named, Shymkent (South Kazakhstan) as an origin"})
    places = [("destination", "Almaty city", "75", "Thousands are migrating ... to the country's safer and more prosperous cities. ... anyone in Astana, Almaty or Ust-Kamenogorsk will tell you it's a huge problem."),
              ("destination", "Astana city", "71", "anyone in Astana, Almaty or Ust-Kamenogorsk will tell you it's a huge problem"),
              ("destination", "East Kazakhstan", "63", "anyone in Astana, Almaty or Ust-Kamenogorsk will tell you it's a huge problem"),
              ("destination", "Akmola", "11", "Kojabai, a taxi-driver, who works in Kokshetau believes that frictions are intensifying."),
              ("origin", "Zhambyl", "31", "\"I feel like the whole of Taraz and Shymkent has moved to Almaty,\""),
              ("origin", "South Kazakhstan", "51", "\"I feel like the whole of Taraz and Shymkent has moved to Almaty,\"")]
    for i, (kind, region, k, quote) in enumerate(places, 1):
        rows.append({"id": "D%d" % i, "document": A, "kind": kind, "subject": "internal migration, south to north", "region": region, "kato2": k,
                     "period_start": 1999, "period_end": 2001, "quote": quote, "interval_rule": ""})
    for i, origin in enumerate(["Afghanistan", "Chechnya", "Tajikistan"], 1):
        rows.append({"id": "R%d" % i, "document": B, "kind": "refugee origin", "subject": origin, "region": "Kazakhstan", "kato2": "00",
                     "period_start": 1994, "period_end": 1997, "quote": "Of those, 2,100 had fled Afghanistan and most of the remainder, Chechnya and Tajikistan.", "interval_rule": ""})
    for i, (region, k, what) in enumerate([("Almaty city", "75", "construction"), ("Astana city", "71", "construction"), ("West Kazakhstan (oil and gas regions)", "", "oil and gas operations")], 1):
        rows.append({"id": "G%d" % i, "document": B, "kind": "guest-worker destination", "subject": what, "region": region, "kato2": k,
                     "period_start": 1998, "period_end": 1998, "interval_rule": "no figure: 'Precise numbers are not available.'",
                     "quote": "temporarily employed in low-paid jobs, such as in construction in Almaty and Astana, or in oil and gas operations in western Kazakhstan"})
    cols = [("id", "text", "", "F: figure, P: push factor per region, D: origin or destination, R: refugee origin, G: guest-worker destination."),
            ("document", "text", "", "Which of the two documents."),
            ("kind", "text", "", "figure, push factor, origin, destination, refugee origin, guest-worker destination."),
            ("subject", "text", "", "What the statement is about."),
            ("region", "text", "", "Where it applies."),
            ("kato2", "text", "", "Region code where one applies (00 = Kazakhstan)."),
            ("period_start", "number", "year", "Earliest year the statement covers (the article's years when it gives none)."),
            ("period_end", "number", "year", "Latest year the statement covers."),
            ("value", "number", "see unit", "The figure, when the text gives an exact one."),
            ("value_low", "number", "see unit", "Low end of the interval the wording supports (figures only)."),
            ("value_high", "number", "see unit", "High end of the interval the wording supports (figures only)."),
            ("unit", "text", "", "Unit of the figure."),
            ("interval_rule", "text", "", "How the wording became the interval, or how the fact was assigned to the region."),
            ("quote", "text", "", "The document's words.")]
    write("kazakhstan-documents", cols, rows, {
        "title": "What the two documents say: figures with intervals, push factors, origins and destinations",
        "description": "Every quantitative statement in the two seed documents, one row each, with its quote and an interval where the wording is loose (\"thousands\", \"twenty to hundred times\", \"over 4,000\", \"more than three million\", \"tens of thousands\"); the push factors the IWPR article names, one row per factor and southern region; the origins and destinations it names; the refugee origins and guest-worker destinations of the Monitor report. The intervals are for sensitivity analyses that propagate the documents' vagueness.",
        "years": "1994–2001", "licence": "Short quotations for research; Steppe's file CC BY 4.0.",
        "sources": [dict(IWPR, quote="Thousands are migrating from their homes in the southern provinces to the country's safer and more prosperous cities."),
                    dict(MONITOR, quote="between 1994 and 1997 Kazakhstan experienced an influx of over 4,000 refugees. Of those, 2,100 had fled Afghanistan and most of the remainder, Chechnya and Tajikistan.")],
        "caveats": ["The IWPR article is undated in the copy used; its references (the IMU, the Taliban's advance in northern Afghanistan, Astana as capital) place it in 1999–2001.",
                    "The intervals encode one reading of loose words; the interval_rule column states it so that another reading can replace it.",
                    "The claims are unverified: no house-price data by city was found to test '20–100 times', and official migration figures for 1998–2001 by region are not published openly."]})

def push_factor_dataset(panel, migration):
    """The default analysis table: departures by region in 2022 and 2023 with push factors."""
    by = {(r["kato2"], r["year"]): r for r in panel}
    centres = {r["kato2"]: (r["centre_lat"], r["centre_lon"]) for r in panel}
    main = {"75": "Almaty city", "71": "Astana city"}
    rows = []
    for m in migration:
        if m["month"] is not None:
            continue
        k, y = m["kato2"], m["year"]
        p = by[(k, y)]
        inc2020 = by.get((k, 2020), {}).get("income_per_capita_kzt_month")
        comparable = k not in ("19", "35", "63")
        dists = {d: haversine_km(centres[k], centres[d]) for d in main if d != k}
        nearest = min(dists, key=dists.get)
        rows.append({"kato2": k, "region": p["region"], "year": y, "departures": m["departures"], "arrivals": m["arrivals"], "net": m["net"],
                     "population": p["population"], "births": p["births"], "crude_birth_rate": p["crude_birth_rate"],
                     "unemployment_rate_pct": p["unemployment_rate_pct"],
                     "income_2020_kzt_month": inc2020 if comparable else None,
                     "south": "true" if k in ("31", "61", "79") else "false",
                     "nearest_main_destination": main[nearest],
                     "dist_main_km": round(dists[nearest], 1),
                     "dist_almaty_km": round(haversine_km(centres[k], centres["75"]), 1),
                     "dist_astana_km": round(haversine_km(centres[k], centres["71"]), 1),
                     "note": ("income left empty: territory changed in 2022, the 2020 figure is for the old oblast" if not comparable else
                              ("income left empty: region created in 2022" if k in ("10", "33", "62") else ""))})
    cols = [("kato2", "text", "", "Region code (2022 boundaries)."),
            ("region", "text", "", "Region name."),
            ("year", "number", "year", "2022 or 2023."),
            ("departures", "number", "persons", "Departures to elsewhere in Kazakhstan in the year (kazakhstan-migration)."),
            ("arrivals", "number", "persons", "Arrivals from elsewhere in Kazakhstan."),
            ("net", "number", "persons", "arrivals − departures."),
            ("population", "number", "persons", "Population at 1 January (kazakhstan-oblasts): the exposure."),
            ("births", "number", "persons", "Live births in the year."),
            ("crude_birth_rate", "number", "births per 1,000", "1000 × births / population at 1 January."),
            ("unemployment_rate_pct", "number", "percent", "Unemployment rate; published for 2022 only, so empty in 2023."),
            ("income_2020_kzt_month", "number", "tenge per month (2020 prices)", "Per-capita nominal money income in 2020, the latest year published; empty for the regions created in 2022 and for the three whose territory changed in 2022."),
            ("south", "boolean", "", "true for Zhambyl, Turkistan and Shymkent, the southern origins the documents name."),
            ("nearest_main_destination", "text", "", "Almaty city or Astana city, whichever centre is nearer (the other for the two cities themselves)."),
            ("dist_main_km", "number", "km", "Great-circle distance from the region's centre to that destination's."),
            ("dist_almaty_km", "number", "km", "Great-circle distance to Almaty (0 for Almaty city)."),
            ("dist_astana_km", "number", "km", "Great-circle distance to Astana (0 for Astana city)."),
            ("note", "text", "", "Why a value is empty.")]
    write("kazakhstan-push-factors", cols, rows, {
        "title": "Departures by region with push factors, Kazakhstan 2022–2023 (the default analysis)",
        "description": "The regression table behind `steppe fit` with no arguments: internal-migration departures by region and year, the exposure (population), and the push factors the documents name that the real data can measure: income (poverty), the birth rate, unemployment (lack of jobs), and distance to the main destinations Almaty and Astana. Assembled from kazakhstan-migration and kazakhstan-oblasts.",
        "years": "2022–2023", "licence": "Built from public statistics; Steppe's file CC BY 4.0.",
        "sources": [INTERNAL, BNS_POP, BNS_INCOME, BNS_BIRTHS, UNEMP, CENTRES],
        "caveats": ["The documents describe 1998–2001; regional migration figures exist openly only for 2022 onwards, so this tests whether the same push factors still predict departures, not what happened then.",
                    "Income is the 2020 figure (the series ends there); it is left empty, never carried over, for Abay, Zhetysu and Ulytau (created 2022) and Almaty oblast, Karaganda and East Kazakhstan (territory changed 2022). A model using it has 14 regions.",
                    "Unemployment exists for 2022 only; a model using it has one year.",
                    "Departures probably include moves between settlements of the same region.",
                    "Distances are straight lines between administrative centres, not travel distances."]})

def korea_dataset():
    income = {(r["region"].replace("-do", "") if r["region"] == "Jeju-do" else r["region"], r["year"]): r for r in read("korea_regional_income_1985_2021.csv")}
    rows = []
    for r in read("korea_gravity_2012_2020.csv"):
        io, idst = income.get((r["orig"], r["year"]), {}), income.get((r["dest"], r["year"]), {})
        rows.append({"origin": r["orig"], "destination": r["dest"], "year": int(r["year"]), "flow": int(float(r["flow"])),
                     "dist_centroid_km": float(r["dist_cent"]), "dist_min_km": float(r["dist_min"]), "dist_popweighted_km": float(r["dist_pw"]),
                     "contiguous": "true" if r["contig"] == "True" else "false",
                     "origin_pop_millions": float(r["orig_pop"]), "destination_pop_millions": float(r["dest_pop"]),
                     "origin_area_km2": round(float(r["orig_area_km2"]), 3), "destination_area_km2": round(float(r["dest_area_km2"]), 3),
                     "origin_income_pc": float(io["individual_income_pc"]) if io.get("individual_income_pc") else None,
                     "destination_income_pc": float(idst["individual_income_pc"]) if idst.get("individual_income_pc") else None,
                     "intraregional": "true" if r["orig"] == r["dest"] else "false"})
    cols = [("origin", "text", "", "Region of origin (17 first-level regions)."),
            ("destination", "text", "", "Region of destination."),
            ("year", "number", "year", "2012–2020."),
            ("flow", "number", "persons", "Internal migrants from origin to destination in the year (KOSIS Internal Migration Statistics)."),
            ("dist_centroid_km", "number", "km", "Distance between geographic centroids."),
            ("dist_min_km", "number", "km", "Minimum distance between the regions' boundaries (0 for neighbours)."),
            ("dist_popweighted_km", "number", "km", "Distance between population-weighted centroids (WorldPop 2020)."),
            ("contiguous", "boolean", "", "Whether the regions share a border."),
            ("origin_pop_millions", "number", "million persons", "Origin population (resident registration)."),
            ("destination_pop_millions", "number", "million persons", "Destination population."),
            ("origin_area_km2", "number", "km²", "Origin area (the migest package's value divided by 1000; Seoul 605.3 km²)."),
            ("destination_area_km2", "number", "km²", "Destination area."),
            ("origin_income_pc", "number", "thousand won per person, current prices", "Individual income per capita of the origin (KOSIS DT_1C86)."),
            ("destination_income_pc", "number", "thousand won per person, current prices", "Individual income per capita of the destination."),
            ("intraregional", "boolean", "", "true on the diagonal (moves within a region); drop these rows for interregional models.")]
    write("korea-interregional", cols, rows, {
        "title": "Interregional migration in South Korea, 2012–2020: a complete origin–destination matrix with covariates",
        "description": "Annual migrant flows between South Korea's 17 first-level regions (diagonal included), with three distances, contiguity, population, area and individual income per capita: a true OD matrix for checking gravity models.",
        "years": "2012–2020", "licence": "migest data GPL-3; KOSIS statistics public.",
        "sources": [{"publisher": "Statistics Korea (KOSIS)", "table": "Internal Migration Statistics (downloaded July 2021); regional income table DT_1C86 (downloaded 2023-11-18)",
                     "via": "R package migest (guyabel/migest 690b0f7, v2.0.5), data/korea_gravity.rda and its data-raw income workbook"}],
        "caveats": ["The 153 diagonal rows are moves within a region; `intraregional` marks them.",
                    "migest ships its income columns empty (a build-script bug); incomes here come from the package's raw KOSIS workbook instead, joined by region and year (Jeju-do = Jeju).",
                    "Sejong exists only from 2012."]})

def netherlands_dataset():
    rows = []
    for r in read("netherlands_corop_2012_2020.csv"):
        row = {"origin_id": int(r["orig_id"]), "origin": r["orig"].replace(" (CR)", ""), "destination_id": int(r["dest_id"]),
               "destination": r["dest"].replace(" (CR)", ""), "year": int(r["year"]), "flow": int(r["flow"]),
               "distance_km": round(100 * float(r["distance_100km"]), 3)}
        for side, pre in (("origin", "orig"), ("destination", "dest")):
            row[side + "_pop"] = int(r[pre + "_pop_jan1"])
            for k in ("share_owner_occupied", "share_social_rent", "share_private_rent"):
                row[side + "_" + k] = round(float(r[pre + "_" + k]), 6)
            row[side + "_persons_per_dwelling"] = round(float(r[pre + "_persons_per_dwelling"]), 6)
            row[side + "_married"] = int(r[pre + "_married"])
            row[side + "_divorced"] = int(r[pre + "_divorced"])
        rows.append(row)
    cols = [("origin_id", "number", "", "COROP region number 1–40 of the origin, in CBS order."),
            ("origin", "text", "", "Origin COROP region."),
            ("destination_id", "number", "", "COROP region number of the destination."),
            ("destination", "text", "", "Destination COROP region."),
            ("year", "number", "year", "2012–2020."),
            ("flow", "number", "persons", "Persons moving between municipalities from origin to destination (CBS, tussen gemeenten verhuisde personen)."),
            ("distance_km", "number", "km", "Centroid distance (the source's hundreds of km × 100)."),
            ("origin_pop", "number", "persons", "Origin population at 1 January.")] + \
        [(side + "_" + k, "number", "share", d) for side in ("origin",) for k, d in (("share_owner_occupied", "Owner-occupied share of the dwelling stock."), ("share_social_rent", "Social-rent share of the dwelling stock."), ("share_private_rent", "Private-rent share of the dwelling stock."))] + \
        [("origin_persons_per_dwelling", "number", "persons per dwelling", "Population / dwellings (derived by the source's author)."),
         ("origin_married", "number", "persons", "Married residents."), ("origin_divorced", "number", "persons", "Divorced residents."),
         ("destination_pop", "number", "persons", "Destination population at 1 January.")] + \
        [("destination_" + k, "number", "share", d) for k, d in (("share_owner_occupied", "Owner-occupied share of the dwelling stock."), ("share_social_rent", "Social-rent share of the dwelling stock."), ("share_private_rent", "Private-rent share of the dwelling stock."))] + \
        [("destination_persons_per_dwelling", "number", "persons per dwelling", "Population / dwellings."),
         ("destination_married", "number", "persons", "Married residents."), ("destination_divorced", "number", "persons", "Divorced residents.")]
    write("netherlands-corop", cols, rows, {
        "title": "Migration between the 40 Dutch COROP regions, 2012–2020, with housing covariates",
        "description": "Directed flows between all pairs of the Netherlands' 40 COROP regions (no diagonal), with centroid distance, population, housing tenure, crowding and marital status at both ends.",
        "years": "2012–2020", "licence": "CBS StatLine open data (CC BY 4.0); reshaping by Steppe.",
        "sources": [{"publisher": "Statistics Netherlands (CBS StatLine)", "table": "verhuizingen tussen COROP-gebieden; Woningvoorraad naar eigendom; bevolking",
                     "via": "Thdegraaff/migration_gravity (dd86537) data/derived/migration_COROP.Rda, one row per directed pair and year; every flow verified against the raw CBS export in that repository"}],
        "caveats": ["No diagonal (moves within a COROP region) and no 2011.",
                    "Distances are centroid distances computed by the source's author with sf.",
                    "Shares rounded to 6 decimals by Steppe."]})

def italy_dataset():
    rows = []
    for r in read("italy_nuts1_age_1970_2000.csv"):
        if r["orig"] == r["dest"]:
            continue
        rows.append({"origin": r["orig"], "destination": r["dest"], "year": int(r["year"]), "age_group": r["age_grp"], "flow": int(float(r["flow"]))})
    cols = [("origin", "text", "", "NUTS1 area of origin (North-West, North-East, Centre, South, Islands)."),
            ("destination", "text", "", "NUTS1 area of destination."),
            ("year", "number", "year", "1970, 1975, …, 2000."),
            ("age_group", "text", "years", "Five-year age group (0-4 … 95+)."),
            ("flow", "number", "persons", "Migrants between the areas in the year and age group.")]
    write("italy-areas", cols, rows, {
        "title": "Migration between Italy's five NUTS1 areas by age, 1970–2000",
        "description": "Origin–destination flows between the five Italian NUTS1 areas by five-year age group, every fifth year 1970–2000: the age and spatial structure of a real OD matrix, including the long south-to-north movement.",
        "years": "1970–2000", "licence": "migest data GPL-3; ISTAT figures.",
        "sources": [{"publisher": "ISTAT (2003), Rapporto annuale", "table": "as used in Raymer, Bonaguidi & Valentini (2006), Population, Space and Place 12(5)", "via": "R package migest data/italy_area.rda"}],
        "caveats": ["The source's 700 diagonal rows are all zero and are left out here.", "No covariates: distances or populations must come from elsewhere."]})

def distances_manifest():
    """kazakhstan-distances has no CSV: SteppeData computes it from kazakhstan-oblasts."""
    cols = [("origin_kato2", "text", "", "Region code of the origin centre."),
            ("origin", "text", "", "Origin region."),
            ("origin_centre", "text", "", "Origin administrative centre."),
            ("destination_kato2", "text", "", "Region code of the destination centre."),
            ("destination", "text", "", "Destination region."),
            ("destination_centre", "text", "", "Destination administrative centre."),
            ("dist_km", "number", "km", "Great-circle distance between the centres, rounded to 0.1 km.")]
    n = 21  # 20 regions on the 2022 boundaries + historical South Kazakhstan (centre Shymkent)
    manifest = {"name": "kazakhstan-distances", "title": "Great-circle distances between Kazakhstan's region centres",
                "description": "Every ordered pair of the administrative centres in kazakhstan-oblasts (each region's latest centre; South Kazakhstan at Shymkent), computed when opened by Steppe's own code (SteppeData.GreatCircle).",
                "file": None, "rows": n * (n - 1), "years": "2022 centres", "licence": "Derived from geokz coordinates (CC BY 4.0).",
                "sources": [CENTRES],
                "caveats": ["Straight-line distances on a sphere of radius 6371.0088 km, not road or rail distances; within 0.5% of the WGS84 geodesic.",
                            "South Kazakhstan (51) and Shymkent city (79) share the Shymkent point, so their distance is 0.",
                            "For 1998–2001 use the historical centres in kazakhstan-boundaries (Almaty oblast was run from Almaty city until 2001)."],
                "columns": [{"name": c[0], "type": c[1], "unit": c[2], "description": c[3]} for c in cols],
                "derived": {"from": "kazakhstan-oblasts", "method": "haversine, R = 6371.0088 km, latest centre of each kato2, rounded to 0.1 km"}}
    with open(os.path.join(OUT, "kazakhstan-distances.manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")

def main():
    os.makedirs(OUT, exist_ok=True)
    boundary_dataset()
    panel = oblast_panel()
    mig = migration_dataset()
    facts_dataset()
    refugees_dataset()
    documents_dataset()
    push_factor_dataset(panel, mig)
    korea_dataset()
    netherlands_dataset()
    italy_dataset()
    distances_manifest()

if __name__ == "__main__":
    main()
