"""/openapi.json against the routes the app really has, and every documented GET
called over HTTP with its parameters' examples."""
import json
import re
import urllib.parse

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
