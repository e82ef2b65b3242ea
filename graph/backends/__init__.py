"""Where the graph lives: one interface, three kinds of store.

    oxigraph:PATH                     pyoxigraph on disk (the default: BUILD_DIR/store)
    memory                            rdflib over BUILD_DIR/graph.trig (the reference)
    sparql:QUERY_URL[,UPDATE_URL]     any SPARQL 1.1 Query/Update server

Every store answers .query(text, prefixes=, use_default_graph_as_union=,
substitutions=) like pyoxigraph.Store.query. The spec comes from --store, else
the AIKG_STORE environment variable, else the default."""
import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

ENV = "AIKG_STORE"
KINDS = ("oxigraph", "memory", "sparql")


class StoreError(Exception):
    """A store that cannot be named, reached or written: the CLI prints it on one line."""


class StoreSpecError(StoreError, ValueError):
    pass


@dataclass(frozen=True)
class Spec:
    kind: str
    path: Path | None = None          # oxigraph
    query_url: str | None = None      # sparql
    update_url: str | None = None

    def __str__(self):
        if self.kind == "oxigraph":
            return f"oxigraph:{self.path}"
        if self.kind == "sparql":
            return f"sparql:{self.query_url}" + (f",{self.update_url}" if self.update_url else "")
        return self.kind


def parse_spec(spec: str | None, build_dir) -> Spec:
    """The store named by `spec` (or $AIKG_STORE, or the build's own Oxigraph store)."""
    spec = spec or os.environ.get(ENV) or ""
    kind, _, rest = spec.partition(":")
    kind = kind.strip() or "oxigraph"
    if kind == "oxigraph":
        from graph.store import store_path   # noqa: PLC0415  (graph.store builds on this module)
        return Spec("oxigraph", Path(rest) if rest else store_path(build_dir))
    if kind == "memory":
        if rest:
            raise StoreSpecError(f"store {spec!r}: `memory` takes no argument (it reads BUILD_DIR/graph.trig)")
        return Spec("memory")
    if kind == "sparql":
        urls = [u.strip() for u in rest.split(",")] if rest else []
        if not urls or not urls[0].startswith(("http://", "https://")) or len(urls) > 2 or \
                (len(urls) == 2 and not urls[1].startswith(("http://", "https://"))):
            raise StoreSpecError(f"store {spec!r}: expected sparql:QUERY_URL[,UPDATE_URL] with http(s) URLs")
        return Spec("sparql", query_url=urls[0], update_url=urls[1] if len(urls) == 2 else None)
    raise StoreSpecError(f"store {spec!r}: unknown kind {kind!r} (expected one of {', '.join(KINDS)}; "
                         f"e.g. oxigraph:build/store, memory, sparql:http://host:7878/query,http://host:7878/update)")


def open_spec(spec: Spec, build_dir, read_only=True):
    from graph.store import TRIG, StoreMissing   # noqa: PLC0415
    if spec.kind == "oxigraph":
        if not spec.path.exists():
            raise StoreMissing(f"no graph at {spec.path}: run `aikg build` first")
        return ox.Store.read_only(str(spec.path)) if read_only else ox.Store(str(spec.path))
    if spec.kind == "memory":
        from .memory import MemoryStore   # noqa: PLC0415  (rdflib's SPARQL engine is slow to import)
        trig = Path(build_dir) / TRIG
        if not trig.exists():
            raise StoreMissing(f"no graph at {trig}: run `aikg build` first")
        return MemoryStore(trig)
    from .sparql import SparqlStore   # noqa: PLC0415
    return SparqlStore(spec.query_url, spec.update_url)


def publish(spec: Spec, trig_path: Path):
    """After a build: the new TriG into a store that does not live in the build folder."""
    if spec.kind == "sparql":
        from .sparql import SparqlStore   # noqa: PLC0415
        SparqlStore(spec.query_url, spec.update_url).replace_all(
            ox.parse(path=str(trig_path), format=ox.RdfFormat.TRIG))
