"""The REST lookups under /api, over real HTTP against a waitress server.

Expected answers come from the annotation files (what curators read in the
articles) and from the articles themselves, never from the API's own output."""
import json

import pytest
from rdflib import Graph, URIRef

from aikg import paths
from curated import curated_claims
from live_server import base_fixture, get, serving  # noqa: F401  (the `base` fixture)

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def curated():
    return curated_claims()


def fetch(base, path, accept=None):
    return get(base + path, accept)


def doc(base, path):
    status, ctype, body = fetch(base, path)
    assert status == 200, body
    assert ctype.startswith("application/json")
    return json.loads(body)


def every(base, path):
    """All items of a paginated listing, page by page."""
    items, offset = [], 0
    while True:
        sep = "&" if "?" in path else "?"
        page = doc(base, f"{path}{sep}limit=7&offset={offset}")
        items += page["items"]
        offset += 7
        if offset >= page["total"]:
            assert len(items) == page["total"]
            return items


def test_claims_listing_has_every_curated_claim_across_pages(base, curated):
    items = every(base, "/api/claims")
    assert sorted(i["id"] for i in items) == sorted(curated)
    assert len({i["id"] for i in items}) == len(items)


def test_claims_filter_by_source_origin_and_hedge(base, curated):
    for source in ("musk-accidental-revelation", "scale-war-2026", "gentic-grok-4-20"):
        got = {i["id"] for i in every(base, f"/api/claims?source={source}")}
        assert got == {c for c, v in curated.items() if source in v["sources"]}
    got = {i["id"] for i in every(base, "/api/claims?origin=elon-musk")}
    assert got == {c for c, v in curated.items() if "elon-musk" in v["origins"]}
    got = {i["id"] for i in every(base, "/api/claims?hedge=leaked")}
    assert got == {c for c, v in curated.items() if "leaked" in v["hedges"]}
    both = {i["id"] for i in every(base, "/api/claims?origin=elon-musk&hedge=stated")}
    assert both == {c for c, v in curated.items() if "elon-musk" in v["origins"] and "stated" in v["hedges"]}


def test_claims_filter_by_model_includes_its_versions(base, curated):
    # Claude 3 Opus is a version of the Claude Opus family: its claims are the family's too.
    family = {i["id"] for i in every(base, "/api/claims?model=claude-opus")}
    version = {i["id"] for i in every(base, "/api/claims?model=claude-3-opus")}
    assert version and version <= family
    assert {c for c, v in curated.items() if v.get("about") in ("claude-opus", "claude-3-opus")} <= family
    props = {i["property"] for i in every(base, "/api/claims?model=claude-opus&property=total-parameters")}
    assert props == {"total-parameters"}


def test_sonnet_claim_support_chain_goes_back_to_musk(base, curated):
    # "If Grok is 0.5T, then Sonnet must be ~1T": the internet's arithmetic on Musk's two remarks.
    c = doc(base, "/api/claims/claude-sonnet-total-parameters")
    assert c["value"]["number"] == 1e12 and c["value"]["approximate"] is True
    assert set(c["sources"]) == curated["claude-sonnet-total-parameters"]["sources"]
    assert any(r["quote"] == "Sonnet must be ~1T" and r["source"]["id"] == "musk-accidental-revelation"
               for r in c["reports"])
    support = c["support"]
    assert [a["id"] for a in support["derived_by"]] == ["the-internet"]
    premises = {p["claim"]: p for p in support["derived_from"]}
    assert set(premises) == {"grok-4-20-total-parameters", "grok-4-20-size-ratio-to-claude-sonnet"}
    assert "elon-musk" in {o["id"] for o in premises["grok-4-20-size-ratio-to-claude-sonnet"]["origins"]}
    # Several sources repeat it, yet it has one origin it cannot do without.
    assert [o["id"] for o in c["rests_on"]] == ["elon-musk"]
    assert c["independent_origin_count"] == 1
    assert isinstance(c["findings"], list)


def test_grok_half_trillion_has_two_independent_origins(base):
    # gentic.news has @kimmonismus state the 0.5T figure on his own.
    c = doc(base, "/api/claims/grok-4-20-total-parameters")
    assert {o["id"] for o in c["independent_origins"]} >= {"elon-musk", "kimmonismus"}
    assert c["rests_on"] == []


def test_model_detail_aliases_family_versions_claims_and_estimates(base, curated):
    m = doc(base, "/api/models/claude-opus")
    assert "Opus" in m["aliases"] and m["lab"]["id"] == "anthropic" and m["kind"] == "family"
    assert {"claude-3-opus", "claude-opus-4-1"} <= {v["id"] for v in m["versions"]}
    claim_ids = {c["id"] for c in m["claims"]}
    assert "claude-opus-total-parameters" in claim_ids
    est = m["estimates"]["total-parameters"]
    assert est["min"] <= 5e12 <= est["max"]
    assert est["claims"] == len([c for c in m["claims"] if c["property"] == "total-parameters"
                                 and "relative_to" not in c["value"]])
    v = doc(base, "/api/models/claude-3-opus")
    assert v["family"]["id"] == "claude-opus" and v["kind"] == "version"


def test_labs_sources_people_and_predictions(base, curated):
    labs = every(base, "/api/labs")
    assert {"anthropic", "xai", "openai"} <= {lab["id"] for lab in labs}
    xai = doc(base, "/api/labs/xai")
    assert "grok-4-20" in {m["id"] for m in xai["models"]} and "elon-musk" in {p["id"] for p in xai["people"]}

    sources = every(base, "/api/sources")
    assert {s["id"] for s in sources} == {p.stem for p in paths.ARTICLES.glob("*.txt")}
    s = doc(base, "/api/sources/gentic-grok-4-20")
    assert {c["id"] for c in s["claims"]} == {c for c, v in curated.items() if "gentic-grok-4-20" in v["sources"]}
    assert "kimmonismus" in {o["id"] for o in s["origins"]}

    musk = doc(base, "/api/people/elon-musk")
    assert musk["affiliation"][0]["id"] == "xai"
    assert {c["id"] for c in musk["originated"]} == {c for c, v in curated.items() if "elon-musk" in v["origins"]}
    internet = doc(base, "/api/people/the-internet")
    assert "claude-sonnet-total-parameters" in {c["id"] for c in internet["derived"]}

    preds = every(base, "/api/predictions")
    assert {p["id"] for p in preds} == {c for c, v in curated.items() if v["prediction"]}
    assert all(p["status"] in ("open", "due", "overdue", "resolved") for p in preds)
    for status in ("open", "overdue"):
        assert {p["id"] for p in every(base, f"/api/predictions?status={status}")} == \
            {p["id"] for p in preds if p["status"] == status}


def test_validation_report_is_served(base):
    v = doc(base, "/api/validation")
    assert set(v) >= {"available", "conforms", "findings"}


@pytest.mark.parametrize("path", ["/api/claims/no-such-claim", "/api/models/no-such-model", "/api/labs/elon-musk",
                                  "/api/sources/nope", "/api/people/anthropic-nope", "/api/no-such-route"])
def test_unknown_ids_are_404_problem_details(base, path):
    status, ctype, body = fetch(base, path)
    assert status == 404 and ctype.startswith(PROBLEM)
    p = json.loads(body)
    assert p["status"] == 404 and p["title"] and p["detail"]


@pytest.mark.parametrize("path,word", [("/api/claims?limit=0", "limit"), ("/api/claims?limit=abc", "limit"),
                                       ("/api/labs?offset=-1", "offset"), ("/api/claims?model=gpt-9", "gpt-9"),
                                       ("/api/claims?hedge=sure", "sure"), ("/api/predictions?status=late", "late"),
                                       ("/api/claims?colour=red", "colour"), ("/api/labs?format=xml", "format")])
def test_bad_parameters_are_400_problem_details_naming_them(base, path, word):
    status, ctype, body = fetch(base, path)
    assert status == 400 and ctype.startswith(PROBLEM)
    assert word in json.loads(body)["detail"]


def test_turtle_and_jsonld_by_accept_or_format(base):
    iri = URIRef("https://w3id.org/aikg/id/claim/claude-sonnet-total-parameters")
    status, ctype, body = fetch(base, "/api/claims/claude-sonnet-total-parameters", accept="text/turtle")
    assert status == 200 and ctype.startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    assert (iri, URIRef("https://w3id.org/aikg/ontology#valueText"), None) in g
    # the reports come along, with their quotes
    assert "Sonnet must be ~1T" in {str(o) for o in g.objects(None, URIRef("https://w3id.org/aikg/ontology#quote"))}
    status, ctype, body = fetch(base, "/api/claims/claude-sonnet-total-parameters?format=jsonld")
    assert status == 200 and ctype.startswith("application/ld+json")
    assert (iri, None, None) in Graph().parse(data=body, format="json-ld")
    status, ctype, body = fetch(base, "/api/labs?limit=3", accept="application/ld+json")
    labs = {s for s in Graph().parse(data=body, format="json-ld").subjects()
            if str(s).startswith("https://w3id.org/aikg/id/lab/")}
    assert len(labs) == 3


REPORT = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix claim: <https://w3id.org/aikg/id/claim/> .
[] a sh:ValidationReport ; sh:conforms true ;
   sh:result [ a sh:ValidationResult ; sh:resultSeverity sh:Warning ;
               sh:focusNode claim:claude-opus-total-parameters ; sh:value claim:claude-sonnet-total-parameters ;
               sh:resultMessage "the 10-25x jump does not follow from the sizes the article gives" ] .
"""


def test_a_claim_shows_the_findings_of_the_latest_validation_report(build_dir, tmp_path):
    # A build folder sharing the session's store, with a validation report of our own.
    (tmp_path / "store").symlink_to(build_dir / "store")
    (tmp_path / "validation.ttl").write_text(REPORT, encoding="utf-8")
    with serving(tmp_path) as url:
        v = doc(url, "/api/validation")
        assert v["available"] is True and v["counts"] == {"warning": 1}
        opus = doc(url, "/api/claims/claude-opus-total-parameters")["findings"]
        sonnet = doc(url, "/api/claims/claude-sonnet-total-parameters")["findings"]
        grok = doc(url, "/api/claims/grok-4-20-total-parameters")["findings"]
    assert [f["severity"] for f in opus] == ["warning"] and "10-25x" in opus[0]["message"]
    assert sonnet == opus           # the value the finding names concerns that claim too
    assert grok == []
