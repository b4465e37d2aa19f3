"""The command line: build Datasets/files from Datasets/sources, or check that the
committed files are what the sources build."""
import argparse, os, sys, tempfile

from . import paths
from .build import build_all
from .check import differences


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="build_datasets.py",
        description="Builds Steppe's bundled datasets (Datasets/files) from the source extracts in Datasets/sources.")
    parser.add_argument("--check", action="store_true",
                        help="build into a temporary directory and compare byte for byte with the output directory; "
                             "exit 1 if any file differs")
    parser.add_argument("--sources", default=paths.SOURCES, help="directory of the source extracts (default: Datasets/sources)")
    parser.add_argument("--output", default=paths.FILES, help="the datasets' directory (default: Datasets/files)")
    return parser.parse_args(argv)


def shown(path):
    """A path as the user reads it: relative to the repository when inside it."""
    path = os.path.abspath(path)
    inside = os.path.commonpath([path, paths.REPOSITORY]) == paths.REPOSITORY
    return os.path.relpath(path, paths.REPOSITORY) if inside else path


def build(sources, output):
    written = build_all(sources, output)
    print("wrote %d files to %s" % (len(written), shown(output)))
    return 0


def check(sources, output):
    with tempfile.TemporaryDirectory(prefix="steppe-datasets-") as scratch:
        written = build_all(sources, scratch)
        found = differences(scratch, output)
    for name, reason in found:
        print("%s: %s" % (os.path.join(shown(output), name), reason))
    if found:
        print("%d of %d files differ from what %s builds; rebuild with python3 Datasets/tools/build_datasets.py"
              % (len(found), len(written), shown(sources)))
        return 1
    print("%d files identical to what %s builds" % (len(written), shown(sources)))
    return 0


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    if args.check:
        return check(args.sources, args.output)
    return build(args.sources, args.output)
