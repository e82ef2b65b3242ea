"""The three store backends give the same answers to every named query on the
bundled corpus: Oxigraph on disk, rdflib in memory (the reference), and a real
`oxigraph serve` spoken to over the SPARQL 1.1 Protocol."""
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from aikg.vocab import PREFIXES
from graph import queries
from graph.backends import StoreSpecError, parse_spec
from graph.build import build
from graph.store import open_store
from query_compare import concat_of

NAMED = sorted(queries.library())


def _oxigraph_cli():
    exe = Path(sys.executable).parent / "oxigraph"
    return str(exe) if exe.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server on a free port of 127.0.0.1, stopped afterwards."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([_oxigraph_cli(), "serve", "--location", str(tmp_path_factory.mktemp("oxserver")),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph serve did not start: {proc.stderr.read().decode()[:500]}")
            time.sleep(0.1)
    yield f"sparql:{base}/query,{base}/update"
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def stores(built, build_dir, oxigraph_server, tmp_path_factory):
    remote_build = tmp_path_factory.mktemp("remote-build")
    build(remote_build, store=oxigraph_server)
    return {"oxigraph": open_store(build_dir), "memory": open_store(build_dir, spec="memory"),
            "sparql": open_store(remote_build, spec=oxigraph_server)}


def normalised(q, doc):
    """Rows as comparable tuples. GROUP_CONCAT leaves its order to the engine, and
    whether it keeps a common language tag differs between engines: its parts are compared as a set."""
    concat = concat_of(q)
    rows = []
    for b in doc["results"]["bindings"]:
        row = []
        for var in doc["head"]["vars"]:
            t = dict(b.get(var) or {})
            if var in concat and t:
                t = {"type": "literal", "value": sorted(t["value"].split(concat[var]) if concat[var] else t["value"])}
            row.append(repr(sorted(t.items())))
        rows.append(tuple(row))
    return doc["head"]["vars"], rows


@pytest.mark.parametrize("name", NAMED)
def test_named_query_same_answer_on_every_backend(stores, name):
    q = queries.library()[name]
    got = {kind: normalised(q, queries.to_json(queries.run(s, q))) for kind, s in stores.items() if kind != "memory"}
    assert got["oxigraph"][1], f"{name} answers nothing on the bundled corpus: the comparison would prove nothing"
    # Same engine behind the protocol: same rows in the same order.
    assert got["sparql"] == got["oxigraph"]
    vars_, rows = normalised(q, queries.to_json(queries.run(stores["memory"], q)))
    # rdflib does not order by a GROUP BY key left out of the projection: rows compared as multisets.
    assert vars_ == got["oxigraph"][0]
    assert sorted(rows) == sorted(got["oxigraph"][1])


def test_typed_literals_come_back_in_canonical_form_from_every_backend(stores):
    # DISTINCT: a claim's triples sit in the graph of every source reporting it, and
    # Oxigraph's union default graph yields a pattern once per graph, rdflib's once per triple.
    text = 'SELECT DISTINCT ?v WHERE { ?c aikg:value ?v } ORDER BY ?v'
    answers = {k: [t["v"] for t in queries.to_json(queries.run_sparql(s, text))["results"]["bindings"]]
               for k, s in stores.items()}
    assert answers["oxigraph"] and answers["memory"] == answers["oxigraph"] == answers["sparql"]


def test_ask_on_every_backend(stores):
    for kind, s in stores.items():
        assert queries.to_json(queries.run_sparql(s, "ASK { ?c a aikg:Claim }")) == {"head": {}, "boolean": True}, kind
        assert not queries.run_sparql(s, "ASK { ?c a aikg:NoSuchClass }"), kind


def test_cli_store_option_and_environment_variable(cli, oxigraph_server, monkeypatch, stores):
    by_option = cli("stats", "--format", "json", "--store", "memory")
    assert by_option.code == 0, by_option.err
    monkeypatch.setenv("AIKG_STORE", "memory")
    by_env = cli("query", "class-counts", "--format", "json")
    assert by_env.code == 0, by_env.err
    assert by_env.json() == by_option.json()["class-counts"]
    remote = cli("query", "class-counts", "--format", "json", "--store", oxigraph_server)
    assert remote.code == 0, remote.err
    assert remote.json() == by_env.json()


@pytest.mark.parametrize("spec", ["nosuch:x", "sparql:", "sparql:ftp://x", "memory:/tmp/x"])
def test_bad_store_spec_is_one_clear_error(cli, spec):
    r = cli("query", "class-counts", "--store", spec)
    assert r.code == 2 and r.err.startswith("aikg query: error: store") and spec in r.err
    with pytest.raises(StoreSpecError):
        parse_spec(spec, "build")


def test_unreachable_server_is_one_clear_error(cli):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = cli("query", "class-counts", "--store", f"sparql:http://127.0.0.1:{port}/query")
    assert r.code == 2 and f"127.0.0.1:{port}" in r.err and "Traceback" not in r.err


def test_a_dataset_chosen_per_query_on_every_backend(stores):
    """pyoxigraph's default_graph/named_graphs (what /sparql passes for the Protocol's
    default-graph-uri and named-graph-uri) and FROM: the same counts everywhere."""
    import pyoxigraph as ox
    core = ox.NamedNode("https://w3id.org/aikg/graph/core")
    source = ox.NamedNode("https://w3id.org/aikg/graph/source/gentic-grok-4-20")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    frm = f"SELECT (COUNT(*) AS ?n) FROM {core} WHERE {{ ?s ?p ?o }}"
    cases = [(count, {"default_graph": [source]}), (count, {"default_graph": [core, source]}),
             (named, {"default_graph": ox.DefaultGraph(), "named_graphs": [core]}),
             (frm, {"default_graph": [source]}), (frm, {})]
    answers = {}
    for kind, s in stores.items():
        answers[kind] = [int(next(iter(s.query(text, prefixes=PREFIXES, **kw)))["n"].value) for text, kw in cases]
    sizes = {g: len(list(stores["oxigraph"].quads_for_pattern(None, None, None, g))) for g in (core, source)}
    assert answers["oxigraph"] == [sizes[source], sizes[core] + sizes[source], sizes[core], sizes[source], sizes[core]]
    assert answers["memory"] == answers["oxigraph"] == answers["sparql"]
