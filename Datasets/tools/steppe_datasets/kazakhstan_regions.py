"""kazakhstan-boundaries (the region codes and their changes) and kazakhstan-oblasts
(region × year: population, income, births, unemployment, centre)."""
from . import regions, sources as extracts
from .dataset import Dataset, by_region_year, flag

PANEL_YEARS = range(2000, 2024)


def boundaries(manifests):
    rows = [boundary_row(r) for r in regions.REGIONS]
    return Dataset("kazakhstan-boundaries", manifests.spec("kazakhstan-boundaries"), rows)


def boundary_row(region):
    k = region.kato2
    return {"kato2": k, "region": region.name, "kind": region.kind,
            "first_year": region.first_year, "last_year": region.last_year,
            "successors": ";".join(regions.children(k)) if region.last_year else "",
            "split_from": ";".join(regions.parents(k)),
            "comparable_across_2022": flag(not regions.lost_territory_in_2022(k)),
            "note": region.note}


def oblast_panel(sources, manifests):
    """One row per region and year on that year's boundaries, where a population exists."""
    inputs = PanelInputs(sources)
    rows = []
    for region in regions.REGIONS:
        for year in PANEL_YEARS:
            if regions.reported_in(region, year) and (region.kato2, year) in inputs.population:
                rows.append(inputs.row(region, year))
    return Dataset("kazakhstan-oblasts", manifests.spec("kazakhstan-oblasts"), rows)


class PanelInputs:
    """The region-by-year extracts the panel joins, keyed by (kato2, year)."""

    def __init__(self, sources):
        self.population = by_region_year(sources.table(extracts.KZ_POPULATION), "population", int)
        self.income = by_region_year(sources.table(extracts.KZ_INCOME), "income_per_capita_kzt_month", int)
        births = sources.table(extracts.KZ_BIRTHS)
        self.births = by_region_year(births, "births", int)
        self.births_inferred = {(r["kato2"], int(r["year"])) for r in births if r["births_source_inferred"] == "true"}
        self.unemployment = by_region_year(sources.table(extracts.KZ_UNEMPLOYMENT), "unemployment_rate_pct", float)
        self.centres = {r["kato2"]: r for r in sources.table(extracts.KZ_CENTRES)}

    def row(self, region, year):
        k, key = region.kato2, (region.kato2, year)
        population, births, centre = self.population[key], self.births.get(key), self.centres[k]
        return {"kato2": k, "region": region.name, "year": year, "population": population,
                "income_per_capita_kzt_month": self.income.get(key),
                "births": births,
                "crude_birth_rate": (1000.0 * births / population) if births is not None else None,
                "births_source_inferred": births_inferred_flag(key in self.births_inferred, births),
                "unemployment_rate_pct": self.unemployment.get(key),
                "centre": centre["centre"], "centre_lat": float(centre["centre_lat"]), "centre_lon": float(centre["centre_lon"]),
                "territory_note": regions.territory_note(k, year)}


def births_inferred_flag(inferred, births):
    """true/false where births exist, empty where they do not."""
    if inferred:
        return "true"
    return "false" if births is not None else ""
