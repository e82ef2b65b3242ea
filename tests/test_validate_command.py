"""`aikg validate` on the bundled corpus and on broken copies of it.

Expectations come from the articles, not from a snapshot of the output: the claims
are found in the built graph by what the articles say (their quotes, subjects and
properties), whatever ids the curators gave them."""
import io
import json
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout

import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import PROV, RDF, SH, XSD

from aikg.cli import main
from aikg.vocab import AIKG, ID, OA
from graph import validation

from validation_graphs import MiniGraph, dataset



def model_iri(slug):
    return ID[f"model/{slug}"]


def source_iri(slug):
    return ID[f"source/{slug}"]


def prop_iri(slug):
    return ID[f"property/{slug}"]


def aikg(*args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as e:
            code = e.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def graph(built):
    ds = Dataset()
    ds.parse(built.trig, format="trig")
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@pytest.fixture(scope="module")
def run(built, tmp_path_factory):
    """One validation of a copy of the session build (so the report lands in a folder of our own)."""
    folder = tmp_path_factory.mktemp("validated")
    shutil.copy(built.trig, folder / built.trig.name)
    code, out, err = aikg("validate", "--build-dir", str(folder), "--format", "json")
    return folder, code, json.loads(out) if out.strip() else err


def claims_quoting(g, source, words, prop=None):
    """Claims with a report in `source` whose quote contains `words` (and of property `prop`)."""
    found = set()
    for r in g.subjects(AIKG.source, source_iri(source)):
        if words in str(g.value(r, AIKG.quote)):
            c = g.value(r, OA.hasBody)
            if prop is None or (c, AIKG.property, prop_iri(prop)) in g:
                found.add(str(c))
    return found


def test_bundled_corpus_has_no_violation_and_exits_0(run):
    _, code, findings = run
    assert code == 0, findings
    assert [f["message"] for f in findings if f["severity"] == "Violation"] == []
    for f in findings:
        assert {"rule", "severity", "focus", "message", "claims", "sources"} <= set(f)
        assert f["severity"] in ("Warning", "Info")


def test_finds_the_10_to_25x_arithmetic_mismatch(run, graph):
    _, _, findings = run
    # "This represents a 10-25x jump over ... GPT-4 and Google's Gemini Ultra, which are
    # estimated to be in the range of 1-1.8 trillion parameters": 5T over 1-1.8T is 2.8-5x.
    ratios = claims_quoting(graph, "ainews-opus-5t-leap", "10-25x jump", "parameter-ratio")
    assert ratios
    for claim in ratios:
        hits = [f for f in findings if f["rule"] == "ratio-mismatch" and f["focus"] == claim]
        assert hits, claim
        assert hits[0]["severity"] == "Warning"
        assert str(source_iri("ainews-opus-5t-leap")) in hits[0]["sources"]
    # The finding names the pair of stated totals farthest from 10-25x: ~5T over GPT-4's
    # highest estimate, ~1.8T, is 2.8x (the 1T-1.8T range would allow up to 5x).
    assert any(re.search(r"make it 2\.8x from ~5T \(claim/[^)]*\) over ~1\.8T \(claim/", f["message"])
               for f in findings if f["focus"] in ratios)


def test_the_grok_ratios_agree_with_the_stated_sizes(run, graph):
    _, _, findings = run
    # Musk: Grok 4.20 (0.5T) is half of Sonnet (~1T) and one tenth of Opus (~5T).
    ratios = {str(c) for c in graph.subjects(AIKG.about, model_iri("grok-4-20"))
              if (c, AIKG.property, prop_iri("parameter-ratio")) in graph}
    assert ratios
    assert [f["message"] for f in findings if f["rule"] == "ratio-mismatch" and f["focus"] in ratios] == []


def test_finds_the_gemini_ultra_conflict(run, graph):
    _, _, findings = run
    multi = claims_quoting(graph, "ainews-5t-gambit", "multi-trillion", "total-parameters")
    about_1_2t = {str(c) for c in graph.subjects(AIKG.about, model_iri("gemini-ultra"))
                  if str(graph.value(c, AIKG.valueText)) == "~1.2T"}
    assert multi and about_1_2t
    hits = [f for f in findings if f["rule"] == "conflicting-values"
            and set(f["claims"]) & multi and set(f["claims"]) & about_1_2t]
    assert hits and hits[0]["severity"] == "Warning"
    assert {str(source_iri("ainews-5t-gambit")), str(source_iri("ainews-opus-5t-leap"))} <= set(hits[0]["sources"])


def test_each_claim_of_a_conflict_is_a_finding_naming_one_partner_and_counting_the_others(run, graph):
    """One finding per claim in conflict, not one per pair: ">=2T" ("multi-trillion") excludes
    both the ~1.2T and the 1T-1.8T estimates of Gemini Ultra, which agree with each other."""
    _, _, findings = run
    (multi,) = claims_quoting(graph, "ainews-5t-gambit", "multi-trillion", "total-parameters")
    totals = {str(c) for c in graph.subjects(AIKG.about, model_iri("gemini-ultra"))
              if (c, AIKG.property, prop_iri("total-parameters")) in graph}
    conflicts = [f for f in findings if f["rule"] == "conflicting-values" and f["focus"] in totals]
    by_focus = {f["focus"]: f for f in conflicts}
    assert len(by_focus) == len(conflicts), "one finding per claim"
    others = set(by_focus) - {multi}
    assert multi in by_focus and len(others) >= 2
    for claim in others:      # their one conflict: the multi-trillion claim
        assert by_focus[claim]["value"] == multi
        assert multi in by_focus[claim]["claims"] and "cannot both hold with >=2T" in by_focus[claim]["message"]
    # the multi-trillion claim names the smallest IRI among them and counts the rest
    assert by_focus[multi]["value"] == min(others)
    rest = len(others) - 1
    assert by_focus[multi]["message"].endswith(f" and {rest} other claim" + ("s" if rest > 1 else ""))


def test_finds_the_two_claims_contradicting_official_disclosures(run, graph):
    _, _, findings = run
    # gentic: "Grok-1, was a 314 billion parameter dense transformer" (xAI released a MoE);
    # "Meta's Llama 3 405B model successfully uses an MoE architecture" (Meta: dense).
    grok = claims_quoting(graph, "gentic-grok-4-20", "dense transformer", "architecture")
    llama = claims_quoting(graph, "gentic-grok-4-20", "Llama 3 405B", "architecture")
    assert grok and llama
    official = [f for f in findings if f["rule"] == "contradicts-official"]
    for claims in (grok, llama):
        hit = [f for f in official if f["focus"] in claims]
        assert hit and hit[0]["severity"] == "Warning"
        assert hit[0]["references"], "names the official fact"
    # the right numbers of Grok-1 (314B) and GPT-3 (175B) agree with the disclosures
    agreeing = claims_quoting(graph, "gentic-grok-4-20", "314 billion", "total-parameters") | \
        claims_quoting(graph, "gentic-grok-4-20", "GPT-3 (175B)", "total-parameters")
    assert agreeing and not [f for f in official if f["focus"] in agreeing]


def test_nothing_for_the_opus_versions(run, graph):
    _, _, findings = run
    versions = set(graph.subjects(AIKG.family, model_iri("claude-opus")))
    assert len(versions) >= 4
    version_claims = {str(c) for v in versions for c in graph.subjects(AIKG.about, v)}
    assert version_claims
    assert [f["message"] for f in findings
            if f["severity"] != "Info" and set(f["claims"]) & version_claims] == []
    # the family's ~5T is a note naming the versions it may mean
    family_totals = {str(c) for c in graph.subjects(AIKG.about, model_iri("claude-opus"))
                     if (c, AIKG.property, prop_iri("total-parameters")) in graph}
    notes = [f for f in findings if f["rule"] == "family-meets-versions" and f["focus"] in family_totals]
    assert notes and all(f["severity"] == "Info" for f in notes)
    assert "Claude 3 Opus" in notes[0]["message"] and "Claude Opus 4.5" in notes[0]["message"]


def test_the_report_is_saved_beside_the_build(run):
    folder, code, findings = run
    g = Graph().parse(folder / validation.REPORT_FILE, format="turtle")
    reports = list(g.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert g.value(reports[0], SH.conforms).toPython() is (code == 0)
    saved = validation.latest_findings(folder)
    assert sorted((f["rule"], f["focus"], f["message"]) for f in saved) == \
        sorted((f["rule"], f["focus"], f["message"]) for f in findings)
    assert [f["claims"] for f in saved if f["claims"]]


def _broken_copy(built, tmp_path, edit):
    ds = Dataset(default_union=True)
    ds.parse(built.trig, format="trig")
    claim = edit(ds)
    path = tmp_path / "broken.trig"
    ds.serialize(path, format="trig")
    return path, str(claim)


def test_a_claim_without_origin_is_a_violation_naming_it(built, tmp_path):
    def drop_origin(ds):
        claim = sorted(s for s in ds.subjects(RDF.type, AIKG.Claim) if (s, PROV.wasAttributedTo, None) in ds)[0]
        for g in ds.graphs():
            g.remove((claim, PROV.wasAttributedTo, None))
        return claim
    path, claim = _broken_copy(built, tmp_path, drop_origin)
    code, out, _ = aikg("validate", "--data", str(path), "--format", "turtle")
    assert code == 1
    g = Graph().parse(data=out, format="turtle")
    reports = list(g.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1 and g.value(reports[0], SH.conforms).toPython() is False
    violations = [r for r in g.subjects(SH.resultSeverity, SH.Violation)]
    assert claim in {str(g.value(r, SH.focusNode)) for r in violations}


def test_a_lower_bound_above_the_upper_is_a_violation_naming_the_claim(built, tmp_path):
    def raise_lower(ds):
        claim = sorted(s for s in ds.subjects(AIKG.lowerBound, None) if (s, AIKG.upperBound, None) in ds)[0]
        upper = next(ds.objects(claim, AIKG.upperBound)).toPython()
        for g in ds.graphs():
            if (claim, AIKG.lowerBound, None) in g:
                g.set((claim, AIKG.lowerBound, Literal(upper * 2, datatype=XSD.decimal)))
        return claim
    path, claim = _broken_copy(built, tmp_path, raise_lower)
    code, out, _ = aikg("validate", "--data", str(path), "--format", "json")
    assert code == 1
    violations = [f for f in json.loads(out) if f["severity"] == "Violation"]
    assert [f["rule"] for f in violations if f["focus"] == claim] == ["claim.lowerBound:lessThanOrEquals"]
    assert all(claim in f["claims"] for f in violations)


def test_fail_on_warning_and_text_output(tmp_path):
    m = MiniGraph("cli")
    model, src = m.version("model"), m.source("a")
    m.claim("total", model, "total-parameters", "100B", src)
    m.claim("active", model, "active-parameters", "200B", src)
    ds, _ = dataset(m)
    path = tmp_path / "mini.trig"
    ds.serialize(path, format="trig")
    code, out, _ = aikg("validate", "--data", str(path))
    assert code == 0
    assert "Warnings" in out and "[active-above-total] claim/cli-active" in out
    assert "0 violations, 1 warnings" in out
    code, out, _ = aikg("validate", "--data", str(path), "--fail-on", "warning", "--format", "turtle")
    assert code == 1
    g = Graph().parse(data=out, format="turtle")
    assert g.value(next(g.subjects(RDF.type, SH.ValidationReport)), SH.conforms).toPython() is False


def test_bad_data_file_is_an_error_naming_it(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle .\n")
    code, out, err = aikg("validate", "--data", str(bad))
    assert code == 2 and "bad.ttl" in err and out == ""
    code, _, err = aikg("validate", "--data", str(tmp_path / "missing.trig"))
    assert code == 2 and "missing.trig" in err
