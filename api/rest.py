"""REST lookups under /api: labs, models, claims, sources, people, predictions and
the latest validation report. JSON by default; JSON-LD and Turtle of the same
resources by Accept or ?format=. Identifiers are the slugs of the graph."""
import json
from calendar import monthrange
from datetime import date

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from aikg.vocab import PREFIXES
from graph import findings as validation_findings
from graph.queries import internal, run_sparql

from .app import store
from .catalog import catalog
from . import problems
from .problems import Problem

bp = Blueprint("rest", __name__, url_prefix="/api")
problems.register(bp)

DEFAULT_LIMIT, MAX_LIMIT = 50, 1000
PREDICTION_STATUSES = ("open", "due", "overdue", "resolved")
_RDF_FORMATS = {"jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
                "turtle": ("text/turtle", ox.RdfFormat.TURTLE)}
_BY_MEDIA = {"application/json": "json", "application/ld+json": "jsonld", "text/turtle": "turtle"}
_KIND_PATH = {"lab": "labs", "model": "models", "claim": "claims", "source": "sources",
              "person": "people", "agent": "people"}


# ---------------------------------------------------------------- formats and paging

def wanted_format():
    given = request.args.get("format")
    if given is not None:
        if given not in ("json", *_RDF_FORMATS):
            raise Problem(400, "Bad Request", f"format must be json, jsonld or turtle, not {given!r}")
        return given
    best = request.accept_mimetypes.best_match(list(_BY_MEDIA), default="application/json")
    return _BY_MEDIA[best]


def paging():
    out = {}
    for name, default, top in (("limit", DEFAULT_LIMIT, MAX_LIMIT), ("offset", 0, None)):
        raw = request.args.get(name)
        if raw is None:
            out[name] = default
            continue
        if not raw.isdigit() or (top is not None and not 1 <= int(raw) <= top):
            bound = f"between 1 and {top}" if top else "0 or more"
            raise Problem(400, "Bad Request", f"{name} must be a whole number {bound}, not {raw!r}")
        out[name] = int(raw)
    return out["limit"], out["offset"]


def known_params(*names):
    extra = set(request.args) - set(names) - {"format"}
    if extra:
        raise Problem(400, "Bad Request", f"unknown parameter {sorted(extra)[0]!r} (parameters: "
                          f"{', '.join(list(names) + ['format'])})")


def rdf_response(iris, fmt):
    triples = set()
    query = internal("api-describe")
    for iri in iris:
        triples.update(run_sparql(store(), query, {ox.Variable("resource"): ox.NamedNode(iri)}))
    media, rdf_format = _RDF_FORMATS[fmt]
    data = ox.serialize(sorted(triples, key=str), format=rdf_format, prefixes=PREFIXES)
    return Response(data, mimetype=media)


def answer(doc, iris):
    """The JSON document, or the RDF of the resources it shows."""
    fmt = wanted_format()
    if fmt != "json":
        return rdf_response(iris, fmt)
    return Response(json.dumps(doc, ensure_ascii=False, indent=1), mimetype="application/json")


def listing(items, iris, **extra):
    limit, offset = paging()
    page = items[offset:offset + limit]
    doc = {"total": len(items), "limit": limit, "offset": offset, **extra, "items": page}
    return answer(doc, iris[offset:offset + limit])


# ---------------------------------------------------------------- records

def url_of(ref):
    path = _KIND_PATH.get(ref.get("type") or "")
    return f"/api/{path}/{ref['id']}" if path else None


def ref(iri):
    r = catalog().ref(iri)
    if r is None:
        return None
    u = url_of(r)
    return {**r, "url": u} if u else r


def lookup(kind, slug, *also):
    cat = catalog()
    for k in (kind, *also):
        e = cat.get(k, slug)
        if e is not None:
            return e
    raise Problem(404, "Not Found", f"no {kind} with id {slug!r}")


def claim_summary(c):
    cat = catalog()
    f = c.fields
    value = {"text": c.value_text}
    for key, name in (("value", "number"), ("lower", "lower"), ("upper", "upper"), ("unit", "unit"),
                      ("approximate", "approximate"), ("valueDate", "date")):
        if f.get(key) is not None:
            value[name] = f[key]
    if f.get("valueConcept"):
        value["concept"] = cat.slug(f["valueConcept"])
    if f.get("relativeTo"):
        value["relative_to"] = ref(f["relativeTo"])
    return {"id": c.slug, "label": c.label, "iri": c.iri, "url": f"/api/claims/{c.slug}",
            "about": ref(c.about), "property": cat.slug(c.property), "value": value,
            "hedges": [cat.slug(h) for h in c.hedges], "origins": [ref(o) for o in c.origins],
            "sources": [cat.slug(s) for s in c.sources], "reports": len(c.reports),
            "derived": bool(c.premises), "prediction": bool(f.get("prediction"))}


def report_record(r):
    cat = catalog()
    return {"source": ref(r.source), "hedge": cat.slug(r.hedge), "origin": ref(r.origin),
            "attributed_in_text": ref(r.attributed_in_text), "quote": r.quote, "start": r.start, "end": r.end,
            "note": r.note, "iri": r.iri}


def support_tree(c, path=()):
    """The claim's support back to its origins: who states it, and the premises it was derived from."""
    cat = catalog()
    node = {"claim": c.slug, "label": c.label, "origins": [ref(o) for o in c.origins],
            "statements": [{"source": cat.slug(r.source), "origin": cat.slug(r.origin), "hedge": cat.slug(r.hedge),
                            "quote": r.quote} for r in c.reports]}
    if c.premises:
        node["derived_by"] = [ref(a) for a in c.derived_by]
        node["derived_from"] = [support_tree(cat.claims[p], path + (c.iri,)) if p in cat.claims and p not in path
                                else {"claim": cat.slug(p)} for p in c.premises]
    return node


def claim_findings(c):
    return [f for f in validation_findings.latest(current_app.config["AIKG_BUILD_DIR"]) if c.iri in f["involves"]]


def claims_of(pred):
    return [c for c in sorted(catalog().claims.values(), key=lambda c: c.slug) if pred(c)]


def estimates(claims):
    """Per numeric property: how many claims, the lowest and highest value they allow, and each claim's value."""
    out = {}
    for c in claims:
        f = c.fields
        nums = [v for v in (f.get("lower"), f.get("value"), f.get("upper")) if v is not None]
        if not nums or f.get("relativeTo"):
            continue
        e = out.setdefault(catalog().slug(c.property), {"unit": f.get("unit"), "claims": 0, "min": None, "max": None,
                                                        "values": []})
        e["claims"] += 1
        e["min"] = min(nums + ([e["min"]] if e["min"] is not None else []))
        e["max"] = max(nums + ([e["max"]] if e["max"] is not None else []))
        e["values"].append({"claim": c.slug, "about": catalog().slug(c.about), "value": c.value_text,
                            "hedges": [catalog().slug(h) for h in c.hedges],
                            "origins": [catalog().slug(o) for o in c.origins]})
    return out


# ---------------------------------------------------------------- labs

@bp.get("/labs")
def labs():
    known_params("limit", "offset")
    cat = catalog()
    labs = sorted(cat.by_kind["lab"].values(), key=lambda e: e.slug)
    items = [{**ref(e.iri), "aliases": e.aliases,
              "models": sum(1 for m in cat.models.values() if m["lab"] == e.iri)} for e in labs]
    return listing(items, [e.iri for e in labs])


@bp.get("/labs/<slug>")
def lab(slug):
    known_params()
    cat = catalog()
    e = lookup("lab", slug)
    doc = {**ref(e.iri), "aliases": e.aliases, "description": e.description,
           "models": [ref(m) for m, v in sorted(cat.models.items()) if v["lab"] == e.iri],
           "people": [ref(p) for p, orgs in sorted(cat.affiliations.items()) if e.iri in orgs],
           "claims": [claim_summary(c) for c in claims_of(lambda c: c.about == e.iri)]}
    return answer(doc, [e.iri])


# ---------------------------------------------------------------- models

@bp.get("/models")
def models():
    known_params("limit", "offset", "lab")
    cat = catalog()
    lab_iri = lookup_param("lab", "lab")
    ms = [cat.entities[m] for m, v in sorted(cat.models.items(), key=lambda kv: cat.entities[kv[0]].slug)
          if lab_iri is None or v["lab"] == lab_iri]
    items = [{**ref(e.iri), "kind": cat.models[e.iri]["kind"], "aliases": e.aliases,
              "lab": ref(cat.models[e.iri]["lab"]), "family": ref(cat.models[e.iri]["family"]),
              "claims": sum(1 for c in cat.claims.values() if c.about == e.iri)} for e in ms]
    return listing(items, [e.iri for e in ms])


@bp.get("/models/<slug>")
def model(slug):
    known_params()
    cat = catalog()
    e = lookup("model", slug)
    m = cat.models[e.iri]
    members = cat.members.get(e.iri, {e.iri})
    claims = claims_of(lambda c: c.about in members)
    doc = {**ref(e.iri), "kind": m["kind"], "aliases": e.aliases, "lab": ref(m["lab"]), "family": ref(m["family"]),
           "versions": [ref(v) for v, vm in sorted(cat.models.items()) if vm["family"] == e.iri],
           "claims": [claim_summary(c) for c in claims], "estimates": estimates(claims)}
    return answer(doc, [e.iri])


# ---------------------------------------------------------------- claims

def lookup_param(name, *kinds):
    """The IRI a filter parameter names by slug, or None when it is not given; 400 when it names nothing."""
    value = request.args.get(name)
    if value is None:
        return None
    cat = catalog()
    for k in kinds:
        e = cat.get(k, value)
        if e is not None:
            return e.iri
    raise Problem(400, "Bad Request", f"{name}: no {' or '.join(kinds)} with id {value!r}")


@bp.get("/claims")
def claims():
    known_params("limit", "offset", "model", "property", "origin", "hedge", "source")
    cat = catalog()
    model = lookup_param("model", "model")
    prop = lookup_param("property", "property")
    origin = lookup_param("origin", "person", "agent", "lab")
    hedge = lookup_param("hedge", "hedge")
    source = lookup_param("source", "source")
    members = cat.members.get(model, {model}) if model else None
    chosen = claims_of(lambda c: (members is None or c.about in members) and (prop is None or c.property == prop)
                       and (origin is None or origin in c.origins) and (hedge is None or hedge in c.hedges)
                       and (source is None or source in c.sources))
    filters = {k: request.args[k] for k in ("model", "property", "origin", "hedge", "source") if k in request.args}
    return listing([claim_summary(c) for c in chosen], [c.iri for c in chosen], filters=filters)


@bp.get("/claims/<slug>")
def claim(slug):
    known_params()
    cat = catalog()
    c = cat.claim_by_slug(slug)
    if c is None:
        raise Problem(404, "Not Found", f"no claim with id {slug!r}")
    f = c.fields
    independent = cat.independent_origins(c)
    doc = {**claim_summary(c),
           "reports": [report_record(r) for r in c.reports],
           "support": support_tree(c),
           "rests_on": [ref(o) for o in cat.rests_on(c)],
           "independent_origins": [ref(o) for o in independent],
           "independent_origin_count": f.get("independentOrigins") if f.get("independentOrigins") is not None
           else len(independent),
           "findings": claim_findings(c)}
    if f.get("prediction"):
        doc["forecast"] = prediction_fields(c)
    return answer(doc, [c.iri])


# ---------------------------------------------------------------- sources

@bp.get("/sources")
def sources():
    known_params("limit", "offset")
    cat = catalog()
    ss = sorted(cat.sources, key=lambda s: cat.slug(s))
    items = [source_record(s) for s in ss]
    return listing(items, ss)


def source_record(iri):
    cat = catalog()
    s = cat.sources[iri]
    reports = [r for c in cat.claims.values() for r in c.reports if r.source == iri]
    return {**ref(iri), "title": s["title"], "publisher": ref(s["publisher"]), "language": s["language"],
            "published": s["published"] if s["publication_date_known"] is not False else "unknown",
            "text_file": s["text_file"], "claims": len({r.claim for r in reports}), "reports": len(reports)}


@bp.get("/sources/<slug>")
def source(slug):
    known_params()
    cat = catalog()
    e = lookup("source", slug)
    chosen = claims_of(lambda c: e.iri in c.sources)
    reports = [r for c in chosen for r in c.reports if r.source == e.iri]
    doc = {**source_record(e.iri),
           "origins": [ref(o) for o in sorted({r.origin for r in reports})],
           "claims": [claim_summary(c) for c in chosen]}
    return answer(doc, [e.iri])


# ---------------------------------------------------------------- people

@bp.get("/people/<slug>")
def person(slug):
    known_params()
    cat = catalog()
    e = lookup("person", slug, "agent")
    said = [r for c in cat.claims.values() for r in c.reports if r.attributed_in_text == e.iri]
    doc = {**ref(e.iri), "description": e.description, "aliases": e.aliases,
           "affiliation": [ref(o) for o in cat.affiliations.get(e.iri, [])],
           "originated": [claim_summary(c) for c in claims_of(lambda c: e.iri in c.origins)],
           "derived": [claim_summary(c) for c in claims_of(lambda c: e.iri in c.derived_by)],
           "named_in_text": [{"claim": cat.slug(r.claim), **report_record(r)} for r in said]}
    return answer(doc, [e.iri])


# ---------------------------------------------------------------- predictions

def deadline_status(due_by, today=None):
    """open before the deadline's period (a year, a month or a day), due within it, overdue after it."""
    if not due_by:
        return "open"
    today = today or date.today()
    parts = [int(p) for p in str(due_by).split("-")[:3]]
    y = parts[0]
    if len(parts) == 1:
        first, last = date(y, 1, 1), date(y, 12, 31)
    elif len(parts) == 2:
        m = parts[1]
        first, last = date(y, m, 1), date(y, m, monthrange(y, m)[1])
    else:
        first = last = date(*parts)
    return "open" if today < first else "due" if today <= last else "overdue"


def prediction_fields(c):
    f = c.fields
    return {"statement": f.get("statement"), "horizon": f.get("horizon"),
            "due_by": f.get("dueBy") or "unknown", "status": deadline_status(f.get("dueBy"))}


@bp.get("/predictions")
def predictions():
    known_params("limit", "offset", "status")
    status = request.args.get("status")
    if status is not None and status not in PREDICTION_STATUSES:
        raise Problem(400, "Bad Request", f"status must be one of {', '.join(PREDICTION_STATUSES)}, not {status!r}")
    chosen = [c for c in claims_of(lambda c: c.fields.get("prediction"))
              if status is None or prediction_fields(c)["status"] == status]
    items = [{**claim_summary(c), **prediction_fields(c)} for c in chosen]
    return listing(items, [c.iri for c in chosen], filters={"status": status} if status else {})


# ---------------------------------------------------------------- validation

@bp.get("/validation")
def validation():
    known_params()
    doc = validation_findings.report(current_app.config["AIKG_BUILD_DIR"])
    return Response(json.dumps(doc, ensure_ascii=False, indent=1), mimetype="application/json")
