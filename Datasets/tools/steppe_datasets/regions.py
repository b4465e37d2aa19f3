"""Kazakhstan's regions as Steppe's files name them, and how their codes changed over time.

This module is data: every region code, name and boundary change used by the Kazakhstan
datasets is defined here once, and the functions below only read these tables.
"""
from collections import namedtuple

Region = namedtuple("Region", "kato2 name first_year last_year kind note")
Split = namedtuple("Split", "parent child year")

# Every region of Steppe's panels, in the order the files list them. first_year is the
# first year in the panels (2000 is the panels' start, not the region's creation);
# last_year is None while the code is current.
REGIONS = (
    Region("11", "Akmola", 2000, None, "oblast", "Reported without Astana city in every series here. Centre Kokshetau since 1999 (earlier Akmola/Astana city); Kokshetau oblast was merged into North Kazakhstan in 1997 and the city later transferred to Akmola."),
    Region("15", "Aktobe", 2000, None, "oblast", ""),
    Region("19", "Almaty oblast", 2000, None, "oblast", "Boundaries change in 2022: Zhetysu (33) split off, so 2022+ figures are not comparable with 2000–2021. Centre: Almaty city before 2001, Taldykorgan 2001–2022, Konaev since 2022."),
    Region("23", "Atyrau", 2000, None, "oblast", ""),
    Region("27", "West Kazakhstan", 2000, None, "oblast", ""),
    Region("31", "Zhambyl", 2000, None, "oblast", "Centre Taraz, the southern city the IWPR article names."),
    Region("35", "Karaganda", 2000, None, "oblast", "Boundaries change in 2022: Ulytau (62) split off, so 2022+ figures are not comparable with 2000–2021. Zhezkazgan oblast merged in 1997."),
    Region("39", "Kostanay", 2000, None, "oblast", "Part of Turgay oblast merged in 1997."),
    Region("43", "Kyzylorda", 2000, None, "oblast", "The Baikonur lease area (centre Baikonur) is not an oblast and is left out of Steppe's oblast files."),
    Region("47", "Mangystau", 2000, None, "oblast", ""),
    Region("55", "Pavlodar", 2000, None, "oblast", ""),
    Region("59", "North Kazakhstan", 2000, None, "oblast", "Kokshetau oblast merged in 1997."),
    Region("51", "South Kazakhstan", 2000, 2016, "oblast (historical)", "Included Shymkent. Code 51 is not in the current KATO; Steppe uses it for the historical oblast. From 2017 (population, births; 2018 for income) the successors Turkistan (61) and Shymkent city (79) are reported separately."),
    Region("61", "Turkistan", 2017, None, "oblast", "South Kazakhstan oblast without Shymkent, renamed in June 2018; centre Turkistan since 2018. BNS recalculated 2017 on the new boundaries; income starts 2018."),
    Region("79", "Shymkent city", 2017, None, "city of republican significance", "Separated from South Kazakhstan in June 2018; population and births recalculated from 2017, income from 2018."),
    Region("63", "East Kazakhstan", 2000, None, "oblast", "Boundaries change in 2022: Abay (10) split off, so 2022+ figures are not comparable with 2000–2021. Semipalatinsk oblast merged in 1997. Centre Oskemen (Ust-Kamenogorsk)."),
    Region("71", "Astana city", 2000, None, "city of republican significance (capital)", "Capital since December 1997; reported separately from Akmola in all series here. Named Nur-Sultan 2019–2022."),
    Region("75", "Almaty city", 2000, None, "city of republican significance", "The former capital."),
    Region("10", "Abay", 2022, None, "oblast", "Created in 2022 from East Kazakhstan; centre Semey."),
    Region("33", "Zhetysu", 2022, None, "oblast", "Created in 2022 from Almaty oblast; centre Taldykorgan."),
    Region("62", "Ulytau", 2022, None, "oblast", "Created in 2022 from Karaganda; centre Zhezkazgan."),
)

# The territory changes inside the panels' years: the first year the child is reported
# separately from the parent (BNS recalculated 2017 on the 2018 boundaries).
SPLITS = (
    Split("51", "61", 2017),
    Split("51", "79", 2017),
    Split("63", "10", 2022),
    Split("19", "33", 2022),
    Split("35", "62", 2022),
)

KAZAKHSTAN = "00"  # the national total's code
ALMATY_CITY, ASTANA_CITY = "75", "71"
MAIN_DESTINATIONS = (ALMATY_CITY, ASTANA_CITY)

# The southern origins the IWPR article names (Taraz and Shymkent), on the boundaries of
# its time; on the 2022 boundaries South Kazakhstan is Turkistan and Shymkent city.
SOUTHERN_ORIGINS = ("31", "51")

# How the migration facts (kz-migration-facts-1989-2019.csv) label regions whose label
# is not the region's Steppe name.
SOURCE_REGION_ALIASES = {
    "Kazakhstan": KAZAKHSTAN,
    "Astana (Nur-Sultan) city": ASTANA_CITY,
    "South Kazakhstan (pre-2018 boundaries, incl. Shymkent)": "51",
}

_BY_CODE = {r.kato2: r for r in REGIONS}


def name_of(kato2):
    """The region's name in every Steppe dataset."""
    return _BY_CODE[kato2].name


def code_of_source_label(label):
    """The region code for a region as a source names it; "" when it has none."""
    if label in SOURCE_REGION_ALIASES:
        return SOURCE_REGION_ALIASES[label]
    codes = [r.kato2 for r in REGIONS if r.name == label]
    return codes[0] if codes else ""


def children(kato2):
    return [s.child for s in SPLITS if s.parent == kato2]


def parents(kato2):
    return [s.parent for s in SPLITS if s.child == kato2]


def reported_in(region, year):
    """Whether the region exists under its code in the year, on that year's boundaries."""
    return region.first_year <= year and (region.last_year is None or year <= region.last_year)


def lost_territory_in_2022(kato2):
    """Regions that continue under their code with less territory from 2022."""
    return any(s.parent == kato2 and s.year == 2022 for s in SPLITS)


def created_in_2022(kato2):
    return any(s.child == kato2 and s.year == 2022 for s in SPLITS)


def territory_note(kato2, year):
    """Set where the row's territory differs from the region's other years."""
    if lost_territory_in_2022(kato2) and year >= 2022:
        names = ", ".join(name_of(c) for c in children(kato2))
        return "without %s (split off 2022)" % names
    if any(s.child == kato2 and s.year == year == 2017 for s in SPLITS):
        return "2017 recalculated by BNS on the 2018 boundaries"
    return ""


def southern_origins_on_2022_boundaries():
    """SOUTHERN_ORIGINS with each region that ended replaced by its successors."""
    codes = []
    for k in SOUTHERN_ORIGINS:
        codes.extend(children(k) if _BY_CODE[k].last_year is not None else [k])
    return codes
