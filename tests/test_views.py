"""Materialised views (graph/views.py): the rows the build stores are the rows the
view queries compute, whole or one key at a time; the stored sort keys order rows
as the queries' ORDER BY does; named queries page through them; and an incremental
change whose views step fails leaves everything as it was."""
import shutil
from decimal import Decimal

import pyoxigraph as ox
import pytest

from graph import facet_tallies, incremental, queries, trig, views
from graph.build import build

VIEWS = {n: v for n, v in views.definitions().items() if not v.facet}
FACETS = {n: v for n, v in views.definitions().items() if v.facet}


def _content(rows):
    return {iri: (str(key), frozenset(modes), {k: str(v) for k, v in values.items()})
            for iri, (key, modes, values, _) in rows.items()}


def test_there_are_views_and_each_has_a_named_query():
    assert VIEWS
    assert set(VIEWS) <= set(queries.library())


def test_there_are_facets_and_a_named_query_reads_each():
    assert FACETS
    texts = "".join(q.text for q in queries.library().values())
    for view in FACETS.values():
        for mode in ("no", "yes"):
            # A facet is read through its tallies (graph/facet_tallies.py).
            read = [facet_tallies.predicate(view, what, mode) for what in ("count", "list")]
            assert any(f"<{iri}>" in texts for iri in read), (view.name, mode)


def _stored_facets(store):
    """{key: {(predicate, object)}} of graph:views' facet triples."""
    preds = {str(v.iri(m)) for v in FACETS.values() for m in (None, "no", "yes")}
    out = {}
    for r in queries.run_sparql(store, "SELECT ?s ?p ?o WHERE { GRAPH graph:views { ?s ?p ?o } }"):
        if r["p"].value in preds:
            out.setdefault(r["s"].value, set()).add((r["p"].value, trig.from_oxigraph(r["o"]).n3()))
    return out


def _facets(store, keys=None):
    return {k: {(str(p), o.n3()) for p, objs in preds.items() for o in objs}
            for k, preds in views.facet_triples(store, FACETS.values(), keys).items()}


def test_the_stored_facets_are_the_facets_computed_whole_and_key_by_key(store):
    whole = _facets(store)
    assert whole, "no facet triple on the bundled corpus: the comparison would prove nothing"
    assert _stored_facets(store) == whole
    # Without candidate reports, every facet triple is under the view's own IRI (both modes).
    assert {p for v in whole.values() for p, _ in v} == {str(f.iri(None)) for f in FACETS.values()}
    keys = sorted(whole)
    one_by_one = {}
    for key in keys[::7]:
        part = _facets(store, [ox.NamedNode(key)])
        assert set(part) == {key}, key
        one_by_one.update(part)
    assert one_by_one == {k: whole[k] for k in keys[::7]}
    assert _facets(store, [ox.NamedNode(k) for k in keys]) == whole


def test_a_refresh_of_unchanged_keys_changes_nothing(store):
    keys = [ox.NamedNode(k) for k in _stored_facets(store)]
    keys += [r["key"] for r in queries.run_sparql(store, "SELECT DISTINCT ?key WHERE { GRAPH graph:views { ?row aikg:rowKey ?key } }")]
    assert views.refresh(store, keys) == (set(), {})


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_the_stored_rows_are_the_rows_the_view_computes(store, name):
    view = VIEWS[name]
    rows = views.compute(store, view)
    assert rows, f"{name} has no rows on the bundled corpus: the comparison would prove nothing"
    stored = {r["row"].value for r in queries.run_sparql(
        store, "SELECT DISTINCT ?row WHERE { GRAPH graph:views { ?row ?v ?key } }",
        {ox.Variable("v"): ox.NamedNode(str(view.iri("no")))})}
    assert stored == set(rows)


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_rows_computed_key_by_key_are_the_rows_computed_whole(store, name):
    view = VIEWS[name]
    rows = views.compute(store, view)
    whole = _content(rows)
    keys = sorted({row[0] for row in rows.values()}, key=str)
    one_by_one = {}
    for key in keys:
        part = _content(views.compute(store, view, keys=[key]))
        assert {k for k, *_ in part.values()} == {str(key)}, (name, key)
        one_by_one.update(part)
    assert one_by_one == whole
    # and all of them at once, as a refresh binds them
    assert _content(views.compute(store, view, keys=keys)) == whole


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_sort_keys_order_rows_as_the_views_order_by(store, name):
    view = VIEWS[name]
    ordered = [r for r in queries.run_sparql(store, view.text, {ox.Variable("candidates"): ox.Literal("no")})]
    names = [v.value for v in queries.run_sparql(store, view.text, {ox.Variable("candidates"): ox.Literal("no")}).variables]
    keys = [views.sort_key(view.order, {n: t for n, t in zip(names, sol) if t is not None}) for sol in ordered]
    assert keys == sorted(keys)
    assert len(set(keys)) > 1


def test_sort_keys_follow_sparql_order_for_numbers_strings_and_unbound():
    order = [("n", False), ("s", True)]
    rows = [{"n": ox.Literal("-2.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")), "s": ox.Literal("b")},
            {"n": ox.Literal("-10", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), "s": ox.Literal("a")},
            {"s": ox.Literal("z")},
            {"n": ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), "s": ox.Literal("ab")},
            {"n": ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), "s": ox.Literal("a")},
            {"n": ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), "s": ox.Literal("b")},
            {"n": ox.Literal("1e20", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")), "s": ox.Literal("a")}]
    got = sorted(rows, key=lambda r: views.sort_key(order, r))
    assert [(r.get("n").value if "n" in r else None, r["s"].value) for r in got] == [
        (None, "z"), ("-10", "a"), ("-2.5", "b"), ("3", "b"), ("3", "ab"), ("3", "a"), ("1e20", "a")]


def test_restrict_binds_the_key_only_in_groups_that_name_it():
    text = "SELECT ?c ?n WHERE { ?c a ?t . { SELECT (COUNT(*) AS ?n) WHERE { ?x ?y ?z } } }"
    out = views.restrict(text, "c", [ox.NamedNode("urn:c")])
    assert out.count("VALUES ?c") == 1 and out.index("VALUES ?c") < out.index("?c a ?t")
    with pytest.raises(views.ViewError):
        views.restrict(text, "nothing", [ox.NamedNode("urn:c")])


def test_a_view_without_key_or_order_is_refused(tmp_path):
    (tmp_path / "a.rq").write_text("SELECT ?c WHERE { ?c a ?t } ORDER BY ?c\n")
    with pytest.raises(views.ViewError, match="key"):
        views.parse_view(tmp_path / "a.rq")
    (tmp_path / "b.rq").write_text("# key: c\nSELECT ?c WHERE { ?c a ?t } ORDER BY STR(?c)\n")
    with pytest.raises(views.ViewError, match="ORDER BY"):
        views.parse_view(tmp_path / "b.rq")


def test_named_queries_page_through_the_rows(store):
    q = queries.library()["estimates-by-model"]
    whole = queries.to_json(queries.run(store, q, {"limit": "1000"}))["results"]["bindings"]
    assert len(whole) > 12
    page = queries.to_json(queries.run(store, q, {"limit": "5", "offset": "7"}))["results"]["bindings"]
    assert page == whole[7:12]
    assert queries.to_json(queries.run(store, q, {"limit": "5", "offset": str(len(whole))}))["results"]["bindings"] == []
    for bad in ("-1", "ten", "1.5"):
        with pytest.raises(queries.QueryError, match="limit"):
            queries.run(store, q, {"limit": bad})


def test_a_paging_parameter_needs_its_clause(tmp_path):
    (tmp_path / "q.rq").write_text("# title: t\n# param: limit (integer, default 10) rows\nSELECT ?s WHERE { ?s ?p ?o }\n")
    with pytest.raises(queries.QueryError, match="LIMIT"):
        queries.parse_query_file(tmp_path / "q.rq")


def test_a_failure_in_the_views_step_leaves_the_store_and_trig_as_they_were(tmp_path, monkeypatch):
    from aikg import paths
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    # An article that no other one depends on for a claim's first full entry.
    slug = "musk-accidental-revelation"
    held = tmp_path / "held"
    moved = [*(data / "articles").glob(f"{slug}.*"), data / "annotations" / f"{slug}.yaml"]
    for p in moved:
        (held / p.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.move(p, held / p.parent.name / p.name)
    b = build(tmp_path / "b", data_dir=data).trig.parent
    for p in moved:
        shutil.move(held / p.parent.name / p.name, p)
    before = (set(ox.Store.read_only(str(b / "store"))), (b / "graph.trig").read_bytes())

    def broken(*_a, **_k):
        raise RuntimeError("views step failed")
    monkeypatch.setattr(incremental.views, "refresh", broken)
    with pytest.raises(RuntimeError):
        incremental.add(b, slug, data_dir=data)
    assert (set(ox.Store.read_only(str(b / "store"))), (b / "graph.trig").read_bytes()) == before


def test_shortened_text_and_row_order_keep_the_order_of_the_keys():
    import random
    rng = random.Random(5)
    p = "https://w3id.org/aikg/id/claim/"
    alphabet = sorted(set(p + "xyz0~ é"))
    words = {p, p[:10], "", "https://w3id.org/aikg/id/", "https://w3id.org/aikg/id/claim"}
    for _ in range(3000):
        cut = p[:rng.randrange(len(p) + 1)]
        words.add(cut + "".join(rng.choice(alphabet) for _ in range(rng.randrange(4))))
    words = sorted(words)
    assert sorted(words, key=views._text) == words
    numbers = sorted({rng.choice([-1, 1]) * rng.randrange(10 ** rng.randrange(1, 20)) / 10 ** rng.randrange(4)
                      for _ in range(2000)})
    assert sorted(numbers, key=lambda n: views._number(repr(n))) == numbers
    keys = sorted({bytes(rng.randrange(4) for _ in range(rng.randrange(30))) for _ in range(2000)})
    # a row's place: its first bytes as a decimal, then its IRI's digits for the rest
    place = lambda k: (Decimal(views._decimal(k[:views._HEAD])), views._digits(k[views._HEAD:]) + "-")  # noqa: E731
    assert [k for k in sorted(keys, key=place)] == sorted(keys, key=lambda k: (k.ljust(views._HEAD, b"\0")[:views._HEAD], k[views._HEAD:]))
