"""The SPARQL 1.1 Protocol endpoint at /sparql: the three ways to send a query,
every answer format read back with a real parser, the dataset (GRAPH, FROM,
default-graph-uri, named-graph-uri), the 400s, and SPARQLWrapper as a real
client against a real server. Expected answers come from querying the built
store directly, never from the endpoint's own output."""
import csv
import io
import json
import socket
import subprocess
import sys
import time
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper

from aikg.vocab import PREFIXES
from api.app import create_app
from live_server import serving

PROBLEM = "application/problem+json"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"

LABS = "SELECT ?lab ?label WHERE { ?lab a aikg:Lab ; skos:prefLabel ?label }"
LABS_GRAPH = "CONSTRUCT { ?lab a aikg:Lab ; skos:prefLabel ?label } WHERE { ?lab a aikg:Lab ; skos:prefLabel ?label }"


@pytest.fixture(scope="module")
def client(build_dir):
    return create_app({"AIKG_BUILD_DIR": str(build_dir)}).test_client()


@pytest.fixture(scope="module")
def base(build_dir):
    with serving(build_dir) as url:
        yield url


def direct(store, text, **kw):
    """The store's own answer, the oracle the endpoint is checked against."""
    kw.setdefault("use_default_graph_as_union", True)
    return store.query(text, prefixes=PREFIXES, **kw)


@pytest.fixture(scope="module")
def labs(store):
    rows = {(r["lab"].value, r["label"].value) for r in direct(store, LABS)}
    assert len(rows) >= 3, "the corpus names several labs"
    return rows


def rdflib_graph(store, text):
    nt = ox.serialize(list(direct(store, text)), format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=nt.decode("utf-8"), format="nt")


def problem(resp, status):
    assert resp.status_code == status, resp.data
    assert resp.mimetype == PROBLEM
    doc = resp.get_json(force=True)
    assert doc["status"] == status and doc["title"] and doc["type"]
    return doc


# ------------------------------------------------------------ three ways to ask

def test_get_post_form_and_post_body_give_the_same_answer(client, labs):
    answers = [
        client.get("/sparql", query_string={"query": LABS}),
        client.post("/sparql", data={"query": LABS}),
        client.post("/sparql", data=LABS, content_type="application/sparql-query"),
    ]
    for resp in answers:
        assert resp.status_code == 200, resp.data
        assert resp.mimetype == "application/sparql-results+json"
        doc = resp.get_json(force=True)
        assert doc["head"]["vars"] == ["lab", "label"]
        assert {(b["lab"]["value"], b["label"]["value"]) for b in doc["results"]["bindings"]} == labs


# ------------------------------------------------------------ SELECT and ASK formats

def parse_solutions(mime, body):
    """(lab, label) pairs from a SELECT answer in any of the four formats."""
    text = body.decode("utf-8")
    if mime == "application/sparql-results+json":
        return {(b["lab"]["value"], b["label"]["value"]) for b in json.loads(text)["results"]["bindings"]}
    if mime == "application/sparql-results+xml":
        root = ElementTree.fromstring(body)
        out = set()
        for result in root.iter(RESULTS_NS + "result"):
            cells = {b.get("name"): b[0].text for b in result.findall(RESULTS_NS + "binding")}
            out.add((cells["lab"], cells["label"]))
        return out
    if mime == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["lab", "label"]
        return {tuple(r) for r in rows[1:]}
    if mime == "text/tab-separated-values":
        lines = text.rstrip("\n").split("\n")
        assert lines[0].split("\t") == ["?lab", "?label"]
        out = set()
        for line in lines[1:]:
            iri, label = line.split("\t")
            assert iri.startswith("<") and iri.endswith(">") and label.startswith('"')
            out.add((iri[1:-1], json.loads(label.rsplit("@", 1)[0] if not label.endswith('"') else label)))
        return out
    raise AssertionError(mime)


@pytest.mark.parametrize("mime", ["application/sparql-results+json", "application/sparql-results+xml",
                                  "text/csv", "text/tab-separated-values"])
def test_select_in_every_results_format(client, labs, mime):
    resp = client.get("/sparql", query_string={"query": LABS}, headers={"Accept": mime})
    assert resp.status_code == 200, resp.data
    assert resp.mimetype == mime
    assert parse_solutions(mime, resp.data) == labs


@pytest.mark.parametrize("mime", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_true_and_false(client, mime):
    for query, expected in [("ASK { ?x a aikg:Lab }", True), ("ASK { ?x a aikg:NoSuchClass }", False)]:
        resp = client.get("/sparql", query_string={"query": query}, headers={"Accept": mime})
        assert resp.status_code == 200 and resp.mimetype == mime
        if mime.endswith("json"):
            assert resp.get_json(force=True)["boolean"] is expected
        else:
            assert ElementTree.fromstring(resp.data).find(RESULTS_NS + "boolean").text == str(expected).lower()


def test_accept_preferences_are_weighed(client, labs):
    resp = client.get("/sparql", query_string={"query": LABS},
                      headers={"Accept": "application/sparql-results+json;q=0.5, text/csv"})
    assert resp.mimetype == "text/csv"
    assert parse_solutions("text/csv", resp.data) == labs


# ------------------------------------------------------------ CONSTRUCT and DESCRIBE formats

RDF_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt",
               "application/ld+json": "json-ld", "application/rdf+xml": "xml"}


@pytest.mark.parametrize("mime", list(RDF_FORMATS))
def test_construct_in_every_rdf_format(client, store, mime):
    resp = client.get("/sparql", query_string={"query": LABS_GRAPH}, headers={"Accept": mime})
    assert resp.status_code == 200, resp.data
    assert resp.mimetype == mime
    got = Graph().parse(data=resp.data.decode("utf-8"), format=RDF_FORMATS[mime])
    expected = rdflib_graph(store, LABS_GRAPH)
    assert len(expected) > 0 and isomorphic(got, expected)


def test_describe_answers_a_graph_about_the_resource(client, labs):
    lab = sorted(labs)[0][0]
    resp = client.post("/sparql", data=f"DESCRIBE <{lab}>", content_type="application/sparql-query",
                       headers={"Accept": "text/turtle"})
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    g = Graph().parse(data=resp.data.decode("utf-8"), format="turtle")
    assert (URIRef(lab), None, None) in g
    assert set(g.subjects()) == {URIRef(lab)}


def test_no_acceptable_format_is_406(client):
    problem(client.get("/sparql", query_string={"query": LABS}, headers={"Accept": "image/png"}), 406)
    problem(client.get("/sparql", query_string={"query": LABS_GRAPH}, headers={"Accept": "text/csv"}), 406)


# ------------------------------------------------------------ the dataset

def count(client, text, **params):
    resp = client.get("/sparql", query_string={"query": text, **params})
    assert resp.status_code == 200, resp.data
    return int(resp.get_json(force=True)["results"]["bindings"][0]["n"]["value"])


def test_named_graphs_are_queryable_with_graph(client, store):
    resp = client.get("/sparql", query_string={
        "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"})
    got = {b["g"]["value"]: int(b["n"]["value"]) for b in resp.get_json(force=True)["results"]["bindings"]}
    expected = {g.value: len(list(store.quads_for_pattern(None, None, None, g))) for g in store.named_graphs()}
    assert len(expected) > 1 and got == expected


def test_from_and_dataset_parameters_choose_graphs_of_the_store(client, store):
    core, source = "https://w3id.org/aikg/graph/core", None
    sizes = {g.value: len(list(store.quads_for_pattern(None, None, None, g))) for g in store.named_graphs()}
    source = next(g for g in sorted(sizes) if "/source/" in g)
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert count(client, everything) == len(store)
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM <{core}> WHERE {{ ?s ?p ?o }}") == sizes[core]
    assert count(client, "SELECT (COUNT(*) AS ?n) FROM graph:core WHERE { ?s ?p ?o }") == sizes[core]
    assert count(client, everything, **{"default-graph-uri": source}) == sizes[source]
    # The Protocol's dataset replaces the query's FROM.
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM <{core}> WHERE {{ ?s ?p ?o }}",
                 **{"default-graph-uri": source}) == sizes[source]
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(client, named, **{"named-graph-uri": core}) == sizes[core]
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{source}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") \
        == sizes[source]


# ------------------------------------------------------------ errors

def test_missing_query_is_400(client):
    problem(client.get("/sparql"), 400)
    problem(client.post("/sparql", data={}), 400)
    problem(client.post("/sparql", data="   ", content_type="application/sparql-query"), 400)


def test_malformed_query_is_400_with_the_parsers_message(client, store):
    bad = "SELECT ?x WHERE { ?x a }"
    with pytest.raises(SyntaxError) as parser:
        store.query(bad)
    for resp in (client.get("/sparql", query_string={"query": bad}),
                 client.post("/sparql", data=bad, content_type="application/sparql-query")):
        assert str(parser.value) in problem(resp, 400)["detail"]


def test_two_queries_and_unknown_content_types_are_refused(client):
    resp = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    problem(resp, 400)
    problem(client.post("/sparql", data="ASK {}", content_type="text/plain"), 415)
    problem(client.post("/sparql", data=b"query=ASK%7B%7D"), 415)      # no Content-Type
    problem(client.post("/sparql", data="ASK {}".encode("utf-16"),
                        content_type="application/sparql-query; charset=UTF-16"), 415)
    problem(client.post("/sparql", data="ASK {}".encode("utf-16"), content_type="application/sparql-query"), 400)
    problem(client.put("/sparql", data="ASK {}", content_type="application/sparql-query"), 405)


# ------------------------------------------------------------ a real client on a real server

def test_sparqlwrapper_reads_select_by_get_and_post(base, labs):
    for method, request in [(None, None), (POST, None), (POST, POSTDIRECTLY)]:
        sw = SPARQLWrapper(base + "/sparql")
        sw.setQuery(PREFIX_LINES + LABS)
        sw.setReturnFormat(JSON)
        if method:
            sw.setMethod(method)
        if request:
            sw.setRequestMethod(request)
        doc = sw.queryAndConvert()
        assert {(b["lab"]["value"], b["label"]["value"]) for b in doc["results"]["bindings"]} == labs


def test_sparqlwrapper_reads_construct(base, store):
    expected = rdflib_graph(store, LABS_GRAPH)
    sw = SPARQLWrapper(base + "/sparql")
    sw.setQuery(PREFIX_LINES + LABS_GRAPH)
    sw.setReturnFormat(XML)          # RDF/XML, which SPARQLWrapper turns into an rdflib Graph
    assert isomorphic(sw.queryAndConvert(), expected)
    sw.setReturnFormat(TURTLE)
    got = Graph().parse(data=sw.queryAndConvert().decode("utf-8"), format="turtle")
    assert isomorphic(got, expected)


PREFIX_LINES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p in ("aikg", "skos"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_aikg_serve_prints_its_address_and_answers(build_dir, labs):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "aikg.cli", "serve", "--port", str(port),
                             "--build-dir", str(build_dir)], stdout=subprocess.PIPE, text=True)
    try:
        banner = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in banner and "\n" == banner[-1]
        sw = SPARQLWrapper(f"http://127.0.0.1:{port}/sparql")
        sw.setQuery(PREFIX_LINES + LABS)
        sw.setReturnFormat(JSON)
        deadline = time.monotonic() + 20
        while True:
            try:
                doc = sw.queryAndConvert()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert {(b["lab"]["value"], b["label"]["value"]) for b in doc["results"]["bindings"]} == labs
    finally:
        proc.terminate()
        proc.wait(10)
