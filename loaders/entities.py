"""data/entities.yaml into RDF: labs, models (families and versions), people, agents."""
import re
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from aikg.vocab import AIKG, ID

from .errors import LoadError
from .triples import TripleSet
from .yamlfile import Mapping, load_yaml

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Entry keys that point at another entity, and the predicate they become.
_LINKS = {"lab": AIKG.developedBy, "family": AIKG.family, "parent": AIKG.family,
          "affiliation": AIKG.affiliation, "operator": AIKG.operatedBy, "led-by": AIKG.ledBy}
_KNOWN = {"label", "aliases", "kind", "description"} | set(_LINKS)


@dataclass(frozen=True)
class Entity:
    slug: str
    iri: URIRef
    cls: URIRef
    label: str
    section: str


class Entities(dict):
    """slug -> Entity, plus the RDF describing them."""

    def __init__(self):
        super().__init__()
        self.graph = TripleSet()

    def resolve(self, slug, path, line, field, allowed_sections=None):
        ent = self.get(str(slug))
        if ent is None:
            raise LoadError(path, line, field, f"unknown entity {slug!r} (not in data/entities.yaml)")
        if allowed_sections and ent.section not in allowed_sections:
            raise LoadError(path, line, field, f"{slug!r} is a {ent.section[:-1]}, expected one of {', '.join(allowed_sections)}")
        return ent


def load_entities(path, vocab) -> Entities:
    doc = load_yaml(path)
    if not isinstance(doc, Mapping):
        raise LoadError(path, 1, None, "expected sections such as labs:, models:, people:")
    out = Entities()
    pending = []
    for section, entries in doc.items():
        if section not in vocab.entity_kinds:
            raise LoadError(path, doc.line_of(section), section,
                            f"unknown section (known: {', '.join(sorted(vocab.entity_kinds))})")
        cls, segment = vocab.entity_kinds[section]
        if not isinstance(entries, Mapping):
            raise LoadError(path, doc.line_of(section), section, "expected a mapping of slug: {label: ...}")
        for slug, e in entries.items():
            line = entries.line_of(slug)
            if not SLUG.match(str(slug)):
                raise LoadError(path, line, slug, "a slug is lowercase letters, digits and hyphens")
            if slug in out:
                raise LoadError(path, line, slug, f"slug already used by a {out[slug].section[:-1]}")
            if not isinstance(e, Mapping) or not e.get("label"):
                raise LoadError(path, line, f"{slug}.label", "every entity needs a label")
            unknown = set(e) - _KNOWN
            if unknown:
                k = sorted(unknown)[0]
                raise LoadError(path, e.line_of(k), f"{slug}.{k}", "unknown field")
            iri = ID[f"{segment}/{slug}"]
            this_cls = cls
            if section == "models":
                kind = e.get("kind")
                if kind not in ("family", "version"):
                    raise LoadError(path, e.line_of("kind"), f"{slug}.kind", "a model is `kind: family` or `kind: version`")
                this_cls = AIKG.ModelFamily if kind == "family" else AIKG.ModelVersion
            out[slug] = Entity(slug, iri, this_cls, str(e["label"]), section)
            g = out.graph
            g.add((iri, RDF.type, this_cls))
            g.add((iri, RDFS.label, Literal(str(e["label"]), lang="en")))
            g.add((iri, SKOS.prefLabel, Literal(str(e["label"]), lang="en")))
            g.add((iri, AIKG.slug, Literal(slug)))
            for alias in e.get("aliases") or []:
                g.add((iri, SKOS.altLabel, Literal(str(alias), lang="en")))
            if e.get("description"):
                g.add((iri, RDFS.comment, Literal(str(e["description"]), lang="en")))
            for key, pred in _LINKS.items():
                if key in e:
                    pending.append((iri, pred, e[key], e.line_of(key), f"{slug}.{key}"))
    for iri, pred, target, line, field in pending:
        ent = out.resolve(target, path, line, field)
        if pred == AIKG.developedBy and out[str(iri).rsplit("/", 1)[1]].section != "models":
            pred = AIKG.partOfLab
        out.graph.add((iri, pred, ent.iri))
    return out
