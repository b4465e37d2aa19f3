"""kazakhstan-distances: a manifest without a CSV. Steppe's own code
(SteppeData.GreatCircle, via DerivedDatasets) computes the table from kazakhstan-oblasts
when the dataset is opened; the manifest's "derived" field tells it how."""

NAME = "kazakhstan-distances"


def distances_manifest(panel, manifests):
    """The manifest, with the row count Steppe will compute: every ordered pair of the
    panel's regions (each at its latest centre), no diagonal."""
    spec = manifests.spec(NAME)
    centres = len({r["kato2"] for r in panel})
    return {"name": NAME, "title": spec["title"], "description": spec["description"],
            "file": None, "rows": centres * (centres - 1),
            "years": spec["years"], "licence": spec["licence"], "sources": spec["sources"],
            "caveats": spec["caveats"], "columns": spec["columns"], "derived": spec["derived"]}
