"""The latest validation report (build/validation.ttl, a SHACL sh:ValidationReport
written by the validation run) read into findings the API can show per claim.

Before any validation run there is no report: the findings are then empty and
the report says it is not available, rather than pretending the graph conforms.

The report is read in one pass of Oxigraph's parser, each result's triples grouped
by their subject: at tens of thousands of findings it is hundreds of thousands of
triples, which rdflib took minutes and gigabytes to parse (378 MB at 1000x the
bundled corpus before one finding per claim), and which an Oxigraph store took half
a minute to sort by severity, focus and message with a SPARQL query. What a finding
involves is every IRI a result names, but its severity, shape, path, component and type.
"""
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDF, SH

from aikg.vocab import AIKG

REPORT_FILE = "validation.ttl"
_SEVERITY = {str(SH.Violation): "violation", str(SH.Warning): "warning", str(SH.Info): "info"}
_RESULT, _CONFORMS = ox.NamedNode(str(SH.result)), ox.NamedNode(str(SH.conforms))
_NOT_MENTIONS = {str(p) for p in (SH.resultSeverity, SH.sourceShape, SH.resultPath, SH.sourceConstraintComponent,
                                  RDF.type)}


def report_path(build_dir) -> Path:
    return Path(build_dir) / REPORT_FILE


def _read(build_dir):
    """(conforms values, findings) of the saved report, or None without one."""
    path = report_path(build_dir)
    if not path.exists():
        return None
    results, conforms, props = [], [], defaultdict(list)
    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if t.predicate == _RESULT:
            results.append(t.object)
        elif t.predicate == _CONFORMS:
            conforms.append(t.object.value in ("true", "1"))
        else:
            props[t.subject].append((t.predicate, t.object))
    findings = []
    for r in dict.fromkeys(results):
        values = defaultdict(list)
        for p, o in props.get(r, ()):
            values[p.value].append(o)
        first = lambda p: min((o.value for o in values.get(str(p), ())), default=None)  # noqa: E731
        severity, focus = first(SH.resultSeverity), first(SH.focusNode)
        if severity is None or focus is None:
            continue
        paths = [o.value for o in values.get(str(SH.resultPath), ()) if isinstance(o, ox.NamedNode)]
        involves = [focus]
        for p, objects in values.items():
            if p not in _NOT_MENTIONS:
                involves += [o.value for o in objects if isinstance(o, ox.NamedNode) and o.value not in involves]
        findings.append({"severity": _SEVERITY.get(severity, severity), "focus": focus,
                         "message": first(SH.resultMessage), "shape": first(SH.sourceShape),
                         "path": min(paths, default=None), "rule": first(AIKG.ruleId), "involves": involves})
    findings.sort(key=lambda f: (f["severity"], f["focus"], f["message"] or ""))
    return conforms, findings


def latest(build_dir) -> list:
    """One dict per finding: severity, focus, message, shape, path, and the IRIs it involves."""
    read = _read(build_dir)
    return [] if read is None else read[1]


def report(build_dir) -> dict:
    read = _read(build_dir)
    if read is None:
        return {"available": False, "conforms": None, "file": str(report_path(build_dir)), "findings": []}
    conforms, findings = read
    counts = {}
    for f in findings:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    return {"available": True, "conforms": all(conforms) if conforms else not findings,
            "file": str(report_path(build_dir)), "counts": counts, "findings": findings}
