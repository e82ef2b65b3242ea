"""The latest validation report (build/validation.ttl, a SHACL sh:ValidationReport
written by the validation run) read into findings the API can show per claim.

Before any validation run there is no report: the findings are then empty and
the report says it is not available, rather than pretending the graph conforms.
"""
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

from aikg.vocab import PREFIXES

from .queries import internal

REPORT_FILE = "validation.ttl"
_SEVERITY = {str(SH.Violation): "violation", str(SH.Warning): "warning", str(SH.Info): "info"}


def report_path(build_dir) -> Path:
    return Path(build_dir) / REPORT_FILE


def _graph(build_dir):
    path = report_path(build_dir)
    if not path.exists():
        return None
    g = Graph()
    g.parse(path, format="turtle")
    return g


def latest(build_dir) -> list:
    """One dict per finding: severity, focus, message, shape, path, and the IRIs it involves."""
    g = _graph(build_dir)
    if g is None:
        return []
    found = {}
    for row in g.query(internal("validation-results"), initNs=PREFIXES):
        f = found.setdefault(row.result, {
            "severity": _SEVERITY.get(str(row.severity), str(row.severity)), "focus": str(row.focus),
            "message": str(row.message) if row.message is not None else None,
            "shape": str(row.shape) if row.shape is not None else None,
            "path": str(row.path) if row.path is not None else None,
            "rule": str(row.rule) if row.rule is not None else None, "involves": [str(row.focus)]})
        if row.mentions is not None and str(row.mentions) not in f["involves"]:
            f["involves"].append(str(row.mentions))
    return sorted(found.values(), key=lambda f: (f["severity"], f["focus"], f["message"] or ""))


def report(build_dir) -> dict:
    g = _graph(build_dir)
    if g is None:
        return {"available": False, "conforms": None, "file": str(report_path(build_dir)), "findings": []}
    conforms = [bool(o.toPython()) for o in g.objects(None, SH.conforms)]
    findings = latest(build_dir)
    counts = {}
    for f in findings:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    return {"available": True, "conforms": all(conforms) if conforms else not findings,
            "file": str(report_path(build_dir)), "counts": counts, "findings": findings}
