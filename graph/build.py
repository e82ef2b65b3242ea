"""Build: the corpus into build/graph.trig and the Oxigraph store, all or nothing.

The source graphs stream through: each is made, written to the TriG and fed to
the support analysis, then dropped, so memory holds the corpus's parsed
annotations but never the whole graph as RDF."""
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from aikg import paths
from loaders.corpus import TripleSet, load_corpus

from .backends import parse_spec, publish
from .store import TRIG, load_trig
from .support import ANALYSIS_GRAPH, SupportCollector, analysis_triples
from .trig import append_block, write_trig


@dataclass
class BuildResult:
    trig: Path
    store: Path
    quads: int
    graphs: int
    claims: int
    reports: int
    sources: int


def write_sources(corpus, tail: Path, support: SupportCollector):
    """Every source graph onto `tail`; (quads, non-empty graphs) written."""
    quads = graphs = 0
    with open(tail, "w", encoding="utf-8", newline="") as f:
        for g in corpus.source_graphs():
            support.add(g)
            if append_block(f, g):
                quads, graphs = quads + len(g), graphs + 1
    return quads, graphs


def analysis_graph(support: SupportCollector) -> TripleSet:
    return analysis_triples(support.graph(), TripleSet(ANALYSIS_GRAPH))


def build(build_dir=paths.BUILD, extra_dirs=(), data_dir=paths.DATA, store=None) -> BuildResult:
    """Load and check everything first; only then replace the previous build.
    `store`: where the graph goes besides graph.trig (graph.backends spec)."""
    corpus = load_corpus(extra_dirs, data_dir=data_dir, lazy=True)
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    spec = parse_spec(store, build_dir)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=build_dir))
    target = spec.path if spec.kind == "oxigraph" else None
    try:
        support = SupportCollector()
        quads, graphs = write_sources(corpus, staging / "sources.part", support)
        first = [analysis_graph(support), corpus.core_graph()]
        write_trig(staging / TRIG, first, tail=staging / "sources.part")
        (staging / "sources.part").unlink()
        quads += sum(len(g) for g in first)
        graphs += sum(1 for g in first if len(g))
        if target is None:
            publish(spec, staging / TRIG)
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
    return BuildResult(build_dir / TRIG, target, quads, graphs, len(corpus.claims),
                       len(corpus.entries), len(corpus.articles))
