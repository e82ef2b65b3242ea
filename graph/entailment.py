"""The working store of a scalable validation, and the OWL-RL entailments its data needs.

owlrl's closure of a whole graph grows faster than linearly (issue 7), so it runs on
the ontology alone (about 600 triples, half a second); the rules that the closed
ontology applies to the data (sub- and equivalent properties, inverses, symmetric
properties, domains, ranges, super-classes) are then SPARQL CONSTRUCT queries on an
in-memory Oxigraph copy of the data, repeated until they add nothing. The built
store is never written: the copy's default graph holds the data (its named graphs
merged, as the reference engine merges them), the reference facts, the closed
ontology and what the queries entail.

Oxigraph stores every derived integer type (xsd:nonNegativeInteger, xsd:int, ...)
as xsd:integer, and canonical lexical forms ("0.340" as "0.34"): sh:datatype then
checks such a type by its value range (graph.shacl_sparql), and a value written in a
non-canonical form is shown in canonical form.

The OWL-RL rules this leaves out only add triples no shape or check reads
(owl:sameAs of every node with itself, types of literals); the ones that would change
the data (class expressions, property chains, transitive properties, keys, the
sameAs a functional property makes of two values) are refused with a clear error
(queries/lib/validation-unsupported.rq) rather than silently skipped.
"""
import hashlib
from pathlib import Path

import owlrl
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from loaders.errors import LoadError

from . import trig
from .queries import internal

_FORMATS = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS,
            "ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
            "n3": ox.RdfFormat.N3, "rdf": ox.RdfFormat.RDF_XML, "xml": ox.RdfFormat.RDF_XML,
            "owl": ox.RdfFormat.RDF_XML}
_closures: dict = {}
# Precomputed rows of the named queries: derived from the data, not data, so never validated.
_VIEWS = "https://w3id.org/aikg/graph/views"


class Unsupported(LoadError):
    pass


# ---------------------------------------------------------------- terms

def to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term):
    """A pyoxigraph term as rdflib parses it: a simple literal has no datatype."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == str(XSD.string) else URIRef(dt))
    if term is None:
        return None
    raise TypeError(f"not an RDF term: {term!r}")


def _quads(graph: Graph):
    # owlrl leaves triples about literals (their types, sameAs) that a store cannot hold.
    return (ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in graph if not isinstance(s, Literal))


# ---------------------------------------------------------------- the working store

_INTEGER = ox.NamedNode(str(XSD.integer))
DERIVED_INTEGERS = {str(XSD[t]) for t in (
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "long", "int", "short",
    "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}


def load_file(store: ox.Store, path: Path):
    """Any RDF file into the store's default graph (named graphs merged)."""
    path = Path(path)
    if not path.exists():
        raise LoadError(path, None, None, "no such file")
    fmt = _FORMATS.get(path.suffix.lstrip(".").lower(), ox.RdfFormat.TURTLE)
    # Streamed straight into the default graph, graph:views left out as it is read: a
    # bulk load then a merge held every quad twice, the views (half the quads of a
    # large build) included (1000x: 1.7 GB and 42 s before a single check).
    default, views = ox.DefaultGraph(), ox.NamedNode(_VIEWS)
    if fmt == ox.RdfFormat.TRIG and _load_built_trig(store, path):
        return
    try:
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, default)
                          for q in ox.parse(path=str(path), format=fmt) if q.graph_name != views)
    except SyntaxError as e:
        raise LoadError(path, None, None, f"cannot read as {fmt.name}: {e}") from None


def _load_built_trig(store: ox.Store, path: Path) -> bool:
    """A TriG as graph.trig writes it, whose last graph is graph:views, loaded by the
    store's own parser as the Turtle of its other graphs merged (trig.merged_before).
    Iterating the quads in Python was 11 s of the 1000x validation (3.3M quads, 1.8M
    of them views); this takes 1.5 s plus the parse. False (the store left empty)
    for any other file, to be read quad by quad."""
    text = trig.merged_before(path, _VIEWS)
    if text is None:
        return False
    try:
        store.load(text, ox.RdfFormat.TURTLE)
    except SyntaxError:
        store.clear()
        return False
    return True


def load_dataset(store: ox.Store, data):
    """An rdflib Dataset (or Graph) into the store's default graph (named graphs merged)."""
    store.bulk_extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph())
                       for s, p, o, c in data.quads((None, None, None, None))
                       if str(getattr(c, "identifier", c)) != _VIEWS])


def add_graph(store: ox.Store, graph: Graph):
    store.bulk_extend(list(_quads(graph)))


def construct(store: ox.Store, query: str):
    return store.query(query)


def closed_ontology(ontology: Graph, extra: Graph) -> Graph:
    """owlrl's OWL-RL closure of the ontology plus the schema triples of the data, computed once per content."""
    g = Graph()
    g += ontology
    g += extra
    key = hashlib.sha256("\n".join(sorted(" ".join(x.n3() for x in t) for t in g)).encode()).hexdigest()
    if key not in _closures:
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
        _closures[key] = g
    return _closures[key]


def materialise(store: ox.Store, ontology: Graph):
    """Add the closed ontology and the data's OWL-RL entailments to the store."""
    extra = Graph()
    for t in construct(store, internal("validation-schema")):
        extra.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    add_graph(store, closed_ontology(ontology, extra))
    unsupported = list(store.query(internal("validation-unsupported")))
    if unsupported:
        found = ", ".join(sorted({f"{r['axiom'].value} on {r['subject'].value}" for r in unsupported}))
        raise Unsupported(Path("ontology"), None, None,
                          f"the scalable validation does not materialise {found}: run with --engine reference")
    while _add(store, internal("validation-entail-properties")):
        pass
    # Types add no property triples, and the closed ontology's domains, ranges and
    # subClassOf are already transitive: one pass of each reaches the fixpoint.
    _add(store, internal("validation-entail-types"))
    _add(store, internal("validation-entail-classes"))
    return store


def _add(store, update):
    """Run an INSERT of entailments; did it add any? (In the store itself: no round trip
    of a million entailed triples through Python.)"""
    before = len(store)
    store.update(update)
    return len(store) != before


class StoreView:
    """The few rdflib Graph lookups the findings make (validation._involved), on the store's union graph."""

    def __init__(self, store: ox.Store):
        self.store = store

    def _match(self, s, p, o):
        return self.store.quads_for_pattern(*(None if x is None else to_ox(x) for x in (s, p, o)), None)

    def __contains__(self, triple):
        return next(iter(self._match(*triple)), None) is not None

    def objects(self, s, p):
        return iter(dict.fromkeys(to_rdflib(q.object) for q in self._match(s, p, None)))

    def subjects(self, p, o):
        return iter(dict.fromkeys(to_rdflib(q.subject) for q in self._match(None, p, o)))
