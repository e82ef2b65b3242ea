"""The loaders' cache in the build folder (loaders/cache.py): what an incremental
update reads instead of the ontology's Turtle and entities.yaml, never stale."""
import os
import shutil

from aikg import paths
from graph.build import build
from loaders import cache
from loaders.corpus import corpus_dirs, load_all_entities
from loaders.ontology import load_ontology, vocabulary


def _fresh(dirs):
    return load_all_entities(dirs, vocabulary(load_ontology()))


def test_the_build_leaves_a_cache_that_gives_what_the_files_give(tmp_path):
    r = build(tmp_path / "b")
    assert (tmp_path / "b" / cache.CACHE).exists()
    onto, vocab, entities = cache.load(tmp_path / "b", corpus_dirs())
    fresh = _fresh(corpus_dirs())
    assert sorted(entities) == sorted(fresh) and entities.graph is None
    assert all(entities[k].iri == fresh[k].iri and entities[k].label == fresh[k].label for k in fresh)
    assert sorted(vocab.hedges) == sorted(vocabulary(load_ontology()).hedges)
    assert len(onto) == len(load_ontology()) and r.quads > 0


def test_an_edited_entities_file_is_read_afresh(tmp_path):
    data = shutil.copytree(paths.DATA, tmp_path / "data")
    dirs = corpus_dirs((), data)
    build_dir = tmp_path / "b"
    build_dir.mkdir()
    assert "orion-9" not in cache.load(build_dir, dirs)[2]
    text = (data / "entities.yaml").read_text(encoding="utf-8")
    (data / "entities.yaml").write_text(
        text.replace("\nmodels:\n", "\nmodels:\n  orion-9: {label: Orion 9, kind: family, lab: openai}\n", 1),
        encoding="utf-8")
    st = os.stat(data / "entities.yaml")
    os.utime(data / "entities.yaml", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert "orion-9" in cache.load(build_dir, dirs)[2]


def test_a_corrupt_cache_is_ignored_and_replaced(tmp_path):
    build_dir = tmp_path / "b"
    build_dir.mkdir()
    (build_dir / cache.CACHE).write_bytes(b"not a pickle at all")
    entities = cache.load(build_dir, corpus_dirs())[2]
    assert sorted(entities) == sorted(_fresh(corpus_dirs()))
    assert (build_dir / cache.CACHE).read_bytes() != b"not a pickle at all"
