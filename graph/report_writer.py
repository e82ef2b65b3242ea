"""The sh:ValidationReport of a scalable validation run, written from the engine's results.

The triples are pyshacl's (Validator.create_validation_report: one sh:result per
top-level result, the blank nodes of the shapes a result names cloned once), plus
what graph.validation adds to each result (aikg:ruleId, aikg:involvesClaim, ...), and
sh:conforms set by the run's fail-on level. They are made only when asked for: as
Turtle through Oxigraph's serializer (the saved build/validation.ttl), or as an rdflib
Graph. At hundreds of thousands of findings that is several million triples, which
rdflib takes minutes to build and serialise and the findings themselves never need.
"""
import pyoxigraph as ox
from pyshacl.rdfutil.clone import clone_blank_node
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from aikg.vocab import AIKG, PREFIXES

from .entailment import to_ox


class Report:
    def __init__(self, results, pairs, conforms, shapes: Graph):
        self.results, self.pairs, self.conforms, self.shapes = results, pairs, conforms, shapes

    def namespaces(self) -> dict:
        """The prefixes of the report: rdflib's core ones, the shapes graph's, ours, sh."""
        out = dict(Graph(bind_namespaces="core").namespaces())
        out.update(self.shapes.namespaces())
        out.update({p: URIRef(n) for p, n in PREFIXES.items()})
        out["sh"] = URIRef(str(SH))
        return {p: str(n) for p, n in out.items() if p}

    def triples(self):
        report = BNode()
        yield report, RDF.type, SH.ValidationReport
        yield report, SH.conforms, Literal(self.conforms)
        clones, cloned = Graph(), set()
        for _, node, triples in self.results:
            yield report, SH.result, node
            seen = set()    # a graph holds a triple once: a result's repeated message, say
            for s, p, o in triples:
                if isinstance(o, tuple):
                    source, o = o
                    if isinstance(o, BNode) and (id(source), str(o)) not in cloned:
                        cloned.add((id(source), str(o)))
                        clone_blank_node(source, o, clones, keepid=True)
                if (s, p, o) not in seen:
                    seen.add((s, p, o))
                    yield s, p, o
        yield from clones
        for r, f in self.pairs:
            yield r, AIKG.ruleId, Literal(f.rule)
            for pred, iris in ((AIKG.involvesClaim, f.claims), (AIKG.involvesSource, f.sources),
                               (AIKG.involvesReference, f.references)):
                for iri in iris:
                    yield r, pred, URIRef(iri)

    def graph(self) -> Graph:
        g = Graph(bind_namespaces="core")
        for s, p, o in self.triples():
            g.add((s, p, o))
        for prefix, ns in self.namespaces().items():
            g.bind(prefix, ns, replace=True)
        return g

    def _ox_triples(self):
        terms = {}

        def term(t):
            if not isinstance(t, URIRef):
                return to_ox(t)
            if t not in terms:
                terms[t] = to_ox(t)
            return terms[t]

        return (ox.Triple(term(s), term(p), term(o)) for s, p, o in self.triples())

    def turtle(self) -> str:
        return ox.serialize(self._ox_triples(), format=ox.RdfFormat.TURTLE, prefixes=self.namespaces()).decode("utf-8")

    def write(self, path):
        """The Turtle straight to the file, each triple made as it is written: no text of
        the whole report in memory."""
        ox.serialize(self._ox_triples(), output=str(path), format=ox.RdfFormat.TURTLE, prefixes=self.namespaces())
