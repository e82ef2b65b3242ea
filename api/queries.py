"""The named queries of queries/ over HTTP: /api/queries lists them, and
/api/queries/<name>?param=value runs one (W3C SPARQL results JSON, or CSV, TSV
or XML by Accept), in the same worker pool and limits as /sparql."""
from flask import Blueprint, jsonify, request, url_for

from graph import queries
from graph.query_pool import Job

from .app import store
from . import problems
from .query_runner import SOLUTION_TYPES, answer, negotiate, problem, run

bp = Blueprint("queries", __name__)
problems.register(bp)


def _describe(q: queries.NamedQuery) -> dict:
    return {**q.as_dict(), "url": url_for("queries.run_query", name=q.name)}


@bp.get("/api/queries")
def list_queries():
    lib = queries.library()
    return jsonify({"total": len(lib), "queries": [_describe(q) for q in lib.values()]})


@bp.get("/api/queries/<name>")
def run_query(name):
    q = queries.library().get(name)
    if q is None:
        raise problem(404, "No such query", f"there is no named query {name!r}; /api/queries lists them",
                      kind="unknown-query")
    fmt = negotiate(SOLUTION_TYPES)
    try:
        text = queries.prepare(store(), q, request.args.to_dict())
    except queries.QueryError as e:
        raise problem(400, "Bad parameter", str(e), kind="bad-parameter",
                      parameters=[p.name for p in q.params]) from None
    result = run(Job(text, solution_format=fmt))
    resp = answer(result)
    links = _page_links(q, result.rows)
    if links:
        resp.headers["Link"] = ", ".join(links)
    return resp


def _page_links(q: queries.NamedQuery, rows) -> list:
    """RFC 8288 links to the neighbouring pages: SPARQL results carry no total, so a
    full page says a next one may follow, and a client need not guess."""
    page = queries.paging(q, request.args.to_dict())
    limit, offset = page.get("limit"), page.get("offset", 0)
    if not limit:
        return []
    def link(rel, at):
        args = {**request.args.to_dict(), "limit": limit, "offset": at}
        return f'<{url_for("queries.run_query", name=q.name, **args)}>; rel="{rel}"'
    out = []
    if rows is not None and rows >= limit:
        out.append(link("next", offset + limit))
    if offset > 0:
        out += [link("prev", max(0, offset - limit)), link("first", 0)]
    return out
