"""Steppe's dataset builder: turns the source extracts in Datasets/sources into the
bundled datasets in Datasets/files (a CSV and a manifest per dataset).

Modules, one concern each:
  paths                  where the repository's sources and outputs are
  sources                reading the source extracts (CSV) and the seed-document transcription (JSON)
  manifests              the per-dataset manifest texts and columns (manifests/*.json) and the shared citations
  output                 writing a dataset's CSV and manifest, deterministically
  dataset                what a dataset builder returns, and small helpers they share
  regions                Kazakhstan's region codes, names and boundary changes (data)
  geography              great-circle distance
  kazakhstan_regions     kazakhstan-boundaries, kazakhstan-oblasts
  kazakhstan_migration   kazakhstan-migration, kazakhstan-migration-facts, kazakhstan-push-factors
  kazakhstan_documents   kazakhstan-documents, kazakhstan-refugees
  derived                kazakhstan-distances (a manifest only; Steppe computes the table)
  od_matrices            korea-interregional, netherlands-corop, italy-areas
  build                  building every dataset into a directory
  check                  comparing a built directory with the committed files
  cli                    the command line (build_datasets.py)

Importing any of them reads and writes nothing.
"""
