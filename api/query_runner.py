"""Running SPARQL for the web: the app's pool of query workers, the store's graph
names, content negotiation, and the pool's failures as problem details."""
import atexit
import threading

from flask import current_app, request

from aikg.vocab import PREFIXES
from graph import query_pool
from graph.queries import internal

from .app import store
from .problems import Problem

PROBLEM_TYPES = "https://w3id.org/aikg/problems/"

_lock = threading.Lock()

# Media types a client may ask for, in the order we prefer them, and the format each names.
SOLUTION_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/turtle": "turtle",
    "text/n3": "turtle",   # Turtle is valid N3
    "application/n-triples": "ntriples", "text/plain": "ntriples",
    "application/ld+json": "jsonld", "application/json": "jsonld",
    "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml",
}


def problem(status, title, detail, kind, **extra) -> Problem:
    """A Problem whose type names what went wrong, so clients can tell refusals apart."""
    return Problem(status, title, detail, type=PROBLEM_TYPES + kind, **extra)


def pool() -> query_pool.QueryPool:
    ext, cfg = current_app.extensions, current_app.config
    if "aikg_query_pool" not in ext:
        with _lock:
            if "aikg_query_pool" not in ext:
                p = query_pool.QueryPool(cfg["AIKG_BUILD_DIR"], size=int(cfg.get("AIKG_QUERY_WORKERS", 2)),
                                         timeout=cfg["AIKG_QUERY_TIMEOUT"], max_results=cfg["AIKG_MAX_RESULTS"],
                                         prefixes=PREFIXES, memory_mb=int(cfg.get("AIKG_QUERY_MEMORY_MB", 2048)))
                atexit.register(p.close)
                ext["aikg_query_pool"] = p
    return ext["aikg_query_pool"]


def graph_names() -> frozenset:
    """The IRIs of the store's named graphs: all a query's dataset may name."""
    ext = current_app.extensions
    if "aikg_graph_names" not in ext:
        ext["aikg_graph_names"] = frozenset(r["g"].value for r in store().query(internal("named-graphs")))
    return ext["aikg_graph_names"]


def negotiate(types: dict, override: str | None = None) -> str:
    """The format key for the request's Accept header (or an explicit format name)."""
    if override:
        if override in types.values():
            return override
        if override in types:
            return types[override]
    accept = request.accept_mimetypes
    if not accept:
        return next(iter(types.values()))
    best = accept.best_match(list(types))
    if best is None:
        raise problem(406, "Not Acceptable",
                      f"no answer format matches Accept: {request.headers.get('Accept')}; "
                      f"available: {', '.join(types)}", kind="not-acceptable")
    return types[best]


def run(job: query_pool.Job) -> query_pool.Answer:
    try:
        return pool().run(job)
    except query_pool.QueryTimeout as e:
        raise problem(503, "Query timed out", f"{e}; narrow it or add a LIMIT", kind="query-timeout",
                      timeout=pool().timeout) from None
    except query_pool.PoolBusy as e:
        raise problem(503, "Server busy", str(e), kind="busy", headers={"Retry-After": "5"}) from None
    except query_pool.TooManyResults as e:
        raise problem(422, "Result too large", f"{e} (at most {pool().max_results}); add a LIMIT or page with OFFSET",
                      kind="result-too-large", max_results=pool().max_results) from None
    except query_pool.QueryFailed as e:
        if e.kind == "syntax":
            raise problem(400, "Malformed query", str(e), kind="malformed-query") from None
        if e.kind == "died":
            raise problem(503, "Query stopped", f"{e}: it used more memory than a query may",
                          kind="query-memory") from None
        raise problem(500, "Query failed", str(e), kind="query-failed") from None


def answer(a: query_pool.Answer):
    resp = current_app.response_class(a.body, content_type=a.media_type)
    resp.vary.add("Accept")
    return resp
