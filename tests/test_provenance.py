"""What the bundled articles' claims rest on, with expectations from reading the articles:
Musk's ratio remark, repeated by every article, is one origin; Alan D. Thompson sized
the Claude 3 models; a Microsoft paper sized Claude 3.5 Sonnet; @kimmonismus posted
the xAI timeline. Plus a fixture article in which someone else sizes Sonnet."""
from pathlib import Path

import pytest

from aikg.vocab import ID
from graph import queries
from graph.build import build
from graph.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "independent-corpus"
SONNET = "claude-sonnet-total-parameters"


def rests_only_on(store, person):
    doc = queries.to_json(queries.run(store, queries.find("rests-only-on"), {"person": person}))
    return {queries.display(r["claim"]): r for r in doc["results"]["bindings"]}


def claim_values(store, claim, prop):
    rows = store.query(f"SELECT DISTINCT ?o WHERE {{ <{ID}claim/{claim}> <{prop}> ?o }}",
                       use_default_graph_as_union=True)
    return {r["o"].value for r in rows}


def test_sonnet_1t_rests_only_on_musk(cli):
    r = cli("query", "rests-only-on", "--param", "person=elon-musk", "--format", "json")
    assert r.code == 0, r.err
    doc = r.json()
    assert "claim" in doc["head"]["vars"]
    claims = {b["claim"]["value"]: b for b in doc["results"]["bindings"]}
    row = claims[f"{ID}claim/{SONNET}"]
    assert row["claim"]["type"] == "uri"
    assert int(row["nsources"]["value"]) >= 2      # the seed article and scale-war-2026 at least
    for source in ("musk-accidental-revelation", "scale-war-2026"):
        assert source in row["sources"]["value"]


def test_sonnet_1t_has_many_reports_but_one_origin(store):
    assert len(claim_values(store, SONNET, "https://w3id.org/aikg/ontology#reportedIn")) >= 2
    assert claim_values(store, SONNET, "https://w3id.org/aikg/ontology#restsOn") == {f"{ID}person/elon-musk"}
    assert claim_values(store, SONNET, "https://w3id.org/aikg/ontology#independentOriginCount") == {"1"}


@pytest.mark.parametrize("claim", ["claude-3-opus-total-parameters", "claude-3-sonnet-total-parameters",
                                   "claude-3-haiku-total-parameters"])
def test_the_claude_3_estimates_rest_on_alan_d_thompson(store, claim):
    assert claim in rests_only_on(store, "alan-d-thompson")
    assert claim not in rests_only_on(store, "elon-musk")


def test_claude_3_5_sonnet_175b_rests_on_the_microsoft_paper(store):
    assert "claude-3-5-sonnet-total-parameters" in rests_only_on(store, "microsoft-research-paper")


def test_the_1t_in_2_to_3_weeks_timeline_rests_on_kimmonismus(store):
    by_slug = rests_only_on(store, "kimmonismus")
    assert "xai-release-timeline-1t" in by_slug
    assert by_slug.keys() == rests_only_on(store, "@kimmonismus").keys()   # by label too


def test_a_claim_with_an_independent_second_origin_is_not_in_rests_only_on(store):
    # Musk states Grok 4.20's 0.5T; gentic.news relays @kimmonismus's post saying the same.
    assert "grok-4-20-total-parameters" not in rests_only_on(store, "elon-musk")
    assert "grok-4-20-total-parameters" not in rests_only_on(store, "kimmonismus")
    doc = queries.to_json(queries.run(store, queries.find("corroborated")))
    rows = {queries.display(b["claim"]): b for b in doc["results"]["bindings"]}
    assert {"elon-musk", "kimmonismus"} <= set(rows["grok-4-20-total-parameters"]["origins"]["value"].split(", "))


def test_person_by_name_or_alias_gives_the_same_answer(store):
    assert rests_only_on(store, "Elon Musk").keys() == rests_only_on(store, "musk").keys() \
        == rests_only_on(store, "elon-musk").keys()


def test_an_unknown_person_is_a_clear_error(cli):
    r = cli("query", "rests-only-on", "--param", "person=nobody-at-all")
    assert r.code == 2 and "nobody-at-all" in r.err


@pytest.fixture(scope="module")
def with_fixture(tmp_path_factory):
    r = build(tmp_path_factory.mktemp("fixture-build"), extra_dirs=[FIXTURE])
    return open_store(r.trig.parent)


def test_an_independent_statement_of_sonnets_size_takes_it_off_musks_list(store, with_fixture):
    assert SONNET in rests_only_on(store, "elon-musk")
    after = rests_only_on(with_fixture, "elon-musk")
    assert SONNET not in after
    # Musk's own ratio remark still rests on him alone.
    assert "grok-4-20-size-ratio-to-claude-sonnet" in after
    assert claim_values(with_fixture, SONNET, "https://w3id.org/aikg/ontology#independentOriginCount") == {"2"}


def test_aikg_build_corpus_does_the_same(cli, tmp_path):
    r = cli("build", "--corpus", str(FIXTURE), "--build-dir", str(tmp_path))
    assert r.code == 0, r.err
    r = cli("query", "rests-only-on", "--format", "json", "--build-dir", str(tmp_path))
    assert f"{ID}claim/{SONNET}" not in r.out


def test_why_prints_the_chain_back_to_musks_remark(cli):
    r = cli("why", SONNET)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert "rests on Elon Musk" in lines[1]
    assert "Sonnet must be ~1T" in r.out                                   # the claim, as reported
    derived = next(i for i, line in enumerate(lines) if "derived by the internet" in line)
    below = "\n".join(lines[derived:])
    assert "with its parameter count being half of Sonnet" in below        # Musk's remark itself
    assert "origin Elon Musk" in below
    # Nested deeper than the claim's own reports.
    ratio = next(line for line in lines[derived:] if "[grok-4-20-size-ratio-to-claude-sonnet]" in line)
    assert len(ratio) - len(ratio.lstrip()) > 0


def test_why_names_an_unknown_claim(cli):
    r = cli("why", "no-such-claim")
    assert r.code == 2 and "no-such-claim" in r.err


def test_why_as_json_is_the_same_tree(cli):
    tree = cli("why", SONNET, "--format", "json").json()
    assert tree["slug"] == SONNET and tree["rests_on"] == ["Elon Musk"]
    assert {r["origin"] for r in tree["reports"]} == {"Elon Musk"}
    premises = {p["slug"]: p for p in tree["premises"]}
    assert set(premises) == {"grok-4-20-size-ratio-to-claude-sonnet", "grok-4-20-total-parameters"}
    assert premises["grok-4-20-total-parameters"]["independent"] >= 2


def test_why_reads_the_same_tree_from_the_rdflib_store(cli):
    assert cli("why", SONNET, "--store", "memory").out == cli("why", SONNET).out


def test_the_analysis_is_its_own_named_graph(store):
    # Plain SPARQL can ask it; the source graphs carry none of it.
    assert queries.run_sparql(store, "ASK { GRAPH graph:analysis { ?c aikg:restsOn ?o ; aikg:independentOriginCount ?n } }")
    assert not queries.run_sparql(store, "ASK { GRAPH ?g { ?c aikg:restsOn ?o } FILTER(?g != graph:analysis) }")
    # Every claim is analysed: a count for each.
    counts = queries.to_json(queries.run_sparql(store, """SELECT (COUNT(DISTINCT ?c) AS ?claims) (COUNT(DISTINCT ?a) AS ?analysed)
        WHERE { { ?c a aikg:Claim } UNION { ?a aikg:independentOriginCount ?n } }"""))["results"]["bindings"][0]
    assert counts["claims"]["value"] == counts["analysed"]["value"]
