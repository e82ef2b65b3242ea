"""The `memory` backend: the build's TriG in an rdflib Dataset, queried by rdflib's
SPARQL engine. Slow, but a second, independent implementation of SPARQL: the
tests hold the other backends to its answers."""
import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

import rdflib.plugins.sparql

from .results import Boolean, Solutions, literal
from .text import prepare

# rdflib's engine fetches a FROM/FROM NAMED graph from the web unless told not to;
# here FROM names a graph of the dataset, as on every other backend, and nothing
# is ever downloaded.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


_FROM = re.compile(r"\bFROM\s+(NAMED\s+)?(<[^>]*>|[A-Za-z][\w.-]*:[\w.-]*)", re.IGNORECASE)


def _term(t):
    if t is None:
        return None
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        return literal(str(t), str(t.datatype) if t.datatype else None, t.language)
    raise TypeError(f"unexpected term {t!r}")


class MemoryStore:
    def __init__(self, trig_path: Path):
        # default_union: the default graph is the union of the named graphs, as
        # Oxigraph's use_default_graph_as_union=True gives.
        self.dataset = Dataset(default_union=True)
        self.dataset.parse(str(trig_path), format="trig")
        self.path = Path(trig_path)

    def __len__(self):
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))

    def _dataset_of(self, default_graph, named_graphs):
        """A dataset as pyoxigraph's default_graph/named_graphs give it: the default
        graph the merge of the graphs listed (ox.DefaultGraph: the store's own)."""
        ds = Dataset(default_union=False)
        listed = default_graph if isinstance(default_graph, (list, tuple)) else []
        for g in listed:
            ds.default_graph.__iadd__(self.dataset.graph(URIRef(g.value)))
        if default_graph is not None and not listed:
            ds.default_graph.__iadd__(self.dataset.default_graph)
        for g in named_graphs or []:
            ds.graph(URIRef(g.value)).__iadd__(self.dataset.graph(URIRef(g.value)))
        return ds

    def query(self, query, prefixes=None, use_default_graph_as_union=False, substitutions=None,
              default_graph=None, named_graphs=None, **_):
        text = prepare(query, prefixes, substitutions)
        ds = self.dataset
        if default_graph is not None or named_graphs is not None:
            ds = self._dataset_of(default_graph, named_graphs)
            text = _FROM.sub(" ", text)      # the protocol's dataset replaces the query's own
        elif not use_default_graph_as_union:
            ds = Dataset(store=self.dataset.store, default_union=False)
        r = ds.query(text)
        if r.type == "ASK":
            return Boolean(r.askAnswer)
        if r.type in ("CONSTRUCT", "DESCRIBE"):
            return [ox.Triple(_term(s), _term(p), _term(o)) for s, p, o in r.graph]
        names = [str(v) for v in r.vars]
        return Solutions(names, [[_term(row[i]) for i in range(len(names))] for row in r])
