#!/usr/bin/env python3
"""Validates Steppe's JSON output against docs/steppe-output.schema.json.

Usage: python3 docs/validate_output.py SCHEMA FILE [FILE ...]
Prints one line per file ("ok FILE" or "invalid FILE: path: message") and exits 1 if any
file is invalid. Uses the jsonschema package (Draft 2020-12), which scripts/test installs
when it is missing.
"""
import json
import sys

import jsonschema


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            document = json.load(f, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(f"{c} is not JSON")))
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        if errors:
            failures += 1
            first = errors[0]
            where = "/".join(str(p) for p in first.absolute_path) or "(root)"
            print(f"invalid {path}: {where}: {first.message}")
        else:
            print(f"ok {path}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
