"""Build: the corpus into build/graph.trig and the Oxigraph store, all or nothing.

The source graphs stream through: each is made, written to the TriG, loaded into
the new store and fed to the support analysis, then dropped, so memory holds the
corpus's parsed annotations but never the whole graph as RDF."""
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from aikg import paths
from loaders import cache as loader_cache
from loaders.corpus import corpus_dirs, load_corpus
from loaders.triples import TripleSet

from .backends import parse_spec, publish
from .store import TRIG, BlockLoader
from .support import ANALYSIS_GRAPH, SupportCollector, analysis_triples
from .trig import blocks_of, graph_block, header, write_trig
from .views import write_views


@dataclass
class BuildResult:
    trig: Path
    store: Path
    quads: int
    graphs: int
    claims: int
    reports: int
    sources: int


def write_sources(corpus, tail: Path, support: SupportCollector, loader=None):
    """Every source graph onto `tail` (and into the loader's store); (quads, non-empty graphs)."""
    quads = graphs = 0
    with open(tail, "w", encoding="utf-8", newline="") as f:
        for g in corpus.source_graphs():
            support.add(g)
            if not len(g):
                continue
            block = graph_block(g)
            f.write("\n" + block)
            if loader is not None:
                loader.add(block)
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
    new = None
    try:
        loader = None
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Staged beside the target so that the swap is a rename on one file system.
            new = Path(tempfile.mkdtemp(prefix=".staging-store-", dir=target.parent))
            loader = BlockLoader(ox.Store(str(new)), header())
        support = SupportCollector()
        quads, graphs = write_sources(corpus, staging / "sources.part", support, loader)
        first = [analysis_graph(support), corpus.core_graph()]
        blocks = blocks_of(first)
        quads, graphs = quads + sum(len(g) for g in first), graphs + len(blocks)
        # Of the corpus only its counts and what the loaders' cache keeps are needed
        # from here on: the rest (article texts, report entries, the support analysis)
        # is let go before the views, the build's peak of memory.
        counts = (len(corpus.claims), len(corpus.entries), len(corpus.articles))
        kept = (corpus.onto, corpus.vocab, corpus.entities)
        del corpus, support, first
        views = staging / "views.part"
        if loader is None:
            # The views are computed by Oxigraph whatever the target: on a scratch
            # in-memory store of the graph without them.
            write_trig(staging / TRIG, blocks, tail=staging / "sources.part")
            scratch = ox.Store()
            scratch.bulk_load(path=str(staging / TRIG), format=ox.RdfFormat.TRIG)
            rows = write_views(scratch, views)
            del scratch
        else:
            for b in blocks:
                loader.add(b)
            loader.flush()
            rows = write_views(loader.store, views, loader)
            loader.flush()
        # graph:views sorts after every source graph: it closes the file.
        write_trig(staging / TRIG, blocks, tail=staging / "sources.part", tails=[views])
        (staging / "sources.part").unlink()
        quads, graphs = quads + rows, graphs + bool(rows)
        if loader is None:
            publish(spec, staging / TRIG)
        else:
            loader.store.flush()
            quads = len(loader.store)
            del loader
            old = target.parent / f".old-{target.name}-{os.getpid()}"
            if target.exists():
                target.rename(old)
            new.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        os.replace(staging / TRIG, build_dir / TRIG)
        loader_cache.save(build_dir, corpus_dirs(extra_dirs, data_dir), *kept)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if new is not None:
            shutil.rmtree(new, ignore_errors=True)
    return BuildResult(build_dir / TRIG, target, quads, graphs, *counts)
