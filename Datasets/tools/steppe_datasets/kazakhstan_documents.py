"""kazakhstan-documents (what the two seed documents say) and kazakhstan-refugees (the
documents' refugee figures beside the survey estimates), from the transcription in
Datasets/sources/seed-documents.json and the reported refugee and returnee figures."""
from . import regions, sources as extracts
from .dataset import Dataset


# kazakhstan-documents ------------------------------------------------------------------

def documents(sources, manifests):
    seeds = sources.seed_documents()
    cite = {doc: d["citation"] for doc, d in seeds["documents"].items()}
    rows = (figure_rows(seeds["figures"], cite) + push_factor_rows(seeds["push_factors"], cite)
            + place_rows(seeds["places"], cite) + refugee_origin_rows(seeds["refugee_origins"], cite)
            + guest_worker_rows(seeds["guest_worker_destinations"], cite))
    return Dataset("kazakhstan-documents", manifests.spec("kazakhstan-documents"), rows)


def statement(row_id, document, kind, subject, region, kato2, period, quote, interval_rule, **figure):
    return dict({"id": row_id, "document": document, "kind": kind, "subject": subject, "region": region, "kato2": kato2,
                 "period_start": period[0], "period_end": period[1], "quote": quote, "interval_rule": interval_rule}, **figure)


def figure_rows(figures, cite):
    return [statement("F%d" % i, cite[f["document"]], "figure", f["subject"], f["region"], f["kato2"], f["period"],
                      f["quote"], f["interval_rule"], value=f["value"], value_low=f["value_low"],
                      value_high=f["value_high"], unit=f["unit"])
            for i, f in enumerate(figures, 1)]


def push_factor_rows(push, cite):
    """One row per factor and southern origin."""
    pairs = [(f, k) for f in push["factors"] for k in regions.SOUTHERN_ORIGINS]
    return [statement("P%d" % i, cite[push["document"]], "push factor", f["factor"], regions.name_of(k), k,
                      push["period"], f["quote"], push["interval_rule"])
            for i, (f, k) in enumerate(pairs, 1)]


def place_rows(places, cite):
    return [statement("D%d" % i, cite[places["document"]], p["kind"], places["subject"], p["region"], p["kato2"],
                      places["period"], p["quote"], "")
            for i, p in enumerate(places["items"], 1)]


def refugee_origin_rows(origins, cite):
    return [statement("R%d" % i, cite[origins["document"]], "refugee origin", origin, origins["region"], origins["kato2"],
                      origins["period"], origins["quote"], "")
            for i, origin in enumerate(origins["origins"], 1)]


def guest_worker_rows(guests, cite):
    return [statement("G%d" % i, cite[guests["document"]], "guest-worker destination", d["subject"], d["region"], d["kato2"],
                      guests["period"], guests["quote"], guests["interval_rule"])
            for i, d in enumerate(guests["destinations"], 1)]


# kazakhstan-refugees -------------------------------------------------------------------

def refugees(sources, manifests):
    seeds = sources.seed_documents()
    rows = [document_refugee_row(r, seeds["documents"][r["document"]]["citation"]) for r in seeds["refugee_influx"]]
    rows.extend(reported_refugee_row(r, manifests) for r in sources.table(extracts.KZ_REFUGEES))
    return Dataset("kazakhstan-refugees", manifests.spec("kazakhstan-refugees"), rows)


def document_refugee_row(r, citation):
    return {"source_kind": "document", "period_start": r["period"][0], "period_end": r["period"][1],
            "measure": r["measure"], "origin": r["origin"],
            "value": r["value"], "value_low": r["value_low"], "value_high": r["value_high"], "unit": r["unit"],
            "source": r["counted_by"] + ", as reported by " + citation,
            "url": "", "note": r["note"], "quote": r["quote"]}


def reported_refugee_row(r, manifests):
    """A survey estimate or secondary figure on refugees or returnees."""
    value = float(r["value"])
    return {"source_kind": "survey" if "refworld" in r["url"] else "secondary",
            "period_start": int(r["period_start"]), "period_end": int(r["period_end"]),
            "measure": refugee_measure(r["indicator"]), "origin": refugee_origin(r["indicator"], r["topic"]),
            "value": value, "value_low": value, "value_high": value,
            "unit": "persons (approx.)" if "approx" in r["unit"] else "persons",
            "source": manifests.publisher_of(r["url"]), "url": r["url"], "note": r["note"], "quote": ""}


def refugee_measure(indicator):
    """refugees_and_asylum_seekers_total_year_end → "refugees and asylum seekers (year end)"."""
    measure = indicator.split("_from:")[0].replace("_", " ")
    return measure.replace(" total year end", " (year end)").replace(" year end", " (year end)")


def refugee_origin(indicator, topic):
    """The country after "from:", ethnic Kazakhs abroad for returnees, else all."""
    if "from:" in indicator:
        return indicator.split("from:")[1]
    return "ethnic Kazakhs abroad" if topic == "repatriation" else "all"
