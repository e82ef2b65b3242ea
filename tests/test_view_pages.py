"""The paged named queries predictions and rests-only-on choose their page from every
row's key (read by scans joined in sub-selects, then the page's last key, then the
rows up to it ordered by key and IRI): every page is exactly the rows of the whole
ordered answer at its positions, also where a page starts or ends among rows whose
keys tie (the IRI decides there), on Oxigraph and on rdflib alike."""
import pytest

from graph import queries, views
from graph.store import open_store

CASES = [
    ("predictions", {}),
    ("predictions", {"status": "most"}),    # the status most predictions have today
    ("predictions", {"candidates": "yes"}),
    ("rests-only-on", {}),
    ("rests-only-on", {"person": "ainews"}),
    ("rests-only-on", {"person": "ainews", "candidates": "yes"}),
    ("rests-only-on", {"person": "any"}),
]


def rows(store, name, params):
    return queries.to_json(queries.run(store, queries.library()[name], params))["results"]["bindings"]


@pytest.mark.parametrize("name,params", CASES, ids=[f"{n}-{'-'.join(p.values()) or 'default'}" for n, p in CASES])
def test_every_page_is_the_slice_of_the_whole_answer(store, name, params):
    if params.get("status") == "most":
        states = [r["state"]["value"] for r in rows(store, name, {"limit": "100000"})]
        params = {"status": max(set(states), key=states.count)}
    whole = rows(store, name, {**params, "limit": "100000"})
    assert len(whole) > 3, f"{name} {params}: too few rows for paging to prove anything"
    for limit in (1, 2, 3, 7):
        for offset in range(len(whole) + 2):
            page = rows(store, name, {**params, "limit": str(limit), "offset": str(offset)})
            assert page == whole[offset:offset + limit], (limit, offset)


@pytest.mark.parametrize("name", ["predictions", "rests-only-on"])
def test_the_corpus_has_rows_whose_keys_tie(store, name):
    """Rows whose stored decimal keys are equal are ordered by IRI: without such rows
    the paging test above would not reach that part of the page's choice."""
    view = views.definitions()[name]
    heads = [row[3][:views._HEAD] for row in views.compute(store, view).values()]
    assert len(set(heads)) < len(heads)


@pytest.mark.parametrize("name,params,pages", [
    ("predictions", {}, [(3, 0), (4, 5), (2, 9)]),
    ("rests-only-on", {"person": "ainews"}, [(5, 0), (4, 7), (6, 37)]),
])
def test_rdflib_gives_the_same_pages(built, store, name, params, pages):
    memory = open_store(built.trig.parent, spec="memory")
    for limit, offset in pages:
        given = {**params, "limit": str(limit), "offset": str(offset)}
        page = rows(memory, name, given)
        assert page, given
        assert page == rows(store, name, given), given
