"""Build: the corpus into build/graph.trig and the Oxigraph store, all or nothing."""
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from aikg import paths
from loaders.corpus import load_corpus

from .backends import parse_spec, publish
from .store import TRIG, load_trig
from .trig import serialize_trig
from .support import analysis_graph


@dataclass
class BuildResult:
    trig: Path
    store: Path
    quads: int
    graphs: int
    claims: int
    reports: int
    sources: int


def build(build_dir=paths.BUILD, extra_dirs=(), data_dir=paths.DATA, store=None) -> BuildResult:
    """Load and check everything first; only then replace the previous build.
    `store`: where the graph goes besides graph.trig (graph.backends spec)."""
    corpus = load_corpus(extra_dirs, data_dir=data_dir)
    analysis_graph(corpus.dataset)
    data = serialize_trig(corpus.dataset)
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    spec = parse_spec(store, build_dir)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=build_dir))
    target = spec.path if spec.kind == "oxigraph" else None
    try:
        (staging / TRIG).write_bytes(data)
        if target is None:
            publish(spec, staging / TRIG)
            quads = sum(len(g) for g in corpus.dataset.graphs())
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Staged beside the target so that the swap is a rename on one file system.
            new = Path(tempfile.mkdtemp(prefix=".staging-store-", dir=target.parent))
            try:
                store = load_trig(staging / TRIG, new)
                quads = len(store)
                del store
                old = target.parent / f".old-{target.name}-{os.getpid()}"
                if target.exists():
                    target.rename(old)
                new.rename(target)
                shutil.rmtree(old, ignore_errors=True)
            finally:
                shutil.rmtree(new, ignore_errors=True)
        os.replace(staging / TRIG, build_dir / TRIG)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(build_dir / TRIG, target, quads,
                       sum(1 for g in corpus.dataset.graphs() if len(g)), len(corpus.claims),
                       len(corpus.entries), len(corpus.articles))
