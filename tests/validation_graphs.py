"""Minimal graphs for the validation tests: complete claims, reports and sources
(every structural shape holds), so that a finding can only come from the case."""
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from aikg.vocab import AIKG, ID, OA

_SCALE = {"B": 10**9, "T": 10**12, "": 1}


def _number(text):
    text = text.strip()
    return Decimal(text[:-1]) * _SCALE[text[-1]] if text[-1] in "BT" else Decimal(text)


class MiniGraph:
    """Builds one small graph; every name is prefixed with the case's own id so that
    cases merged into one graph never meet."""

    def __init__(self, case):
        self.case = case
        self.g = Graph()
        self.reference = Graph()

    def iri(self, kind, slug):
        return ID[f"{kind}/{self.case}-{slug}"]

    def _entity(self, kind, cls, slug, label):
        iri = self.iri(kind, slug)
        self.g.add((iri, RDF.type, cls))
        self.g.add((iri, RDFS.label, Literal(label, lang="en")))
        self.g.add((iri, AIKG.slug, Literal(f"{self.case}-{slug}")))
        return iri

    def family(self, slug):
        return self._entity("model", AIKG.ModelFamily, slug, f"{self.case} {slug}")

    def version(self, slug, family=None):
        iri = self._entity("model", AIKG.ModelVersion, slug, f"{self.case} {slug}")
        if family is not None:
            self.g.add((iri, AIKG.family, family))
        return iri

    def source(self, slug, issued=None):
        src = self.iri("source", slug)
        voice = self._entity("agent", AIKG.ArticleVoice, f"{slug}-voice", f"the article {slug}")
        g = self.g
        for p, o in ((RDF.type, AIKG.Source), (AIKG.slug, Literal(f"{self.case}-{slug}")),
                     (DCTERMS.identifier, Literal(f"{self.case}-{slug}")), (DCTERMS.title, Literal(slug)),
                     (RDFS.label, Literal(slug)), (DCTERMS.language, Literal("en", datatype=XSD.language)),
                     (AIKG.textFile, Literal(f"data/articles/{slug}.txt")),
                     (AIKG.bodyStart, Literal(0, datatype=XSD.nonNegativeInteger)),
                     (AIKG.bodyEnd, Literal(1000, datatype=XSD.nonNegativeInteger)),
                     (PROV.wasAttributedTo, voice), (AIKG.publicationDateKnown, Literal(issued is not None))):
            g.add((src, p, o))
        if issued:
            g.add((src, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
        return src

    def claim(self, slug, about, prop, value, source, hedge="stated", relative_to=None, due_by=None):
        """A claim with one report in `source`. value: "5T", "~5T", "1T-1.8T", ">=2T", "0.5", or a concept slug."""
        c = self.iri("claim", slug)
        g = self.g
        g.add((c, RDF.type, AIKG.Claim))
        g.add((c, AIKG.slug, Literal(f"{self.case}-{slug}")))
        g.add((c, AIKG.about, about))
        g.add((c, AIKG.property, ID[f"property/{prop}"]))
        g.add((c, AIKG.valueText, Literal(value)))
        g.add((c, RDFS.label, Literal(f"{slug}: {value}")))
        self._value(c, value, prop)
        if relative_to is not None:
            g.add((c, AIKG.relativeTo, relative_to))
        if due_by is not None:
            g.add((c, RDF.type, AIKG.Prediction))
            g.add((c, AIKG.statement, Literal(f"{slug} will happen")))
            g.add((c, AIKG.horizonText, Literal(f"by {due_by}")))
            g.add((c, AIKG.dueBy, Literal(due_by, datatype=XSD.gYear if len(due_by) == 4 else XSD.gYearMonth)))
        self.report(c, source, hedge, quote=f"{slug} is {value}")
        return c

    def _value(self, c, value, prop, g=None):
        g = self.g if g is None else g
        if prop in ("architecture", "distillation"):
            g.add((c, AIKG.valueConcept, ID[f"architecture/{value}"]))
            return
        if prop == "release-date":
            g.add((c, AIKG.valueDate, Literal(value, datatype=XSD.gYearMonth)))
            return
        if value.startswith("~"):
            g.add((c, AIKG.approximate, Literal(True)))
            value = value[1:]
        if value.startswith(">="):
            g.add((c, AIKG.lowerBound, Literal(_number(value[2:]), datatype=XSD.decimal)))
        elif "-" in value:
            lo, hi = value.split("-")
            hi_n = _number(hi)
            lo_n = _number(lo + (hi[-1] if hi[-1] in "BT" and lo[-1] not in "BT" else ""))
            g.add((c, AIKG.lowerBound, Literal(lo_n, datatype=XSD.decimal)))
            g.add((c, AIKG.upperBound, Literal(hi_n, datatype=XSD.decimal)))
        else:
            g.add((c, AIKG.value, Literal(_number(value), datatype=XSD.decimal)))

    def report(self, claim, source, hedge, quote):
        g = self.g
        origin = self._entity("person", AIKG.Person, "someone", f"{self.case} someone")
        r = URIRef(f"{claim}/report/{source.rsplit('/', 1)[1]}")
        t, q, p = URIRef(f"{r}/target"), URIRef(f"{r}/quote"), URIRef(f"{r}/position")
        for s_, p_, o_ in ((r, RDF.type, AIKG.Report), (r, OA.hasBody, claim), (claim, AIKG.hasReport, r),
                           (claim, AIKG.reportedIn, source), (r, AIKG.source, source),
                           (r, AIKG.hedge, ID[f"hedge/{hedge}"]), (r, PROV.wasAttributedTo, origin),
                           (claim, PROV.wasAttributedTo, origin), (r, AIKG.quote, Literal(quote)),
                           (r, OA.hasTarget, t), (t, RDF.type, OA.SpecificResource), (t, OA.hasSource, source),
                           (t, OA.hasSelector, q), (t, OA.hasSelector, p), (q, RDF.type, OA.TextQuoteSelector),
                           (q, OA.exact, Literal(quote)), (p, RDF.type, OA.TextPositionSelector),
                           (p, OA.start, Literal(0, datatype=XSD.nonNegativeInteger)),
                           (p, OA.end, Literal(len(quote), datatype=XSD.nonNegativeInteger))):
            g.add((s_, p_, o_))
        return r

    def official(self, slug, about, prop, value):
        """An officially disclosed fact with its primary source, in the reference graph."""
        f = ID[f"fact/{self.case}-{slug}"]
        doc = URIRef(f"https://example.org/{self.case}/{slug}")
        lab = self._entity("lab", AIKG.Lab, "lab", f"{self.case} lab")
        ref = self.reference
        for s_, p_, o_ in ((f, RDF.type, AIKG.OfficialFact), (f, RDFS.label, Literal(f"{slug}: {value}")),
                           (f, AIKG.about, about), (f, AIKG.property, ID[f"property/{prop}"]),
                           (f, AIKG.valueText, Literal(value)), (f, PROV.wasAttributedTo, lab),
                           (f, AIKG.primarySource, doc), (doc, DCTERMS.title, Literal(f"{slug} release")),
                           (doc, DCTERMS.publisher, lab), (doc, DCTERMS.issued, Literal("2024-01-01", datatype=XSD.date))):
            ref.add((s_, p_, o_))
        self._value(f, value, prop, ref)
        return f


def dataset(*minis) -> tuple[Dataset, Graph]:
    ds, ref = Dataset(), Graph()
    g = ds.graph(URIRef("https://w3id.org/aikg/graph/test"))
    for m in minis:
        g += m.g
        ref += m.reference
    return ds, ref
