"""Structural checks of GraphML and GEXF documents with lxml.

The published XSDs (graphml.graphdrawing.org/xmlns/1.0/graphml.xsd,
gexf.net/1.2draft/gexf.xsd) cannot be fetched at test time and no PyPI or Debian
package ships them, so these check by hand the constraints of those schemas that
an exporter can get wrong: the namespace and root, the allowed attribute values
(key domains and types, edge defaults, GEXF attribute types), required
attributes, unique node and edge ids, edges between declared nodes, and data
values that refer to declared keys of the right domain and parse as their type.
"""
import re

from lxml import etree

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://www.gexf.net/1.2draft"
_NMTOKEN = re.compile(r"^[\w.:\-]+$")
_TYPES = {"boolean": lambda v: v in ("true", "false"), "int": int, "long": int, "float": float, "double": float,
          "string": str, "integer": int, "liststring": str, "anyURI": str}


def _parses(kind, value):
    if kind not in _TYPES:
        return False
    try:
        ok = _TYPES[kind](value)
        return ok is not False
    except ValueError:
        return False


def check_graphml(data: bytes) -> list:
    """Problems found (empty when the document has the schema's structure)."""
    problems = []
    root = etree.fromstring(data)
    q = lambda tag: f"{{{GRAPHML_NS}}}{tag}"  # noqa: E731
    if root.tag != q("graphml"):
        return [f"root is {root.tag}, not graphml in {GRAPHML_NS}"]
    keys = {}
    for k in root.findall(q("key")):
        kid, dom, typ = k.get("id"), k.get("for", "all"), k.get("attr.type", "string")
        if not kid or not _NMTOKEN.match(kid):
            problems.append(f"key id {kid!r} is not an NMTOKEN")
        if dom not in ("all", "graphml", "graph", "node", "edge", "hyperedge", "port", "endpoint"):
            problems.append(f"key {kid}: for={dom!r}")
        if typ not in ("boolean", "int", "long", "float", "double", "string"):
            problems.append(f"key {kid}: attr.type={typ!r}")
        if kid in keys:
            problems.append(f"key id {kid} declared twice")
        keys[kid] = (dom, typ)
    children = [c.tag for c in root if isinstance(c.tag, str)]
    if children[:len(keys)] != [q("key")] * len(keys):
        problems.append("keys must come before the graphs")
    graphs = root.findall(q("graph"))
    if not graphs:
        problems.append("no graph")

    def data_ok(el, domain):
        for d in el.findall(q("data")):
            k = d.get("key")
            if k not in keys:
                problems.append(f"{domain} data refers to undeclared key {k!r}")
            elif keys[k][0] not in (domain, "all"):
                problems.append(f"{domain} data uses key {k} declared for {keys[k][0]}")
            elif not _parses(keys[k][1], d.text or ""):
                problems.append(f"{domain} data {k}={d.text!r} is not a {keys[k][1]}")

    for g in graphs:
        if g.get("edgedefault") not in ("directed", "undirected"):
            problems.append(f"graph edgedefault={g.get('edgedefault')!r}")
        data_ok(g, "graph")
        nodes = [n.get("id") for n in g.findall(q("node"))]
        if len(set(nodes)) != len(nodes):
            problems.append("duplicate node ids")
        for n in g.findall(q("node")):
            if not n.get("id") or not _NMTOKEN.match(n.get("id")):
                problems.append(f"node id {n.get('id')!r} is not an NMTOKEN")
            data_ok(n, "node")
        edge_ids = [e.get("id") for e in g.findall(q("edge")) if e.get("id") is not None]
        if len(set(edge_ids)) != len(edge_ids):
            problems.append("duplicate edge ids")
        known = set(nodes)
        for e in g.findall(q("edge")):
            if e.get("source") not in known or e.get("target") not in known:
                problems.append(f"edge {e.get('id')} joins undeclared nodes")
            if e.get("directed") not in (None, "true", "false"):
                problems.append(f"edge {e.get('id')}: directed={e.get('directed')!r}")
            data_ok(e, "edge")
    return problems


def check_gexf(data: bytes) -> list:
    problems = []
    root = etree.fromstring(data)
    q = lambda tag: f"{{{GEXF_NS}}}{tag}"  # noqa: E731
    if root.tag != q("gexf"):
        return [f"root is {root.tag}, not gexf in {GEXF_NS}"]
    if root.get("version") != "1.2":
        problems.append(f"version={root.get('version')!r}")
    graph = root.find(q("graph"))
    if graph is None:
        return problems + ["no graph"]
    if graph.get("defaultedgetype", "directed") not in ("directed", "undirected", "mutual"):
        problems.append(f"defaultedgetype={graph.get('defaultedgetype')!r}")
    if graph.get("mode", "static") not in ("static", "dynamic"):
        problems.append(f"mode={graph.get('mode')!r}")
    attrs = {"node": {}, "edge": {}}
    for block in graph.findall(q("attributes")):
        cls = block.get("class")
        if cls not in attrs:
            problems.append(f"attributes class={cls!r}")
            continue
        for a in block.findall(q("attribute")):
            if a.get("id") is None or not a.get("title"):
                problems.append("attribute without id or title")
            if a.get("type") not in ("integer", "long", "double", "float", "boolean", "liststring", "string",
                                     "anyURI"):
                problems.append(f"attribute {a.get('title')}: type={a.get('type')!r}")
            attrs[cls][a.get("id")] = a.get("type")

    def values_ok(el, cls):
        holder = el.find(q("attvalues"))
        for v in holder.findall(q("attvalue")) if holder is not None else []:
            f = v.get("for")
            if f not in attrs[cls]:
                problems.append(f"{cls} attvalue for undeclared attribute {f!r}")
            elif v.get("value") is None or not _parses(attrs[cls][f], v.get("value")):
                problems.append(f"{cls} attvalue {f}={v.get('value')!r} is not a {attrs[cls][f]}")

    nodes_el, edges_el = graph.find(q("nodes")), graph.find(q("edges"))
    nodes = nodes_el.findall(q("node")) if nodes_el is not None else []
    ids = [n.get("id") for n in nodes]
    if None in ids or len(set(ids)) != len(ids):
        problems.append("node without id, or duplicate node ids")
    for n in nodes:
        values_ok(n, "node")
    edges = edges_el.findall(q("edge")) if edges_el is not None else []
    eids = [e.get("id") for e in edges]
    if None in eids or len(set(eids)) != len(eids):
        problems.append("edge without id, or duplicate edge ids")
    for e in edges:
        if e.get("source") not in set(ids) or e.get("target") not in set(ids):
            problems.append(f"edge {e.get('id')} joins undeclared nodes")
        if e.get("weight") is not None and not _parses("double", e.get("weight")):
            problems.append(f"edge {e.get('id')}: weight={e.get('weight')!r}")
        values_ok(e, "edge")
    return problems
