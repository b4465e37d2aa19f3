"""Writing a dataset: NAME.csv and NAME.manifest.json, the same bytes on every run."""
import csv, json, math, os


def format_value(v):
    """A cell: empty for missing values, floats rounded to 10 decimals without a trailing .0."""
    if v is None or v == "":
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        r = repr(round(v, 10))
        return r[:-2] if r.endswith(".0") else r
    return str(v)


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([format_value(r.get(h)) for h in header])


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=2)
        f.write("\n")


def write_dataset(directory, name, manifest, rows):
    """Writes the rows under the manifest's columns, and the manifest with name, file and row count."""
    header = [c["name"] for c in manifest["columns"]]
    write_csv(os.path.join(directory, name + ".csv"), header, rows)
    full = {k: v for k, v in manifest.items() if k != "columns"}
    full.update(name=name, file=name + ".csv", rows=len(rows), columns=manifest["columns"])
    write_json(os.path.join(directory, name + ".manifest.json"), full)


def write_manifest(directory, name, manifest):
    """Writes a manifest alone (a dataset Steppe derives when it is opened)."""
    write_json(os.path.join(directory, name + ".manifest.json"), manifest)
