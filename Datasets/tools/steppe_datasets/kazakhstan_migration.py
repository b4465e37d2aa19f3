"""kazakhstan-migration (arrivals and departures by region), kazakhstan-migration-facts
(aggregate figures) and kazakhstan-push-factors (the default analysis table)."""
from . import regions, sources as extracts
from .dataset import Dataset, flag
from .geography import haversine_km

NET_MIGRATION_PARTS = ("total", "urban", "rural")
NATIONAL_NET_SOURCE = "BNS table 6567 (migration balance, all flows), via kaz-Data, transcribed by hand"
NATIONAL_NET_NOTE = "All flows: external migration plus urban–rural moves inside the country."
REGIONAL_NET_SOURCE = "BNS table 6567, via kaz-Data migration_balance.json, transcribed by hand"


# kazakhstan-migration ------------------------------------------------------------------

def migration(sources, manifests):
    rows = [migration_row(r) for r in sources.table(extracts.KZ_INTERNAL_MIGRATION)]
    rows.sort(key=lambda r: (r["year"], r["month"] or 0, r["kato2"]))
    return Dataset("kazakhstan-migration", manifests.spec("kazakhstan-migration"), rows)


def migration_row(r):
    """An annual total (month empty) or a month of 2024."""
    month = int(r["month"]) if r["month"] else None
    return {"kato2": r["kato2"], "region": regions.name_of(r["kato2"]), "year": int(r["year"]), "month": month,
            "period": r["year"] if month is None else "%s-%02d" % (r["year"], month),
            "arrivals": int(r["arrivals"]), "departures": int(r["departures"]), "net": int(r["net"])}


# kazakhstan-migration-facts ------------------------------------------------------------

def facts(sources, manifests):
    rows = []
    for r in sources.table(extracts.KZ_NATIONAL_NET_MIGRATION):
        rows.extend(national_net_rows(r))
    rows.extend(regional_net_row(r) for r in sources.table(extracts.KZ_REGIONAL_NET_MIGRATION))
    rows.extend(context_fact_row(r, manifests) for r in sources.table(extracts.KZ_MIGRATION_FACTS))
    return Dataset("kazakhstan-migration-facts", manifests.spec("kazakhstan-migration-facts"), rows)


def net_migration_row(region, kato2, year, indicator, value, source, note):
    return {"topic": "net migration", "region": region, "kato2": kato2, "period_start": year, "period_end": year,
            "indicator": indicator, "value": value, "unit": "persons", "source": source,
            "url": "", "note": note, "quality": "official"}


def national_net_rows(r):
    year = int(r["year"])
    return [net_migration_row("Kazakhstan", regions.KAZAKHSTAN, year, "net_migration_all_flows_" + part,
                              int(r["net_migration_all_flows_" + part]), NATIONAL_NET_SOURCE, NATIONAL_NET_NOTE)
            for part in NET_MIGRATION_PARTS]


def regional_net_row(r):
    return net_migration_row(regions.name_of(r["kato2"]), r["kato2"], int(r["year"]), "net_migration_all_flows_total",
                             int(r["net_migration_all_flows_total"]), REGIONAL_NET_SOURCE, "")


def context_fact_row(r, manifests):
    """A fact as the source gives it, with thousands converted to persons."""
    value, unit = float(r["value"]), r["unit"]
    if unit == "thousand persons":
        value, unit = value * 1000, "persons"
    return {"topic": r["topic"].replace("_", " "), "region": r["region"], "kato2": regions.code_of_source_label(r["region"]),
            "period_start": int(r["period_start"]), "period_end": int(r["period_end"]), "indicator": r["indicator"],
            "value": value, "unit": unit, "source": manifests.publisher_of(r["url"]), "url": r["url"],
            "note": r["note"], "quality": r["quality"]}


# kazakhstan-push-factors ---------------------------------------------------------------

def push_factors(panel, migration_rows, manifests):
    """Departures by region in the years with annual totals, joined to the oblast panel."""
    by_region_year = {(r["kato2"], r["year"]): r for r in panel}
    centres = {r["kato2"]: (r["centre_lat"], r["centre_lon"]) for r in panel}
    rows = [push_factor_row(m, by_region_year, centres) for m in migration_rows if m["month"] is None]
    return Dataset("kazakhstan-push-factors", manifests.spec("kazakhstan-push-factors"), rows)


def push_factor_row(m, panel, centres):
    k, year = m["kato2"], m["year"]
    p = panel[(k, year)]
    distance = {d: haversine_km(centres[k], centres[d]) for d in regions.MAIN_DESTINATIONS}
    nearest = min((d for d in regions.MAIN_DESTINATIONS if d != k), key=distance.get)
    return {"kato2": k, "region": p["region"], "year": year,
            "departures": m["departures"], "arrivals": m["arrivals"], "net": m["net"],
            "population": p["population"], "births": p["births"], "crude_birth_rate": p["crude_birth_rate"],
            "unemployment_rate_pct": p["unemployment_rate_pct"],
            "income_2020_kzt_month": income_2020(k, panel),
            "south": flag(k in regions.southern_origins_on_2022_boundaries()),
            "nearest_main_destination": regions.name_of(nearest),
            "dist_main_km": round(distance[nearest], 1),
            "dist_almaty_km": round(distance[regions.ALMATY_CITY], 1),
            "dist_astana_km": round(distance[regions.ASTANA_CITY], 1),
            "note": income_note(k)}


def income_2020(kato2, panel):
    """The 2020 income, the series' last year; None where the territory changed in 2022."""
    if regions.lost_territory_in_2022(kato2):
        return None
    return panel.get((kato2, 2020), {}).get("income_per_capita_kzt_month")


def income_note(kato2):
    if regions.lost_territory_in_2022(kato2):
        return "income left empty: territory changed in 2022, the 2020 figure is for the old oblast"
    if regions.created_in_2022(kato2):
        return "income left empty: region created in 2022"
    return ""
