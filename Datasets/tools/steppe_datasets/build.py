"""Building every bundled dataset into a directory."""
import os

from . import derived, kazakhstan_documents, kazakhstan_migration, kazakhstan_regions, od_matrices
from .manifests import Manifests
from .output import write_dataset, write_manifest
from .sources import Sources


def build_all(sources_directory, output_directory):
    """Writes every dataset's CSV and manifest; returns the names of the files written."""
    sources = Sources(sources_directory)
    manifests = Manifests(sources.seed_documents())
    os.makedirs(output_directory, exist_ok=True)
    built = datasets(sources, manifests)
    written = []
    for dataset in built:
        write_dataset(output_directory, dataset.name, dataset.manifest, dataset.rows)
        written += [dataset.name + ".csv", dataset.name + ".manifest.json"]
    panel = next(d.rows for d in built if d.name == "kazakhstan-oblasts")
    write_manifest(output_directory, derived.NAME, derived.distances_manifest(panel, manifests))
    written.append(derived.NAME + ".manifest.json")
    return sorted(written)


def datasets(sources, manifests):
    """Every dataset with a CSV, in build order (the push-factor table joins two others)."""
    panel = kazakhstan_regions.oblast_panel(sources, manifests)
    migration = kazakhstan_migration.migration(sources, manifests)
    return [
        kazakhstan_regions.boundaries(manifests),
        panel,
        migration,
        kazakhstan_migration.facts(sources, manifests),
        kazakhstan_documents.refugees(sources, manifests),
        kazakhstan_documents.documents(sources, manifests),
        kazakhstan_migration.push_factors(panel.rows, migration.rows, manifests),
        od_matrices.korea(sources, manifests),
        od_matrices.netherlands(sources, manifests),
        od_matrices.italy(sources, manifests),
    ]
