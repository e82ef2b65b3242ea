"""The named queries of queries/ over HTTP: the listing read against the .rq files'
own headers, every query's answer against running it on the store directly."""
import csv
import io
import re

import pyoxigraph as ox
import pytest

from aikg import paths
from api.app import create_app
from graph import queries

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client(build_dir):
    # Correctness, not speed: some library queries take seconds on a loaded machine.
    return create_app({"AIKG_BUILD_DIR": str(build_dir), "AIKG_QUERY_TIMEOUT": 120}).test_client()


def headers(path):
    """title, description and parameter names as the file's comment lines state them."""
    out = {"params": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"#\s*(title|description|param):\s*(.*)", line)
        if m and m[1] == "param":
            out["params"].append(m[2].split()[0])
        elif m:
            out[m[1]] = m[2].strip()
    return out


def test_the_listing_has_every_query_file_with_its_headers(client):
    files = {p.stem: headers(p) for p in paths.QUERIES.glob("*.rq")}
    assert files
    doc = client.get("/api/queries").get_json()
    listed = {q["name"]: q for q in doc["queries"]}
    assert set(listed) == set(files) and doc["total"] == len(files)
    for name, h in files.items():
        q = listed[name]
        assert q["title"] == h["title"] and q["description"] == h.get("description", "")
        assert [p["name"] for p in q["parameters"]] == h["params"]
        for p in q["parameters"]:
            assert p["type"] and "default" in p and "description" in p
        assert q["url"] == f"/api/queries/{name}"


def test_every_query_answers_what_the_store_answers(client, store):
    for name, q in queries.library().items():
        expected = queries.to_json(queries.run(store, q))
        resp = client.get(f"/api/queries/{name}")
        assert resp.status_code == 200 and resp.mimetype == "application/sparql-results+json", name
        got = resp.get_json(force=True)
        assert got["head"]["vars"] == expected["head"]["vars"], name
        assert sorted(map(repr, got["results"]["bindings"])) == sorted(map(repr, expected["results"]["bindings"]))


def test_csv_by_accept(client, store):
    q = queries.library()["class-counts"]
    expected = queries.to_json(queries.run(store, q))
    resp = client.get("/api/queries/class-counts", headers={"Accept": "text/csv"})
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8"))))
    assert rows[0] == expected["head"]["vars"]
    assert sorted(map(tuple, rows[1:])) == sorted(
        tuple(b[v]["value"] for v in rows[0]) for b in expected["results"]["bindings"])


def parameterised():
    lib = queries.library()
    q = next((q for q in lib.values() if any(p.type == "entity" for p in q.params)), None)
    if q is None:
        pytest.skip("no named query takes an entity")
    return q, next(p for p in q.params if p.type == "entity")


SAME_KIND = """SELECT DISTINCT ?slug WHERE {
  ?d aikg:slug ?default ; a ?type . ?e a ?type ; aikg:slug ?slug . FILTER(?e != ?d)
} ORDER BY ?slug LIMIT 2"""


def test_a_parameter_binds_like_on_the_command_line(client, store):
    q, param = parameterised()
    # The default and entities of its kind: the answer follows the binding.
    others = queries.run_sparql(store, SAME_KIND, {ox.Variable("default"): ox.Literal(param.default)})
    answers = set()
    for slug in [param.default] + [r["slug"].value for r in others]:
        expected = queries.to_json(queries.run(store, q, {param.name: slug}))
        resp = client.get(f"/api/queries/{q.name}", query_string={param.name: slug})
        assert resp.status_code == 200, resp.data
        got = sorted(map(repr, resp.get_json(force=True)["results"]["bindings"]))
        assert got == sorted(map(repr, expected["results"]["bindings"])), slug
        answers.add(repr(got))
    assert len(answers) > 1, "different entities give different answers"


def test_unknown_query_is_404_and_bad_parameters_400(client):
    resp = client.get("/api/queries/no-such-query")
    assert resp.status_code == 404 and resp.mimetype == PROBLEM
    q, param = parameterised()
    for args in ({"no_such_param": "x"}, {param.name: "no-such-entity-anywhere"}):
        resp = client.get(f"/api/queries/{q.name}", query_string=args)
        assert resp.status_code == 400 and resp.mimetype == PROBLEM, args
        doc = resp.get_json(force=True)
        assert doc["status"] == 400 and any(word in doc["detail"] for word in [*args, *args.values()])


def _links(resp) -> dict:
    """{rel: url} of an RFC 8288 Link header."""
    return {m[2]: m[1] for m in re.finditer(r'<([^>]*)>;\s*rel="(\w+)"', resp.headers.get("Link", ""))}


def test_following_next_links_walks_every_row_once(client, store):
    # The paged query with the most rows: small pages, followed by their Link headers,
    # must give exactly the rows of one big page, in the same order.
    paged = [q for q in queries.library().values() if any(p.name == "limit" for p in q.params)]
    assert paged
    answers = {q.name: queries.to_json(queries.run(store, q, {"limit": "100000"}))["results"]["bindings"]
               for q in paged}
    name = max(answers, key=lambda n: len(answers[n]))
    everything = answers[name]
    assert len(everything) > 7
    url, walked, pages = f"/api/queries/{name}?limit=3", [], 0
    while url:
        resp = client.get(url)
        assert resp.status_code == 200
        walked += resp.get_json(force=True)["results"]["bindings"]
        links, pages = _links(resp), pages + 1
        if pages > 1:
            assert "prev" in links and re.search(r"offset=0\b", links["first"])
        url = links.get("next")
    assert walked == everything and pages == -(-len(everything) // 3) + (len(everything) % 3 == 0)


def test_a_query_that_does_not_page_has_no_links(client):
    resp = client.get("/api/queries/claims-per-hedge")
    assert resp.status_code == 200 and "Link" not in resp.headers
