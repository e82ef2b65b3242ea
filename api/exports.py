"""Downloads of the whole graph: /export/graph.{trig,nq,ttl,jsonld} (the RDF dataset)
and /export/viz.{graphml,gexf,cyjs,dot} (the visualisation graph)."""
from flask import Blueprint, Response, current_app

from graph import export

from .app import store
from .catalog import catalog
from . import problems
from .problems import Problem

bp = Blueprint("exports", __name__, url_prefix="/export")
problems.register(bp)


def _cached(fmt):
    # The served store does not change, so each export is computed once.
    cache = current_app.extensions.setdefault("aikg_exports", {})
    if fmt not in cache:
        cache[fmt] = export.export(store(), fmt, catalog())
    return cache[fmt]


def _download(name, fmt, allowed):
    if fmt not in allowed:
        raise Problem(404, "Not Found", f"no export {name}.{fmt} (formats: {', '.join(allowed)})")
    return Response(_cached(fmt), mimetype=export.media_type(fmt),
                    headers={"Content-Disposition": f'inline; filename="aikg-{name}.{fmt}"'})


@bp.get("/graph.<fmt>")
def rdf(fmt):
    return _download("graph", fmt, export.RDF_FORMATS)


@bp.get("/viz.<fmt>")
def viz(fmt):
    return _download("viz", fmt, export.VIZ_FORMATS)
