"""Exports over HTTP and from `aikg export`, read back by independent parsers.

What the visualisation graph must hold comes from the annotation and entity
files (what curators read in the articles), not from the exporter."""
import io
import json
from collections import defaultdict

import networkx as nx
import pydot
import pytest
import yaml
from lxml import etree
from networkx.drawing.nx_pydot import from_pydot
from rdflib import Dataset, Graph

from aikg import paths
from curated import curated_claims
from graph_formats import check_gexf, check_graphml
from live_server import base_fixture, get  # noqa: F401  (the `base` fixture)


@pytest.fixture(scope="module")
def curated():
    return curated_claims()


@pytest.fixture(scope="module")
def exports(base):
    out = {}
    for name in ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld",
                 "viz.graphml", "viz.gexf", "viz.cyjs", "viz.dot"):
        status, ctype, body = get(f"{base}/export/{name}")
        assert status == 200, (name, body[:300])
        out[name] = (ctype, body)
    return out


def quads_in_store(store):
    return len(set(store))


def test_rdf_exports_hold_the_whole_dataset(exports, store):
    expected = quads_in_store(store)
    graphs = {q.graph_name.value for q in store}
    for name, fmt in (("graph.trig", "trig"), ("graph.nq", "nquads"), ("graph.jsonld", "json-ld")):
        ds = Dataset()
        ds.parse(data=exports[name][1], format=fmt)
        assert sum(1 for _ in ds.quads((None, None, None, None))) == expected, name
        assert {str(g.identifier) for g in ds.graphs() if len(g)} == graphs, name
    g = Graph().parse(data=exports["graph.ttl"][1], format="turtle")
    assert len(g) == len({(q.subject, q.predicate, q.object) for q in store})
    assert exports["graph.trig"][0].startswith("application/trig")
    assert exports["graph.ttl"][0].startswith("text/turtle")


def test_graphml_and_gexf_have_the_schema_structure(exports):
    assert check_graphml(exports["viz.graphml"][1]) == []
    assert check_gexf(exports["viz.gexf"][1]) == []
    # the checks do catch a broken document
    broken = exports["viz.graphml"][1].replace(b'attr.type="double"', b'attr.type="decimal"', 1)
    assert check_graphml(broken)
    doc = etree.fromstring(exports["viz.gexf"][1])
    doc.find(".//{http://www.gexf.net/1.2draft}edge").set("target", "nowhere")
    assert check_gexf(etree.tostring(doc))


@pytest.fixture(scope="module")
def viz(exports):
    """Each visualisation export read back by its own reader (once: the DOT parser is slow)."""
    return {
        "graphml": nx.read_graphml(io.BytesIO(exports["viz.graphml"][1])),
        "gexf": nx.read_gexf(io.BytesIO(exports["viz.gexf"][1])),
        "cyjs": nx.cytoscape_graph(json.loads(exports["viz.cyjs"][1])),
        "dot": from_pydot(pydot.graph_from_dot_data(exports["viz.dot"][1].decode("utf-8"))[0]),
    }


def _unquote(v):
    return v[1:-1] if isinstance(v, str) and len(v) > 1 and v[0] == v[-1] == '"' else v


def test_every_viz_format_reads_back_to_the_same_graph(viz, curated):
    graphs = viz
    ref = graphs["graphml"]
    claim_nodes = {n for n, d in ref.nodes(data=True) if d.get("type") == "claim"}
    assert claim_nodes == {f"claim:{c}" for c in curated}
    for name, g in graphs.items():
        nodes = {_unquote(n) for n in g.nodes}
        assert nodes == set(ref.nodes), name
        assert g.number_of_edges() == ref.number_of_edges(), name
    gexf = graphs["gexf"]
    assert gexf.nodes["claim:claude-sonnet-total-parameters"]["label"].startswith("Claude Sonnet")


def test_viz_graph_edges_follow_the_annotations(viz, curated):
    g = viz["graphml"]
    rel = defaultdict(set)
    for u, v, d in g.edges(data=True):
        rel[d["relation"]].add((u, v))
    for cid, c in curated.items():
        for s in c["sources"]:
            assert (f"claim:{cid}", f"source:{s}") in rel["reported-in"]
        for p in c["derived"]:
            assert (f"claim:{cid}", f"claim:{p}") in rel["derived-from"]
        assert any(u == f"claim:{cid}" for u, _ in rel["about"])
    entities = yaml.safe_load(paths.ENTITIES.read_text(encoding="utf-8"))
    for slug, m in entities["models"].items():
        if m.get("lab"):
            assert (f"model:{slug}", f"lab:{m['lab']}") in rel["developed-by"]
    assert ("claim:claude-sonnet-total-parameters", "person:elon-musk") in rel["attributed-to"]


def test_node_attributes_for_styling(viz):
    g = viz["gexf"]
    sonnet = g.nodes["claim:claude-sonnet-total-parameters"]
    assert sonnet["type"] == "claim" and sonnet["numeric_value"] == 1e12
    assert "inferred" in sonnet["hedge"].split(",")
    assert sonnet["independent_origins"] == 1       # Musk's remark alone
    grok = g.nodes["claim:grok-4-20-total-parameters"]
    assert grok["independent_origins"] >= 2         # Musk, and @kimmonismus on his own
    assert g.nodes["model:grok-4-20"]["type"] == "model" and g.nodes["lab:xai"]["type"] == "lab"
    assert g.nodes["person:elon-musk"]["type"] == "person"


def test_cli_export_writes_the_same_files(cli, exports, tmp_path):
    for fmt in ("graphml", "cyjs", "dot", "nq", "ttl"):
        out = tmp_path / f"x.{fmt}"
        r = cli("export", "--format", fmt, "-o", str(out))
        assert r.code == 0, r.err
        name = f"viz.{fmt}" if fmt in ("graphml", "cyjs", "dot") else f"graph.{fmt}"
        assert out.read_bytes() == exports[name][1], fmt
    r = cli("export", "--format", "gexf", "-o", str(tmp_path / "x.gexf"))
    assert r.code == 0 and check_gexf((tmp_path / "x.gexf").read_bytes()) == []
    r = cli("export", "--format", "pdf", "-o", str(tmp_path / "x.pdf"))
    assert r.code != 0 and not (tmp_path / "x.pdf").exists()


def test_unknown_export_is_404_problem(base):
    status, ctype, body = get(f"{base}/export/viz.png")
    assert status == 404 and ctype.startswith("application/problem+json")
    assert "graphml" in json.loads(body)["detail"]
