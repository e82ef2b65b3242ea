"""The Flask app factory. Each part of the web interface is a blueprint in its own
module, registered here; the app holds only configuration and the store."""
import threading

from flask import Flask, current_app

from aikg import paths
from graph.catalog import build_version
from graph.store import open_store

DEFAULTS = {
    "AIKG_BUILD_DIR": str(paths.BUILD),
    "AIKG_QUERY_TIMEOUT": 10.0,        # seconds a SPARQL query may run
    "AIKG_MAX_QUERY_LENGTH": 20_000,   # characters
    "AIKG_MAX_RESULTS": 10_000,        # rows or triples in one answer
}
# What the app keeps that was read from the store: dropped when the store changes.
_READ_FROM_STORE = ("aikg_catalog", "aikg_exports", "aikg_lookups", "aikg_responses")
_lock = threading.Lock()


def create_app(config=None) -> Flask:
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    app.extensions["aikg_version"] = build_version(app.config["AIKG_BUILD_DIR"])
    app.extensions["aikg_store"] = open_store(app.config["AIKG_BUILD_DIR"])
    app.before_request(_follow_the_build)
    for bp in _blueprints():
        app.register_blueprint(bp)
    return app


def store(app=None):
    return (app or current_app).extensions["aikg_store"]


def _follow_the_build():
    """`aikg update` and `aikg build` change the graph under a running server: a
    read-only Oxigraph store keeps seeing what it opened, so reopen it, and forget
    what was read from it. One stat() per request tells."""
    ext = current_app.extensions
    build_dir = current_app.config["AIKG_BUILD_DIR"]
    now = build_version(build_dir)
    if now == ext["aikg_version"]:
        return
    with _lock:
        if now == ext["aikg_version"]:
            return
        if now[0] != ext["aikg_version"][0]:
            ext["aikg_store"] = open_store(build_dir)
            ext.pop("aikg_graph_names", None)
            _retire(ext.pop("aikg_query_pool", None))
        for name in _READ_FROM_STORE:
            ext.pop(name, None)
        ext["aikg_version"] = now


def _retire(pool):
    """The /sparql workers opened the store as it was; new requests get a new pool,
    and the old one is closed once a query running on it has surely ended (each is
    killed at the query timeout)."""
    if pool is not None:
        wait = float(current_app.config.get("AIKG_QUERY_TIMEOUT", 10)) + 1
        timer = threading.Timer(wait, pool.close)
        timer.daemon = True         # at exit, atexit closes every pool anyway
        timer.start()


def _blueprints():
    # Imported here so that a blueprint module may import `store` from this one.
    from . import exports, graphpage, home, openapi, rest
    from . import queries, sparql
    return [home.bp, rest.bp, exports.bp, graphpage.bp, openapi.bp, sparql.bp, queries.bp]
