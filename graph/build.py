"""Build: the corpus into build/graph.trig and the Oxigraph store, all or nothing."""
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from aikg import paths
from aikg.vocab import PREFIXES
from loaders.corpus import load_corpus

from .store import STORE_DIR, TRIG, load_trig


@dataclass
class BuildResult:
    trig: Path
    store: Path
    quads: int
    graphs: int
    claims: int
    reports: int
    sources: int


def serialize_trig(ds: Dataset) -> bytes:
    """TriG with graphs, subjects and predicates in sorted order: same data, same bytes."""
    out = []
    for prefix, ns in sorted(PREFIXES.items()):
        out.append(f"@prefix {prefix}: <{ns}> .")
    out.append("")
    graphs = sorted((g for g in ds.graphs() if len(g)), key=lambda g: str(g.identifier))
    for g in graphs:
        if str(g.identifier) == "urn:x-rdflib:default":
            continue
        out.append(f"<{g.identifier}> {{")
        for s in sorted(set(g.subjects())):
            preds = []
            for p in sorted(set(g.predicates(s))):
                objs = sorted(g.objects(s, p), key=lambda o: (type(o).__name__, o.n3()))
                preds.append(f"    {p.n3()} " + " ,\n        ".join(o.n3() for o in objs))
            out.append(f"  {s.n3()}\n" + " ;\n".join(preds) + " .")
        out.append("}")
        out.append("")
    return "\n".join(out).encode("utf-8")


def build(build_dir=paths.BUILD, extra_dirs=(), data_dir=paths.DATA) -> BuildResult:
    """Load and check everything first; only then replace the previous build."""
    corpus = load_corpus(extra_dirs, data_dir=data_dir)
    data = serialize_trig(corpus.dataset)
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=build_dir))
    try:
        (staging / TRIG).write_bytes(data)
        store = load_trig(staging / TRIG, staging / STORE_DIR)
        quads = len(store)
        del store
        old = build_dir / f".old-{os.getpid()}"
        if (build_dir / STORE_DIR).exists():
            (build_dir / STORE_DIR).rename(old)
        (staging / STORE_DIR).rename(build_dir / STORE_DIR)
        os.replace(staging / TRIG, build_dir / TRIG)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(build_dir / TRIG, build_dir / STORE_DIR, quads,
                       sum(1 for g in corpus.dataset.graphs() if len(g)), len(corpus.claims),
                       len(corpus.entries), len(corpus.articles))
