"""The SPARQL 1.1 Protocol endpoint at /sparql: read-only and self-contained.

Queries arrive by GET ?query=, by POST form or by POST application/sparql-query.
Before a query runs it is read (graph.sparql_scan) and refused if it is an
update, calls a SERVICE or names a graph the store does not hold, so the server
never writes and never fetches. It then runs in the worker pool
(graph.query_pool), which stops it for real at the timeout."""
from flask import Blueprint, current_app, request

from aikg.vocab import PREFIXES
from graph.query_pool import Job
from graph.sparql_scan import scan

from . import problems
from .query_runner import GRAPH_TYPES, SOLUTION_TYPES, answer, graph_names, negotiate, problem, run

bp = Blueprint("sparql", __name__)
problems.register(bp)

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
# Clients such as SPARQLWrapper also name the format in a parameter.
FORMAT_PARAMS = ("format", "output")
FORMAT_NAMES = {"ttl": "turtle", "n3": "turtle", "nt": "ntriples", "n-triples": "ntriples",
                "json-ld": "jsonld", "rdf+xml": "rdfxml", "rdf": "rdfxml"}
GRAPH_FORMAT_NAMES = {"json": "jsonld", "xml": "rdfxml"}


def _refuse_update():
    raise problem(403, "Updates are not allowed",
                  "this endpoint is read-only: SPARQL Update is refused and never executed", kind="update-refused")


def _read_request():
    """(query text, parameters) of a Protocol request, or a Problem."""
    limit = current_app.config["AIKG_MAX_QUERY_LENGTH"]
    if request.method == "GET":
        params = request.args
        queries = params.getlist("query")
    else:
        mime = request.mimetype
        if mime == UPDATE_BODY:
            _refuse_update()
        if request.content_length and request.content_length > 4 * limit + 4096:
            _too_long(request.content_length, "bytes")
        if mime == FORM or not (mime or request.content_length):   # an empty POST is a missing query
            params = request.values      # the body, and the URL's parameters besides
            queries = request.form.getlist("query")
        elif mime == QUERY_BODY:
            params = request.args
            queries = [_body_text()]
        else:
            raise problem(415, "Unsupported Media Type",
                          f"POST a query as {FORM} (query=...) or as {QUERY_BODY}; got {mime or 'no Content-Type'}",
                          kind="unsupported-media-type")
    if "update" in params:
        _refuse_update()
    if not queries or not queries[0].strip():
        raise problem(400, "Missing query", "give the query in the `query` parameter "
                      f"(GET or POST {FORM}) or as the body of a POST {QUERY_BODY}", kind="missing-query")
    if len(queries) > 1:
        raise problem(400, "More than one query", f"{len(queries)} `query` parameters; send exactly one",
                      kind="malformed-query")
    if len(queries[0]) > limit:
        _too_long(len(queries[0]), "characters")
    return queries[0], params


def _body_text() -> str:
    """The POSTed query: UTF-8, as the Protocol requires, strictly decoded."""
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise problem(415, "Unsupported charset", f"a query is sent in UTF-8, not {charset}", kind="unsupported-charset")
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError as e:
        raise problem(400, "Malformed query", f"the body is not UTF-8: byte {e.start} ({e.reason})",
                      kind="malformed-query") from None


def _too_long(size, unit):
    limit = current_app.config["AIKG_MAX_QUERY_LENGTH"]
    raise problem(413, "Query too long", f"the query has {size} {unit}; the limit is {limit} characters",
                  kind="query-too-long", max_query_length=limit)


def _check_dataset(names, where):
    outside = [g for g in names if g not in graph_names()]
    if outside:
        raise problem(403, "Dataset outside the store",
                      f"{where} names {outside[0]}, which is not a graph of this store; this server never "
                      f"fetches remote data. Its graphs: {', '.join(sorted(graph_names()))}",
                      kind="external-dataset")


def _format_override(params):
    for name in FORMAT_PARAMS:
        value = (params.get(name) or "").strip().lower()
        if value:
            return FORMAT_NAMES.get(value, value)
    return None


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    text, params = _read_request()
    found = scan(text, PREFIXES)
    if found.is_update:
        _refuse_update()
    if found.services:
        raise problem(403, "SERVICE is not allowed",
                      "federated queries are refused: this server never fetches remote data", kind="service-refused")
    if found.unresolved:
        raise problem(400, "Malformed query", f"FROM needs a graph IRI, got {found.unresolved[0]!r}",
                      kind="malformed-query")
    default_graphs, named_graphs = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    _check_dataset(default_graphs, "default-graph-uri")
    _check_dataset(named_graphs, "named-graph-uri")
    _check_dataset(found.from_graphs, "FROM")
    _check_dataset(found.from_named, "FROM NAMED")

    override = _format_override(params)
    job = Job(text)
    # With no query form found the text is not a query: let the parser say why (400), not negotiation.
    if found.is_graph_result:
        job.graph_format = negotiate(GRAPH_TYPES, GRAPH_FORMAT_NAMES.get(override, override))
    elif found.form:
        job.solution_format = negotiate(SOLUTION_TYPES, override)
    if default_graphs or named_graphs:
        # The Protocol's dataset replaces the query's own FROM clauses.
        job.default_graph, job.named_graphs = default_graphs, named_graphs
    elif found.from_graphs or found.from_named:
        job.union = False
    return answer(run(job))
