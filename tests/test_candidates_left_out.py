"""Machine-extracted candidate reports (aikg ingest, ontology/extraction.ttl) stay
out of every named query unless the caller asks for them with candidates=yes.

The fixture corpus tests/fixtures/candidates/ adds one article of candidates to the
bundled corpus: a second report of a curated claim by the origin it already rests
on, a claim and a prediction no curated article makes. None of them changes the
support analysis of a curated claim, so by default every named query must answer
exactly as on the bundled corpus alone."""
from pathlib import Path

import pytest

from graph import queries
from graph.build import build
from graph.store import open_store
from query_compare import answer

CANDIDATES = Path(__file__).parent / "fixtures" / "candidates"
NAMES = sorted(queries.library())
# Bindings under which the candidates reach the answer, where the defaults do not.
REACH = {"claims-about": {"entity": "claude-opus"}, "rests-only-on": {"person": "alan-d-thompson"},
         "origins-of": {"claim": "grok-4-20-total-parameters"}}


@pytest.fixture(scope="module")
def with_candidates(tmp_path_factory):
    result = build(tmp_path_factory.mktemp("candidates-build"), extra_dirs=[CANDIDATES])
    store = open_store(result.trig.parent)
    assert bool(queries.run_sparql(store, "ASK { ?r a aikg:CandidateReport }"))
    return store


@pytest.mark.parametrize("name", NAMES)
def test_candidates_are_left_out_by_default(store, with_candidates, name):
    q = queries.library()[name]
    params = REACH.get(name, {})
    assert answer(with_candidates, q, params) == answer(store, q, params)


@pytest.mark.parametrize("name", NAMES)
def test_candidates_come_in_when_asked(store, with_candidates, name):
    q = queries.library()[name]
    assert "candidates" in {p.name for p in q.params}, f"{name} has no candidates parameter"
    params = REACH.get(name, {})
    asked = answer(with_candidates, q, {**params, "candidates": "yes"})
    assert asked != answer(with_candidates, q, params)
    # on a graph without candidates, asking changes nothing
    assert answer(store, q, {**params, "candidates": "yes"}) == answer(store, q, params)
