"""What makes a view's refresh cheap. A view's `# key-class:` header says that a key
has rows only if it is of one of those classes, and a refresh binds the view to the
touched keys of those classes only. On the bundled corpus: every row's key is of one
of its view's classes, and binding only those keys computes the same rows as binding
every key. And the digits of a row's IRI sort as the bytes of its sort key."""
import math
import random

import pytest

from graph import queries, views

VIEWS = views.definitions()
CLASSED = sorted(n for n, v in VIEWS.items() if v.key_classes)


def _content(rows):
    return {iri: (str(key), frozenset(modes), {k: str(v) for k, v in values.items()})
            for iri, (key, modes, values, _) in rows.items()}


def test_some_views_have_key_classes():
    assert CLASSED, "no view declares key classes: the tests below would prove nothing"


@pytest.mark.parametrize("name", CLASSED)
def test_every_key_of_a_row_is_of_a_key_class(store, name):
    view = VIEWS[name]
    keys = sorted({row[0] for row in views.compute(store, view).values()}, key=str)
    assert keys
    classes = views.key_classes(store, keys)
    outside = [k for k in keys if not classes.get(k.value, set()) & view.key_classes]
    assert not outside, f"{name}: keys of none of {sorted(view.key_classes)}: {outside[:5]}"


@pytest.mark.parametrize("name", CLASSED)
def test_binding_the_keys_of_its_classes_computes_what_binding_every_key_does(store, name):
    view = VIEWS[name]
    # The keys of every view's rows: claims, sources, models, reports, people...
    keys = set()
    for other in VIEWS.values():
        if not other.facet:
            keys |= {row[0] for row in views.compute(store, other).values()}
    keys |= {r["o"] for r in queries.run_sparql(store, "SELECT DISTINCT ?o WHERE { ?r aikg:hedge ?o }")}
    keys = sorted(keys, key=str)
    mine = views.keys_of(view, keys, views.key_classes(store, keys))
    assert 0 < len(mine) < len(keys)
    assert _content(views.compute(store, view, keys=mine)) == _content(views.compute(store, view, keys=keys))


def test_a_key_class_must_be_a_prefixed_name(tmp_path):
    (tmp_path / "a.rq").write_text("# key: c\n# key-class: Claim\nSELECT ?c WHERE { ?c a ?t } ORDER BY ?c\n")
    with pytest.raises(views.ViewError, match="key-class"):
        views.parse_view(tmp_path / "a.rq")
    (tmp_path / "b.rq").write_text("# key: c\n# key-class: aikg:Claim\nSELECT ?c WHERE { ?c a ?t } ORDER BY ?c\n")
    assert views.parse_view(tmp_path / "b.rq").key_classes == {"https://w3id.org/aikg/ontology#Claim"}


def test_row_digits_sort_as_their_bytes_and_keep_every_bit():
    rng = random.Random(7)
    tails = [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40))) for _ in range(3000)]
    tails += [b"", b"\x00", b"\xff", b"\x00\x00", b"\xff\xff\xff"]
    for t in tails:
        assert len(views._digits(t)) == math.ceil(8 * len(t) / 6)
    # Equal-length tails: digits in the same order as the bytes, and distinct.
    for n in (1, 2, 3, 5, 16):
        same = sorted({t[:n] for t in tails if len(t) >= n})
        digits = [views._digits(t) for t in same]
        assert digits == sorted(digits) and len(set(digits)) == len(same)
