"""The built graph read into plain records: entities by slug, claims with their
reports, derivations and origins, so that every reader agrees on what a claim is.
Two readers share those records and what is asked of them (View): Catalog reads
the whole graph at once (the exports, which need all of it); Lookups reads a few
records at a time, with queries bound to the IRIs a REST request shows, and
keeps them until the store changes (a million quads: milliseconds a page, where
reading the whole graph takes minutes).

Everything comes from the internal queries queries/lib/api-*.rq; this module
only groups their rows.
"""
import os
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from aikg.vocab import AIKG, ID, PREFIXES

from .queries import Terms, internal, run_sparql


def _value(term):
    """A result term as JSON wants it: numbers as numbers, booleans as booleans."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1] if term.datatype else "string"
        if dt in ("decimal", "double", "float"):
            f = float(term.value)
            return int(f) if f.is_integer() else f
        if dt in ("integer", "nonNegativeInteger", "int", "long"):
            return int(term.value)
        if dt == "boolean":
            return term.value == "true"
    return term.value


def _rows(store, name):
    results = run_sparql(store, internal(name))
    names = [v.value for v in results.variables]
    return [{n: row[n] for n in names} for row in results]


@dataclass
class Entity:
    iri: str
    slug: str
    kind: str
    label: str
    description: str | None = None
    aliases: list = field(default_factory=list)

    def ref(self):
        return {"id": self.slug, "type": self.kind, "label": self.label, "iri": self.iri}


@dataclass
class Report:
    iri: str
    claim: str
    source: str
    hedge: str
    origin: str
    quote: str
    start: int | None
    end: int | None
    attributed_in_text: str | None = None
    note: str | None = None


@dataclass
class Claim:
    iri: str
    slug: str
    label: str
    about: str
    property: str
    value_text: str
    fields: dict
    reports: list = field(default_factory=list)
    premises: list = field(default_factory=list)     # claim IRIs it was derived from
    derived_by: list = field(default_factory=list)   # agent IRIs that derived it
    rests_on: list = field(default_factory=list)     # origin IRIs, from the support analysis

    @property
    def origins(self):
        return sorted({r.origin for r in self.reports})

    @property
    def sources(self):
        return sorted({r.source for r in self.reports})

    @property
    def hedges(self):
        return sorted({r.hedge for r in self.reports})


class View:
    """What readers ask of the graph, over self.claims (IRI -> Claim) and
    self.entity(iri): shared by the whole-graph Catalog and the store-backed Lookups."""

    def ref(self, iri):
        """A reference to anything by IRI: its slug, kind and label when known."""
        if iri is None:
            return None
        e = self.entity(iri)
        if e is not None:
            return e.ref()
        slug = iri[len(str(ID)):].split("/", 1)[-1] if iri.startswith(str(ID)) else iri
        return {"id": slug, "type": None, "label": slug, "iri": iri}

    def slug(self, iri):
        return self.ref(iri)["id"]

    def premises_closure(self, claim):
        """Every claim this one was computed from, at any depth, in order of discovery."""
        seen, todo = [], list(claim.premises)
        while todo:
            iri = todo.pop(0)
            if iri in seen or iri not in self.claims:
                continue
            seen.append(iri)
            todo.extend(self.claims[iri].premises)
        return seen

    def support_origins(self, claim):
        """Every origin anywhere in the claim's support: its reports and its premises' at any depth."""
        out = set(claim.origins)
        for p in self.premises_closure(claim):
            out.update(self.claims[p].origins)
        return sorted(out)

    def _supported(self, claim, ok, path=()):
        """Whether the claim still stands when only the origins `ok` accepts are believed:
        one believed report suffices, or a derivation all of whose premises stand."""
        if any(ok(r.origin) for r in claim.reports):
            return True
        if not claim.premises or claim.iri in path:
            return False
        return all(p in self.claims and self._supported(self.claims[p], ok, path + (claim.iri,))
                   for p in claim.premises)

    def rests_on(self, claim):
        """The origins the claim cannot survive without (the support analysis's
        aikg:restsOn when it has run, else computed here the same way)."""
        if claim.rests_on:
            return sorted(claim.rests_on)
        return [o for o in self.support_origins(claim) if not self._supported(claim, lambda x: x != o)]

    def independent_origins(self, claim):
        """The origins each of which alone supports the claim."""
        return [o for o in self.support_origins(claim) if self._supported(claim, lambda x: x == o)]


class Catalog(View):
    """Read once per store: the graph is immutable while it is served."""

    def __init__(self, store):
        self.entities = {}                       # IRI -> Entity
        self.by_kind = defaultdict(dict)         # kind -> slug -> Entity
        for r in _rows(store, "api-entities"):
            iri = r["entity"].value
            if iri in self.entities:             # a Prediction is also a Claim; first kind wins
                continue
            e = Entity(iri, r["slug"].value, r["kind"].value, r["label"].value, _value(r["description"]))
            self.entities[iri] = e
            self.by_kind[e.kind].setdefault(e.slug, e)
        for r in _rows(store, "api-aliases"):
            e = self.entities.get(r["entity"].value)
            if e is not None:
                e.aliases.append(r["alias"].value)

        self.models = {}
        for r in _rows(store, "api-models"):
            self.models[r["model"].value] = {"kind": r["kindLabel"].value, "lab": _value(r["lab"]),
                                             "family": _value(r["family"])}
        self.members = defaultdict(set)          # model IRI -> itself and every model under it
        for r in _rows(store, "api-family-members"):
            self.members[r["model"].value].add(r["member"].value)
        self.affiliations = defaultdict(list)
        for r in _rows(store, "api-affiliations"):
            self.affiliations[r["person"].value].append(r["organisation"].value)

        fields = defaultdict(dict)
        for r in _rows(store, "api-claims"):
            fields[r["claim"].value].setdefault(r["key"].value, _value(r["v"]))
        self.claims = {}
        for iri, f in sorted(fields.items()):
            if not all(k in f for k in ("slug", "about", "property", "valueText")):
                continue
            self.claims[iri] = Claim(iri, f["slug"], f.get("label", f["slug"]), f["about"], f["property"],
                                     f["valueText"], f)
        for r in _rows(store, "api-reports"):
            c = self.claims.get(r["claim"].value)
            if c is None:
                continue
            c.reports.append(Report(r["report"].value, c.iri, r["source"].value, r["hedge"].value,
                                    r["origin"].value, r["quote"].value, _value(r["start"]), _value(r["end"]),
                                    _value(r["attributedInText"]), _value(r["note"])))
        for r in _rows(store, "api-derivations"):
            c = self.claims.get(r["claim"].value)
            if c is None:
                continue
            if r["premise"].value not in c.premises:
                c.premises.append(r["premise"].value)
            if r["derivedBy"] is not None and r["derivedBy"].value not in c.derived_by:
                c.derived_by.append(r["derivedBy"].value)
        for r in _rows(store, "api-rests-on"):
            c = self.claims.get(r["claim"].value)
            if c is not None and r["origin"].value not in c.rests_on:
                c.rests_on.append(r["origin"].value)

        self.sources = {}
        for r in _rows(store, "api-sources"):
            self.sources[r["source"].value] = {
                "title": r["title"].value, "publisher": _value(r["publisher"]), "language": _value(r["language"]),
                "published": _value(r["issued"]), "publication_date_known": _value(r["dateKnown"]),
                "text_file": _value(r["textFile"]), "voice": _value(r["voice"])}

    # ---------------------------------------------------------------- lookups

    def get(self, kind, slug):
        return self.by_kind.get(kind, {}).get(slug)

    def entity(self, iri):
        return self.entities.get(iri)

    def claim_by_slug(self, slug):
        e = self.get("claim", slug)
        return self.claims.get(e.iri) if e else None


# ---------------------------------------------------------------- store-backed lookups

def build_version(build_dir):
    """A cheap signal that the served graph changed: `aikg build` and `aikg update`
    both finish by swapping graph.trig in (a rename, so a new inode), and the
    validation run rewrites validation.ttl."""
    out = []
    for name in ("graph.trig", "validation.ttl"):
        try:
            st = os.stat(os.path.join(build_dir, name))
            out.append((st.st_ino, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


PREDICTION = str(AIKG.Prediction)


def _tail(iri):
    return iri.rsplit("/", 1)[-1]


class Lookups(View):
    """The graph read a few records at a time, for one version of the store: each
    REST request reads only what it shows, with queries bound to the IRIs it needs
    (milliseconds on a million quads, where reading the whole graph takes minutes).
    What it reads stays cached here until the store changes, when the caller
    makes a new one."""

    def __init__(self, store):
        self.store = store
        self._texts = {}         # query name -> text, read once
        self._keys = {}          # property IRI -> its local name
        self._source_counts = {}  # source IRI -> (claims, reports)
        self.kinds = {r["class"].value: r["kind"].value for r in self.rows("api-kinds")}
        self.things = {}         # IRI -> {key: [values]} for entities (labs, models, people, properties, ...)
        self.claims = {}         # IRI -> Claim, with its reports (not their positions)
        self.full = set()        # claims whose reports have positions and whose derivations are read
        self._lists = {}         # name -> a whole list (claims, sources, labs, models, predictions)
        self.slugs = {}          # slug -> IRI, of the things read (a hint: find() checks the kind)
        self.memo = {}           # for the caller: what it made of the records (rendered summaries)
        self._entities = {}      # IRI -> Entity or None, made once from self.things
        self._named = {}         # claim IRI -> whether it was full when load_named read what it names

    def rows(self, name, **bound):
        return list(self.iter_rows(name, **bound))

    def iter_rows(self, name, **bound):
        """The rows one at a time: a query over the whole store need not hold them all."""
        subs = {ox.Variable(k): (v if isinstance(v, (ox.NamedNode, ox.Literal)) else Terms(v)) for k, v in bound.items()}
        if name not in self._texts:
            self._texts[name] = internal(name)
        results = run_sparql(self.store, self._texts[name], subs or None)
        names = [v.value for v in results.variables]
        return ({n: row[n] for n in names} for row in results)

    def _list(self, name, make):
        if name not in self._lists:
            self._lists[name] = make()
        return self._lists[name]

    # ---------------------------------------------------------------- things

    def _triples(self, iris, query="api-triples"):
        """Subject -> property's local name -> values, of the query's ?s ?p ?v rows
        (bound to `iris` unless None)."""
        out = defaultdict(lambda: defaultdict(list))
        keys = self._keys
        for r in self.iter_rows(query, **({} if iris is None else {"s": sorted(iris)})):
            p = r["p"].value
            key = keys.get(p)
            if key is None:
                key = keys[p] = p.replace("#", "/").rsplit("/", 1)[-1]
            values = out[r["s"].value][key]
            v = _value(r["v"])
            if v not in values:
                values.append(v)
        return out

    def load(self, iris):
        """Read the statements of the things not read yet."""
        todo = {i for i in iris if i and i not in self.things}
        if todo:
            for iri, t in self._triples(todo).items():
                self.things[iri] = t
                if t.get("slug"):      # find() then needs no query for it
                    self.slugs.setdefault(str(t["slug"][0]), iri)
            for iri in todo:
                self.things.setdefault(iri, {})

    def entity(self, iri):
        """The Entity the IRI names, or None when it is no thing of a kind the API knows."""
        if iri in self._entities:
            return self._entities[iri]
        e = self._entities[iri] = self._entity(iri)
        return e

    def _entity(self, iri):
        self.load([iri])
        t = self.things.get(iri) or {}
        kinds = sorted(self.kinds[c] for c in t.get("type", []) if c in self.kinds)
        if not kinds:
            return None
        label = next((t[k][0] for k in ("prefLabel", "title", "label") if t.get(k)), None)
        slug = (t.get("slug") or [_tail(iri)])[0]
        description = next((t[k][0] for k in ("comment", "definition") if t.get(k)), None)
        return Entity(iri, slug, kinds[0], str(label if label is not None else slug),
                      None if description is None else str(description), sorted(map(str, t.get("altLabel", []))))

    def field(self, iri, key):
        self.load([iri])
        values = (self.things.get(iri) or {}).get(key)
        return values[0] if values else None

    def find(self, kinds, slug):
        """The Entity of one of `kinds` with this slug, or None."""
        known = self.slugs.get(slug)
        for candidates in (lambda: [known] if known else [], lambda: self._slug_candidates(slug)):
            for iri in candidates():
                e = self.entity(iri)
                if e is not None and e.kind in kinds and e.slug == slug:
                    return e
        return None

    def _slug_candidates(self, slug):
        # Hedges, properties and architectures have no aikg:slug: theirs is the end of the IRI.
        named = {r["entity"].value for r in self.rows("api-by-slug", slug=ox.Literal(slug))}
        return sorted(named) + [PREFIXES[p] + slug for p in ("hedge", "prop", "arch")]

    # ---------------------------------------------------------------- claims

    def claim(self, iri, full=False):
        return self.load_claims([iri], full).get(iri)

    def load_claims(self, iris, full=False):
        """IRI -> Claim for those of `iris` that are claims; `full` adds the reports'
        positions, notes and named speakers, and who derived the claim. Several
        threads may ask at once: records are made whole before they are shared."""
        todo = [i for i in iris if i not in self.claims]
        if todo:
            new = self._make_claims(todo, self._triples(todo, "api-claim-fields"))
            if new:
                self._add_reports(new, self.rows("api-claim-reports", claim=list(new)))
        want = [i for i in iris if i in self.claims and i not in self.full]
        if full and want:
            self._complete([self.claims[i] for i in want])
        return {i: self.claims[i] for i in iris if i in self.claims}

    def _make_claims(self, iris, triples):
        new = {}
        for iri in iris:
            f = triples.get(iri) or {}
            self.things.setdefault(iri, f)
            if not all(f.get(k) for k in ("slug", "about", "property", "valueText")):
                continue
            fields = {k: v[0] for k, v in f.items()}
            fields["prediction"] = PREDICTION in f.get("type", [])
            c = new[iri] = Claim(iri, fields["slug"], str(fields.get("label", fields["slug"])), fields["about"],
                                 fields["property"], str(fields["valueText"]), fields)
            c.premises = sorted(f.get("wasDerivedFrom", []))
            c.rests_on = sorted(f.get("restsOn", []))
            self.slugs.setdefault(c.slug, iri)
        return new

    def _add_reports(self, new, rows):
        """Give the claims `new` the reports among `rows` (api-claim-reports.rq's), then share them."""
        for r in rows:
            c = new.get(r["claim"].value)
            if c is not None:
                c.reports.append(Report(r["report"].value, c.iri, r["source"].value, r["hedge"].value,
                                        r["origin"].value, r["quote"].value, None, None))
        for iri, c in new.items():
            c.reports.sort(key=lambda r: (r.source, r.iri))
            self.claims.setdefault(iri, c)

    def _complete(self, chosen):
        reports = {r.iri: r for c in chosen for r in c.reports}
        positions = self.rows("api-report-positions", report=sorted(reports)) if reports else []
        self._finish(chosen, positions, self._triples(reports) if reports else {},
                     self.rows("api-derivations", claim=[c.iri for c in chosen]))

    def _finish(self, chosen, positions, extra, derivations):
        """Make the claims `chosen` full from the rows of api-report-positions.rq, the
        reports' statements (as _triples groups them) and api-derivations.rq."""
        positions = {r["report"].value: (_value(r["start"]), _value(r["end"])) for r in positions}
        derived_by = defaultdict(list)
        for r in derivations:
            if r["derivedBy"] is not None and r["derivedBy"].value not in derived_by[r["claim"].value]:
                derived_by[r["claim"].value].append(r["derivedBy"].value)
        for c in chosen:
            if c.iri in self.full:
                continue
            done = []
            for r in c.reports:
                t = extra.get(r.iri) or {}
                start, end = positions.get(r.iri, (None, None))
                done.append(Report(r.iri, r.claim, r.source, r.hedge, r.origin, r.quote, start, end,
                                   (t.get("attributedInText") or [None])[0], (t.get("curatorNote") or [None])[0]))
            c.reports = sorted(done, key=lambda r: (r.source, r.start if r.start is not None else -1, r.iri))
            c.derived_by = derived_by.get(c.iri, [])
            self.full.add(c.iri)

    def warm_claims(self):
        """Every claim, full, and the things their pages name, in a few queries over
        the whole store (a claim at a time, the same takes 3 queries and milliseconds)."""
        ids = self.claim_list()
        todo = [i for i in ids if i not in self.claims]
        new = self._make_claims(todo, self._triples(None, "api-all-claim-fields"))
        self._add_reports(new, self.iter_rows("api-all-reports"))
        self._finish([self.claims[i] for i in ids if i in self.claims], self.iter_rows("api-all-report-positions"),
                     self._triples(None, "api-all-report-notes"), self.rows("api-derivations"))
        self.load_named(self.claims.values())

    def load_named(self, chosen):
        """Read the things the claims `chosen` name (what they are about, their
        origins, sources, hedges, ...), once a claim, in one query."""
        todo = [c for c in chosen if c.iri not in self._named or (c.iri in self.full) != self._named[c.iri]]
        if todo:
            self.load({i for c in todo for i in (
                c.about, c.property, c.fields.get("relativeTo"), c.fields.get("valueConcept"), *c.origins,
                *c.sources, *c.hedges, *c.derived_by, *(r.attributed_in_text for r in c.reports))
                if isinstance(i, str)})
            for c in todo:      # a full claim names more (derived_by, attributed_in_text)
                self._named[c.iri] = c.iri in self.full

    def load_support(self, claim):
        """The claim and every claim in its support, read a level at a time."""
        level = [claim.iri]
        while level:
            got = self.load_claims(level, full=True)
            level = [p for c in got.values() for p in c.premises if p not in self.full]

    # ---------------------------------------------------------------- lists and filters

    def claim_list(self):
        """Every claim IRI in slug order."""
        return self._list("claims", lambda: sorted({r["claim"].value for r in self.rows("api-claim-list")}, key=_tail))

    def _sorted_things(self, name, var):
        iris = {r[var].value for r in self.rows(name)}
        self.load(iris)
        return sorted(iris, key=lambda i: self.entity(i).slug)

    def source_list(self):
        return self._list("sources", lambda: self._sorted_things("api-source-list", "source"))

    def lab_list(self):
        return self._list("labs", lambda: self._sorted_things("api-lab-list", "lab"))

    def models(self):
        """Model IRI -> kind (family or version), lab and family, in slug order."""
        def make():
            out = {}
            for r in self.rows("api-models"):
                out.setdefault(r["model"].value, {"kind": r["kindLabel"].value, "lab": _value(r["lab"]),
                                                  "family": _value(r["family"]), "slug": r["slug"].value})
            return dict(sorted(out.items(), key=lambda kv: kv[1]["slug"]))
        return self._list("models", make)

    def predictions(self):
        """Prediction IRI -> its deadline or None, in slug order."""
        def make():
            out = {}
            for r in self.rows("api-predictions"):
                out.setdefault(r["claim"].value, _value(r["dueBy"]))
            return dict(sorted(out.items(), key=lambda kv: _tail(kv[0])))
        return self._list("predictions", make)

    def claims_where(self, name, **bound):
        """The claim IRIs an api-claims-*.rq query picks, in slug order."""
        return self._list(self._where_key(name, bound),
                          lambda: sorted({r["claim"].value for r in self.rows(name, **bound)}, key=_tail))

    @staticmethod
    def _where_key(name, bound):
        return (name, tuple(sorted((k, tuple(v) if isinstance(v, (list, set, tuple)) else str(v))
                                   for k, v in bound.items())))

    def members(self, model):
        return self._list(("members", model), lambda: sorted({r["member"].value for r in
                                                              self.rows("api-members", model=ox.NamedNode(model))}))

    def claim_counts(self, abouts):
        return {r["about"].value: int(r["claims"].value) for r in self.rows("api-claim-counts", about=abouts)} \
            if abouts else {}

    def source_counts(self, sources):
        """Source IRI -> (claims, reports) for `sources`, read once each."""
        todo = [i for i in sources if i not in self._source_counts]
        if todo:
            self._count_sources(source=todo)
        return {i: self._source_counts[i] for i in sources if i in self._source_counts}

    def _count_sources(self, **bound):
        for r in self.rows("api-source-counts" if bound else "api-all-source-counts", **bound):
            self._source_counts[r["source"].value] = (int(r["claims"].value), int(r["reports"].value))

    def warm_sources(self):
        """What a source's lookup reads, for every source in two queries."""
        by_source = defaultdict(set)
        for r in self.iter_rows("api-source-claims"):
            by_source[r["source"].value].add(r["claim"].value)
        for iri, chosen in by_source.items():
            self._lists.setdefault(self._where_key("api-claims-by-source", {"source": [iri]}),
                                   sorted(chosen, key=_tail))
        self._count_sources()
        self.load({self.field(s, "publisher") for s in self.source_list()} - {None})

    def affiliations(self, person=None, organisation=None):
        bound = {"person": ox.NamedNode(person)} if person else {"organisation": ox.NamedNode(organisation)}
        return sorted({(r["person"].value, r["organisation"].value) for r in self.rows("api-affiliations", **bound)})

    def reports_naming(self, person):
        return [(r["claim"].value, r["report"].value)
                for r in self.rows("api-reports-naming", person=ox.NamedNode(person))]
