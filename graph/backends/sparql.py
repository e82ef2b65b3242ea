"""The `sparql:QUERY_URL[,UPDATE_URL]` backend: any SPARQL 1.1 server (Oxigraph
server, Jena Fuseki, GraphDB, Virtuoso, Neptune), spoken to with the SPARQL 1.1
Protocol over plain HTTP.

Union default graph: servers differ in what their default graph is, so the
dataset is named in the protocol itself (every named graph as a
default-graph-uri and a named-graph-uri), which every conforming server honours."""
import json
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from . import StoreError
from .results import Boolean, Solutions, literal
from .text import prepare

_JSON = "application/sparql-results+json"
BATCH = 20_000      # quads per INSERT DATA request


def _internal(name):
    from graph.queries import internal     # here, not at the top: graph.queries imports this package
    return internal(name)


class RemoteError(StoreError):
    pass


def _term(d):
    if d is None:
        return None
    t = d["type"]
    if t == "uri":
        return ox.NamedNode(d["value"])
    if t == "bnode":
        return ox.BlankNode(d["value"])
    return literal(d["value"], d.get("datatype"), d.get("xml:lang"))


class SparqlStore:
    def __init__(self, query_url, update_url=None, timeout=60.0):
        self.query_url, self.update_url, self.timeout = query_url, update_url, timeout
        self._graphs = None

    def __repr__(self):
        return f"sparql:{self.query_url}" + (f",{self.update_url}" if self.update_url else "")

    def _post(self, url, fields, accept=None):
        body = urllib.parse.urlencode(fields).encode("utf-8")
        req = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        if accept:
            req.add_header("Accept", accept)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip()
            raise RemoteError(f"{url}: HTTP {e.code}: {detail[:500]}") from None
        except urllib.error.URLError as e:
            raise RemoteError(f"{url}: {e.reason}") from None

    def graphs(self):
        if self._graphs is None:
            doc = json.loads(self._post(self.query_url, [("query", _internal("graphs-with-triples"))], _JSON))
            self._graphs = sorted(b["g"]["value"] for b in doc["results"]["bindings"])
        return self._graphs

    def query(self, query, prefixes=None, use_default_graph_as_union=False, substitutions=None,
              default_graph=None, named_graphs=None, **_):
        fields = [("query", prepare(query, prefixes, substitutions))]
        if default_graph is not None or named_graphs is not None:
            # The SPARQL 1.1 Protocol's own dataset, which replaces the query's FROMs;
            # the store's unnamed default graph cannot be named in it (and is empty here).
            fields += [("default-graph-uri", g.value) for g in (default_graph if isinstance(default_graph, list) else [])]
            fields += [("named-graph-uri", g.value) for g in named_graphs or []]
        elif use_default_graph_as_union:
            fields += [("default-graph-uri", g) for g in self.graphs()]
            fields += [("named-graph-uri", g) for g in self.graphs()]
        raw = self._post(self.query_url, fields, f"{_JSON}, application/n-triples;q=0.9")
        if raw.lstrip().startswith(b"{"):
            doc = json.loads(raw)
            if "boolean" in doc:
                return Boolean(doc["boolean"])
            names = doc["head"]["vars"]
            return Solutions(names, [[_term(b.get(n)) for n in names] for b in doc["results"]["bindings"]])
        return list(ox.parse(raw, format=ox.RdfFormat.N_TRIPLES))

    def __len__(self):
        doc = json.loads(self._post(self.query_url, [("query", _internal("quad-count"))], _JSON))
        return int(doc["results"]["bindings"][0]["n"]["value"])

    # ------------------------------------------------------------ writing

    def update(self, text):
        if not self.update_url:
            raise RemoteError(f"{self!r} has no update URL: write sparql:QUERY_URL,UPDATE_URL")
        self._post(self.update_url, [("update", text)])
        self._graphs = None

    def replace_all(self, quads):
        """The store's content replaced by these quads. One request when it fits,
        so that the server's own transaction makes the swap atomic."""
        chunks = _insert_chunks(quads)
        first = next(chunks, "")
        self.update("DROP SILENT ALL ;\n" + first)
        for c in chunks:
            self.update(c)

    def replace_graphs(self, drop, quads):
        """Drop the named graphs `drop` and add `quads`, in one update request (atomic)."""
        text = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in drop) + "".join(_insert_chunks(quads, size=None))
        self.update(text or "DROP SILENT GRAPH <urn:aikg:none>")


def _insert_chunks(quads, size=BATCH):
    buf, n = [], 0
    for q in quads:
        triple = f"{q.subject} {q.predicate} {q.object} ."
        buf.append(triple if isinstance(q.graph_name, ox.DefaultGraph) else f"GRAPH {q.graph_name} {{ {triple} }}")
        n += 1
        if size and n >= size:
            yield "INSERT DATA {\n" + "\n".join(buf) + "\n}"
            buf, n = [], 0
    if buf:
        yield "INSERT DATA {\n" + "\n".join(buf) + "\n}"
