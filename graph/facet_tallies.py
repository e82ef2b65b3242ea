"""Tallies kept beside the facets: per facet value, how many keys have it in each mode
and, for a facet whose header asks (`# list: id:claim/`), their slugs.

The aggregate named queries (claims-per-hedge, claims-per-origin, class-counts, people,
single-source) count a facet's triples grouped by value. Counting at each call reads
every key's triple (at 1000x, 25 to 75 thousand per facet, 20 to 90 ms each), and
concatenating the keys' slugs reads each key's IRI back from Oxigraph's on-disk
dictionary (25 to 31 thousand IRIs, about 200 ms). A tally is one node per value
(origin, hedge, class) in graph:views holding every facet's figures for it:

    <id/tally/DIGEST> aikg:tallyOf <the value> ;
                      <id/view/NAME/count/no> 11 ;  <id/view/NAME/list/no> "a, b" ;
                      <id/view/NAME/count/yes> 12 ; <id/view/NAME/list/yes> "a, b, c" ;
                      <id/view/OTHER/count/no> 3 ; ...

its slugs sorted, joined by ", "; nothing of a facet and mode in which no key has the
value. Both modes are written even when alike (Oxigraph keeps one copy of a string),
so that a query reads one subject with the predicates of its mode: a star that
Oxigraph answers with a lookup per value, where a node per facet made it join nodes
value by value (70 ms for two facets at 1000x). A refresh reads back the tallies of
the values whose keys changed and edits them, rather than counting or listing a busy
origin's thousands of keys again."""
import hashlib

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from aikg.vocab import AIKG, ID

from . import queries, trig

SEPARATOR = ", "
MODES = ("no", "yes")


def predicate(view, what, mode) -> URIRef:
    """The predicate of a tally's `what` ("count", "list") of `view` in `mode`."""
    return URIRef(ID[f"view/{view.name}/{what}/{mode}"])


def node(value) -> str:
    """The IRI of the tally of the facet value `value` (an rdflib term)."""
    return str(ID[f"tally/{hashlib.sha1(value.n3().encode('utf-8')).hexdigest()[:16]}"])


def _slug(view, key: str) -> str:
    if not view.list_prefix:
        return key
    if not key.startswith(view.list_prefix):
        raise ValueError(f"{view.path}: list: a key does not start with {view.list_prefix}: {key}")
    return key[len(view.list_prefix):]


def _members(view, preds) -> dict:
    """{mode: {values}} of one key's facet triples {predicate: {objects}}."""
    shared = preds.get(URIRef(view.iri(None)), set())
    return {mode: set(shared) | set(preds.get(URIRef(view.iri(mode)), ())) for mode in MODES}


def _figures(view, mode, slugs) -> list:
    """(predicate, object) of one facet's figures for a value in `mode`, from the
    keys' slugs (the keys themselves for a facet without a list)."""
    if not slugs:
        return []
    out = [(predicate(view, "count", mode), Literal(len(slugs), datatype=XSD.integer))]
    if view.list_prefix:
        out.append((predicate(view, "list", mode), Literal(SEPARATOR.join(sorted(slugs)))))
    return out


def _stanza(iri, pairs) -> str:
    preds = {}
    for p, o in pairs:
        preds.setdefault(p, set()).add(o)
    return trig.stanza_from(URIRef(iri), preds)


def stanzas(views, facets):
    """(IRI, number of triples, stanza) of every tally of these facet views, in IRI
    order, from the whole graph's facet triples {key: {predicate: {objects}}}."""
    pairs = {}                                      # value -> [(predicate, object)]
    for view in views:
        keys = {}
        for key, preds in facets.items():
            for mode, values in _members(view, preds).items():
                for value in values:
                    keys.setdefault(value, {m: set() for m in MODES})[mode].add(_slug(view, key))
        for value, by_mode in keys.items():
            for mode in MODES:
                pairs.setdefault(value, [(AIKG.tallyOf, value)]).extend(_figures(view, mode, by_mode[mode]))
    out = [(node(value), len(p), _stanza(node(value), p)) for value, p in pairs.items()]
    return sorted(out)


def refresh(store, views, held, now):
    """(tallies to remove, {tally: triples}) for a refresh whose facet keys had the
    triples `held` ({key: {(predicate, object)}}) and now have `now` ({key: {predicate:
    {objects}}}): each tally of a value that a key gains or loses, read back, its
    figures of the facets concerned edited, written again whole."""
    edits = {}              # value -> {(view name, mode): ({keys added}, {keys removed})}
    by_name = {v.name: v for v in views}
    for key in set(held) | set(now):
        before = {}
        for p, o in held.get(key, ()):
            before.setdefault(p, set()).add(o)
        for view in views:
            was, is_ = _members(view, before), _members(view, now.get(key, {}))
            for mode in MODES:
                for side, values in ((0, is_[mode] - was[mode]), (1, was[mode] - is_[mode])):
                    for value in values:
                        change = edits.setdefault(value, {}).setdefault((view.name, mode), (set(), set()))
                        change[side].add(_slug(view, key))
    if not edits:
        return set(), {}
    nodes = {node(value): value for value in edits}
    stored = {}
    for r in queries.run_sparql(store, queries.internal("views-facets-of"),
                                {ox.Variable("key"): queries.Terms([ox.NamedNode(n) for n in sorted(nodes)])}):
        stored.setdefault(r["key"].value, {}).setdefault(URIRef(r["p"].value), set()).add(trig.from_oxigraph(r["o"]))
    old, new = set(), {}
    for iri, value in nodes.items():
        preds = dict(stored.get(iri, {}))
        for (name, mode), (added, removed) in edits[value].items():
            view = by_name[name]
            count, listed = predicate(view, "count", mode), predicate(view, "list", mode)
            if view.list_prefix:
                slugs = {s for t in preds.get(listed, ()) for s in str(t).split(SEPARATOR) if s}
                slugs = (slugs - removed) | added
                figures = _figures(view, mode, slugs)
            else:
                n = sum(int(c) for c in preds.get(count, ())) + len(added) - len(removed)
                figures = [(count, Literal(n, datatype=XSD.integer))] if n else []
            preds.pop(count, None)
            preds.pop(listed, None)
            for p, o in figures:
                preds[p] = {o}
        preds.pop(AIKG.tallyOf, None)
        if iri in stored:
            old.add(iri)
        if preds:
            s = URIRef(iri)
            new[iri] = [(s, AIKG.tallyOf, value)] + [(s, p, o) for p, objs in preds.items() for o in objs]
    return old, new
