"""The built graph read into plain records: entities by slug, claims with their
reports, derivations and origins. The REST API, the exports and the graph page
all read the graph through this one view, so they agree on what a claim is.

Everything comes from the internal queries queries/lib/api-*.rq; this module
only groups their rows.
"""
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from aikg.vocab import ID

from .queries import internal, run_sparql


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


class Catalog:
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

    def ref(self, iri):
        """A reference to anything by IRI: its slug, kind and label when known."""
        if iri is None:
            return None
        e = self.entities.get(iri)
        if e is not None:
            return e.ref()
        slug = iri[len(str(ID)):].split("/", 1)[-1] if iri.startswith(str(ID)) else iri
        return {"id": slug, "type": None, "label": slug, "iri": iri}

    def slug(self, iri):
        return self.ref(iri)["id"]

    def claim_by_slug(self, slug):
        e = self.get("claim", slug)
        return self.claims.get(e.iri) if e else None

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
