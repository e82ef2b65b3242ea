"""Curated annotations (data/annotations/<source>.yaml) into claims and reports.

A claim is keyed by its `claim` id across all files; each entry is one report of
it: the quote, the hedge and the origin as one article gives them.
"""
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from aikg.vocab import AIKG, ID, OA
from aikg.vocab import PROV_TERMS as PROV, RDF_TERMS as RDF, RDFS_TERMS as RDFS, XSD_TERMS as XSD

from .entities import SLUG
from .errors import LoadError
from .values import ValueSyntaxError, parse_date, parse_horizon, parse_quantity
from .yamlfile import Mapping, load_yaml

_CLAIM_FIELDS = ("about", "property", "value", "relative-to")
_FIELDS = {"claim", "hedge", "origin", "attributed-in-text", "derived-from", "derived-by", "quote",
           "start", "note", "prediction", "horizon", "by", "statement", "status", "confidence"} | set(_CLAIM_FIELDS)
_CONTEXT = 32    # characters of prefix/suffix kept in the TextQuoteSelector


@dataclass
class Entry:
    path: object
    mapping: Mapping
    article: object
    claim: str

    def line(self, key=None):
        return self.mapping.line_of(key) if key else self.mapping.line

    def error(self, key, message):
        return LoadError(self.path, self.line(key), key, message)

    def get(self, key, default=None):
        return self.mapping.get(key, default)


@dataclass
class ClaimDef:
    iri: URIRef
    first: Entry
    about: object = None
    prop: tuple = None
    value: dict = field(default_factory=dict)
    relative_to: object = None
    derived_from: set = field(default_factory=set)   # claim ids: every premise is needed
    derived_by: set = field(default_factory=set)     # agent IRIs that did the derivation


def read_annotation_file(path, articles) -> list[Entry]:
    doc = load_yaml(path)
    if not isinstance(doc, Mapping):
        raise LoadError(path, 1, None, "expected `source:` and `claims:`")
    for k in doc:
        if k not in ("source", "claims"):
            raise LoadError(path, doc.line_of(k), k, "unknown field (expected source, claims)")
    src = doc.get("source")
    if src is None:
        raise LoadError(path, doc.line, "source", "missing")
    if src not in articles:
        raise LoadError(path, doc.line_of("source"), "source", f"no article data/articles/{src}.txt")
    if path.stem != src:
        raise LoadError(path, doc.line_of("source"), "source", f"file is named {path.stem} but annotates {src}")
    claims = doc.get("claims")
    if not isinstance(claims, list):
        raise LoadError(path, doc.line_of("claims"), "claims", "expected a list of claims")
    entries = []
    for m in claims:
        if not isinstance(m, Mapping):
            raise LoadError(path, doc.line_of("claims"), "claims", "each claim is a mapping of fields")
        for k in m:
            if k not in _FIELDS:
                raise LoadError(path, m.line_of(k), k, "unknown field")
        cid = m.get("claim")
        if not cid or not SLUG.match(str(cid)):
            raise LoadError(path, m.line_of("claim"), "claim", "missing or not a slug (lowercase letters, digits, hyphens)")
        e = Entry(path, m, articles[src], str(cid))
        for k in ("quote", "start", "hedge", "origin"):
            if m.get(k) in (None, ""):
                raise e.error(k, "missing")
        _check_quote(e)
        entries.append(e)
    return entries


def _check_quote(e: Entry):
    quote, start, art = e.get("quote"), e.get("start"), e.article
    if not isinstance(quote, str) or not quote.strip():
        raise e.error("quote", "must be a non-empty string")
    if not isinstance(start, int) or isinstance(start, bool) or start < 0:
        raise e.error("start", "must be a character offset (a whole number >= 0)")
    if art.quote_at(start, len(quote)) != quote:
        found = [i for i in _occurrences(art.text, quote) if art.body_start <= i and i + len(quote) <= art.body_end]
        hint = f"; it occurs in the body at {', '.join(map(str, found))}" if found else \
            ("; it is not in the article body" if quote in art.text else "; it does not occur in the article")
        raise e.error("quote", f"not found verbatim at offset {start}{hint}")
    if start < art.body_start or start + len(quote) > art.body_end:
        raise e.error("quote", f"lies outside the article body [{art.body_start}, {art.body_end})")


def _occurrences(text, s):
    i = text.find(s)
    while i >= 0:
        yield i
        i = text.find(s, i + 1)


def resolve_claims(entries, entities, vocab) -> dict:
    """claim id -> ClaimDef, checking that every entry of one id states the same thing."""
    defs = {}
    for e in entries:
        d = defs.get(e.claim)
        given = {k: e.get(k) for k in _CLAIM_FIELDS if e.get(k) is not None}
        if d is None:
            for k in ("about", "property", "value"):
                if k not in given:
                    raise e.error(k, f"missing (this is the first entry for claim {e.claim!r})")
            d = defs[e.claim] = ClaimDef(ID[f"claim/{e.claim}"], e)
            _define(d, e, entities, vocab)
        else:
            other = ClaimDef(d.iri, e)
            for k in given:
                _define_one(other, e, k, entities, vocab)
            for k, mine, theirs in (("about", d.about, other.about), ("property", d.prop, other.prop),
                                    ("value", d.value, other.value), ("relative-to", d.relative_to, other.relative_to)):
                if k in given and mine != theirs:
                    first = d.first
                    raise e.error(k, f"claim {e.claim!r} is defined differently at {first.path.name}:{first.line(k)}")
    for e in entries:
        deps = e.get("derived-from") or []
        if not isinstance(deps, list):
            raise e.error("derived-from", "expected a list of claim ids")
        for dep in deps:
            if str(dep) not in defs:
                raise e.error("derived-from", f"no claim with id {dep!r}")
            if str(dep) == e.claim:
                raise e.error("derived-from", "a claim cannot be derived from itself")
            defs[e.claim].derived_from.add(str(dep))
        if e.get("derived-by"):
            defs[e.claim].derived_by.add(entities.resolve(e.get("derived-by"), e.path, e.line("derived-by"), "derived-by").iri)
    return defs


def _define(d, e, entities, vocab):
    for k in _CLAIM_FIELDS:
        if e.get(k) is not None:
            _define_one(d, e, k, entities, vocab)
    if d.prop[2] and d.relative_to is None:
        raise e.error("relative-to", f"property {e.get('property')} compares with another model: name it")


def _define_one(d, e, key, entities, vocab):
    if key == "about":
        d.about = entities.resolve(e.get("about"), e.path, e.line("about"), "about")
    elif key == "relative-to":
        d.relative_to = entities.resolve(e.get("relative-to"), e.path, e.line("relative-to"), "relative-to", ["models"])
    elif key == "property":
        p = vocab.properties.get(str(e.get("property")))
        if p is None:
            raise e.error("property", f"unknown property {e.get('property')!r} (see ontology/properties.ttl)")
        d.prop = p
    elif key == "value":
        if d.prop is None:
            _define_one(d, e, "property", entities, vocab)
        d.value = _value(e, d.prop[1], vocab)


def _value(e, kind, vocab):
    raw = e.get("value")
    if hasattr(raw, "isoformat"):
        raw = raw.isoformat()
    text = str(raw).strip() if not isinstance(raw, bool) else ("true" if raw else "false")
    try:
        if kind in (AIKG.Quantity, AIKG.Money, AIKG.Ratio):
            q = parse_quantity(text)
            if q["money"] != (kind == AIKG.Money):
                raise ValueSyntaxError("money is written with $" if kind == AIKG.Money else "no $ here: this is not money")
            return {"text": text, **q}
        if kind == AIKG.Concept:
            if text not in vocab.concepts:
                raise ValueSyntaxError(f"unknown concept {text!r} (see ontology/architectures.ttl)")
            return {"text": text, "concept": vocab.concepts[text]}
        if kind == AIKG.Date:
            lexical, dtype = parse_date(text)
            return {"text": text, "date": (lexical, dtype)}
        if kind == AIKG.Boolean:
            if text not in ("true", "false"):
                raise ValueSyntaxError("expected true or false")
            return {"text": text, "boolean": text == "true"}
        return {"text": text}
    except ValueSyntaxError as err:
        raise e.error("value", str(err)) from None


def claim_triples(g: Graph, d: ClaimDef, onto_labels):
    c = d.iri
    g.add((c, RDF.type, AIKG.Claim))
    g.add((c, AIKG.slug, Literal(d.iri.rsplit("/", 1)[1])))
    g.add((c, AIKG.about, d.about.iri))
    g.add((c, AIKG.property, d.prop[0]))
    v = d.value
    g.add((c, AIKG.valueText, Literal(v["text"])))
    for key, pred in (("value", AIKG.value), ("lower", AIKG.lowerBound), ("upper", AIKG.upperBound)):
        if v.get(key) is not None:
            g.add((c, pred, Literal(v[key], datatype=XSD.decimal)))
    if v.get("approximate"):
        g.add((c, AIKG.approximate, Literal(True)))
    if "concept" in v:
        g.add((c, AIKG.valueConcept, v["concept"]))
    if "date" in v:
        g.add((c, AIKG.valueDate, Literal(v["date"][0], datatype=XSD[v["date"][1]])))
    if "boolean" in v:
        g.add((c, AIKG.valueBoolean, Literal(v["boolean"])))
    if d.relative_to is not None:
        g.add((c, AIKG.relativeTo, d.relative_to.iri))
    if d.derived_from:
        act = ID[f"derivation/{d.iri.rsplit('/', 1)[1]}"]
        g.add((act, RDF.type, AIKG.Derivation))
        g.add((c, PROV.wasGeneratedBy, act))
        for dep in sorted(d.derived_from):
            g.add((c, PROV.wasDerivedFrom, ID[f"claim/{dep}"]))
            g.add((act, PROV.used, ID[f"claim/{dep}"]))
        for who in sorted(d.derived_by):
            g.add((act, PROV.wasAssociatedWith, who))
    rel = f" of {d.relative_to.label}" if d.relative_to is not None else ""
    g.add((c, RDFS.label, Literal(f"{d.about.label}: {onto_labels(d.prop[0])} {v['text']}{rel}")))


def report_triples(g: Graph, e: Entry, d: ClaimDef, n: int, defs, entities, vocab):
    """One entry of one article: the report, its Web Annotation target, and what it adds to the claim."""
    art = e.article
    report = ID[f"report/{art.slug}/{e.claim}" + (f"-{n}" if n > 1 else "")]
    c = d.iri
    quote, start = e.get("quote"), e.get("start")
    end = start + len(quote)

    hedge = vocab.hedges.get(str(e.get("hedge")))
    if hedge is None:
        raise e.error("hedge", f"unknown hedge {e.get('hedge')!r} (known: {', '.join(sorted(vocab.hedges))})")
    origin = art.voice if e.get("origin") == "article" else \
        entities.resolve(e.get("origin"), e.path, e.line("origin"), "origin").iri

    g.add((report, RDF.type, AIKG.Report))
    g.add((report, OA.motivatedBy, OA.describing))
    g.add((report, OA.hasBody, c))
    g.add((c, AIKG.hasReport, report))
    g.add((c, AIKG.reportedIn, art.iri))
    g.add((report, AIKG.source, art.iri))
    g.add((report, AIKG.hedge, hedge))
    g.add((report, PROV.wasAttributedTo, origin))
    g.add((c, PROV.wasAttributedTo, origin))
    _extraction(g, e, report, c, art)
    g.add((report, AIKG.quote, Literal(quote)))
    if e.get("attributed-in-text"):
        said = entities.resolve(e.get("attributed-in-text"), e.path, e.line("attributed-in-text"), "attributed-in-text")
        g.add((report, AIKG.attributedInText, said.iri))
    if e.get("note"):
        g.add((report, AIKG.curatorNote, Literal(str(e.get("note")))))

    target, tq, tp = URIRef(f"{report}/target"), URIRef(f"{report}/quote"), URIRef(f"{report}/position")
    g.add((report, OA.hasTarget, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, art.iri))
    g.add((target, OA.hasSelector, tq))
    g.add((target, OA.hasSelector, tp))
    g.add((tq, RDF.type, OA.TextQuoteSelector))
    g.add((tq, OA.exact, Literal(quote)))
    g.add((tq, OA.prefix, Literal(art.text[max(0, start - _CONTEXT):start])))
    g.add((tq, OA.suffix, Literal(art.text[end:end + _CONTEXT])))
    g.add((tp, RDF.type, OA.TextPositionSelector))
    g.add((tp, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((tp, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))

    if e.get("derived-by") and not e.get("derived-from"):
        raise e.error("derived-by", "given without derived-from")

    if e.get("prediction"):
        _prediction(g, e, c, art)
    else:
        for k in ("horizon", "by", "statement"):
            if e.get(k) is not None:
                raise e.error(k, "only a prediction (prediction: true) has a horizon, a deadline or a statement")


def _extraction(g, e, report, c, art):
    """A machine-extracted entry (`status: candidate`, see ontology/extraction.ttl):
    the report and its claim were generated by an extraction with a confidence."""
    status, confidence = e.get("status"), e.get("confidence")
    if status in (None, "curated"):
        if confidence is not None:
            raise e.error("confidence", "only a candidate (status: candidate) carries a confidence")
        return
    if status != "candidate":
        raise e.error("status", "expected `candidate` (machine-extracted) or `curated`")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
        raise e.error("confidence", "a candidate needs a confidence between 0 and 1")
    act = ID[f"extraction/{art.slug}/{e.claim}-{e.get('start')}"]
    g.add((act, RDF.type, AIKG.Extraction))
    g.add((act, AIKG.confidence, Literal(str(confidence), datatype=XSD.decimal)))
    g.add((act, PROV.used, art.iri))
    g.add((act, PROV.wasAssociatedWith, AIKG.ruleBasedExtractor))
    g.add((report, PROV.wasGeneratedBy, act))
    g.add((c, PROV.wasGeneratedBy, act))
    g.add((report, RDF.type, AIKG.CandidateReport))


def _prediction(g, e, c, art):
    if e.get("prediction") is not True:
        raise e.error("prediction", "write `prediction: true`")
    g.add((c, RDF.type, AIKG.Prediction))
    if not e.get("statement"):
        raise e.error("statement", "a prediction needs a one-line statement")
    g.add((c, AIKG.statement, Literal(str(e.get("statement")))))
    horizon, by = e.get("horizon"), e.get("by")
    if horizon is not None and by is not None:
        raise e.error("horizon", "give either horizon (relative) or by (absolute), not both")
    if horizon is None and by is None:
        # A forecast with no stated horizon is still a prediction; it is never due.
        g.add((c, AIKG.horizonText, Literal("unstated")))
        return
    try:
        if horizon is not None:
            lo, hi = parse_horizon(horizon)
            g.add((c, AIKG.horizonMin, Literal(lo, datatype=XSD.duration)))
            g.add((c, AIKG.horizonMax, Literal(hi, datatype=XSD.duration)))
            g.add((c, AIKG.horizonText, Literal(str(horizon))))
            if art.published and len(art.published) >= 7:
                g.add((c, AIKG.dueBy, Literal(_add_duration(art.published, hi), datatype=XSD.date)))
        else:
            by = by.isoformat() if hasattr(by, "isoformat") else str(by)
            lexical, dtype = parse_date(by)
            g.add((c, AIKG.dueBy, Literal(lexical, datatype=XSD[dtype])))
            g.add((c, AIKG.horizonText, Literal(f"by {by}")))
    except ValueSyntaxError as err:
        raise e.error("horizon" if horizon is not None else "by", str(err)) from None


def _add_duration(published, duration):
    """Publication date (YYYY-MM[-DD]) plus an xsd:duration of days, months or years."""
    from datetime import date, timedelta
    y, m, d = (list(map(int, published.split("-"))) + [1])[:3]
    n, unit = int(duration[1:-1]), duration[-1]
    if unit == "D":
        return (date(y, m, d) + timedelta(days=n)).isoformat()
    months = n * (12 if unit == "Y" else 1)
    y, m = y + (m - 1 + months) // 12, (m - 1 + months) % 12 + 1
    from calendar import monthrange
    return date(y, m, min(d, monthrange(y, m)[1])).isoformat()
