#!/usr/bin/env python3
"""Writes the source extracts in Datasets/sources from the statistics gathered for the
project (../shared/data/migration beside the repository): a one-time step, kept so that
anyone with those files can reproduce the extracts. The normal build
(build_datasets.py) reads only the extracts and does not need this script.

  python3 Datasets/tools/extract_sources.py [ORIGINALS] [--output DIR]

ORIGINALS is the directory of the gathered files (default: ../shared/data/migration
relative to the repository root); DIR is where the extracts go (default:
Datasets/sources). Each original is checked against its SHA-256 before it is read.

An extract keeps only the rows and columns the build reads, under Steppe's column names,
as UTF-8 CSV with LF line ends, a header row and comma separators (quoted only where a
value needs it). Values are copied as the original writes them: numbers are never
rounded or reformatted. The few recodings (month names to numbers, True/False to
true/false, Jeju-do to Jeju, " (CR)" dropped from Dutch region names) and every row
filter are in the functions below and in Datasets/sources/README.md. Python 3 standard
library only; the output is the same bytes on every run.
"""
import argparse, csv, hashlib, os, sys

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_ORIGINALS = os.path.normpath(os.path.join(REPOSITORY, "..", "shared", "data", "migration"))
DEFAULT_OUTPUT = os.path.join(REPOSITORY, "Datasets", "sources")

# The gathered files the extracts are made from, with the SHA-256 of the copies used.
ORIGINALS = {
    "kz_population_oblast_2000_2023.csv": "d69af54d7408b8f30c4a6391fbf1a12029afe51136b2d779fba1cb1a1717b6fd",
    "kz_income_per_capita_oblast_2000_2020.csv": "9fd5cabd0b15737418e81b420f7c97fd8046b0a83844295a3b0a4bcc64e10565",
    "kz_births_oblast_2000_2024.csv": "b17ef31bce604e9693959725106afa6e9d492431802323de21a9dfdef999932f",
    "kz_unemployment_rate_oblast_2022.csv": "0e20af26911c97b5437a471ed84d4ebfd7a42f9a62631a536b98c4fd59581d7c",
    "kz_oblast_centres_2022.csv": "b58055a6e32425a6fbe9747731551459263503565ff1bda6d792e08662f35ee8",
    "kz_internal_migration_arrivals_departures_2022_2024.csv": "3bd99cd019842d6e376a903b1974aca5bea725db41600b98acc38dd8e5ea055b",
    "kz_national_net_migration_2000_2024.csv": "001980def9b29ec3d72de694df3a7a28af6569868f21ab6b41ed11cc30e85cec",
    "kz_net_migration_oblast_2023_2024.csv": "a081e6eed39f36a54848d3a136010c7f9b14e72480b97d709069b19925ddbdb7",
    "kz_context_facts.csv": "8b828df59b8fc2344ff17b6d86ce4b108a16b3556c07eef113eed8f7464b9331",
    "korea_gravity_2012_2020.csv": "d0894fce6fee17e9882e0f50702a62aea302993e89fd63c18ff4a7577d2ce2d2",
    "korea_regional_income_1985_2021.csv": "a2fa19065ae578be0da929e9da43091bd8c1ce7d3b175de80c2c804ea567a259",
    "netherlands_corop_2012_2020.csv": "15f0a69c71b3e728c0baefe64421729635681ad35a238844fafe5a93b3baca38",
    "italy_nuts1_age_1970_2000.csv": "56fdfc5cafb604b16bdb49eee5704b8270a7ee7695826aab80c87a498c4091e7",
}

KAZAKHSTAN = "00"  # kato2 of the national total
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
BAIKONUR = "4"  # centre_type of the Baikonur lease area, which is not an oblast
DOCUMENT_CLAIM = "document_claim"  # context facts paraphrasing the seed documents (seed-documents.json has them)
REFUGEE_TOPICS = ("refugees", "repatriation")
NETHERLANDS_REGION_COLUMNS = (  # original suffix -> extract column, for either side of a flow
    ("pop_jan1", "population"), ("share_owner_occupied", "share_owner_occupied"),
    ("share_social_rent", "share_social_rent"), ("share_private_rent", "share_private_rent"),
    ("persons_per_dwelling", "persons_per_dwelling"), ("married", "married"), ("divorced", "divorced"))


class Originals:
    """The gathered files, each checked against its SHA-256 before it is read."""

    def __init__(self, directory):
        self.directory = directory

    def rows(self, name):
        path = os.path.join(self.directory, name)
        if not os.path.isfile(path):
            raise SystemExit("%s: not found (give the directory of the gathered originals)" % path)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest != ORIGINALS[name]:
            raise SystemExit("%s: SHA-256 %s, expected %s (not the copy the extracts were made from)"
                             % (path, digest, ORIGINALS[name]))
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))


def renamed(row, columns):
    """The row's values under new names: columns is a sequence of (new, old)."""
    return {new: row[old] for new, old in columns}


def flag(value):
    """The originals' True/False as Steppe's true/false."""
    return {"True": "true", "False": "false"}[value]


# Kazakhstan, by region ---------------------------------------------------------------

def kz_population(o):
    """Regions only (the national total, kato2 00, is dropped); the panel's region-years."""
    rows = [renamed(r, (("kato2", "kato2"), ("year", "year"), ("population", "population_start_of_year")))
            for r in o.rows("kz_population_oblast_2000_2023.csv") if r["kato2"] != KAZAKHSTAN]
    return "kz-population-by-region-2000-2023.csv", rows


def panel_keys(o):
    """The region-years of the oblast panel: those of the population extract."""
    return {(r["kato2"], r["year"]) for r in kz_population(o)[1]}


def kz_income(o):
    """The panel's region-years: drops the national total and South Kazakhstan's 2017
    (the panel has 2017 on the 2018 boundaries, Turkistan and Shymkent)."""
    keys = panel_keys(o)
    rows = [renamed(r, (("kato2", "kato2"), ("year", "year"), ("income_per_capita_kzt_month", "income_per_capita_kzt_month")))
            for r in o.rows("kz_income_per_capita_oblast_2000_2020.csv") if (r["kato2"], r["year"]) in keys]
    return "kz-income-per-capita-by-region-2000-2020.csv", rows


def kz_births(o):
    """The panel's region-years (drops 2024); label_inferred becomes births_source_inferred."""
    keys = panel_keys(o)
    rows = [{"kato2": r["kato2"], "year": r["year"], "births": r["births"],
             "births_source_inferred": flag(r["label_inferred"])}
            for r in o.rows("kz_births_oblast_2000_2024.csv") if (r["kato2"], r["year"]) in keys]
    return "kz-births-by-region-2000-2023.csv", rows


def kz_unemployment(o):
    rows = [renamed(r, (("kato2", "kato2"), ("year", "year"), ("unemployment_rate_pct", "unemployment_rate_pct")))
            for r in o.rows("kz_unemployment_rate_oblast_2022.csv")]
    return "kz-unemployment-rate-by-region-2022.csv", rows


def kz_centres(o):
    """One centre per region: the Baikonur lease area (centre_type 4) is dropped."""
    rows = [renamed(r, (("kato2", "kato2"), ("centre", "centre_en"), ("centre_lat", "lat"), ("centre_lon", "lon")))
            for r in o.rows("kz_oblast_centres_2022.csv") if r["centre_type"] != BAIKONUR]
    return "kz-region-centres-2022.csv", rows


def kz_internal_migration(o):
    """month: 1-12 for the months of 2024, empty for an annual total (the original's "Total")."""
    rows = [{"kato2": r["kato2"], "year": r["year"],
             "month": "" if r["month"] == "Total" else str(MONTHS.index(r["month"]) + 1),
             "arrivals": r["arrivals"], "departures": r["departures"], "net": r["net"]}
            for r in o.rows("kz_internal_migration_arrivals_departures_2022_2024.csv")]
    return "kz-internal-migration-by-region-2022-2024.csv", rows


def kz_national_net_migration(o):
    rows = [renamed(r, (("year", "year"), ("net_migration_all_flows_total", "net_migration_total"),
                        ("net_migration_all_flows_urban", "net_migration_urban"),
                        ("net_migration_all_flows_rural", "net_migration_rural")))
            for r in o.rows("kz_national_net_migration_2000_2024.csv")]
    return "kz-net-migration-national-2000-2024.csv", rows


def kz_regional_net_migration(o):
    rows = [renamed(r, (("kato2", "kato2"), ("year", "year"), ("net_migration_all_flows_total", "net_migration_all_flows")))
            for r in o.rows("kz_net_migration_oblast_2023_2024.csv")]
    return "kz-net-migration-by-region-2023-2024.csv", rows


def kz_migration_facts(o):
    """The context facts other than refugees, returnees and the seed documents' claims."""
    columns = (("topic", "topic"), ("region", "region"), ("period_start", "period_start"), ("period_end", "period_end"),
               ("indicator", "indicator"), ("value", "value"), ("unit", "unit"), ("url", "source_url"),
               ("note", "note"), ("quality", "quality"))
    rows = [renamed(r, columns) for r in o.rows("kz_context_facts.csv")
            if r["topic"] not in REFUGEE_TOPICS + (DOCUMENT_CLAIM,)]
    return "kz-migration-facts-1989-2019.csv", rows


def kz_refugees(o):
    """The context facts on refugees and returnees; all are for Kazakhstan as a whole."""
    columns = (("topic", "topic"), ("period_start", "period_start"), ("period_end", "period_end"),
               ("indicator", "indicator"), ("value", "value"), ("unit", "unit"), ("url", "source_url"),
               ("note", "note"))
    facts = [r for r in o.rows("kz_context_facts.csv") if r["topic"] in REFUGEE_TOPICS]
    assert all(r["region"] == "Kazakhstan" for r in facts)
    return "kz-refugees-and-returnees-1991-2003.csv", [renamed(r, columns) for r in facts]


# Other countries' origin-destination flows -------------------------------------------

def korea_region(income_region):
    """The income table says Jeju-do where the flows say Jeju."""
    return "Jeju" if income_region == "Jeju-do" else income_region


def kr_flows(o):
    columns = (("origin", "orig"), ("destination", "dest"), ("year", "year"), ("flow", "flow"),
               ("dist_centroid_km", "dist_cent"), ("dist_min_km", "dist_min"), ("dist_popweighted_km", "dist_pw"),
               ("contiguous", "contig"), ("origin_pop_millions", "orig_pop"), ("destination_pop_millions", "dest_pop"),
               ("origin_area_km2", "orig_area_km2"), ("destination_area_km2", "dest_area_km2"))
    rows = []
    for r in o.rows("korea_gravity_2012_2020.csv"):
        row = renamed(r, columns)
        row["contiguous"] = flag(row["contiguous"])
        assert row["flow"].isdigit()
        rows.append(row)
    return "kr-migration-between-regions-2012-2020.csv", rows


def kr_income(o):
    """Individual income per capita for the flows' regions and years (drops "Whole country",
    1985-2011 and 2021, and the other income measures)."""
    keys = {(r["origin"], r["year"]) for r in kr_flows(o)[1]}
    rows = [{"region": korea_region(r["region"]), "year": r["year"],
             "individual_income_pc_thousand_won": r["individual_income_pc"]}
            for r in o.rows("korea_regional_income_1985_2021.csv") if (korea_region(r["region"]), r["year"]) in keys]
    return "kr-income-per-capita-by-region-2012-2020.csv", rows


def corop_name(source_name):
    """The original suffixes every COROP region's name with " (CR)"."""
    return source_name.replace(" (CR)", "")


def nl_tables(o):
    """The original repeats both regions' covariates and the pair's distance on every
    flow: they become a table of region-years and a table of pairs, after checking that
    every repetition is the same."""
    original = o.rows("netherlands_corop_2012_2020.csv")
    flows, regions, distances = [], {}, {}
    for r in original:
        flows.append({"origin_id": r["orig_id"], "destination_id": r["dest_id"], "year": r["year"], "flow": r["flow"]})
        for prefix in ("orig", "dest"):
            region = {"corop_id": r[prefix + "_id"], "corop": corop_name(r[prefix]), "year": r["year"]}
            region.update((new, r[prefix + "_" + old]) for old, new in NETHERLANDS_REGION_COLUMNS)
            assert regions.setdefault((int(region["corop_id"]), int(r["year"])), region) == region
        pair = {"origin_id": r["orig_id"], "destination_id": r["dest_id"], "distance_100km": r["distance_100km"]}
        assert distances.setdefault((int(r["orig_id"]), int(r["dest_id"])), pair) == pair
    region_rows = [regions[k] for k in sorted(regions, key=lambda k: (k[1], k[0]))]
    pair_rows = [distances[k] for k in sorted(distances)]
    return [("nl-corop-migration-2012-2020.csv", flows), ("nl-corop-regions-2012-2020.csv", region_rows),
            ("nl-corop-distances.csv", pair_rows)]


def it_flows(o):
    """Flows between different areas: the diagonal (within an area, all zero) is dropped."""
    rows = []
    for r in o.rows("italy_nuts1_age_1970_2000.csv"):
        assert r["flow"].isdigit()
        if r["orig"] == r["dest"]:
            assert r["flow"] == "0"
            continue
        rows.append(renamed(r, (("origin", "orig"), ("destination", "dest"), ("year", "year"),
                                ("age_group", "age_grp"), ("flow", "flow"))))
    return "it-migration-between-areas-by-age-1970-2000.csv", rows


SINGLE_EXTRACTS = (kz_population, kz_income, kz_births, kz_unemployment, kz_centres, kz_internal_migration,
                   kz_national_net_migration, kz_regional_net_migration, kz_migration_facts, kz_refugees,
                   kr_flows, kr_income, it_flows)


def extracts(originals):
    """(file name, rows) for every extract; a row is a dict in column order."""
    found = [extract(originals) for extract in SINGLE_EXTRACTS]
    return found + nl_tables(originals)


def write_extract(path, rows):
    header = list(rows[0])
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            assert list(r) == header
            w.writerow([r[h] for h in header])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="extract_sources.py",
                                     description="Writes the source extracts in Datasets/sources from the gathered originals.")
    parser.add_argument("originals", nargs="?", default=DEFAULT_ORIGINALS,
                        help="directory of the gathered files (default: ../shared/data/migration beside the repository)")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help="directory for the extracts (default: Datasets/sources)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    originals = Originals(args.originals)
    written = []
    os.makedirs(args.output, exist_ok=True)
    for name, rows in extracts(originals):
        path = os.path.join(args.output, name)
        write_extract(path, rows)
        written.append(name)
        print("%s: %d rows, %d bytes" % (name, len(rows), os.path.getsize(path)))
    stale = sorted(n for n in os.listdir(args.output) if n.endswith(".csv") and n not in written)
    for name in stale:
        print("note: %s is not an extract this script writes" % os.path.join(args.output, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
