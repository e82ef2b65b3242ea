"""The ontology documents itself: every class and property has a label and a comment."""
from rdflib import OWL, RDF, RDFS, SKOS

from aikg.vocab import AIKG
from loaders.ontology import load_ontology


def test_every_class_and_property_has_label_and_comment():
    g = load_ontology()
    terms = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.SymmetricProperty):
        terms |= {t for t in g.subjects(RDF.type, kind) if str(t).startswith(str(AIKG))}
    assert len(terms) > 40
    bare = sorted(str(t) for t in terms if not (g.value(t, RDFS.label) and g.value(t, RDFS.comment)))
    assert bare == []


def test_every_term_used_in_the_ontology_namespace_is_declared():
    g = load_ontology()
    declared = {s for s in g.subjects() if str(s).startswith(str(AIKG))}
    used = {t for triple in g for t in triple if str(t).startswith(str(AIKG))}
    assert sorted(map(str, used - declared)) == []


def test_concept_schemes_are_labelled():
    g = load_ontology()
    for cls in (AIKG.ClaimProperty, AIKG.Architecture, AIKG.Hedge):
        members = list(g.subjects(RDF.type, cls))
        assert members
        for m in members:
            assert g.value(m, SKOS.prefLabel) and g.value(m, SKOS.definition), m
