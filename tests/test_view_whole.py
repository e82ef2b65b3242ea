"""A view's whole-graph form (queries/views/whole/NAME.rq), which the build computes
in the view's place (graph/views.py write_views), gives the view's own rows, in both
modes of the `candidates` parameter: on the bundled corpus and with a candidate
article staged beside it."""
from dataclasses import replace
from pathlib import Path

import pytest

from graph import views
from graph.build import build
from graph.store import open_store

WHOLE = sorted((views.VIEWS_DIR / "whole").glob("*.rq"))
DEFS = views.definitions()
CANDIDATES = Path(__file__).parent / "fixtures" / "candidates"


@pytest.fixture(scope="module")
def with_candidates(tmp_path_factory):
    result = build(tmp_path_factory.mktemp("whole-candidates"), extra_dirs=[CANDIDATES])
    return open_store(result.trig.parent)


def test_each_whole_form_is_that_of_a_view():
    assert WHOLE
    assert {p.stem for p in WHOLE} <= set(DEFS)


def _rows(store, view):
    if view.facet:
        return views.facet_triples(store, [view])
    return views.compute(store, view)


@pytest.mark.parametrize("path", WHOLE, ids=lambda p: p.stem)
def test_a_whole_form_gives_the_views_rows(store, with_candidates, path):
    view = DEFS[path.stem]
    text = path.read_text(encoding="utf-8")
    whole = replace(view, text=text, unordered=text)
    for s in (store, with_candidates):
        expected = _rows(s, view)
        assert expected, f"{view.name}: no row on this store: the comparison would prove nothing"
        assert _rows(s, whole) == expected
    assert views.has_candidates(with_candidates)


def test_the_build_writes_the_views_whole_forms_compute(store, built):
    """graph:views as built holds the rows computed by the views' own texts."""
    trig = built.trig.read_text(encoding="utf-8")
    for path in WHOLE:
        view = DEFS[path.stem]
        if view.facet:
            continue
        for iri in views.compute(store, view):
            assert f"<{iri}>" in trig, (view.name, iri)
