"""The build writes a row view's stanzas as text made from Oxigraph's terms
(graph/views.py _row_stanzas), not through rdflib: that text must be the bytes
trig.stanza_from makes of row_triples, which is what an incremental refresh writes
for the same rows, for every kind of term a column can hold."""
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest

from graph import views

EX = "https://example.org/"
# Plain strings with and without the characters rdflib escapes, a language-tagged
# string, numbers, a date, IRIs.
VALUES = ['plain text', 'a "quoted" word', 'back\\slash', 'two\nlines', 'ends with "quote"\nand "more"',
          'carriage\rreturn', 'é unicode ✓']
XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS = [ox.Literal(v) for v in VALUES] + [
    ox.Literal("hallo", language="de"),
    ox.Literal("12", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("0.340", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal("-2.5E3", datatype=ox.NamedNode(XSD + "double")),
    ox.Literal("2024-05-01", datatype=ox.NamedNode(XSD + "date")),
    ox.NamedNode(EX + "an-iri"),
]

VIEW = f"""# key: key
SELECT ?key ?value (STRLEN(STR(?value)) AS ?length) WHERE {{
  ?key <{EX}p> ?value .
}}
ORDER BY DESC(?length) ?key ?value
"""


@pytest.fixture
def setup(tmp_path):
    (tmp_path / "odd-values.rq").write_text(VIEW, encoding="utf-8")
    store = ox.Store()
    for i, term in enumerate(TERMS):
        store.add(ox.Quad(ox.NamedNode(f"{EX}k{i}"), ox.NamedNode(EX + "p"), term, ox.NamedNode(EX + "g")))
    # One key with two rows.
    store.add(ox.Quad(ox.NamedNode(f"{EX}k0"), ox.NamedNode(EX + "p"), ox.Literal("second value"), ox.NamedNode(EX + "g")))
    return store, views.definitions(tmp_path)


def _through_rdflib(store, defs):
    out = []
    for view in views._in_file_order(defs):
        rows = views.compute(store, view)
        for iri in sorted(rows):
            triples = views.row_triples(view, iri, rows[iri])
            out.append((iri, len(triples), views._stanza(iri, triples)))
    return out


def test_row_stanzas_are_the_text_of_row_triples(setup):
    store, defs = setup
    expected = _through_rdflib(store, defs)
    assert len(expected) == len(TERMS) + 1
    assert any('"""' in text for _, _, text in expected), "no multi-line literal: the test would prove less"
    assert list(views._row_stanzas(store, defs)) == expected
    with ThreadPoolExecutor(2) as pool:
        assert list(views._row_stanzas(store, defs, pool, ahead=1)) == expected


def test_row_stanzas_of_several_views_come_in_subject_order(setup, tmp_path):
    store, _ = setup
    for name in ("b-view", "a-view", "c-view"):
        (tmp_path / f"{name}.rq").write_text(VIEW, encoding="utf-8")
    defs = views.definitions(tmp_path)
    expected = _through_rdflib(store, defs)
    with ThreadPoolExecutor(2) as pool:
        got = list(views._row_stanzas(store, defs, pool, ahead=2))
    assert got == expected
    assert [iri for iri, _, _ in got] == sorted(iri for iri, _, _ in got)
