"""Incremental build: one article added to, or removed from, a built graph.

Only what depends on that article is recomputed: its named graph; the claim-level
triples (derivations) of claims it shares with other sources, in their graphs;
and the support analysis (graph:analysis) of the claims it touches and of every
claim derived from them, computed from their support ancestry alone. Everything
is checked before anything is written; the store then changes in one SPARQL
update (one transaction), and graph.trig is rewritten only in the blocks and
stanzas that changed, so the result is byte-identical to a full build.

Limits (a full `aikg build` is needed): changes to entities.yaml or the ontology,
and editing an article already in the build (remove it, then add it)."""
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from aikg import paths
from aikg.vocab import ID, source_graph
from loaders import annotations as ann
from loaders.articles import load_article
from loaders import cache as loader_cache
from loaders.corpus import _check_acyclic, corpus_dirs, report_graphs
from loaders.errors import LoadError
from loaders.ontology import label
from loaders.yamlfile import Mapping, load_yaml

from . import queries, trig
from .backends import parse_spec
from .store import TRIG, StoreMissing, open_store
from .support import ANALYSIS_GRAPH, analysis_graph
from . import views


def _ask(store, name, **values):
    subs = {ox.Variable(k): queries.Terms(v if isinstance(v, (list, set, tuple)) else [v]) for k, v in values.items()}
    return queries.run_sparql(store, queries.internal(name), subs)


def _slug(term):
    """The slug of one of our IRIs (…/model/<slug>, …/property/<slug>, …/claim/<slug>)."""
    return term.value.rsplit("/", 1)[1]


def _nn(iri):
    return ox.NamedNode(str(iri))


_rdf = trig.from_oxigraph


@dataclass
class Change:
    """What one add or remove does: graphs dropped, quads deleted and inserted,
    and the TriG stanzas to rewrite (graph IRI -> {subject IRI: stanza or None})."""
    source: str
    drop: list = field(default_factory=list)
    delete: set = field(default_factory=set)      # (s, p, o, g) as SPARQL/N-Triples text
    insert: set = field(default_factory=set)
    blocks: dict = field(default_factory=dict)    # graph IRI -> new block text (None: gone)
    stanzas: dict = field(default_factory=dict)   # graph IRI -> {subject: stanza text or None}
    claims: int = 0
    analysed: int = 0
    rows: int = 0           # view rows written anew

    def update_text(self):
        out = [f"DROP SILENT GRAPH <{g}>" for g in self.drop]
        if self.delete:
            out.append("DELETE DATA {\n" + "\n".join(f"GRAPH {g} {{ {s} {p} {o} }}" for s, p, o, g in sorted(self.delete)) + "\n}")
        if self.insert:
            out.append("INSERT DATA {\n" + "\n".join(f"GRAPH {g} {{ {s} {p} {o} }}" for s, p, o, g in sorted(self.insert)) + "\n}")
        return " ;\n".join(out)


def _n3(t):
    return t.n3() if hasattr(t, "n3") else str(t)


def _graph_quads(g, graph_iri):
    return {(_n3(s), _n3(p), _n3(o), f"<{graph_iri}>") for s, p, o in g}


class _Context:
    """The vocabulary, entities and store an incremental change is checked against."""

    def __init__(self, build_dir, extra_dirs, data_dir, store):
        self.build_dir = Path(build_dir)
        self.dirs = corpus_dirs(extra_dirs, data_dir)
        self.spec = parse_spec(store, build_dir)
        # The memory backend reads graph.trig: the TriG is all there is to change.
        self.store = open_store(build_dir, read_only=self.spec.kind == "memory", spec=store)
        self.onto, self.vocab, self.entities = loader_cache.load(self.build_dir, self.dirs)

    def find(self, folder, name):
        for d in self.dirs:
            if (d / folder / name).exists():
                return d / folder / name
        return None

    def annotation_path(self, slug):
        return self.find("annotations", f"{slug}.yaml") or self.dirs[0] / "annotations" / f"{slug}.yaml"

    def has_graph(self, slug):
        return bool(_ask(self.store, "incremental-has-graph", g=_nn(source_graph(slug))))

    def stored_claims(self, ids):
        """claim id -> the store's definition of it, for those of `ids` the build holds."""
        out = {}
        for r in _ask(self.store, "incremental-claims", claim=[_nn(ID[f"claim/{i}"]) for i in sorted(ids)]):
            c = out.setdefault(_slug(r["claim"]), {
                "about": _slug(r["about"]), "property": _slug(r["p"]), "value": r["value"].value,
                "relative-to": _slug(r["relative"]) if r["relative"] is not None else None,
                "sources": set(), "premises": set(), "by": set()})
            c["sources"].add(_slug(r["src"]))
            if r["premise"] is not None:
                c["premises"].add(_slug(r["premise"]))
            if r["who"] is not None:
                c["by"].add(str(r["who"].value))
        for c in out.values():
            c["first"] = min(c["sources"])
        return out

    def definer(self, cid, row):
        """A stand-in for the entry that first defined a stored claim, so that the
        loader checks new entries against it exactly as a full build would."""
        m = Mapping()
        for k in ("about", "property", "value", "relative-to"):
            if row[k] is not None:
                m[k] = row[k]
        return ann.Entry(self.annotation_path(row["first"]), m, None, cid)

    @staticmethod
    def stored_derivation(row):
        return set(row["premises"]), {URIRef(w) for w in row["by"]}

    def stanzas_of(self, graph_iri, subjects, extra=None, drop_preds=()):
        """New stanzas for `subjects` in a graph: the store's triples (minus drop_preds) plus `extra`."""
        g = Graph()
        pairs = {(ox.Variable("s"), ox.Variable("g")): [(_nn(s), _nn(graph_iri)) for s in subjects]}
        rows = queries.run_sparql(self.store, queries.internal("incremental-subject-quads"), pairs)
        for r in rows:
            if str(r["p"].value) not in drop_preds:
                g.add((_rdf(r["s"]), _rdf(r["p"]), _rdf(r["o"])))
        if extra is not None:
            g += extra
        return g, {str(s): (trig.stanza(g, URIRef(str(s))) if (URIRef(str(s)), None, None) in g else None)
                   for s in subjects}


# ---------------------------------------------------------------- the analysis

def _analysis(ctx, change, touched, excluded, extra_graph=None, skip=()):
    """Re-analyse the touched claims and every claim derived from them."""
    ex = _nn(excluded)
    deps = _ask(ctx.store, "incremental-dependents", claim=[_nn(c) for c in touched], excluded=ex)
    targets = (set(touched) | {r["dependent"].value for r in deps}) - set(skip)
    seeds = set(targets)
    if extra_graph is not None:
        seeds |= {str(o) for _, _, o in extra_graph.triples((None, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))}
    ancestors = {r["ancestor"].value for r in _ask(ctx.store, "incremental-ancestors", claim=[_nn(c) for c in seeds])}
    ds = Dataset()
    support = ds.graph(URIRef("urn:aikg:support"))
    for part in ("claims", "reports", "derivations"):
        for t in _ask(ctx.store, f"incremental-support-{part}", claim=[_nn(c) for c in ancestors | seeds], excluded=ex):
            support.add((_rdf(t.subject), _rdf(t.predicate), _rdf(t.object)))
    if extra_graph is not None:
        support += extra_graph
    fresh = analysis_graph(ds)
    kept = Graph()
    for s, p, o in fresh:
        if str(s) in targets:
            kept.add((s, p, o))
    old, _ = ctx.stanzas_of(ANALYSIS_GRAPH, targets)
    old_q, new_q = _graph_quads(old, ANALYSIS_GRAPH), _graph_quads(kept, ANALYSIS_GRAPH)
    change.delete |= old_q - new_q
    change.insert |= new_q - old_q
    change.stanzas.setdefault(str(ANALYSIS_GRAPH), {}).update(
        {s: (trig.stanza(kept, URIRef(s)) if (URIRef(s), None, None) in kept else None) for s in targets})
    change.analysed = len(targets)


# ---------------------------------------------------------------- add

def plan_add(ctx, slug) -> Change:
    text_path = ctx.find("articles", f"{slug}.txt")
    if text_path is None:
        raise LoadError(ctx.dirs[0] / "articles" / f"{slug}.txt", None, None, "no such article in the corpus folders")
    if ctx.has_graph(slug):
        raise LoadError(text_path, None, None, f"source {slug} is already in the build (remove it first to change it)")
    art, art_graph = load_article(text_path, ctx.entities)
    ann_path = ctx.find("annotations", f"{slug}.yaml")
    entries = ann.read_annotation_file(ann_path, {slug: art}) if ann_path else []
    ids = {e.claim for e in entries} | {str(d) for e in entries for d in (e.get("derived-from") or [])
                                        if isinstance(e.get("derived-from"), list)}
    stored = ctx.stored_claims(ids)
    for e in entries:
        row = stored.get(e.claim)
        if row is not None and slug < row["first"]:
            for k in ("about", "property", "value"):
                if e.get(k) is None and e is next(x for x in entries if x.claim == e.claim):
                    raise e.error(k, f"missing (this is the first entry for claim {e.claim!r})")
    defs = ann.resolve_claims([ctx.definer(c, r) for c, r in stored.items()] + entries, ctx.entities, ctx.vocab)
    _check_acyclic(defs)            # the new derivation steps among themselves; the store's below
    changed = set()
    for cid, row in stored.items():
        premises, by = ctx.stored_derivation(row)
        d = defs[cid]
        if not (d.derived_from <= premises and d.derived_by <= by):
            changed.add(cid)
        d.derived_from |= premises
        d.derived_by |= by
    for e in entries:
        for dep in e.get("derived-from") or []:
            if str(dep) in stored and ox.NamedNode(str(ID[f"claim/{e.claim}"])) in {
                    r["ancestor"] for r in _ask(ctx.store, "incremental-ancestors", claim=[_nn(ID[f"claim/{dep}"])])}:
                raise e.error("derived-from", f"derivation cycle: {e.claim} -> {dep} -> ... -> {e.claim}")

    g = Graph(identifier=source_graph(slug))
    g += art_graph
    g += report_graphs(entries, defs, ctx.entities, ctx.vocab, ctx.onto).get(slug, Graph())
    change = Change(slug, claims=len({e.claim for e in entries}))
    change.insert |= _graph_quads(g, g.identifier)
    change.blocks[str(g.identifier)] = trig.graph_block(g) if len(g) else None

    labels = lambda iri: label(ctx.onto, iri)  # noqa: E731
    for cid in sorted(changed):
        d = defs[cid]
        ct = Graph()
        ann.claim_triples(ct, d, labels)
        act = ID[f"derivation/{cid}"]
        for r in _ask(ctx.store, "incremental-reporters", claim=[_nn(d.iri)], excluded=_nn(g.identifier)):
            gi = r["g"].value
            change.insert |= _graph_quads(ct, gi)
            _, st = ctx.stanzas_of(gi, [d.iri, act], extra=ct)
            change.stanzas.setdefault(gi, {}).update(st)
    touched = {str(defs[e.claim].iri) for e in entries}
    if touched:
        _analysis(ctx, change, touched, g.identifier, extra_graph=g)
    return change


# ---------------------------------------------------------------- remove

def _of_derivation(s, p, o, act):
    """Whether a triple of a claim's stanzas states its derivation: the activity's own,
    its premises, and its link to the activity (not to an extraction, a candidate's)."""
    return (str(s) == str(act) or str(p) == "http://www.w3.org/ns/prov#wasDerivedFrom"
            or (str(p) == "http://www.w3.org/ns/prov#wasGeneratedBy" and str(o) == str(act)))


def plan_remove(ctx, slug) -> Change:
    gi = source_graph(slug)
    where = ctx.annotation_path(slug)
    if not ctx.has_graph(slug):
        raise LoadError(where, None, None, f"source {slug} is not in the build")
    rows = _ask(ctx.store, "incremental-source-claims", g=_nn(gi))
    mine = {r["s"].value: r["c"] for r in rows}
    others = {}
    for r in _ask(ctx.store, "incremental-reporters", claim=list(mine.values()), excluded=_nn(gi)):
        others.setdefault(r["claim"].value, {})[r["g"].value] = r["slug"].value
    gone = {cid for cid, iri in mine.items() if iri.value not in others}
    for r in _ask(ctx.store, "incremental-dependents", claim=[mine[c] for c in gone], excluded=_nn(gi)):
        dep = r["dependent"].value.rsplit("/", 1)[1]
        raise LoadError(where, None, "derived-from",
                        f"claim {r['claim'].value.rsplit('/', 1)[1]} is a premise of {dep}, reported elsewhere: "
                        f"remove or change that first")
    change = Change(slug, drop=[str(gi)], claims=len(mine))
    change.blocks[str(gi)] = None
    stored = ctx.stored_claims(set(mine) - gone)
    labels = lambda iri: label(ctx.onto, iri)  # noqa: E731
    for cid in sorted(set(mine) - gone):
        # What the remaining sources say about this claim, in the order a full build reads them.
        entries = []
        for other in sorted(others[mine[cid].value].values()):
            doc = load_yaml(ctx.annotation_path(other))
            entries += [m for m in doc.get("claims") or [] if isinstance(m, Mapping) and str(m.get("claim")) == cid]
        first = entries[0]
        for k in ("about", "property", "value"):
            if first.get(k) is None:
                raise LoadError(ctx.annotation_path(min(others[mine[cid].value].values())), first.line_of(k), k,
                                f"missing (this becomes the first entry for claim {cid!r} once {slug} is removed)")
        premises = {str(p) for m in entries for p in (m.get("derived-from") or [])}
        by = {ctx.entities[str(m.get("derived-by"))].iri for m in entries if m.get("derived-by")}
        old_premises, old_by = ctx.stored_derivation(stored[cid])
        if (premises, by) == (old_premises, old_by):
            continue
        d = ann.resolve_claims([ctx.definer(cid, stored[cid])], ctx.entities, ctx.vocab)[cid]
        d.derived_from, d.derived_by = premises, by
        ct = Graph()
        ann.claim_triples(ct, d, labels)
        act = ID[f"derivation/{cid}"]
        for g_other in others[mine[cid].value]:
            old, _ = ctx.stanzas_of(g_other, [d.iri, act])
            new = Graph()
            for s, p, o in old:
                if not _of_derivation(s, p, o, act):
                    new.add((s, p, o))
            new += ct
            change.delete |= _graph_quads(old, g_other) - _graph_quads(new, g_other)
            change.insert |= _graph_quads(new, g_other) - _graph_quads(old, g_other)
            change.stanzas.setdefault(g_other, {}).update(
                {str(s): (trig.stanza(new, URIRef(str(s))) if (URIRef(str(s)), None, None) in new else None)
                 for s in (d.iri, act)})
    touched = {str(mine[c].value) for c in set(mine) - gone}
    _analysis(ctx, change, touched, gi, skip={mine[c].value for c in gone})
    old, _ = ctx.stanzas_of(ANALYSIS_GRAPH, [mine[c].value for c in gone])
    change.delete |= _graph_quads(old, ANALYSIS_GRAPH)
    change.stanzas.setdefault(str(ANALYSIS_GRAPH), {}).update({mine[c].value: None for c in gone})
    return change


# ---------------------------------------------------------------- applying a change

def apply(ctx, change: Change):
    """The store in one update (one transaction), then the views' rows of what it
    touched in a second; then graph.trig swapped in. If anything fails, the store
    updates are undone, in reverse."""
    trig_path = ctx.build_dir / TRIG
    fd, tmp = tempfile.mkstemp(prefix=".trig-", dir=ctx.build_dir)
    os.close(fd)
    os.chmod(tmp, trig_path.stat().st_mode & 0o777)       # mkstemp's 0600 is not what the build wrote
    undos = []
    try:
        dropped = _dropped_quads(ctx, change)
        if ctx.spec.kind == "memory":
            # The memory backend reads graph.trig: the views are computed on a scratch
            # Oxigraph store of the changed file, as the build computes them.
            trig.splice(trig_path, tmp, change.blocks, change.stanzas)
            scratch = ox.Store()
            scratch.bulk_load(path=tmp, format=ox.RdfFormat.TRIG)
            rows = _views_change(ctx, scratch, change, dropped)
            trig.splice(tmp, tmp + ".views", {}, rows.stanzas)
            os.replace(tmp + ".views", tmp)
        else:
            undos.append(_update(ctx.store, change, dropped))
            with trig.Splice(trig_path, tmp) as job, ThreadPoolExecutor(1) as background:
                # graph.trig up to graph:views is written while the views' rows are
                # worked out (the kernel copies, on the other core): at 1000x that is
                # 150 of 330 MB, some 0.1 s, off the path of the update.
                first = background.submit(lambda: job.write(job.spans(change.blocks, change.stanzas),
                                                            until=job.place_of(str(views.VIEWS_GRAPH))))
                try:
                    rows = _views_change(ctx, ctx.store, change, dropped)
                    # The rest (graph:views, 220 of the 370 MB at 1000x) is written with
                    # the new rows while they go into the store: the store's update and
                    # flush, 0.05-0.1 s, no longer wait for the copy nor it for them.
                    rest = background.submit(lambda: (job.write(first.result() + job.spans({}, rows.stanzas)),
                                                      job.finish()))
                    undos.append(_update(ctx.store, rows))
                    if hasattr(ctx.store, "flush"):
                        ctx.store.flush()
                finally:
                    first.result()
                rest.result()
        change.rows = len({q[0] for q in rows.insert})
        trig.swap_in(tmp, trig_path)
    except BaseException:
        for undo in reversed(undos):
            if undo is not None:
                ctx.store.update(undo)
        for leftover in (tmp, tmp + ".views"):
            if os.path.exists(leftover):
                os.unlink(leftover)
        raise


def _update(store, change, dropped=()):
    """The change into the store; its undo (None when it changes nothing)."""
    text = change.update_text()
    if not text:
        return None
    undo = _undo_text(change, dropped)
    store.update(text)
    return undo


def _dropped_quads(ctx, change):
    """The quads of the graphs the change drops, as update text terms (for the undo,
    and for what the views must recompute)."""
    quads = set()
    for g in change.drop:
        for r in queries.run_sparql(ctx.store, queries.internal("incremental-graph-quads"), {ox.Variable("g"): _nn(g)}):
            quads.add((str(r["s"]), str(r["p"]), str(r["o"]), f"<{g}>"))
    return quads


def _touched_keys(store, change, dropped):
    """Every IRI the change adds or removes a triple about or towards, the claims it
    re-analysed, and the sources and models those claims reach: the keys whose view
    rows may differ."""
    keys = set()
    for s, _, o, _ in change.delete | change.insert | dropped:
        for t in (s, o):
            if t.startswith("<"):
                keys.add(t[1:-1])
    keys |= set(change.stanzas.get(str(ANALYSIS_GRAPH), {}))
    keys |= {r["key"].value for r in _ask(store, "views-related-keys", claim=[_nn(k) for k in sorted(keys)])} \
        if keys else set()
    return keys


def _views_change(ctx, store, change, dropped) -> Change:
    """The views' rows of the touched keys: the rows the store holds for them and
    that are computed no more out, the new ones in. A row's IRI is made from its
    content, so a row computed again the same is left alone."""
    old_rows, new_rows = views.refresh(store, [_nn(k) for k in _touched_keys(store, change, dropped)])
    gone, fresh = sorted(old_rows), sorted(new_rows)      # refresh leaves out what stays the same
    g = f"<{views.VIEWS_GRAPH}>"
    rows = Change(change.source)
    edits = rows.stanzas.setdefault(str(views.VIEWS_GRAPH), {})
    if gone:
        pairs = {(ox.Variable("s"), ox.Variable("g")): [(_nn(r), _nn(views.VIEWS_GRAPH)) for r in gone]}
        for r in queries.run_sparql(store, queries.internal("incremental-subject-quads"), pairs):
            rows.delete.add((str(r["s"]), str(r["p"]), str(r["o"]), g))
        edits.update({r: None for r in gone})
    for iri in fresh:
        preds = {}
        for s_, p, o in new_rows[iri]:
            rows.insert.add((f"<{s_}>", f"<{p}>", _n3(o), g))
            preds.setdefault(p, set()).add(o)
        edits[iri] = trig.stanza_from(URIRef(iri), preds)
    return rows


# RocksDB's compaction threads (so named by it, on Linux): a store that updates
# have left small files opens with their merge to do, and the merge starts at once,
# for seconds (0.6-1.4 s of CPU in each 1000x update), on the core the refresh's
# second thread needs; a process as short as an update leaves it unfinished anyway
# (the store's file count keeps growing). Its flushes (rocksdb:high) are waited for.
_COMPACTION_THREAD = "rocksdb:low"


def _threads_named(name):
    try:
        tids = os.listdir("/proc/self/task")
    except OSError:                      # not Linux: nothing to find
        return []
    out = []
    for tid in tids:
        try:
            with open(f"/proc/self/task/{tid}/comm", encoding="utf-8") as f:
                if f.read().strip() == name:
                    out.append(int(tid))
        except OSError:                  # a thread that ended meanwhile
            pass
    return out


@contextmanager
def _compaction_when_idle():
    """The store's compaction on CPU time nobody else wants (SCHED_IDLE) while the
    update runs, as it was after. Linux lets a user raise a thread's priority again
    only within RLIMIT_NICE (none by default, for root any): otherwise the threads
    stay idle-priority for the rest of the process, the store's compaction then
    running when the CPU is free."""
    saved = {}
    if hasattr(os, "SCHED_IDLE"):
        for tid in _threads_named(_COMPACTION_THREAD):
            try:
                saved[tid] = (os.sched_getscheduler(tid), os.sched_getparam(tid))
                os.sched_setscheduler(tid, os.SCHED_IDLE, os.sched_param(0))
            except OSError:
                saved.pop(tid, None)
    try:
        yield
    finally:
        for tid, (policy, param) in saved.items():
            try:
                os.sched_setscheduler(tid, policy, param)
            except OSError:
                pass


def _undo_text(change, dropped=()):
    undo = Change(change.source, delete=set(change.insert), insert=set(change.delete) | set(dropped))
    return undo.update_text() or "INSERT DATA { }"


def add(build_dir=paths.BUILD, slug=None, extra_dirs=(), data_dir=paths.DATA, store=None) -> Change:
    ctx = _Context(build_dir, extra_dirs, data_dir, store)
    with _compaction_when_idle():
        change = plan_add(ctx, slug)
        apply(ctx, change)
    return change


def remove(build_dir=paths.BUILD, slug=None, extra_dirs=(), data_dir=paths.DATA, store=None) -> Change:
    ctx = _Context(build_dir, extra_dirs, data_dir, store)
    with _compaction_when_idle():
        change = plan_remove(ctx, slug)
        apply(ctx, change)
    return change


__all__ = ["add", "remove", "Change", "StoreMissing"]
