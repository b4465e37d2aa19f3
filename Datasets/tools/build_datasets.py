#!/usr/bin/env python3
"""Builds Steppe's bundled datasets, Datasets/files/NAME.csv and NAME.manifest.json.

Inputs, all in the repository: the extracts of public statistics in Datasets/sources
(each extract's provenance, original and licence in Datasets/sources/README.md, each
dataset's sources in its manifest; extract_sources.py beside this script wrote them once
from the gathered originals) and Datasets/sources/seed-documents.json, the statements
of the two seed documents transcribed with their quotes and locations. The code is the steppe_datasets
package beside this script; the manifests' texts are in steppe_datasets/manifests.

  python3 Datasets/tools/build_datasets.py           rebuild Datasets/files
  python3 Datasets/tools/build_datasets.py --check   build into a temporary directory and
                                                     compare byte for byte with Datasets/files

Python 3 standard library only; the output is deterministic. Nothing is interpolated or
imputed: a figure that does not exist stays empty.

Distances: kazakhstan-distances has no CSV. This script writes only its manifest, whose
"derived" field tells Steppe to compute the table when the dataset is opened
(SteppeData.GreatCircle, from the centres in kazakhstan-oblasts). The three distance
columns of kazakhstan-push-factors (dist_main_km, dist_almaty_km, dist_astana_km) are
computed here, with the same haversine formula and radius (6371.0088 km), and a Swift test
checks them against SteppeData.GreatCircle.
"""
import os, sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from steppe_datasets.cli import main  # noqa: E402  (after the path is set)

if __name__ == "__main__":
    sys.exit(main())
