"""Namespaces of the graph. The IRIs are stable: see README.md."""
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD



class _Namespace(Namespace):
    """rdflib's Namespace makes and validates a new URIRef at every attribute
    access; the build asks for AIKG.about a million times at scale, so each term
    is made once and kept on the namespace."""

    def __getattr__(self, name):
        term = super().__getattr__(name)
        if not name.startswith("_"):
            self.__dict__[name] = term
        return term


class Terms:
    """The same, for rdflib's closed namespaces (RDF, PROV, XSD...), which cannot be
    subclassed: terms by attribute, made once; items and str as the namespace's."""

    def __init__(self, ns):
        self._ns = ns

    def __getattr__(self, name):
        term = getattr(self._ns, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name):
        return self._ns[name]

    def __str__(self):
        return str(self._ns)


AIKG = _Namespace("https://w3id.org/aikg/ontology#")
ID = _Namespace("https://w3id.org/aikg/id/")
GRAPH = _Namespace("https://w3id.org/aikg/graph/")
OA = _Namespace("http://www.w3.org/ns/oa#")
RDF_TERMS, RDFS_TERMS, PROV_TERMS, XSD_TERMS, DCTERMS_TERMS = map(Terms, (RDF, RDFS, PROV, XSD, DCTERMS))

CORE_GRAPH = GRAPH["core"]

PREFIXES = {
    "aikg": str(AIKG), "id": str(ID), "graph": str(GRAPH), "oa": str(OA), "col": "https://w3id.org/aikg/column#",
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
