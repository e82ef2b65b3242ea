"""/sparql is safe to expose: each promise proven with a hostile request.

Read-only (updates refused and the store unchanged), no fetching (SERVICE and
FROM naming a listening local port get a 4xx and the port never sees a
connection), a timeout that kills the query's process while another client is
answered, and limits on query length and result size."""
import json
import os
import socket
import threading
import time
import urllib.parse
import urllib.request

import pytest

from api.app import create_app
from live_server import serving

PROBLEM = "application/problem+json"
TIMEOUT = 3.0   # seconds: room for a second client on a loaded machine
MAX_RESULTS = 1000
MAX_QUERY_LENGTH = 5000
# Every triple three times over: billions of rows, far past any timeout.
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
EVERYTHING = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def client(build_dir):
    return create_app({"AIKG_BUILD_DIR": str(build_dir), "AIKG_MAX_RESULTS": MAX_RESULTS,
                       "AIKG_MAX_QUERY_LENGTH": MAX_QUERY_LENGTH}).test_client()


def problem(resp, status=None):
    assert 400 <= resp.status_code < 500 if status is None else resp.status_code == status, resp.data
    assert resp.mimetype == PROBLEM
    return resp.get_json(force=True)


def count(client, text=EVERYTHING):
    resp = client.get("/sparql", query_string={"query": text})
    assert resp.status_code == 200, resp.data
    return int(resp.get_json(force=True)["results"]["bindings"][0]["n"]["value"])


# ------------------------------------------------------------ read-only

INSERT = "INSERT DATA { GRAPH <https://w3id.org/aikg/graph/core> { <urn:x:s> <urn:x:p> <urn:x:o> } }"
DROP = "DROP ALL"


def test_updates_are_refused_and_never_executed(client, store):
    before = count(client)
    assert before == len(store) > 0
    refusals = [
        client.post("/sparql", data=INSERT, content_type="application/sparql-update"),
        client.post("/sparql", data=DROP, content_type="application/sparql-update"),
        client.post("/sparql", data={"update": INSERT}),
        client.get("/sparql", query_string={"update": DROP}),
        client.get("/sparql", query_string={"query": INSERT}),
        client.post("/sparql", data="# a comment first\n" + DROP, content_type="application/sparql-query"),
        client.post("/sparql", data={"query": "PREFIX ex: <urn:x:> CLEAR GRAPH ex:g"}),
    ]
    for resp in refusals:
        problem(resp)
    assert count(client) == before
    assert client.get("/sparql", query_string={"query": "ASK { <urn:x:s> ?p ?o }"}).get_json(force=True)[
        "boolean"] is False


# ------------------------------------------------------------ no fetching

@pytest.fixture
def listener():
    """A local port that records whether anyone connects to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.5)
    yield sock
    sock.close()


def connected(sock) -> bool:
    try:
        conn, _ = sock.accept()
    except TimeoutError:
        return False
    conn.close()
    return True


def test_service_and_remote_datasets_are_refused_without_a_connection(client, listener):
    url = "http://127.0.0.1:%d/sparql" % listener.getsockname()[1]
    hostile = [
        {"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"},
        {"query": f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}"},
        {"query": f"PREFIX r: <{url}#> SELECT * WHERE {{ ?x a ?y . SERVICE r:x {{ ?s ?p ?o }} }}"},
        {"query": f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}"},
        # \u escapes: the grammar reads them before anything else.
        {"query": f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}"},
        # an escaped quote must not hide what follows it
        {"query": f'SELECT * WHERE {{ BIND("a\\u0022" AS ?x) SERVICE <{url}> {{ ?s ?p "o" }} }}'},
        {"query": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"},
        {"query": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
        {"query": f"BASE <{url}/> SELECT * FROM <data.ttl> WHERE {{ ?s ?p ?o }}"},
        {"query": f"PREFIX r: <{url}/> CONSTRUCT {{ ?s ?p ?o }} FROM r:data WHERE {{ ?s ?p ?o }}"},
        {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": url},
        {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": url},
    ]
    for params in hostile:
        doc = problem(client.get("/sparql", query_string=params))
        assert doc["detail"], params
        doc = problem(client.post("/sparql", data=params))
    assert not connected(listener)


def test_the_words_service_and_from_elsewhere_are_not_refused(client):
    harmless = [
        'SELECT ?service WHERE { BIND("SERVICE <http://example.org/>" AS ?service) }',
        "SELECT ?from WHERE { ?from a aikg:Lab } # FROM <http://example.org/>",
        'SELECT ?x WHERE { ?x skos:prefLabel "from"@en }',
        "PREFIX service: <http://example.org/service#> ASK { ?s service:from ?o }",
        "ASK { GRAPH <http://example.org/not-in-the-store> { ?s ?p ?o } }",
    ]
    for text in harmless:
        resp = client.get("/sparql", query_string={"query": text})
        assert resp.status_code == 200, (text, resp.data)


# ------------------------------------------------------------ limits

def test_a_query_longer_than_the_limit_is_refused(client):
    padded = lambda n: "ASK { ?s ?p ?o }" + "#" * (n - len("ASK { ?s ?p ?o }"))  # noqa: E731
    assert client.get("/sparql", query_string={"query": padded(MAX_QUERY_LENGTH)}).status_code == 200
    for resp in (client.get("/sparql", query_string={"query": padded(MAX_QUERY_LENGTH + 1)}),
                 client.post("/sparql", data=padded(MAX_QUERY_LENGTH * 10), content_type="application/sparql-query")):
        assert str(MAX_QUERY_LENGTH) in problem(resp, 413)["detail"]


def test_an_answer_larger_than_the_limit_is_refused(client, store):
    assert len(store) > MAX_RESULTS
    for text in ("SELECT * WHERE { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"):
        assert str(MAX_RESULTS) in problem(client.get("/sparql", query_string={"query": text}), 422)["detail"]
    resp = client.get("/sparql", query_string={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_RESULTS}"})
    assert len(resp.get_json(force=True)["results"]["bindings"]) == MAX_RESULTS


# ------------------------------------------------------------ timeout

def http_get(url, timeout=60):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def alive(pid) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child not yet reaped is a zombie: stopped all the same.
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(")", 1)[1].split()[0] != "Z"


def test_an_explosive_query_is_stopped_while_another_client_is_answered(build_dir):
    app = create_app({"AIKG_BUILD_DIR": str(build_dir), "AIKG_QUERY_TIMEOUT": TIMEOUT, "AIKG_QUERY_WORKERS": 2})
    with serving(build_dir, app=app) as base:
        sparql = base + "/sparql?query="
        assert http_get(sparql + urllib.parse.quote("ASK { ?s ?p ?o }"))[0] == 200   # the workers are up
        # This server's own workers: processes left by earlier tests' servers may end meanwhile.
        pool = app.extensions["aikg_query_pool"]
        workers = set(pool.pids())
        assert len(workers) == 2

        slow = {}

        def explode():
            started = time.monotonic()
            slow["status"], slow["body"] = http_get(sparql + urllib.parse.quote(EXPLOSIVE))
            slow["elapsed"] = time.monotonic() - started

        t = threading.Thread(target=explode)
        t.start()
        time.sleep(0.5)
        # A second client, while the explosive query runs: a SPARQL query and a named query.
        status, body = http_get(sparql + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s a aikg:Lab }"))
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] != "0"
        assert http_get(base + "/api/queries/claims-per-hedge")[0] == 200
        assert t.is_alive(), "the second client was answered while the explosive query ran"
        t.join(60)

        assert slow["status"] == 503
        doc = json.loads(slow["body"])
        assert doc["status"] == 503 and "timed out" in doc["title"].lower()
        assert slow["elapsed"] >= TIMEOUT
        # The worker that ran it is gone (killed, not left running) and another took its place.
        assert len(pool.killed) == 1 and pool.killed[0] in workers and not alive(pool.killed[0])
        now = set(pool.pids())
        assert len(now) == 2 and workers - now == {pool.killed[0]}
        assert http_get(sparql + urllib.parse.quote("ASK { ?s ?p ?o }"))[0] == 200


def test_a_query_past_the_memory_cap_is_stopped(build_dir):
    # Sorting every pair of triples needs far more than the cap, long before the timeout.
    app = create_app({"AIKG_BUILD_DIR": str(build_dir), "AIKG_QUERY_MEMORY_MB": 512,
                      "AIKG_QUERY_TIMEOUT": 120, "AIKG_QUERY_WORKERS": 1})
    client = app.test_client()
    resp = client.get("/sparql", query_string={
        "query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"})
    assert "memory" in problem(resp, 503)["detail"]
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).get_json(force=True)["boolean"]
