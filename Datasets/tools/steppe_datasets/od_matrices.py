"""The origin–destination matrices from other countries, for checking gravity models:
korea-interregional, netherlands-corop and italy-areas."""
from . import sources as extracts
from .dataset import Dataset, flag

NETHERLANDS_SIDES = ("origin", "destination")
NETHERLANDS_TENURE_SHARES = ("share_owner_occupied", "share_social_rent", "share_private_rent")


# korea-interregional -------------------------------------------------------------------

def korea(sources, manifests):
    income = {(r["region"], r["year"]): r["individual_income_pc_thousand_won"] for r in sources.table(extracts.KR_INCOME)}
    rows = [korea_row(r, income) for r in sources.table(extracts.KR_FLOWS)]
    return Dataset("korea-interregional", manifests.spec("korea-interregional"), rows)


def korea_row(r, income):
    return {"origin": r["origin"], "destination": r["destination"], "year": int(r["year"]), "flow": int(r["flow"]),
            "dist_centroid_km": float(r["dist_centroid_km"]), "dist_min_km": float(r["dist_min_km"]),
            "dist_popweighted_km": float(r["dist_popweighted_km"]),
            "contiguous": flag(r["contiguous"] == "true"),
            "origin_pop_millions": float(r["origin_pop_millions"]),
            "destination_pop_millions": float(r["destination_pop_millions"]),
            "origin_area_km2": round(float(r["origin_area_km2"]), 3),
            "destination_area_km2": round(float(r["destination_area_km2"]), 3),
            "origin_income_pc": individual_income(income, r["origin"], r["year"]),
            "destination_income_pc": individual_income(income, r["destination"], r["year"]),
            "intraregional": flag(r["origin"] == r["destination"])}


def individual_income(income, region, year):
    value = income.get((region, year))
    return float(value) if value else None


# netherlands-corop ---------------------------------------------------------------------

def netherlands(sources, manifests):
    """Each flow joined to its pair's distance and to both regions' covariates in the year."""
    regions = {(r["corop_id"], r["year"]): r for r in sources.table(extracts.NL_REGIONS)}
    distances = {(r["origin_id"], r["destination_id"]): r["distance_100km"] for r in sources.table(extracts.NL_DISTANCES)}
    rows = [netherlands_row(r, regions, distances) for r in sources.table(extracts.NL_FLOWS)]
    return Dataset("netherlands-corop", manifests.spec("netherlands-corop"), rows)


def netherlands_row(r, regions, distances):
    origin, destination = regions[(r["origin_id"], r["year"])], regions[(r["destination_id"], r["year"])]
    row = {"origin_id": int(r["origin_id"]), "origin": origin["corop"],
           "destination_id": int(r["destination_id"]), "destination": destination["corop"],
           "year": int(r["year"]), "flow": int(r["flow"]),
           "distance_km": round(100 * float(distances[(r["origin_id"], r["destination_id"])]), 3)}
    for side, region in zip(NETHERLANDS_SIDES, (origin, destination)):
        row[side + "_pop"] = int(region["population"])
        for share in NETHERLANDS_TENURE_SHARES:
            row[side + "_" + share] = round(float(region[share]), 6)
        row[side + "_persons_per_dwelling"] = round(float(region["persons_per_dwelling"]), 6)
        row[side + "_married"] = int(region["married"])
        row[side + "_divorced"] = int(region["divorced"])
    return row


# italy-areas ---------------------------------------------------------------------------

def italy(sources, manifests):
    """The extract has no diagonal (the source's, all zero, was left out)."""
    rows = [{"origin": r["origin"], "destination": r["destination"], "year": int(r["year"]), "age_group": r["age_group"],
             "flow": int(r["flow"])}
            for r in sources.table(extracts.IT_FLOWS)]
    return Dataset("italy-areas", manifests.spec("italy-areas"), rows)
