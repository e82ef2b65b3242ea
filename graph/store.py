"""The store the build writes and every reader queries: by default the on-disk
Oxigraph store in the build folder; --store / $AIKG_STORE choose another
backend (graph.backends)."""
from pathlib import Path

import pyoxigraph as ox

from aikg import paths
from graph.backends import StoreError, open_spec, parse_spec

STORE_DIR = "store"
TRIG = "graph.trig"


class StoreMissing(StoreError):
    pass


def store_path(build_dir=paths.BUILD) -> Path:
    return Path(build_dir) / STORE_DIR


def open_store(build_dir=paths.BUILD, read_only=True, spec=None):
    """The built graph, as a store with pyoxigraph's .query(); `spec` as in graph.backends."""
    return open_spec(parse_spec(spec, build_dir), build_dir, read_only)


def load_trig(trig_path: Path, store_dir: Path) -> ox.Store:
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(trig_path), format=ox.RdfFormat.TRIG)
    store.flush()
    return store


def add_store_option(parser):
    """--store on a command: which store it reads or writes (graph.backends)."""
    parser.add_argument("--store", metavar="SPEC", default=None,
                        help="oxigraph:PATH (default BUILD_DIR/store), memory (rdflib over BUILD_DIR/graph.trig), "
                             "or sparql:QUERY_URL[,UPDATE_URL] for a SPARQL 1.1 server; default $AIKG_STORE")
