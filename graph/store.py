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


class BlockLoader:
    """TriG blocks into an Oxigraph store, bulk-loaded a few megabytes at a time:
    one bulk load of a whole large TriG holds about a gigabyte of buffers at the
    1000x scale, while chunks keep that to their own size for little extra time."""

    def __init__(self, store: ox.Store, header: str, chunk_chars=16_000_000):
        self.store, self.header, self.chunk_chars = store, header, chunk_chars
        self.pending, self.size = [], 0

    def add(self, block: str):
        self.pending.append(block)
        self.size += len(block)
        if self.size >= self.chunk_chars:
            self.flush()

    def flush(self):
        if self.pending:
            self.store.bulk_load(input=self.header + "\n".join(self.pending), format=ox.RdfFormat.TRIG)
            self.pending, self.size = [], 0


def add_store_option(parser):
    """--store on a command: which store it reads or writes (graph.backends)."""
    parser.add_argument("--store", metavar="SPEC", default=None,
                        help="oxigraph:PATH (default BUILD_DIR/store), memory (rdflib over BUILD_DIR/graph.trig), "
                             "or sparql:QUERY_URL[,UPDATE_URL] for a SPARQL 1.1 server; default $AIKG_STORE")
