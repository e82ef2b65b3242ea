"""The Flask app factory. Each part of the web interface is a blueprint in its own
module, registered here; the app holds only configuration and the store."""
from flask import Flask

from aikg import paths
from graph.store import open_store

DEFAULTS = {
    "AIKG_BUILD_DIR": str(paths.BUILD),
    "AIKG_QUERY_TIMEOUT": 10.0,        # seconds a SPARQL query may run
    "AIKG_MAX_QUERY_LENGTH": 20_000,   # characters
    "AIKG_MAX_RESULTS": 10_000,        # rows or triples in one answer
}


def create_app(config=None) -> Flask:
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    app.extensions["aikg_store"] = open_store(app.config["AIKG_BUILD_DIR"])
    for bp in _blueprints():
        app.register_blueprint(bp)
    return app


def store(app=None):
    from flask import current_app
    return (app or current_app).extensions["aikg_store"]


def _blueprints():
    # Imported here so that a blueprint module may import `store` from this one.
    from . import exports, graphpage, home, openapi, rest
    from . import queries, sparql
    return [home.bp, rest.bp, exports.bp, graphpage.bp, openapi.bp, sparql.bp, queries.bp]
