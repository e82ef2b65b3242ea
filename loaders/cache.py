"""The ontology, its vocabulary and the entities, kept between runs in a pickle in
the build folder: an incremental update needs them all, and parsing the ontology's
Turtle and a large entities.yaml is most of what a one-article update costs. The
cache is keyed by the path, size and modification time of every file they come
from, so an edited file is read afresh; a cache that cannot be read is ignored."""
import copy
import os
import pickle
import tempfile
from pathlib import Path

from aikg import paths

from .corpus import load_all_entities
from .ontology import load_ontology, ontology_files, vocabulary

CACHE = ".loaders.pickle"


def _key(dirs, ontology_dir):
    files = list(ontology_files(ontology_dir)) + [Path(d) / "entities.yaml" for d in dirs]
    key = []
    for p in files:
        try:
            st = p.stat()
            key.append((str(p.resolve()), st.st_size, st.st_mtime_ns))
        except OSError:
            key.append((str(p), None, None))
    return key


def save(build_dir, dirs, onto, vocab, entities, ontology_dir=paths.ONTOLOGY):
    # Without the entities' RDF: it is in the store already, and unpickling its
    # thousands of literals would cost as much as reading entities.yaml.
    light = copy.copy(entities)
    light.graph = None
    fd, tmp = tempfile.mkstemp(prefix=".loaders-", dir=build_dir)
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump((_key(dirs, ontology_dir), onto, vocab, light), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, Path(build_dir) / CACHE)
    except OSError:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load(build_dir, dirs, ontology_dir=paths.ONTOLOGY):
    """(ontology graph, vocabulary, entities), from the cache when it is current;
    entities.graph is then None (what reads this cache needs names, not RDF)."""
    key = _key(dirs, ontology_dir)
    try:
        with open(Path(build_dir) / CACHE, "rb") as f:
            cached_key, onto, vocab, entities = pickle.load(f)
        if cached_key == key:
            return onto, vocab, entities
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError):
        pass
    onto = load_ontology(ontology_dir)
    vocab = vocabulary(onto)
    entities = load_all_entities(dirs, vocab)
    save(build_dir, dirs, onto, vocab, entities, ontology_dir)
    entities.graph = None
    return onto, vocab, entities
