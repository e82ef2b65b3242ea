"""The provenance named queries on the bundled corpus, with expectations read from
the articles (not from the query output)."""
from datetime import date

import pytest

from graph import queries

LIBRARY = ["rests-only-on", "corroborated", "single-source", "estimates-by-model", "origins-of",
           "predictions", "sources", "people", "labs"]


def rows(store, name, **params):
    doc = queries.to_json(queries.run(store, queries.find(name), params))
    return [{k: queries.display(v) for k, v in b.items()} for b in doc["results"]["bindings"]]


@pytest.mark.parametrize("name", LIBRARY)
def test_every_query_has_a_header_and_answers_on_the_bundled_corpus(store, name):
    q = queries.find(name)
    assert q.title and q.description
    assert rows(store, name), f"{name} answers nothing"


def test_the_list_shows_parameters_and_defaults(cli):
    out = cli("query", "--list").out
    assert "rests-only-on" in out and "person=elon-musk" in out
    assert "origins-of" in out and "claim=claude-sonnet-total-parameters" in out


def test_corroborated_holds_grok_4_20s_size(store):
    # Musk states 0.5T himself; gentic.news relays @kimmonismus's post with the same figure.
    got = {r["claim"]: r for r in rows(store, "corroborated")}
    grok = got["grok-4-20-total-parameters"]
    assert int(grok["independent_origins"]) >= 2
    assert {"elon-musk", "kimmonismus"} <= set(grok["origins"].split(", "))
    assert "claude-sonnet-total-parameters" not in got


def test_single_source_groups_by_origin(store):
    got = {r["origin"]: set(r["claim_ids"].split(", ")) for r in rows(store, "single-source")}
    assert {"claude-3-opus-total-parameters", "claude-3-sonnet-total-parameters",
            "claude-3-haiku-total-parameters"} <= got["alan-d-thompson"]
    assert "claude-sonnet-total-parameters" in got["elon-musk"]
    assert "claude-3-5-sonnet-total-parameters" in got["microsoft-research-paper"]
    assert not any("grok-4-20-total-parameters" in claims for claims in got.values())


# The comparison tables the articles print: gentic-grok-4-20's "Parameter count
# comparison" and the Claude series list of musk-accidental-revelation.
TABLES = [("Grok-1", "314B"), ("Grok 4.20", "0.5T"), ("GPT-3", "175B"), ("GPT-4", ">1T"),
          ("Claude 3 Haiku", "~20B"), ("Claude 3 Sonnet", "~70B"), ("Claude 3 Opus", "~2T"),
          ("Claude 3.5 Sonnet", "~175B"), ("Claude Opus 4", "5T-6T"), ("Claude Opus 4.1", "5T-6T"),
          ("Claude Opus 4.5", "1.5T-2T"), ("Claude Opus 4.5", "93B-154B")]


def test_estimates_for_all_models_reproduce_the_articles_tables_with_provenance(store):
    got = {(r["subject"], r["value"]): r for r in rows(store, "estimates-by-model")}
    missing = [row for row in TABLES if row not in got]
    assert missing == []
    assert got[("Claude 3 Opus", "~2T")]["origins"] == "alan-d-thompson"
    assert got[("Claude 3.5 Sonnet", "~175B")]["rests_on"] == "microsoft-research-paper"
    assert got[("Claude Opus 4", "5T-6T")]["lower"] == "5000000000000"


def test_estimates_for_a_family_include_its_versions(store):
    subjects = {r["subject"] for r in rows(store, "estimates-by-model", model="claude-sonnet")}
    assert {"Claude Sonnet", "Claude 3 Sonnet", "Claude 3.5 Sonnet"} <= subjects
    assert not subjects & {"Claude Opus", "Grok 4.20"}
    version = {r["subject"] for r in rows(store, "estimates-by-model", model="Claude 3 Opus")}
    assert version == {"Claude 3 Opus"}


def test_origins_of_sonnet_goes_back_to_musks_ratio_remark(store):
    got = rows(store, "origins-of", claim="claude-sonnet-total-parameters")
    own = [r for r in got if r["step"] == "claim"]
    assert own and {r["origin"] for r in own} == {"elon-musk"}
    ratio = [r for r in got if r["via"] == "grok-4-20-size-ratio-to-claude-sonnet"]
    assert any(r["quote"] == "with its parameter count being half of Sonnet" for r in ratio)
    assert {r["derived_by"] for r in ratio} == {"the-internet"}
    assert {r["premise_of"] for r in ratio} == {"claude-sonnet-total-parameters"}


def _expected_state(due, today):
    if due == "unknown":
        return "open"
    opens, closes = {4: (f"{due}-01-01", f"{due}-12-31"), 7: (f"{due}-01", f"{due}-31")}.get(len(due), (due, due))
    return "open" if today < opens else "due" if today <= closes else "overdue"


def test_predictions_due_dates_and_status(store):
    got = {r["claim"]: r for r in rows(store, "predictions")}
    # gentic.news gives no publication date ("4h ago"): a relative horizon has no due date.
    timeline = got["xai-release-timeline-1t"]
    assert (timeline["horizon"], timeline["due"], timeline["made_by"]) == ("2-3 weeks", "unknown", "@kimmonismus")
    # "If xAI delivers a 1.5T model by mid-2026": an absolute date stands alone.
    assert got["xai-forecast-frontier-contender-mid-2026"]["due"] == "2026-06"
    today = date.today().isoformat()
    for claim, r in got.items():
        assert r["state"] == _expected_state(r["due"], today), claim


@pytest.mark.parametrize("status", ["open", "due", "overdue", "resolved"])
def test_predictions_filtered_by_status(store, status):
    everything = rows(store, "predictions")
    assert rows(store, "predictions", status=status) == [r for r in everything if r["state"] == status]


def test_sources_share_of_weak_reports_and_origins_relayed(store):
    got = {r["source"]: r for r in rows(store, "sources")}
    # gentic.news relays an unverified post by @kimmonismus.
    assert float(got["gentic-grok-4-20"]["weak_share"]) > 0
    assert "kimmonismus" in got["gentic-grok-4-20"]["origins"].split(", ")
    assert "elon-musk" in got["scale-war-2026"]["origins"].split(", ")
    for r in got.values():
        assert 0 <= float(r["weak_share"]) <= 1
        assert int(r["single_origin_claims"] or 0) <= int(r["claims"])


def test_people_counts(store):
    got = {r["origin"]: r for r in rows(store, "people")}
    musk = got["elon-musk"]
    assert musk["kind"] == "Person"
    assert int(musk["only_they_support"]) >= 1 and int(musk["corroborated"]) >= 1
    assert int(got["alan-d-thompson"]["only_they_support"]) >= 3
    claims = [int(r["claims"]) for r in rows(store, "people")]
    assert claims == sorted(claims, reverse=True)


def test_labs_list_models_with_their_estimates(store):
    got = rows(store, "labs")
    opus3 = [r for r in got if r["model"] == "Claude 3 Opus"]
    assert any(r["estimate"] == "total parameters ~2T" and r["origins"] == "alan-d-thompson" for r in opus3)
    assert all(r["lab"] == "Anthropic" and r["family"] == "Claude Opus" for r in opus3)
    assert any(r["lab"] == "xAI" and r["model"] == "Grok-1" and r["estimate"] == "total parameters 314B" for r in got)
