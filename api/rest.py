"""REST lookups under /api: labs, models, claims, sources, people, predictions and
the latest validation report. JSON by default; JSON-LD and Turtle of the same
resources by Accept or ?format=. Identifiers are the slugs of the graph.

Each request reads only the records it shows from the store (graph.catalog.Lookups);
rendered answers are cached until the store changes, with an ETag for If-None-Match."""
import functools
import hashlib
import json
import threading
from calendar import monthrange
from collections import OrderedDict
from datetime import date

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from aikg.vocab import PREFIXES
from graph import findings as validation_findings
from graph.catalog import Lookups
from graph.queries import internal, run_sparql

from .app import store
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
CACHE_ENTRIES, CACHE_BYTES = 4096, 64 << 20
_lock = threading.Lock()


def lookups() -> Lookups:
    """The reader of the store as it is now (api.app drops it when the store changes)."""
    ext = current_app.extensions
    lk = ext.get("aikg_lookups")
    if lk is None:
        with _lock:
            lk = ext.get("aikg_lookups")
            if lk is None:
                lk = ext["aikg_lookups"] = Lookups(store())
                if current_app.config.get("AIKG_WARM_CACHE"):
                    threading.Thread(target=_warm, args=(current_app._get_current_object(), lk),
                                     daemon=True, name="aikg-warm").start()
    return lk


def _warm(app, lk, batch=500):
    """Read every source's claims and every claim with all its page shows, in a few
    queries over the whole store, then render every claim's summary, in the
    background: listings and lookups then come from memory (1000x: about 20 s of CPU,
    where a batch of claims at a time took 36 s without their reports' positions;
    about 400 MB in all)."""
    with app.app_context():
        lk.warm_sources()
        lk.warm_claims()
        ids = lk.claim_list()
        for i in range(0, len(ids), batch):
            if app.extensions.get("aikg_lookups") is not lk:     # the store changed: a new reader warms
                return
            summaries_json(ids[i:i + batch])


# ---------------------------------------------------------------- answers, cached

class Responses:
    """Rendered answers by (path, query string, format), least recently used out first."""

    def __init__(self):
        self.items, self.size, self.lock = OrderedDict(), 0, threading.Lock()

    def get(self, key):
        with self.lock:
            hit = self.items.get(key)
            if hit is not None:
                self.items.move_to_end(key)
            return hit

    def put(self, key, value):
        with self.lock:
            if key in self.items:
                return
            self.items[key] = value
            self.size += len(value[0])
            while self.items and (len(self.items) > CACHE_ENTRIES or self.size > CACHE_BYTES):
                self.size -= len(self.items.popitem(last=False)[1][0])


def cached(view):
    """The view's answer from the cache, or made and kept; 304 when the client has it."""
    @functools.wraps(view)
    def wrapper(**kw):
        fmt = wanted_format()
        key = (request.path, request.query_string, fmt)
        # Taken before the view runs: if the store changes meanwhile, this answer goes
        # into the dropped cache, not the new one.
        cache = current_app.extensions.setdefault("aikg_responses", Responses())
        hit = cache.get(key)
        if hit is None:
            resp = view(**kw)
            body = resp.get_data()
            hit = (body, resp.mimetype, '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"')
            cache.put(key, hit)
        body, mimetype, etag = hit
        headers = {"ETag": etag, "Vary": "Accept"}
        if request.if_none_match.contains(etag.strip('"')):
            return Response(status=304, headers=headers)
        return Response(body, mimetype=mimetype, headers=headers)
    return wrapper


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
    return json_response(doc)


# Compact: json's C encoder only serves separators without indent (3.7 ms -> 0.8 ms a page).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def json_response(doc):
    return Response(_encode(doc), mimetype="application/json")


def spliced(doc, key, encoded):
    """The JSON of `doc` with the value of `key` the list of `encoded`, items already
    JSON text: a claim's summary is encoded once per store, not once per page showing
    it (a page of 50 summaries: about 1 ms less). The keys keep their order."""
    keys = list(doc)
    i = keys.index(key)
    parts = [_encode({k: doc[k] for k in keys[:i]})[1:-1], _encode(key) + ":[" + ",".join(encoded) + "]",
             _encode({k: doc[k] for k in keys[i + 1:]})[1:-1]]
    return Response("{" + ",".join(p for p in parts if p) + "}", mimetype="application/json")


def listing(iris, render, encoded=None, **extra):
    """One page of `iris` (all of the listing, in order), its items made by render(page)
    (or, in JSON, by encoded(page) as JSON text)."""
    limit, offset = paging()
    page = iris[offset:offset + limit]
    doc = {"total": len(iris), "limit": limit, "offset": offset, **extra, "items": None}
    if encoded is not None and wanted_format() == "json":
        return spliced(doc, "items", encoded(page))
    doc["items"] = render(page)
    return answer(doc, page)


# ---------------------------------------------------------------- records

def url_of(ref):
    path = _KIND_PATH.get(ref.get("type") or "")
    return f"/api/{path}/{ref['id']}" if path else None


def ref(iri):
    r = lookups().ref(iri)
    if r is None:
        return None
    u = url_of(r)
    return {**r, "url": u} if u else r


def lookup(kind, slug, *also):
    e = lookups().find((kind, *also), slug)
    if e is None:
        raise Problem(404, "Not Found", f"no {kind} with id {slug!r}")
    return e


def claims(iris, full=False):
    """The claims of `iris` in that order, with the things their summaries name read in one go."""
    lk = lookups()
    got = lk.load_claims(iris, full)
    lk.load_named(got.values())
    return [got[i] for i in iris if i in got]


def summaries(iris):
    memo = lookups().memo
    for c in claims([i for i in iris if ("summary", i) not in memo]):
        claim_summary(c)
    return [memo[("summary", i)] for i in iris if ("summary", i) in memo]


def summaries_json(iris):
    """summaries(iris), each as JSON text, encoded once."""
    memo = lookups().memo
    todo = [i for i in iris if ("json", i) not in memo]
    if todo:
        for s in summaries(todo):
            memo.setdefault(("json", s["iri"]), _encode(s))
    return [memo[("json", i)] for i in iris if ("json", i) in memo]


def claim_summary(c):
    lk = lookups()
    done = lk.memo.get(("summary", c.iri))
    if done is not None:
        return done
    f = c.fields
    value = {"text": c.value_text}
    unit = lk.field(c.property, "unit")
    for key, name in (("value", "number"), ("lowerBound", "lower"), ("upperBound", "upper"), ("unit", "unit"),
                      ("approximate", "approximate"), ("valueDate", "date")):
        v = unit if key == "unit" else f.get(key)
        if v is not None:
            value[name] = v
    if f.get("valueConcept"):
        value["concept"] = lk.slug(f["valueConcept"])
    if f.get("relativeTo"):
        value["relative_to"] = ref(f["relativeTo"])
    done = lk.memo[("summary", c.iri)] = {
        "id": c.slug, "label": c.label, "iri": c.iri, "url": f"/api/claims/{c.slug}",
        "about": ref(c.about), "property": lk.slug(c.property), "value": value,
        "hedges": [lk.slug(h) for h in c.hedges], "origins": [ref(o) for o in c.origins],
        "sources": [lk.slug(s) for s in c.sources], "reports": len(c.reports),
        "derived": bool(c.premises), "prediction": bool(f.get("prediction"))}
    return done


def report_record(r):
    lk = lookups()
    return {"source": ref(r.source), "hedge": lk.slug(r.hedge), "origin": ref(r.origin),
            "attributed_in_text": ref(r.attributed_in_text), "quote": r.quote, "start": r.start, "end": r.end,
            "note": r.note, "iri": r.iri}


def support_tree(c, path=()):
    """The claim's support back to its origins: who states it, and the premises it was derived from."""
    lk = lookups()
    node = {"claim": c.slug, "label": c.label, "origins": [ref(o) for o in c.origins],
            "statements": [{"source": lk.slug(r.source), "origin": lk.slug(r.origin), "hedge": lk.slug(r.hedge),
                            "quote": r.quote} for r in c.reports]}
    if c.premises:
        node["derived_by"] = [ref(a) for a in c.derived_by]
        node["derived_from"] = [support_tree(lk.claims[p], path + (c.iri,)) if p in lk.claims and p not in path
                                else {"claim": lk.slug(p)} for p in c.premises]
    return node


def claim_findings(c):
    memo = lookups().memo
    if "findings" not in memo:
        # By the IRIs each involves: a claim's page then does not scan them all.
        by_iri = {}
        for f in validation_findings.latest(current_app.config["AIKG_BUILD_DIR"]):
            for iri in dict.fromkeys(f["involves"]):
                by_iri.setdefault(iri, []).append(f)
        memo["findings"] = by_iri
    return list(memo["findings"].get(c.iri, ()))


def estimates(chosen):
    """Per numeric property: how many claims, the lowest and highest value they allow, and each claim's value."""
    lk = lookups()
    out = {}
    for c in chosen:
        f = c.fields
        nums = [v for v in (f.get("lowerBound"), f.get("value"), f.get("upperBound")) if v is not None]
        if not nums or f.get("relativeTo"):
            continue
        e = out.setdefault(lk.slug(c.property), {"unit": lk.field(c.property, "unit"), "claims": 0, "min": None,
                                                 "max": None, "values": []})
        e["claims"] += 1
        e["min"] = min(nums + ([e["min"]] if e["min"] is not None else []))
        e["max"] = max(nums + ([e["max"]] if e["max"] is not None else []))
        e["values"].append({"claim": c.slug, "about": lk.slug(c.about), "value": c.value_text,
                            "hedges": [lk.slug(h) for h in c.hedges], "origins": [lk.slug(o) for o in c.origins]})
    return out


def entity_record(e):
    return {**ref(e.iri), "aliases": e.aliases}


# ---------------------------------------------------------------- labs

@bp.get("/labs")
@cached
def labs():
    known_params("limit", "offset")
    lk = lookups()
    models = lk.models()

    def render(page):
        return [{**entity_record(lk.entity(i)), "models": sum(1 for m in models.values() if m["lab"] == i)}
                for i in page]
    return listing(lk.lab_list(), render)


@bp.get("/labs/<slug>")
@cached
def lab(slug):
    known_params()
    lk = lookups()
    e = lookup("lab", slug)
    doc = {**entity_record(e), "description": e.description,
           "models": [ref(m) for m, v in sorted(lk.models().items()) if v["lab"] == e.iri],
           "people": [ref(p) for p, _ in lk.affiliations(organisation=e.iri)],
           "claims": summaries(lk.claims_where("api-claims-about", about=[e.iri]))}
    return answer(doc, [e.iri])


# ---------------------------------------------------------------- models

@bp.get("/models")
@cached
def models():
    known_params("limit", "offset", "lab")
    lk = lookups()
    lab_iri = lookup_param("lab", "lab")
    ms = lk.models()

    def render(page):
        counts = lk.claim_counts(page)
        return [{**ref(m), "kind": ms[m]["kind"], "aliases": lk.entity(m).aliases, "lab": ref(ms[m]["lab"]),
                 "family": ref(ms[m]["family"]), "claims": counts.get(m, 0)} for m in page]
    return listing([m for m, v in ms.items() if lab_iri is None or v["lab"] == lab_iri], render)


@bp.get("/models/<slug>")
@cached
def model(slug):
    known_params()
    lk = lookups()
    e = lookup("model", slug)
    m = lk.models()[e.iri]
    chosen = claims(lk.claims_where("api-claims-about", about=lk.members(e.iri)))
    doc = {**entity_record(e), "kind": m["kind"], "lab": ref(m["lab"]), "family": ref(m["family"]),
           "versions": [ref(v) for v, vm in sorted(lk.models().items()) if vm["family"] == e.iri],
           "claims": [claim_summary(c) for c in chosen], "estimates": estimates(chosen)}
    return answer(doc, [e.iri])


# ---------------------------------------------------------------- claims

def lookup_param(name, *kinds):
    """The IRI a filter parameter names by slug, or None when it is not given; 400 when it names nothing."""
    value = request.args.get(name)
    if value is None:
        return None
    e = lookups().find(kinds, value)
    if e is None:
        raise Problem(400, "Bad Request", f"{name}: no {' or '.join(kinds)} with id {value!r}")
    return e.iri


@bp.get("/claims")
@cached
def claims_listing():
    known_params("limit", "offset", "model", "property", "origin", "hedge", "source")
    lk = lookups()
    model = lookup_param("model", "model")
    picks = [("api-claims-about", "about", lk.members(model) if model else None),
             ("api-claims-of-property", "property", lookup_param("property", "property")),
             ("api-claims-by-origin", "origin", lookup_param("origin", "person", "agent", "lab")),
             ("api-claims-by-hedge", "hedge", lookup_param("hedge", "hedge")),
             ("api-claims-by-source", "source", lookup_param("source", "source"))]
    sets = [lk.claims_where(q, **{var: [v] if isinstance(v, str) else v}) for q, var, v in picks if v]
    chosen = lk.claim_list() if not sets else [i for i in sets[0] if all(i in s for s in map(set, sets[1:]))]
    filters = {k: request.args[k] for k in ("model", "property", "origin", "hedge", "source") if k in request.args}
    return listing(chosen, summaries, summaries_json, filters=filters)


@bp.get("/claims/<slug>")
@cached
def claim(slug):
    known_params()
    lk = lookups()
    e = lookup("claim", slug)
    c = lk.claim(e.iri, full=True)
    if c is None:
        raise Problem(404, "Not Found", f"no claim with id {slug!r}")
    lk.load_support(c)
    claims([c.iri, *lk.premises_closure(c)], full=True)
    f = c.fields
    independent = lk.independent_origins(c)
    doc = {**claim_summary(c),
           "reports": [report_record(r) for r in c.reports],
           "support": support_tree(c),
           "rests_on": [ref(o) for o in lk.rests_on(c)],
           "independent_origins": [ref(o) for o in independent],
           "independent_origin_count": f.get("independentOriginCount")
           if f.get("independentOriginCount") is not None else len(independent),
           "findings": claim_findings(c)}
    if f.get("prediction"):
        doc["forecast"] = prediction_fields(c)
    return answer(doc, [c.iri])


# ---------------------------------------------------------------- sources

@bp.get("/sources")
@cached
def sources():
    known_params("limit", "offset")
    lk = lookups()

    def render(page):
        counts = lk.source_counts(page)
        return [source_record(s, counts) for s in page]
    return listing(lk.source_list(), render)


def source_record(iri, counts):
    lk = lookups()
    e = lk.entity(iri)
    known = lk.field(iri, "publicationDateKnown")
    language = lk.field(iri, "language")
    n_claims, n_reports = counts.get(iri, (0, 0))
    return {**ref(iri), "title": str(lk.field(iri, "title") or e.slug), "publisher": ref(lk.field(iri, "publisher")),
            "language": None if language is None else str(language),
            "published": lk.field(iri, "issued") if known is not False else "unknown",
            "text_file": lk.field(iri, "textFile"), "claims": n_claims, "reports": n_reports}


@bp.get("/sources/<slug>")
@cached
def source(slug):
    known_params()
    lk = lookups()
    e = lookup("source", slug)
    chosen = claims(lk.claims_where("api-claims-by-source", source=[e.iri]))
    origins = sorted({r.origin for c in chosen for r in c.reports if r.source == e.iri})
    # "claims" takes the place of the record's count of them
    doc = {**source_record(e.iri, lk.source_counts([e.iri])), "origins": [ref(o) for o in origins]}
    if wanted_format() == "json":
        return spliced(doc, "claims", summaries_json([c.iri for c in chosen]))
    doc["claims"] = [claim_summary(c) for c in chosen]
    return answer(doc, [e.iri])


# ---------------------------------------------------------------- people

@bp.get("/people/<slug>")
@cached
def person(slug):
    known_params()
    lk = lookups()
    e = lookup("person", slug, "agent")
    naming = lk.reports_naming(e.iri)
    named = {r: c for c, r in naming}
    said = [r for c in claims(sorted({c for c, _ in naming}), full=True) for r in c.reports if r.iri in named]
    doc = {**ref(e.iri), "description": e.description, "aliases": e.aliases,
           "affiliation": [ref(o) for _, o in lk.affiliations(person=e.iri)],
           "originated": summaries(lk.claims_where("api-claims-by-origin", origin=[e.iri])),
           "derived": summaries(lk.claims_where("api-claims-derived-by", agent=[e.iri])),
           "named_in_text": [{"claim": lk.slug(r.claim), **report_record(r)} for r in said]}
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
    return {"statement": f.get("statement"), "horizon": f.get("horizonText"),
            "due_by": f.get("dueBy") or "unknown", "status": deadline_status(f.get("dueBy"))}


@bp.get("/predictions")
@cached
def predictions():
    known_params("limit", "offset", "status")
    status = request.args.get("status")
    if status is not None and status not in PREDICTION_STATUSES:
        raise Problem(400, "Bad Request", f"status must be one of {', '.join(PREDICTION_STATUSES)}, not {status!r}")
    chosen = [p for p, due in lookups().predictions().items() if status is None or deadline_status(due) == status]

    def render(page):
        return [{**claim_summary(c), **prediction_fields(c)} for c in claims(page)]
    return listing(chosen, render, filters={"status": status} if status else {})


# ---------------------------------------------------------------- validation

@bp.get("/validation")
@cached
def validation():
    known_params()
    return json_response(validation_findings.report(current_app.config["AIKG_BUILD_DIR"]))
