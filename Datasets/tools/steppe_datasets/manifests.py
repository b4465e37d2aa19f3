"""The manifests' texts: manifests/NAME.json holds a dataset's title, description, years,
licence, sources, caveats and columns; manifests/citations.json the citations several
datasets share. A source in NAME.json is a literal object, the key of a shared citation,
or {"seed_document": ID} for one of the two documents (with "with_summary_quote": true to
add the document's summary quote from Datasets/sources/seed-documents.json)."""
import json, os

from . import paths

MANIFEST_FIELDS = ("title", "description", "years", "licence", "sources", "caveats", "columns")


def _load(name):
    with open(os.path.join(paths.MANIFESTS, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


class Manifests:
    def __init__(self, seed_documents):
        self.seed_documents = seed_documents["documents"]
        texts = _load("citations")
        self.citations = texts["sources"]
        self.url_publishers = texts["url_publishers"]

    def spec(self, name):
        """The dataset's manifest texts with its sources resolved, in manifest order;
        fields beyond MANIFEST_FIELDS (e.g. "derived") follow."""
        raw = _load(name)
        spec = {k: raw[k] for k in MANIFEST_FIELDS}
        spec["sources"] = [self.resolve(s) for s in raw["sources"]]
        spec.update((k, v) for k, v in raw.items() if k not in MANIFEST_FIELDS)
        return spec

    def resolve(self, source):
        if isinstance(source, str):
            return dict(self.citations[source])
        if "seed_document" in source:
            return self.document_source(source["seed_document"], source.get("with_summary_quote", False))
        return source

    def document_source(self, document, with_summary_quote=False):
        doc = self.seed_documents[document]
        source = {"document": doc["citation"]}
        if with_summary_quote:
            source["quote"] = doc["summary_quote"]["quote"]
        return source

    def publisher_of(self, url):
        """Who published a fact read at url; the url itself when unknown."""
        for fragment, name in self.url_publishers:
            if fragment in url:
                return name
        return url
