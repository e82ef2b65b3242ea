"""The support tree of one claim, read from the built store: its reports and,
for a derived claim, the premises it needs and theirs (for `aikg why`)."""
from dataclasses import dataclass, field

import pyoxigraph as ox

from aikg.vocab import ID

from .queries import QueryError, internal, run_sparql


@dataclass
class ReportNode:
    source: str
    origin: str
    hedge: str
    quote: str
    said: str | None = None     # the attribution as the text words it, when it differs


@dataclass
class ClaimNode:
    slug: str
    statement: str
    independent: int | None
    rests_on: list
    derived_by: list
    reports: list = field(default_factory=list)
    premises: list = field(default_factory=list)


def _val(row, name):
    t = row[name]
    return t.value if t is not None else None


def support_tree(store, claim: str) -> ClaimNode:
    """The tree below `claim` (an id or IRI); QueryError if no such claim."""
    iri = ox.NamedNode(claim if claim.startswith("http") else f"{ID}claim/{claim}")
    return _node(store, iri, claim)


def _node(store, iri, name) -> ClaimNode:
    rows = list(run_sparql(store, internal("why-claim"), {ox.Variable("claim"): iri}))
    if not rows:
        raise QueryError(f"no claim {name!r} (claim ids are the `claim:` of data/annotations/*.yaml)")
    r = rows[0]
    count = _val(r, "independent")
    collect = lambda name: sorted({_val(x, name) for x in rows} - {None})  # noqa: E731
    node = ClaimNode(_val(r, "slug"), _val(r, "statement"), int(count) if count else None,
                     collect("restsOn"), collect("derivedBy"))
    for rep in run_sparql(store, internal("why-reports"), {ox.Variable("claim"): iri}):
        node.reports.append(ReportNode(_val(rep, "source"), _val(rep, "originLabel"), _val(rep, "hedge"),
                                       _val(rep, "quote"), _val(rep, "said")))
    for p in run_sparql(store, internal("why-premises"), {ox.Variable("claim"): iri}):
        node.premises.append(_node(store, p["premise"], p["premise"].value))
    return node
