"""Exports of the built graph: the RDF dataset (TriG, N-Quads, Turtle, JSON-LD)
and a networkx view for visualisation tools (GraphML, GEXF, Cytoscape.js JSON, DOT).

The visualisation graph has a node per lab, model, person or other origin,
source and claim (plus the clusters and initiatives claims are about) and an
edge per relation a reader follows: developed-by, family, about, attributed-to,
reported-in, derived-from. Node attributes (type, label, numeric_value, hedge,
independent origins) are plain scalars so that Gephi and Cytoscape can style by them.
"""
import io
import json

import networkx as nx
import pyoxigraph as ox

from aikg.vocab import PREFIXES

from .catalog import Catalog
from .queries import internal, run_sparql

RDF_FORMATS = {  # name -> (media type, pyoxigraph format, quads?)
    "trig": ("application/trig", ox.RdfFormat.TRIG, True),
    "nq": ("application/n-quads", ox.RdfFormat.N_QUADS, True),
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE, False),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD, True),
}
VIZ_FORMATS = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "cyjs": "application/json",
    "dot": "text/vnd.graphviz",
}
FORMATS = {**{k: v[0] for k, v in RDF_FORMATS.items()}, **VIZ_FORMATS}
NODE_KINDS = ("lab", "model", "person", "agent", "source", "claim", "cluster", "initiative")


class ExportError(Exception):
    pass


def media_type(fmt):
    return FORMATS[fmt]


def rdf_export(store, fmt) -> bytes:
    """The whole dataset; Turtle, which has no named graphs, gets their union."""
    _, rdf_format, quads = RDF_FORMATS[fmt]
    rows = run_sparql(store, internal("export-quads"))
    if quads:
        data = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
    else:
        data = sorted({ox.Triple(r["s"], r["p"], r["o"]) for r in rows}, key=str)
    return ox.serialize(data, format=rdf_format, prefixes=PREFIXES)


def node_id(entity):
    return f"{entity.kind}:{entity.slug}"


def viz_graph(cat: Catalog) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(name="aikg")
    for e in sorted(cat.entities.values(), key=lambda e: (e.kind, e.slug)):
        if e.kind in NODE_KINDS:
            g.add_node(node_id(e), type=e.kind, label=e.label, slug=e.slug, iri=e.iri)
    for iri, m in cat.models.items():
        g.nodes[node_id(cat.entities[iri])]["model_kind"] = m["kind"]

    def edge(src_iri, dst_iri, relation):
        a, b = cat.entities.get(src_iri), cat.entities.get(dst_iri)
        if a is not None and b is not None and node_id(a) in g and node_id(b) in g:
            u, v = node_id(a), node_id(b)
            # One id for the edge in every format; an XML NMTOKEN, as GraphML wants.
            g.add_edge(u, v, key=relation, id=f"{relation}:{u}:{v}", relation=relation)

    for iri, m in sorted(cat.models.items()):
        if m["lab"]:
            edge(iri, m["lab"], "developed-by")
        if m["family"]:
            edge(iri, m["family"], "family")
    for c in sorted(cat.claims.values(), key=lambda c: c.slug):
        attrs = g.nodes[node_id(cat.entities[c.iri])]
        attrs.update(property=cat.slug(c.property), value_text=c.value_text,
                     hedge=",".join(cat.slug(h) for h in c.hedges), reports=len(c.reports),
                     independent_origins=c.fields.get("independentOrigins")
                     if c.fields.get("independentOrigins") is not None else len(cat.independent_origins(c)),
                     prediction=bool(c.fields.get("prediction")))
        number = next((c.fields[k] for k in ("value", "lower", "upper") if c.fields.get(k) is not None), None)
        if number is not None:
            attrs["numeric_value"] = float(number)
        edge(c.iri, c.about, "about")
        for o in c.origins:
            edge(c.iri, o, "attributed-to")
        for s in c.sources:
            edge(c.iri, s, "reported-in")
        for p in c.premises:
            edge(c.iri, p, "derived-from")
    return g


def viz_export(g: nx.MultiDiGraph, fmt) -> bytes:
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(g, buf, named_key_ids=True, edge_id_from_attribute="id")
        return _xsd_booleans(buf.getvalue())
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(g, buf)
        return buf.getvalue()
    if fmt == "cyjs":
        doc = nx.cytoscape_data(g)
        return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "dot":
        from networkx.drawing.nx_pydot import to_pydot
        return to_pydot(_quoted(g)).to_string().encode("utf-8")
    raise ExportError(f"unknown format {fmt!r}")


def _xsd_booleans(graphml: bytes) -> bytes:
    """networkx writes Python's True/False; xs:boolean, which GraphML's boolean is, spells them true/false."""
    from lxml import etree
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = etree.fromstring(graphml)
    booleans = {k.get("id") for k in root.iterfind("g:key[@attr.type='boolean']", ns)}
    for d in root.iterfind(".//g:data", ns):
        if d.get("key") in booleans and d.text:
            d.text = d.text.strip().lower()
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _quoted(g):
    """DOT identifiers with ':' (our node ids) and free text must be quoted."""
    h = nx.MultiDiGraph(name="aikg")
    q = lambda v: json.dumps(str(v), ensure_ascii=False)  # noqa: E731  DOT quoting is JSON's
    for n, a in g.nodes(data=True):
        h.add_node(q(n), **{k: q(v) for k, v in a.items()})
    for u, v, k, a in g.edges(keys=True, data=True):
        h.add_edge(q(u), q(v), key=k, **{k2: q(v2) for k2, v2 in a.items()})
    return h


def export(store, fmt, cat: Catalog = None) -> bytes:
    if fmt in RDF_FORMATS:
        return rdf_export(store, fmt)
    if fmt in VIZ_FORMATS:
        return viz_export(viz_graph(cat or Catalog(store)), fmt)
    raise ExportError(f"unknown export format {fmt!r} (formats: {', '.join(FORMATS)})")
