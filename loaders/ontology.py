"""The ontology files, and the vocabularies the loaders check annotations against."""
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from aikg import paths
from aikg.vocab import AIKG, ID

from .errors import LoadError


def ontology_files(ontology_dir=paths.ONTOLOGY):
    """The Turtle files of the ontology proper (shapes and checks live in shapes/)."""
    return sorted(p for p in ontology_dir.glob("*.ttl"))


def load_ontology(ontology_dir=paths.ONTOLOGY) -> Graph:
    g = Graph()
    for path in ontology_files(ontology_dir):
        try:
            g.parse(path, format="turtle")
        except Exception as e:  # rdflib raises several parser-specific types
            raise LoadError(path, None, None, f"Turtle syntax: {e}") from None
    return g


@dataclass
class Vocabulary:
    """Slug -> IRI maps the annotation loader resolves names with."""
    properties: dict = field(default_factory=dict)      # slug -> (IRI, value kind IRI, needs relative-to)
    concepts: dict = field(default_factory=dict)        # slug -> IRI (architecture taxonomy)
    hedges: dict = field(default_factory=dict)          # slug -> IRI
    entity_kinds: dict = field(default_factory=dict)    # entities.yaml section -> (class IRI, IRI segment)


def _slug(iri, kind):
    return str(iri).removeprefix(str(ID) + kind + "/")


def vocabulary(onto: Graph) -> Vocabulary:
    v = Vocabulary()
    for p in onto.subjects(RDF.type, AIKG.ClaimProperty):
        needs = onto.value(p, AIKG.needsRelativeTo)
        v.properties[_slug(p, "property")] = (p, onto.value(p, AIKG.valueKind), bool(needs and needs.toPython()))
    for c in onto.subjects(RDF.type, AIKG.Architecture):
        v.concepts[_slug(c, "architecture")] = c
    for h in onto.subjects(RDF.type, AIKG.Hedge):
        v.hedges[_slug(h, "hedge")] = h
    for cls, section in onto.subject_objects(AIKG.entitySection):
        v.entity_kinds[str(section)] = (cls, str(onto.value(cls, AIKG.iriSegment)))
    return v


def label(onto: Graph, iri: URIRef) -> str:
    return str(onto.value(iri, SKOS.prefLabel) or iri)


__all__ = ["load_ontology", "vocabulary", "Vocabulary", "label", "Literal"]
