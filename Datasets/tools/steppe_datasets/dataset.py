"""What each dataset builder returns: the dataset's name, its manifest texts and its rows."""
from collections import namedtuple

Dataset = namedtuple("Dataset", "name manifest rows")


def by_region_year(rows, column, convert):
    """{(kato2, year): convert(row[column])} for a region-by-year extract."""
    return {(r["kato2"], int(r["year"])): convert(r[column]) for r in rows}


def flag(condition):
    """A boolean cell."""
    return "true" if condition else "false"
