"""/graph: the interactive graph page. Cytoscape.js comes from the npm package
that `make setup` installs into node_modules (no CDN); the page reads the
visualisation export and the REST API of this same server."""
from flask import Blueprint, render_template, send_from_directory

from aikg import paths

from . import problems
from .problems import Problem

bp = Blueprint("graphpage", __name__, template_folder="templates",
               static_folder="static/graph", static_url_path="/graph/static")
problems.register(bp)

LIBRARIES = {"cytoscape.min.js": paths.ROOT / "node_modules" / "cytoscape" / "dist"}


@bp.get("/graph")
def page():
    return render_template("graph.html")


@bp.get("/graph/lib/<name>")
def library(name):
    folder = LIBRARIES.get(name)
    if folder is None or not (folder / name).exists():
        raise Problem(404, "Not Found", f"no front-end library {name!r} installed: run `make setup` (npm ci)")
    return send_from_directory(folder, name, mimetype="text/javascript")
