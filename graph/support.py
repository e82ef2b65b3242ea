"""Support analysis: which origins each claim rests on, written back as a named graph.

The support graph (networkx) runs from origins to what they support:
    origin -> report          a report rests on the one origin its text names
    report -> claim           any report keeps a claim alive (OR)
    premise claim -> derivation -> derived claim
                              a derivation needs every premise (AND)
Four articles repeating Musk's remark are four reports with one origin: one support.

A claim *rests on* origin X when withdrawing X's statement leaves it no support.
For an OR node that is the intersection of its alternatives' sets; for an AND node
(a derivation) the union of its premises' sets. Dominators answer "which nodes lie on
every path from the root", which is the OR rule applied everywhere: with a
derivation from Musk's ratio and @kimmonismus's size, no single origin dominates
the derived claim, yet withdrawing either one kills the derivation. So the sets are
computed with the AND/OR rule in topological order instead; on a graph with no
derivations the two coincide (tests check this against networkx.immediate_dominators).

The reverse question, "if X's statement were withdrawn, which claims lose all
support?", is the inverse relation: exactly the claims that rest on X.
"""
from itertools import combinations

import networkx as nx
from rdflib import Dataset, Literal
from rdflib.namespace import PROV, RDF, XSD

from aikg.vocab import AIKG, GRAPH, OA

ANALYSIS_GRAPH = GRAPH["analysis"]
_TYPE = RDF.type
ORIGIN, REPORT, CLAIM, DERIVATION = "origin", "report", "claim", "derivation"


class SupportCollector:
    """The support graph's raw material, gathered in one pass over each graph's
    triples, so that the build can feed it one source at a time."""

    def __init__(self):
        self.claims, self.reports, self.derivations = [], set(), set()
        self.bodies, self.attributed, self.generated, self.used = [], [], [], []
        self.candidates = set()
        self._kinds = {AIKG.Claim: self.claims.append, AIKG.Report: self.reports.add,
                       AIKG.Derivation: self.derivations.add, AIKG.CandidateReport: self.candidates.add}
        self._edges = {OA.hasBody: self.bodies, PROV.wasAttributedTo: self.attributed,
                       PROV.wasGeneratedBy: self.generated, PROV.used: self.used}

    def add(self, triples):
        kinds, edges = self._kinds, self._edges
        for s, p, o in triples:
            if p == _TYPE:
                kind = kinds.get(o)
                if kind is not None:
                    kind(s)
            else:
                pairs = edges.get(p)
                if pairs is not None:
                    pairs.append((s, o))

    def graph(self) -> nx.DiGraph:
        # A machine-extracted candidate is not evidence until a curator accepts it:
        # it adds nothing to a claim curated reports support, so a candidate naming
        # a new origin cannot make a claim look corroborated. A claim only candidates
        # make is analysed on them, for the queries that ask for candidates.
        curated = {c for r, c in self.bodies if r in self.reports and r not in self.candidates}
        self.reports -= {r for r, c in self.bodies if r in self.candidates and c in curated}
        g = nx.DiGraph()
        for c in self.claims:
            g.add_node(c, kind=CLAIM)
        for r in self.reports:
            g.add_node(r, kind=REPORT)
        for r, c in self.bodies:
            if r in self.reports:
                g.add_edge(r, c)
        for r, o in self.attributed:
            if r in self.reports:
                g.add_node(o, kind=ORIGIN)
                g.add_edge(o, r)
        for c, d in self.generated:
            if d in self.derivations:
                g.add_node(d, kind=DERIVATION)
                g.add_edge(d, c)
        for d, premise in self.used:
            if g.nodes.get(d, {}).get("kind") == DERIVATION:
                g.add_edge(premise, d)
        return g


def support_graph(ds: Dataset) -> nx.DiGraph:
    """The support graph of every claim in the dataset; nodes are IRIs with a `kind`."""
    collector = SupportCollector()
    for g in ds.graphs():
        collector.add(g)
    return collector.graph()


def _is_and(g, n):
    return g.nodes[n]["kind"] in (DERIVATION, REPORT)


def essential_origins(g: nx.DiGraph) -> dict:
    """node -> frozenset of the origins it cannot survive without (AND/OR rule).

    A node with no support at all maps to None: it is already lost, and as an
    alternative it adds nothing (None is the top of the lattice)."""
    ess = {}
    for n in nx.topological_sort(g):
        preds = [ess[p] for p in g.predecessors(n)]
        if g.nodes[n]["kind"] == ORIGIN:
            ess[n] = frozenset([n])
        elif _is_and(g, n):
            ess[n] = None if not preds or None in preds else frozenset().union(*preds)
        else:
            alive = [p for p in preds if p is not None]
            ess[n] = frozenset.intersection(*alive) if alive else None
    return ess


def reaching_origins(g: nx.DiGraph) -> dict:
    """node -> every origin some chain of support leads back to."""
    reach = {}
    for n in nx.topological_sort(g):
        own = {n} if g.nodes[n]["kind"] == ORIGIN else set()
        reach[n] = frozenset(own.union(*(reach[p] for p in g.predecessors(n))))
    return reach


def survivors(g: nx.DiGraph, withdrawn) -> set:
    """The nodes that keep some support when the origins in `withdrawn` are withdrawn."""
    alive = set()
    for n in nx.topological_sort(g):
        preds = list(g.predecessors(n))
        if g.nodes[n]["kind"] == ORIGIN:
            ok = n not in withdrawn
        elif _is_and(g, n):
            ok = bool(preds) and all(p in alive for p in preds)
        else:
            ok = any(p in alive for p in preds)
        if ok:
            alive.add(n)
    return alive


def lost_support(g: nx.DiGraph, withdrawn) -> set:
    """The claims that lose all support when these origins' statements are withdrawn."""
    alive = survivors(g, set(withdrawn))
    return {n for n, k in g.nodes(data="kind") if k == CLAIM and n not in alive}


def independent_origin_count(g: nx.DiGraph, claim, ess=None, reach=None) -> int:
    """The fewest origins whose statements must all be withdrawn for the claim to fall.

    1 means one origin alone can sink it; Musk's remark repeated by four sources is 1,
    Musk plus an analyst who sized the model independently is 2; 0, no support at all.
    Brute force over the origins that reach the claim: a handful per claim."""
    if ess is not None and ess[claim]:
        return 1
    sub = g.subgraph(nx.ancestors(g, claim) | {claim})
    if claim not in survivors(sub, set()):
        return 0
    origins = sorted(reach[claim] if reach is not None else reaching_origins(g)[claim])
    for k in range(1, len(origins) + 1):
        for cut in combinations(origins, k):
            if claim not in survivors(sub, set(cut)):
                return k
    return 0


def analysis_graph(ds: Dataset):
    """Add the analysis graph to the dataset (see analysis_triples) and return it."""
    return analysis_triples(support_graph(ds), ds.graph(ANALYSIS_GRAPH))


def analysis_triples(g: nx.DiGraph, out):
    """Into `out`, per claim: aikg:restsOn (each origin it cannot survive without),
    aikg:supportOrigin (each origin that reaches it) and aikg:independentOriginCount."""
    ess, reach = essential_origins(g), reaching_origins(g)
    for n, kind in g.nodes(data="kind"):
        if kind != CLAIM:
            continue
        for o in ess[n] or ():
            out.add((n, AIKG.restsOn, o))
        for o in reach[n]:
            out.add((n, AIKG.supportOrigin, o))
        out.add((n, AIKG.independentOriginCount,
                 Literal(independent_origin_count(g, n, ess, reach), datatype=XSD.integer)))
    return out
