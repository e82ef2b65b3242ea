"""The served store read once into a graph.catalog.Catalog, shared by the REST
API, the exports and the graph page (the store is read-only while served)."""
import threading

from flask import current_app

from graph.catalog import Catalog

from .app import store

_lock = threading.Lock()


def catalog() -> Catalog:
    ext = current_app.extensions
    if "aikg_catalog" not in ext:
        with _lock:
            if "aikg_catalog" not in ext:
                ext["aikg_catalog"] = Catalog(store())
    return ext["aikg_catalog"]
