"""Namespaces of the graph. The IRIs are stable: see README.md."""
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

AIKG = Namespace("https://w3id.org/aikg/ontology#")
ID = Namespace("https://w3id.org/aikg/id/")
GRAPH = Namespace("https://w3id.org/aikg/graph/")
OA = Namespace("http://www.w3.org/ns/oa#")

CORE_GRAPH = GRAPH["core"]

PREFIXES = {
    "aikg": str(AIKG), "id": str(ID), "graph": str(GRAPH), "oa": str(OA),
    "prov": str(PROV), "dct": str(DCTERMS), "skos": str(SKOS), "rdf": str(RDF),
    "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD),
    "model": str(ID) + "model/", "lab": str(ID) + "lab/", "person": str(ID) + "person/",
    "claim": str(ID) + "claim/", "source": str(ID) + "source/", "agent": str(ID) + "agent/",
    "prop": str(ID) + "property/", "arch": str(ID) + "architecture/", "hedge": str(ID) + "hedge/",
}


def source_graph(source_id: str):
    return GRAPH[f"source/{source_id}"]


def entity(kind: str, slug: str):
    return ID[f"{kind}/{slug}"]
