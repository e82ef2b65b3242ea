"""The support analysis on small hand-made support graphs: the AND/OR rule, the
withdrawal semantics it must agree with, and where plain dominators go wrong."""
import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.support import (CLAIM, DERIVATION, ORIGIN, REPORT, essential_origins,
                           independent_origin_count, lost_support, reaching_origins)


def graph(reports=(), derivations=(), claims=()):
    """reports: (origin, claim) pairs; derivations: (claim, [premises])."""
    g = nx.DiGraph()
    g.add_nodes_from(claims, kind=CLAIM)
    for i, (o, c) in enumerate(reports):
        g.add_node(o, kind=ORIGIN)
        g.add_node(c, kind=CLAIM)
        g.add_node(f"r{i}", kind=REPORT)
        g.add_edges_from([(o, f"r{i}"), (f"r{i}", c)])
    for c, premises in derivations:
        d = f"d:{c}"
        g.add_node(c, kind=CLAIM)
        g.add_node(d, kind=DERIVATION)
        g.add_edge(d, c)
        for p in premises:
            g.add_edge(p, d)
    return g


# Musk's ratio remark plus a size two parties state: Sonnet ~1T, repeated by two sources.
SONNET = graph(reports=[("musk", "ratio"), ("musk", "size"), ("kimmo", "size"),
                        ("musk", "sonnet"), ("musk", "sonnet")],
               derivations=[("sonnet", ["ratio", "size"])])


def test_repetition_is_one_origin():
    ess = essential_origins(SONNET)
    assert ess["sonnet"] == {"musk"}
    assert independent_origin_count(SONNET, "sonnet") == 1


def test_a_claim_two_parties_state_rests_on_neither():
    ess = essential_origins(SONNET)
    assert ess["size"] == frozenset()
    assert independent_origin_count(SONNET, "size") == 2
    assert reaching_origins(SONNET)["sonnet"] == {"musk", "kimmo"}


def test_a_derivation_needs_every_premise():
    g = graph(reports=[("musk", "ratio"), ("kimmo", "size")], derivations=[("sonnet", ["ratio", "size"])])
    assert essential_origins(g)["sonnet"] == {"musk", "kimmo"}
    assert lost_support(g, {"kimmo"}) == {"size", "sonnet"}
    # Dominators read the derivation as "either premise", so neither origin dominates.
    g.add_edges_from([("root", "musk"), ("root", "kimmo")])
    idom = nx.immediate_dominators(g, "root")
    assert idom["sonnet"] not in ("musk", "kimmo")


def test_an_independent_report_removes_the_dependency():
    g = graph(reports=[("musk", "ratio"), ("musk", "size"), ("musk", "sonnet"), ("analyst", "sonnet")],
              derivations=[("sonnet", ["ratio", "size"])])
    assert essential_origins(g)["sonnet"] == frozenset()
    assert independent_origin_count(g, "sonnet") == 2
    assert "sonnet" not in lost_support(g, {"musk"})
    assert "sonnet" in lost_support(g, {"musk", "analyst"})


ORIGINS = ["a", "b", "c", "d"]


@st.composite
def support_graphs(draw, derivations=True):
    n = draw(st.integers(2, 7))
    claims = [f"c{i}" for i in range(n)]
    reports = [(draw(st.sampled_from(ORIGINS)), c) for c in claims
               for _ in range(draw(st.integers(0 if derivations else 1, 2)))]
    derived = []
    if derivations:
        for i, c in enumerate(claims[1:], 1):
            premises = draw(st.lists(st.sampled_from(claims[:i]), max_size=3, unique=True))
            if premises:
                derived.append((c, premises))
    return graph(reports, derived, claims)


@settings(max_examples=60, deadline=None)
@given(support_graphs())
def test_essential_origins_are_exactly_those_whose_withdrawal_sinks_the_claim(g):
    ess = essential_origins(g)
    claims = [n for n, k in g.nodes(data="kind") if k == CLAIM]
    unsupported = lost_support(g, set())
    for o in (n for n, k in g.nodes(data="kind") if k == ORIGIN):
        lost = lost_support(g, {o}) - unsupported
        assert lost == {c for c in claims if c not in unsupported and o in ess[c]}


@settings(max_examples=60, deadline=None)
@given(support_graphs(derivations=False))
def test_without_derivations_the_rule_agrees_with_dominators(g):
    origins = [n for n, k in g.nodes(data="kind") if k == ORIGIN]
    g.add_edges_from(("root", o) for o in origins)
    idom = nx.immediate_dominators(g, "root")
    ess = essential_origins(g.subgraph(n for n in g if n != "root"))
    for c in (n for n, k in g.nodes(data="kind") if k == CLAIM):
        dominators, n = set(), c
        while n != "root":
            n = idom[n]
            dominators.add(n)
        assert ess[c] == dominators & set(origins)


@settings(max_examples=40, deadline=None)
@given(support_graphs())
def test_the_independent_count_is_the_smallest_withdrawal_that_sinks_the_claim(g):
    from itertools import combinations
    origins = sorted(n for n, k in g.nodes(data="kind") if k == ORIGIN)
    for c in (n for n, k in g.nodes(data="kind") if k == CLAIM):
        k = independent_origin_count(g, c)
        if c in lost_support(g, set()):
            continue
        sinking = [len(s) for r in range(1, len(origins) + 1) for s in combinations(origins, r)
                   if c in lost_support(g, set(s))]
        assert k == min(sinking)


# ---------------------------------------------------------------- candidates on the built graph

_ARTICLE = "Weekly digest. Alan D. Thompson now puts Sonnet at about 1 trillion parameters. End."
_QUOTE = "Sonnet at about 1 trillion parameters"


def _build_with_second_origin(tmp_path, status):
    """The bundled corpus plus one article in which Alan D. Thompson, not Musk, gives
    Sonnet's ~1T, as a curated report or as a machine-extracted candidate."""
    import json

    from graph.build import build
    from graph.queries import run_sparql, to_json
    from graph.store import open_store
    extra = tmp_path / f"extra-{status}"
    (extra / "articles").mkdir(parents=True)
    (extra / "annotations").mkdir()
    (extra / "articles" / "digest.txt").write_text(_ARTICLE, encoding="utf-8")
    (extra / "articles" / "digest.yaml").write_text(
        f"title: Digest\nlanguage: en\npublished: unknown\nbody: {{start: 0, end: {len(_ARTICLE)}}}\n", encoding="utf-8")
    extra_fields = "    status: candidate\n    confidence: 0.9\n" if status == "candidate" else ""
    (extra / "annotations" / "digest.yaml").write_text(
        "source: digest\nclaims:\n  - claim: claude-sonnet-total-parameters\n    hedge: estimated\n"
        f"    origin: alan-d-thompson\n    quote: {json.dumps(_QUOTE)}\n    start: {_ARTICLE.index(_QUOTE)}\n"
        + extra_fields, encoding="utf-8")
    r = build(tmp_path / f"build-{status}", extra_dirs=[extra])
    rows = to_json(run_sparql(open_store(r.trig.parent), """
        SELECT ?n WHERE { claim:claude-sonnet-total-parameters aikg:independentOriginCount ?n }"""))
    return [int(b["n"]["value"]) for b in rows["results"]["bindings"]]


def test_a_candidate_report_adds_no_support_but_a_curated_one_does(tmp_path):
    assert _build_with_second_origin(tmp_path, "curated") == [2]
    assert _build_with_second_origin(tmp_path, "candidate") == [1]
