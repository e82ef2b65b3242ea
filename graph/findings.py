"""The latest validation report (build/validation.ttl, a SHACL sh:ValidationReport
written by the validation run) read into findings the API can show per claim.

Before any validation run there is no report: the findings are then empty and
the report says it is not available, rather than pretending the graph conforms.

The report is read by Oxigraph, once per call, into an in-memory store: at tens of
thousands of findings it is millions of triples, which rdflib takes minutes and
gigabytes to parse (a 378 MB report at 1000x the bundled corpus).
"""
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import SH

from aikg.vocab import PREFIXES

from .queries import internal

REPORT_FILE = "validation.ttl"
_SEVERITY = {str(SH.Violation): "violation", str(SH.Warning): "warning", str(SH.Info): "info"}


def report_path(build_dir) -> Path:
    return Path(build_dir) / REPORT_FILE


def _store(build_dir):
    path = report_path(build_dir)
    if not path.exists():
        return None
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def _value(term):
    return None if term is None else term.value


def _findings(store) -> list:
    found = {}
    for row in store.query(internal("validation-results"), prefixes=PREFIXES):
        f = found.get(row["result"])
        if f is None:
            focus, severity = row["focus"].value, row["severity"].value
            f = found[row["result"]] = {
                "severity": _SEVERITY.get(severity, severity), "focus": focus, "message": _value(row["message"]),
                "shape": _value(row["shape"]), "path": _value(row["path"]), "rule": _value(row["rule"]),
                "involves": [focus]}
        mentions = _value(row["mentions"])
        if mentions is not None and mentions not in f["involves"]:
            f["involves"].append(mentions)
    return sorted(found.values(), key=lambda f: (f["severity"], f["focus"], f["message"] or ""))


def latest(build_dir) -> list:
    """One dict per finding: severity, focus, message, shape, path, and the IRIs it involves."""
    store = _store(build_dir)
    return [] if store is None else _findings(store)


def report(build_dir) -> dict:
    store = _store(build_dir)
    if store is None:
        return {"available": False, "conforms": None, "file": str(report_path(build_dir)), "findings": []}
    conforms = [q.object.value in ("true", "1")
                for q in store.quads_for_pattern(None, ox.NamedNode(str(SH.conforms)), None, None)]
    findings = _findings(store)
    counts = {}
    for f in findings:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    return {"available": True, "conforms": all(conforms) if conforms else not findings,
            "file": str(report_path(build_dir)), "counts": counts, "findings": findings}
