"""Facet views (graph/views.py, queries/views/ with a `# facet:` header): the whole-graph
counts of claims-per-hedge, claims-per-origin, class-counts, people and single-source
read the tallies kept beside the facets (graph/facet_tallies.py), one node per value
with its count and, for some, its keys' slugs. With candidate reports in the store a
facet's triples split between the modes, and each mode must answer as the queries'
earlier, straightforward texts do; a facet key's stanza is spliced into graph.trig
where a fresh build writes it, even when another key's IRI begins with it."""
import random
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from graph import facet_tallies, queries, trig, views
from graph.build import build
from graph.store import open_store
from query_compare import answer, concat_of

HERE = Path(__file__).parent
BEFORE = HERE / "fixtures" / "aggregates-before"
CANDIDATES = HERE / "fixtures" / "candidates"
FACETS = [v for v in views.definitions().values() if v.facet]
COUNTED = sorted({q.name for q in queries.library().values()
                  for v in FACETS for what in ("count", "list")
                  if f"<{facet_tallies.predicate(v, what, 'no')}>" in q.text})


@pytest.fixture(scope="module")
def with_candidates(tmp_path_factory):
    result = build(tmp_path_factory.mktemp("facets-candidates"), extra_dirs=[CANDIDATES])
    return open_store(result.trig.parent)


def test_the_five_aggregates_read_tallies():
    assert COUNTED == ["claims-per-hedge", "claims-per-origin", "class-counts", "people", "single-source"]


@pytest.mark.parametrize("name", COUNTED)
@pytest.mark.parametrize("mode", ["no", "yes"])
def test_each_mode_answers_as_the_earlier_text_with_candidates(with_candidates, name, mode):
    old = queries.parse_query_file(BEFORE / f"{name}.rq")
    new = queries.library()[name]
    before = answer(with_candidates, old, {"candidates": mode})
    assert before[1], f"{name} answers nothing: the comparison would prove nothing"
    # A list the build keeps (# list:) stands where the earlier text concatenated.
    assert answer(with_candidates, new, {"candidates": mode}, concat=concat_of(old)) == before


@pytest.mark.parametrize("name", ["people", "single-source"])
@pytest.mark.parametrize("mode", ["no", "yes"])
def test_a_kept_list_comes_sorted(with_candidates, name, mode):
    sep = concat_of(queries.parse_query_file(BEFORE / f"{name}.rq"))
    var, = sep
    doc = queries.to_json(queries.run(with_candidates, queries.library()[name], {"candidates": mode}))
    lists = [b[var]["value"].split(sep[var]) for b in doc["results"]["bindings"]]
    assert any(len(parts) > 1 for parts in lists)
    assert all(parts == sorted(set(parts)) for parts in lists)


def test_candidates_split_the_facets_between_the_modes(with_candidates):
    preds = {r["p"].value for r in queries.run_sparql(
        with_candidates, "SELECT DISTINCT ?p WHERE { GRAPH graph:views { ?s ?p ?o } }")}
    mode_only = {m: {v.name for v in FACETS if str(v.iri(m)) in preds} for m in ("no", "yes")}
    # The candidate article's claim and prediction count only when asked; nothing
    # counts only when candidates are left out, since they only add.
    assert {"claim-origin", "report-origin", "instance-class"} <= mode_only["yes"]
    assert mode_only["no"] == set()


def _trig(subjects):
    ds = Dataset()
    g = ds.graph(URIRef("https://w3id.org/aikg/graph/views"))
    for s in subjects:
        g.add((URIRef(s), URIRef("https://w3id.org/aikg/id/view/v"), Literal(1)))
    return trig.serialize_trig(ds)


@pytest.mark.parametrize("big_block", [1 << 30, 0], ids=["whole-blocks", "stanza-by-stanza"])
def test_new_stanzas_whose_iris_begin_alike_are_spliced_in_order(tmp_path, monkeypatch, big_block):
    monkeypatch.setattr(trig, "_BIG_BLOCK", big_block)
    base = "https://w3id.org/aikg/id/report/a/"
    names = [base + n for n in ("x", "x-2", "x-20", "x2", "y", "x-", "w")]
    rng = random.Random(3)
    for _ in range(50):
        held = set(rng.sample(names, 2))
        added = set(rng.sample(sorted(set(names) - held), 3))
        src, out = tmp_path / "a.trig", tmp_path / "b.trig"
        src.write_bytes(_trig(held))
        g = "https://w3id.org/aikg/graph/views"
        stanzas = {s: trig.stanza_from(URIRef(s), {URIRef("https://w3id.org/aikg/id/view/v"): {Literal(1)}})
                   for s in added}
        trig.splice(src, out, {}, {g: stanzas})
        assert out.read_bytes() == _trig(held | added), (held, added)
