"""Validation runs: OWL-RL inference, then SHACL shapes, rules and semantic checks.

What is checked lives in files: structural shapes in ontology/shapes/, derivation
rules in ontology/rules/, one semantic check per file in ontology/checks/, and the
officially disclosed facts in data/reference/. This module is the engine only:
it assembles the data (ontology + graph + reference facts), materialises the
OWL-RL closure, runs the shapes and checks, and turns the sh:ValidationReport into
findings. Two engines give the same findings: "scalable" (the default: the data in
an in-memory Oxigraph copy, owlrl on the ontology only, the entailments the data
needs and the shapes as SPARQL; graph.entailment, graph.shacl_sparql) and
"reference" (owlrl's closure of the whole graph, then pyshacl on it), kept as the
definition the scalable one is tested against.

A Violation is a mistake in the graph itself; a Warning is a finding about the
articles; an Info is a note. A run fails on Violations, or on Warnings too with
fail_on="warning".
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

import owlrl
import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import DCTERMS, RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.util import guess_format

from aikg import paths
from aikg.vocab import AIKG, GRAPH, ID, OA, PREFIXES
from loaders.errors import LoadError
from loaders.ontology import load_ontology

from . import entailment, report_writer, shacl_sparql
from .queries import internal
from .store import TRIG

REPORT_FILE = "validation.ttl"
ENGINES = ("scalable", "reference")
REFERENCE_GRAPH = GRAPH["reference"]
# Precomputed rows of the named queries: derived from the data, not data, so never validated.
VIEWS_GRAPH = GRAPH["views"]
_INVOLVED_GRAPH = "urn:aikg:validation:involved"
SEVERITIES = ("Violation", "Warning", "Info")
FAIL_ON = {"violation": {"Violation"}, "warning": {"Violation", "Warning"}}
_IRI_IN_TEXT = re.compile(re.escape(str(ID)) + r"[^\s,;()\"<>]+")


@dataclass
class Finding:
    rule: str
    severity: str
    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    claims: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    references: list = field(default_factory=list)

    def as_dict(self):
        return dict(self.__dict__)


class Run:
    """The findings of a run, and its sh:ValidationReport: an rdflib Graph (report), or
    its Turtle text (turtle()), made on demand from the results when the engine kept no
    graph (at hundreds of thousands of findings the report is several million triples)."""

    def __init__(self, conforms: bool, findings: list, report, fail_on: str = "violation"):
        self.conforms, self.findings, self.fail_on = conforms, findings, fail_on
        self._report = report

    @property
    def report(self) -> Graph:
        if not isinstance(self._report, Graph):
            self._report = self._report.graph()
        return self._report

    def turtle(self) -> str:
        if isinstance(self._report, Graph):
            return self._report.serialize(format="turtle")
        return self._report.turtle()

    def write(self, path):
        """The report as Turtle into the file, streamed when the engine kept no graph."""
        if isinstance(self._report, Graph):
            self._report.serialize(destination=str(path), format="turtle")
        else:
            self._report.write(path)

    def count(self, severity):
        return sum(1 for f in self.findings if f.severity == severity)


# ---------------------------------------------------------------- inputs

def _turtle_files(*folders):
    return [p for d in folders for p in sorted(Path(d).glob("*.ttl"))]


def _parse_files(files, into):
    for path in files:
        try:
            into.parse(path, format="turtle")
        except Exception as e:  # rdflib raises parser-specific types
            raise LoadError(path, None, None, f"Turtle syntax: {e}") from None
    return into


def load_shapes(shapes_dirs=(paths.SHAPES, paths.RULES, paths.CHECKS)) -> Graph:
    return _parse_files(_turtle_files(*shapes_dirs), Graph())


def load_reference(reference_dir=paths.REFERENCE) -> Graph:
    return _parse_files(_turtle_files(reference_dir), Graph())


def read_data(path) -> Dataset:
    """Any RDF file: TriG or N-Quads keep their named graphs; other formats go in the default graph."""
    path = Path(path)
    if not path.exists():
        raise LoadError(path, None, None, "no such file")
    fmt = guess_format(str(path)) or "turtle"
    ds = Dataset()
    try:
        if fmt in ("trig", "nquads"):
            ds.parse(path, format=fmt)
        else:
            ds.default_graph.parse(path, format=fmt)
    except Exception as e:
        raise LoadError(path, getattr(e, "lines", None), None, f"cannot read as {fmt}: {e}") from None
    return ds


class _ParsedOnce(Graph):
    """pyshacl hands rdflib the text of a SPARQL constraint or rule again for every
    focus node, and rdflib's parser takes 20-700 ms per text: parse each text once.
    rdflib also orders triple patterns when it parses, before pyshacl binds $this,
    so a check comparing claims would start from every claim of the graph: order
    them again knowing that $this is bound."""
    _parsed: dict = {}

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            if query_object not in self._parsed:
                prepared = prepareQuery(query_object)
                _reorder(prepared.algebra, {Variable("this")})
                self._parsed[query_object] = prepared
            query_object = self._parsed[query_object]
        return super().query(query_object, *args, **kwargs)


def _reorder(node, known):
    """Every basic graph pattern under node, greedily: next the pattern with the fewest unbound variables."""
    if isinstance(node, CompValue):
        if node.name == "BGP":
            todo, done, bound = list(node.triples), [], set(known)
            while todo:
                best = min(todo, key=lambda t: sum(isinstance(x, (Variable, BNode)) and x not in bound for x in t))
                todo.remove(best)
                done.append(best)
                bound.update(x for x in best if isinstance(x, (Variable, BNode)))
            node["triples"] = done
        for child in node.values():
            _reorder(child, known)
    elif isinstance(node, (list, tuple)):
        for child in node:
            _reorder(child, known)


def assemble(data: Dataset, reference: Graph, ontology: Graph) -> Graph:
    """One graph to reason over: the data, the ontology, and the reference facts in their own named graph."""
    ref = data.graph(REFERENCE_GRAPH)
    ref += reference
    merged = _ParsedOnce()
    for s, p, o, c in data.quads((None, None, None, None)):
        if _graph_name(c) != VIEWS_GRAPH:
            merged.add((s, p, o))
    merged += ontology
    return merged


def _graph_name(context):
    return getattr(context, "identifier", context)


def materialise(g: Graph) -> Graph:
    """The OWL-RL closure, in place: subclass types, inverse and symmetric properties."""
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    return g


# ---------------------------------------------------------------- the run

def run(data, fail_on="violation", shapes: Graph = None, reference: Graph = None,
        ontology: Graph = None, engine="scalable") -> Run:
    """Validate data: an rdflib Dataset, or the path of an RDF file."""
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on is one of {', '.join(FAIL_ON)}")
    if engine not in ENGINES:
        raise ValueError(f"engine is one of {', '.join(ENGINES)}")
    shapes = load_shapes() if shapes is None else shapes
    reference = load_reference() if reference is None else reference
    ontology = load_ontology() if ontology is None else ontology
    if engine == "reference":
        results, g = _run_reference(read_data(data) if isinstance(data, (str, Path)) else data,
                                    shapes, reference, ontology)
        rules = {}
        pairs = []
        for r in results.subjects(RDF.type, SH.ValidationResult):
            fields = _fields(lambda p: list(results.objects(r, p)), shapes, rules)
            pairs.append((r, _finding(fields, *_involved(g, fields["nodes"]))))
        pairs.sort(key=lambda p: _order(p[1]))
        conforms = not any(f.severity in FAIL_ON[fail_on] for _, f in pairs)
        return Run(conforms, [f for _, f in pairs], _report(results, pairs, conforms), fail_on)
    results, store = _run_scalable(data, shapes, reference, ontology)
    return _scalable_run(results, store, shapes, fail_on)


def _run_reference(data: Dataset, shapes, reference, ontology):
    g = assemble(data, reference, ontology)
    materialise(g)
    _, results, _ = pyshacl.validate(g, shacl_graph=shapes, advanced=True, inference="none",
                                     inplace=True, allow_infos=True, allow_warnings=True)
    return results, g


def _run_scalable(data, shapes, reference, ontology):
    store = ox.Store()
    if isinstance(data, (str, Path)):
        entailment.load_file(store, data)
    else:
        entailment.load_dataset(store, data)
    entailment.add_graph(store, reference)
    entailment.materialise(store, ontology)
    shacl_sparql.apply_rules(store, shapes)
    _, results = shacl_sparql.Engine(store, shapes).validate()
    return results, store


def _scalable_run(results, store, shapes, fail_on):
    """Findings straight from the engine's results, each result's (predicate, object)
    pairs read once, and what each finding involves asked of the store in one query
    for all the nodes the findings name."""
    records = _records(results)
    rules = {}
    fields = {r: _fields(lambda p, props=props: props.get(p, []), shapes, rules) for r, props in records.items()}
    involved = _involved_in_store(store, {n for f in fields.values() for n in f["nodes"]})
    pairs = []
    for r, f in fields.items():
        claims, sources, refs = set(), set(), set()
        for n in f["nodes"]:
            c, s, x = involved.get(n, _NONE)
            claims |= c
            sources |= s
            refs |= x
        pairs.append((r, _finding(f, sorted(claims), sorted(sources), sorted(refs))))
    pairs.sort(key=lambda p: _order(p[1]))
    conforms = not any(f.severity in FAIL_ON[fail_on] for _, f in pairs)
    return Run(conforms, [f for _, f in pairs], report_writer.Report(results, pairs, conforms, shapes), fail_on)


_NONE = (frozenset(), frozenset(), frozenset())


def _records(results):
    """Each sh:ValidationResult of the engine's (description, node, triples) results, nested
    ones (sh:detail) included: predicate -> its distinct objects, a (graph, node) pair as its node."""
    props = {}
    for _, _, triples in results:
        for s, p, o in triples:
            objects = props.setdefault(s, {}).setdefault(p, [])
            o = o[1] if isinstance(o, tuple) else o
            if o not in objects:
                objects.append(o)
    return {s: ps for s, ps in props.items() if SH.ValidationResult in ps.get(RDF.type, ())}


def _involved_in_store(store, nodes):
    """node -> (claims, sources, references) it involves, by queries/lib/validation-involved.rq
    (the query form of _involved), the nodes put in a graph of their own for the query to join."""
    marks = ox.NamedNode(_INVOLVED_GRAPH)
    store.bulk_extend([ox.Quad(entailment.to_ox(n), ox.NamedNode(str(RDF.type)), marks, marks) for n in nodes])
    out = {}
    kinds = {"claim": 0, "source": 1, "reference": 2}
    for row in store.query(internal("validation-involved")):
        sets = out.setdefault(URIRef(row["node"].value), (set(), set(), set()))
        sets[kinds[row["kind"].value]].add(row["item"].value)
    store.remove_graph(marks)
    return out


def _order(f):
    return SEVERITIES.index(f.severity), f.rule, f.focus, f.message


def validate_file(path, fail_on="violation", engine="scalable") -> Run:
    return run(Path(path), fail_on, engine=engine)


def validate_build(build_dir=paths.BUILD, fail_on="violation", engine="scalable") -> Run:
    """Validate build/graph.trig and save the report beside it (build/validation.ttl)."""
    trig = Path(build_dir) / TRIG
    if not trig.exists():
        raise LoadError(trig, None, None, "no built graph here: run `aikg build` first")
    result = validate_file(trig, fail_on, engine)
    if fail_on == "violation":
        save_report(result, Path(build_dir) / REPORT_FILE)
    return result


def latest_findings(build_dir=paths.BUILD) -> list[dict]:
    """The findings on the built graph as plain dicts (for the web API): read from
    build/validation.ttl, validating first when that report is missing or older than the graph."""
    report = Path(build_dir) / REPORT_FILE
    trig = Path(build_dir) / TRIG
    if not report.exists() or (trig.exists() and report.stat().st_mtime < trig.stat().st_mtime):
        return [f.as_dict() for f in validate_build(build_dir).findings]
    return [f.as_dict() for f in read_report(report)]


# ---------------------------------------------------------------- findings

def _local(term):
    s = str(term)
    return re.split(r"[#/]", s)[-1]


def short(iri: str) -> str:
    """id:claim/x as claim/x: how the text output and messages name our things."""
    return iri[len(str(ID)):] if iri.startswith(str(ID)) else iri


def _first(objects):
    return objects[0] if objects else None


def _rule_id(values, shapes):
    constraint = _first(values(SH.sourceConstraint))
    if constraint is not None and shapes.value(constraint, DCTERMS.identifier):
        return str(shapes.value(constraint, DCTERMS.identifier))
    shape = _first(values(SH.sourceShape))
    if shapes.value(shape, DCTERMS.identifier):
        return str(shapes.value(shape, DCTERMS.identifier))
    # A property shape: its node shape's id, the path, and the kind of constraint.
    parent = next(iter(shapes.subjects(SH.property, shape)), None)
    base = str(shapes.value(parent, DCTERMS.identifier) or (_local(parent) if parent else "shape"))
    path = _first(values(SH.resultPath))
    component = _local(_first(values(SH.sourceConstraintComponent))).removesuffix("ConstraintComponent")
    return f"{base}.{_local(path) if isinstance(path, URIRef) else 'path'}:{component[:1].lower()}{component[1:]}"


def _involved(g, nodes):
    """The claims, article sources and official facts a finding touches. A report
    (or its target or a selector) brings its own claim and source only, not every
    other source that reports the same claim. (The scalable engine asks the same of
    its store in one query: queries/lib/validation-involved.rq.)"""
    claims, sources, refs = set(), set(), set()
    for n in nodes:
        if (n, RDF.type, AIKG.OfficialFact) in g:
            refs.add(n)
        elif (n, RDF.type, AIKG.Claim) in g:
            claims.add(n)
            sources.update(g.objects(n, AIKG.reportedIn))
            sources.update(s for r in g.subjects(OA.hasBody, n) for s in g.objects(r, AIKG.source))
        elif (n, RDF.type, AIKG.Source) in g:
            sources.add(n)
        for report in {n} | set(g.subjects(OA.hasTarget, n)) | \
                {r for t in g.subjects(OA.hasSelector, n) for r in g.subjects(OA.hasTarget, t)}:
            claims.update(g.objects(report, OA.hasBody))
            sources.update(g.objects(report, AIKG.source))
    return sorted(map(str, claims)), sorted(map(str, sources)), sorted(map(str, refs))


def _fields(values, shapes, rules):
    """What a finding says, from values(predicate) -> the objects of one result; rules
    caches the rule id of each (constraint, shape, path, component)."""
    focus = _first(values(SH.focusNode))
    value = _first(values(SH.value))
    path = _first(values(SH.resultPath))
    shape = _first(values(SH.sourceShape))
    component = _first(values(SH.sourceConstraintComponent))
    message = " ".join(sorted(str(m) for m in values(SH.resultMessage))) or _local(component)
    mentioned = [URIRef(m) for m in _IRI_IN_TEXT.findall(message)]
    key = (_first(values(SH.sourceConstraint)), shape, path, component)
    if key not in rules:
        rules[key] = _rule_id(values, shapes)
    return {"rule": rules[key], "severity": _local(_first(values(SH.resultSeverity))), "focus": focus,
            "message": message, "path": path, "value": value, "shape": shape,
            "nodes": [n for n in (focus, value, *mentioned) if isinstance(n, URIRef)]}


def _finding(f, claims, sources, refs) -> Finding:
    return Finding(
        rule=f["rule"], severity=f["severity"], focus=str(f["focus"]),
        message=_IRI_IN_TEXT.sub(lambda m: short(m[0]), f["message"]),
        path=str(f["path"]) if isinstance(f["path"], URIRef) else None,
        value=str(f["value"]) if f["value"] is not None and not isinstance(f["value"], BNode) else None,
        shape=str(f["shape"]) if isinstance(f["shape"], URIRef) else None,
        claims=claims, sources=sources, references=refs)


# ---------------------------------------------------------------- the report

def _report(results: Graph, pairs, conforms) -> Graph:
    """The pyshacl report, its sh:conforms set by the run's fail-on level, each result
    carrying its rule id and what it involves, so the file stands on its own."""
    report = next(results.subjects(RDF.type, SH.ValidationReport))
    results.set((report, SH.conforms, Literal(conforms)))
    for r, f in pairs:
        results.add((r, AIKG.ruleId, Literal(f.rule)))
        for pred, iris in ((AIKG.involvesClaim, f.claims), (AIKG.involvesSource, f.sources),
                           (AIKG.involvesReference, f.references)):
            for iri in iris:
                results.add((r, pred, URIRef(iri)))
    for prefix, ns in PREFIXES.items():
        results.bind(prefix, ns, replace=True)
    results.bind("sh", SH)
    return results


def save_report(result: Run, path):
    path = Path(path)
    tmp = path.with_suffix(".tmp")
    result.write(tmp)
    tmp.replace(path)


def read_report(path) -> list[Finding]:
    """Findings from a saved report (written by save_report), without the graph it checked."""
    g = Graph().parse(path, format="turtle")
    out = []
    for r in g.subjects(RDF.type, SH.ValidationResult):
        value, path_ = g.value(r, SH.value), g.value(r, SH.resultPath)
        out.append(Finding(
            rule=str(g.value(r, AIKG.ruleId) or ""), severity=_local(g.value(r, SH.resultSeverity)),
            focus=str(g.value(r, SH.focusNode)),
            message=_IRI_IN_TEXT.sub(lambda m: short(m[0]), " ".join(sorted(str(m) for m in g.objects(r, SH.resultMessage)))),
            path=str(path_) if isinstance(path_, URIRef) else None,
            value=str(value) if value is not None and not isinstance(value, BNode) else None,
            shape=str(g.value(r, SH.sourceShape)) if isinstance(g.value(r, SH.sourceShape), URIRef) else None,
            claims=sorted(map(str, g.objects(r, AIKG.involvesClaim))),
            sources=sorted(map(str, g.objects(r, AIKG.involvesSource))),
            references=sorted(map(str, g.objects(r, AIKG.involvesReference)))))
    return sorted(out, key=_order)
