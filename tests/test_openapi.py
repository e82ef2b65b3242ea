"""/openapi.json against the routes the app really has, and every documented GET
called over HTTP with its parameters' examples."""
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from openapi_spec_validator import validate

from api.app import create_app
from live_server import base_fixture, get  # noqa: F401  (the `base` fixture)

IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture(scope="module")
def spec(base):
    status, ctype, body = get(f"{base}/openapi.json")
    assert status == 200 and ctype.startswith("application/json")
    return json.loads(body)


def app_routes(build_dir):
    """OpenAPI path -> HTTP methods, from the app's URL map."""
    routes = {}
    for rule in create_app({"AIKG_BUILD_DIR": str(build_dir)}).url_map.iter_rules():
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        routes.setdefault(path, set()).update(rule.methods - IGNORED_METHODS)
    return routes


def test_the_document_is_valid_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_every_route_is_documented_and_every_documented_path_exists(spec, build_dir):
    routes = app_routes(build_dir)
    documented = {path: {m.upper() for m in ops if m.upper() in ("GET", "POST", "PUT", "DELETE", "PATCH")}
                  for path, ops in spec["paths"].items()}
    assert set(routes) - set(documented) == set(), "routes missing from /openapi.json"
    assert set(documented) - set(routes) == set(), "documented paths the app does not have"
    for path, methods in routes.items():
        assert methods == documented[path], path


def deref(spec, obj):
    if isinstance(obj, dict) and "$ref" in obj:
        target = spec
        for part in obj["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return deref(spec, target)
    return obj


def example_url(spec, path, op):
    query = {}
    for p in (deref(spec, p) for p in op.get("parameters", [])):
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", urllib.parse.quote(str(p["example"]), safe="/"))
        elif p["in"] == "query" and p.get("required"):
            query[p["name"]] = p["example"]
    return path + ("?" + urllib.parse.urlencode(query) if query else "")


def test_every_documented_get_answers_as_described(spec, base):
    called = 0
    for path, ops in spec["paths"].items():
        if "get" not in ops:
            continue
        url = example_url(spec, path, ops["get"])
        status, ctype, body = get(base + url)
        responses = ops["get"]["responses"]
        assert str(status) in responses, (url, status, body[:300])
        described = deref(spec, responses[str(status)]).get("content", {})
        assert ctype.split(";")[0].strip() in described, (url, ctype)
        assert status == 200, (url, body[:300])
        called += 1
    assert called == sum(1 for ops in spec["paths"].values() if "get" in ops)


def test_etags_and_304_are_where_the_document_says(spec, base):
    # Every REST lookup answers with an ETag and Vary, documented on its 200, and
    # documents the 304 that If-None-Match with that tag really gets.
    tagged = 0
    for path, ops in spec["paths"].items():
        op = ops.get("get")
        if op is None or "rest" not in op.get("tags", []):
            continue
        url = base + example_url(spec, path, op)
        with urllib.request.urlopen(url, timeout=30) as r:
            etag, vary = r.headers.get("ETag"), r.headers.get("Vary")
        assert etag and "Accept" in vary, path
        assert {"ETag", "Vary"} <= set(deref(spec, op["responses"]["200"]).get("headers", {})), path
        assert "If-None-Match" in {deref(spec, p)["name"] for p in op.get("parameters", [])}, path
        assert {"ETag", "Vary"} <= set(deref(spec, op["responses"]["304"]).get("headers", {})), path
        req = urllib.request.Request(url, headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as not_modified:
            urllib.request.urlopen(req, timeout=30)
        assert not_modified.value.code == 304 and not_modified.value.headers.get("ETag") == etag, path
        tagged += 1
    assert tagged == 11          # labs, models, claims, sources (each listing and one), people, predictions, validation
