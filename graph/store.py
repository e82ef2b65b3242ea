"""The on-disk Oxigraph store the build writes and every reader queries."""
from pathlib import Path

import pyoxigraph as ox

from aikg import paths

STORE_DIR = "store"
TRIG = "graph.trig"


class StoreMissing(Exception):
    pass


def store_path(build_dir=paths.BUILD) -> Path:
    return Path(build_dir) / STORE_DIR


def open_store(build_dir=paths.BUILD, read_only=True) -> ox.Store:
    path = store_path(build_dir)
    if not path.exists():
        raise StoreMissing(f"no graph at {path}: run `aikg build` first")
    return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))


def load_trig(trig_path: Path, store_dir: Path) -> ox.Store:
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(trig_path), format=ox.RdfFormat.TRIG)
    store.flush()
    return store
