"""The synthetic corpus generator and `aikg bench` at a tiny scale."""
import json

import pytest

from bench.generate import MAX_DEPTH, generate
from bench.run import bench, growth
from graph.build import build
from graph.queries import run_sparql
from graph.store import open_store


def _files(d):
    return {p.relative_to(d): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("syn") / "corpus", 60, seed=3)


@pytest.fixture(scope="module")
def syn_store(corpus, tmp_path_factory):
    r = build(tmp_path_factory.mktemp("syn-build"), data_dir=corpus)
    assert r.sources == 60
    return open_store(r.trig.parent)


def one(store, text):
    return [tuple(t.value for t in row) for row in run_sparql(store, text)]


def test_generator_is_deterministic_by_seed(corpus, tmp_path):
    assert _files(generate(tmp_path / "again", 60, seed=3)) == _files(corpus)
    assert _files(generate(tmp_path / "other", 60, seed=4)) != _files(corpus)


def test_generated_corpus_loads_beside_the_bundled_one(cli, corpus, tmp_path, built):
    r = cli("build", "--corpus", str(corpus), "--build-dir", str(tmp_path / "b"))
    assert r.code == 0, r.err
    assert r.out.split(": ", 1)[1].startswith(f"{built.sources + 60} sources,")


def test_generated_corpus_has_the_shapes_of_a_real_one(syn_store):
    s = syn_store
    # a few prolific origins: the busiest one carries many times the median's reports
    per_origin = sorted(int(n) for _, n in one(s, """SELECT ?o (COUNT(?r) AS ?n) WHERE {
        ?r a aikg:Report ; prov:wasAttributedTo ?o } GROUP BY ?o"""))
    assert per_origin[-1] >= 4 * per_origin[len(per_origin) // 2]
    # one claim repeated by several sources
    assert max(int(n) for (n,) in one(s, """SELECT (COUNT(DISTINCT ?src) AS ?n) WHERE {
        ?c aikg:reportedIn ?src } GROUP BY ?c""")) >= 3
    # derivation chains deeper than one step, never deeper than MAX_DEPTH
    assert run_sparql(s, "ASK { ?a prov:wasDerivedFrom/prov:wasDerivedFrom ?b }")
    too_deep = "ASK { ?a " + "/".join(["prov:wasDerivedFrom"] * (MAX_DEPTH + 1)) + " ?b }"
    assert not run_sparql(s, too_deep)
    assert run_sparql(s, "ASK { ?c aikg:lowerBound ?l ; aikg:upperBound ?u }")           # ranges
    assert run_sparql(s, "ASK { ?c aikg:lowerBound ?l FILTER NOT EXISTS { ?c aikg:upperBound ?u } }")   # open bounds
    assert run_sparql(s, "ASK { ?c a aikg:Prediction ; aikg:dueBy ?d }")                  # predictions
    assert run_sparql(s, "ASK { ?m skos:altLabel ?alias }")                                # aliases
    assert run_sparql(s, """ASK { ?a aikg:about ?m ; aikg:property ?p ; aikg:valueText ?x .
        ?b aikg:about ?m ; aikg:property ?p ; aikg:valueText ?y . FILTER(?a != ?b && ?x != ?y) }""")  # contradictions
    assert len(one(s, "SELECT DISTINCT ?h WHERE { ?r aikg:hedge ?h }")) >= 5


def test_bench_smoke_at_a_tiny_scale(tmp_path):
    doc, md = bench([2], out_dir=tmp_path, reps=2, budget=0.2, n_requests=24, only=["claims-per-hedge", "sources"],
                    log=lambda *_: None)
    saved = json.loads(md.with_suffix(".json").read_text())
    assert saved == json.loads(json.dumps(doc))
    for scale in saved["scales"]:
        assert scale["build"]["quads"] == scale["raw_bulk_load"]["quads"] > 0
        assert scale["build"]["peak_rss_mb"] > 0
        for name in ("claims-per-hedge", "sources"):
            q = scale["queries"][name]
            assert q["rows"] > 0 and 0 < q["p50_ms"] <= q["p95_ms"] and q["raw"]["p50_ms"] > 0
        assert "rest" in scale
    assert "| full build (s) |" in md.read_text()


def test_growth_exponent_of_a_linear_and_a_quadratic_cost():
    def scale(quads, secs):
        return {"scale": f"{quads}x", "build": {"quads": quads, "seconds": secs, "peak_rss_mb": 1.0},
                "raw_bulk_load": {"seconds": secs}, "queries": {}}
    g = growth([scale(1000, 1.0), scale(10_000, 10.0), scale(100_000, 100.0)])
    assert g["build_seconds"] == pytest.approx(1.0, abs=0.01)
    g = growth([scale(1000, 1.0), scale(10_000, 100.0)])
    assert g["build_seconds"] == pytest.approx(2.0, abs=0.01)
