"""REST answers are cached and carry an ETag: a real HTTP client gets 304 Not
Modified for what it already has, and a server left running sees `aikg update`
change the graph under it (new answers, new ETags), with no restart."""
import http.client
import json
import shutil
import threading
from urllib.parse import urlencode, urlsplit

from aikg import paths
from graph import incremental
from live_server import serving

SOURCE = "gentic-grok-4-20"


def request(base, path, **headers):
    """(status, headers, body) over one real HTTP connection."""
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def test_etag_and_if_none_match(build_dir):
    with serving(build_dir) as base:
        path = f"/api/sources/{SOURCE}"
        status, headers, body = request(base, path)
        assert status == 200 and headers["etag"].startswith('"')
        assert json.loads(body)["id"] == SOURCE
        again = request(base, path)
        assert again[1]["etag"] == headers["etag"] and again[2] == body
        status, h304, empty = request(base, path, **{"If-None-Match": headers["etag"]})
        assert status == 304 and empty == b"" and h304["etag"] == headers["etag"]
        assert request(base, path, **{"If-None-Match": '"something-else"'})[0] == 200
        # The Turtle of the same resource is another representation, with its own tag.
        status, turtle, _ = request(base, path, Accept="text/turtle")
        assert status == 200 and turtle["etag"] != headers["etag"] and "Accept" in turtle["vary"]


def test_a_running_server_sees_the_graph_change(build_dir, tmp_path):
    b = tmp_path / "build"
    shutil.copytree(build_dir, b)
    with serving(b) as base:
        listing = json.loads(request(base, "/api/sources?limit=1000")[2])
        assert SOURCE in {s["id"] for s in listing["items"]}
        status, headers, _ = request(base, f"/api/sources/{SOURCE}")
        assert status == 200
        claims_before = json.loads(request(base, "/api/claims?limit=1")[2])["total"]
        ask = "/sparql?" + urlencode({"query": f"ASK {{ ?s aikg:slug {json.dumps(SOURCE)} }}"})
        assert json.loads(request(base, ask, Accept="application/sparql-results+json")[2])["boolean"] is True

        incremental.remove(b, SOURCE, data_dir=paths.DATA)

        # /sparql too: its worker processes opened the store as it was
        assert json.loads(request(base, ask, Accept="application/sparql-results+json")[2])["boolean"] is False

        after = json.loads(request(base, "/api/sources?limit=1000")[2])
        assert after["total"] == listing["total"] - 1
        assert SOURCE not in {s["id"] for s in after["items"]}
        status, _, body = request(base, f"/api/sources/{SOURCE}", **{"If-None-Match": headers["etag"]})
        assert status == 404 and json.loads(body)["status"] == 404
        assert json.loads(request(base, "/api/claims?limit=1")[2])["total"] < claims_before


def test_a_warmed_server_answers_as_a_cold_one(build_dir):
    # `aikg serve` reads every claim (with its reports' positions and notes and its
    # derivations) and every source's claims in the background, in a few queries
    # over the whole store; what it answers from memory must be what a cold server
    # reads from the store a page at a time: every claim's page and every source's.
    paths_ = ["/api/claims?limit=1000", "/api/sources?limit=1000", "/api/models?limit=1000",
              "/api/people/elon-musk", "/api/labs"]
    with serving(build_dir) as base:
        paths_ += [item["url"] for listing in ("/api/claims?limit=1000", "/api/sources?limit=1000")
                   for item in json.loads(request(base, listing)[2])["items"]]
        assert f"/api/sources/{SOURCE}" in paths_ and "/api/claims/claude-sonnet-total-parameters" in paths_
        cold = {p: request(base, p)[2] for p in paths_}
    with serving(build_dir, AIKG_WARM_CACHE=True) as base:
        request(base, "/api/labs")       # the first request starts the warming
        for t in threading.enumerate():
            if t.name == "aikg-warm":
                t.join(60)
        warm = {p: request(base, p)[2] for p in paths_}
    assert all(json.loads(cold[p], object_pairs_hook=no_key_twice) for p in paths_)
    assert warm == cold


def no_key_twice(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)
