"""Each semantic check fires on a minimal graph built for it and stays silent on the
fixed counterpart. The cases share no names, so all broken cases run in one
validation and all fixed ones in another (OWL-RL over the ontology is the slow part)."""
import pytest
from rdflib import URIRef

from aikg.vocab import AIKG
from graph import validation
from graph.validation import short

from validation_graphs import MiniGraph, dataset


def active_above_total(broken):
    m = MiniGraph("active")
    model, src = m.version("model"), m.source("a")
    m.claim("total", model, "total-parameters", "100B", src)
    focus = m.claim("active", model, "active-parameters", "200B" if broken else "20B", src)
    return m, focus


def ratio_mismatch(broken):
    # Opus ~5T, "10-25x" models put at 1-1.8T: the arithmetic gives 2.8-5x.
    m = MiniGraph("ratio")
    big, small, src = m.version("big"), m.version("small"), m.source("a")
    m.claim("big-total", big, "total-parameters", "~5T", src)
    m.claim("small-total", small, "total-parameters", "1T-1.8T", src)
    focus = m.claim("big-ratio", big, "parameter-ratio", "10-25" if broken else "3-5", src, relative_to=small)
    return m, focus


def ratio_fits_like_grok(broken):
    # Grok 4.20 at 0.5T, half of Sonnet at ~1T: agrees; "a fifth" would not.
    m = MiniGraph("halfsize")
    grok, sonnet, src = m.version("grok"), m.version("sonnet"), m.source("a")
    m.claim("grok-total", grok, "total-parameters", "0.5T", src)
    m.claim("sonnet-total", sonnet, "total-parameters", "~1T", src)
    focus = m.claim("grok-ratio", grok, "parameter-ratio", "0.2" if broken else "0.5", src, relative_to=sonnet)
    return m, focus


def conflicting_values(broken):
    # "multi-trillion" in one article, ~1.2T in another.
    m = MiniGraph("conflict")
    model, a, b = m.version("model"), m.source("a"), m.source("b")
    first = m.claim("estimate", model, "total-parameters", "~1.2T", a)
    second = m.claim("multi", model, "total-parameters", ">=2T" if broken else ">=1T", b)
    return m, min(first, second, key=str)


def conflicting_architectures(broken):
    m = MiniGraph("archs")
    model, a, b = m.version("model"), m.source("a"), m.source("b")
    first = m.claim("dense", model, "architecture", "dense-transformer" if broken else "moe", a)
    second = m.claim("sparse", model, "architecture", "sparse-moe", b)
    return m, min(first, second, key=str)


def contradicts_official_architecture(broken):
    m = MiniGraph("officialarch")
    model, src = m.version("model"), m.source("a")
    m.official("architecture", model, "architecture", "sparse-moe")
    focus = m.claim("arch", model, "architecture", "dense-transformer" if broken else "moe", src)
    return m, focus


def contradicts_official_value(broken):
    m = MiniGraph("officialsize")
    model, src = m.version("model"), m.source("a")
    m.official("total", model, "total-parameters", "175B")
    focus = m.claim("total", model, "total-parameters", "1.5T" if broken else "175B", src)
    return m, focus


def unbacked_official_hedge(broken):
    # "publicly acknowledged" with nothing official behind it.
    m = MiniGraph("hedge")
    model, src = m.version("model"), m.source("a")
    claim = m.claim("total", model, "total-parameters", "1T-1.8T", src, hedge="official")
    if not broken:
        m.official("total", model, "total-parameters", "1.5T")
    return m, URIRef(f"{claim}/report/{src.rsplit('/', 1)[1]}")


def prediction_due_before_publication(broken):
    m = MiniGraph("due")
    lab, src = m._entity("lab", AIKG.Lab, "lab", "due lab"), m.source("a", issued="2026-03-01")
    focus = m.claim("forecast", lab, "release-timeline", "1T", src, due_by="2025-12" if broken else "2026")
    return m, focus


def family_meets_versions(broken):
    # Opus ~5T (family) against Claude 3 Opus ~2T (a version): a note, never a warning.
    m = MiniGraph("family")
    fam, src = m.family("opus"), m.source("a")
    old = m.version("opus-3", family=fam)
    focus = m.claim("family-total", fam, "total-parameters", "~5T", src)
    if broken:
        m.claim("version-total", old, "total-parameters", "~2T", src)
    else:
        m.claim("version-date", old, "release-date", "2024-03", src)
    return m, focus


CASES = {
    "active-above-total": (active_above_total, "Warning"),
    "ratio-mismatch": (ratio_mismatch, "Warning"),
    "ratio-mismatch/half": (ratio_fits_like_grok, "Warning"),
    "conflicting-values": (conflicting_values, "Warning"),
    "conflicting-architectures": (conflicting_architectures, "Warning"),
    "contradicts-official": (contradicts_official_architecture, "Warning"),
    "contradicts-official/value": (contradicts_official_value, "Warning"),
    "unbacked-official-hedge": (unbacked_official_hedge, "Warning"),
    "prediction-due-before-publication": (prediction_due_before_publication, "Warning"),
    "family-meets-versions": (family_meets_versions, "Info"),
}


def _run(broken):
    built = {name: make(broken) for name, (make, _) in CASES.items()}
    ds, ref = dataset(*(m for m, _ in built.values()))
    return validation.run(ds, reference=ref), {name: focus for name, (_, focus) in built.items()}


@pytest.fixture(scope="module")
def broken_run():
    return _run(True)


@pytest.fixture(scope="module")
def fixed_run():
    return _run(False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_fires_on_its_case(broken_run, name):
    result, focus = broken_run
    rule, severity = name.split("/")[0], CASES[name][1]
    hits = [f for f in result.findings if f.rule == rule and f.focus == str(focus[name])]
    assert hits, f"{rule} did not fire on {focus[name]}"
    assert {f.severity for f in hits} == {severity}
    assert hits[0].claims and hits[0].sources


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_is_silent_on_the_fixed_case(fixed_run, name):
    result, focus = fixed_run
    rule = name.split("/")[0]
    assert [f.message for f in result.findings if f.rule == rule and f.focus == str(focus[name])] == []


def test_fixed_cases_are_clean_graphs(fixed_run):
    """The fixed graphs pass every shape and check: findings above come from the cases alone."""
    result, _ = fixed_run
    assert [(f.rule, f.message) for f in result.findings] == []
    assert result.conforms


def test_broken_cases_have_no_violation(broken_run):
    """What the checks find is about the articles (Warning, Info), not a broken graph."""
    result, _ = broken_run
    assert [f.message for f in result.findings if f.severity == "Violation"] == []
    assert result.conforms


def test_family_claims_are_never_compared_with_version_claims(broken_run):
    result, focus = broken_run
    family = str(focus["family-meets-versions"])
    note = next(f for f in result.findings if f.rule == "family-meets-versions" and f.focus == family)
    assert "family opus-3" in note.message          # names the version
    assert not [f for f in result.findings if f.severity == "Warning" and family in f.claims]


def test_ratio_message_gives_the_arithmetic(broken_run):
    result, focus = broken_run
    f = next(f for f in result.findings if f.rule == "ratio-mismatch" and f.focus == str(focus["ratio-mismatch"]))
    assert "2.8x to 5x" in f.message
    assert len(f.claims) == 3       # the ratio and the two totals it is held against


def test_official_finding_names_the_fact_and_its_document(broken_run):
    result, focus = broken_run
    f = next(f for f in result.findings
             if f.rule == "contradicts-official" and f.focus == str(focus["contradicts-official"]))
    assert f.references == ["https://w3id.org/aikg/id/fact/officialarch-architecture"]
    assert "architecture release" in f.message


def test_conflicting_values_gives_one_finding_per_claim_with_its_count():
    """Three estimates from three articles that exclude a fourth: four findings, not three
    pairs; the fourth names the smallest of the three and counts two more. A value from the
    same article only is no conflict."""
    m = MiniGraph("perclaim")
    model = m.version("model")
    big = m.claim("big", model, "total-parameters", ">=2T", m.source("a"))
    small = [m.claim(f"small-{i}", model, "total-parameters", v, m.source(s))
             for i, (v, s) in enumerate((("~1.2T", "b"), ("1T-1.8T", "c"), ("1.1T", "d")))]
    same = m.claim("same-article", model, "total-parameters", "~5T", m.source("b"))
    ds, ref = dataset(m)
    found = {f.focus: f for f in validation.run(ds, reference=ref).findings if f.rule == "conflicting-values"}
    assert set(found) == {str(big), str(same), *map(str, small)}
    # ~1.2T shares its article with ~5T: its one conflict is >=2T.
    assert found[str(small[0])].value == str(big)
    assert found[str(small[0])].message.endswith(f"cannot both hold with >=2T ({short(str(big))})")
    for c in small[1:]:     # >=2T and ~5T both exclude them
        assert found[str(c)].value == min(str(big), str(same))
        assert found[str(c)].message.endswith(" and 1 other claim")
    assert found[str(big)].value == min(map(str, small))
    assert found[str(big)].message.endswith(" and 2 other claims")
    # ~5T excludes the three small ones, but one of them is from its own article: two others.
    assert found[str(same)].value == min(map(str, small[1:]))
    assert found[str(same)].message.endswith(" and 1 other claim")
