"""aikg build: the corpus into build/graph.trig and the Oxigraph store."""
from pathlib import Path

from aikg import paths
from graph.build import build
from graph.store import add_store_option


def register(sub):
    p = sub.add_parser("build", help="build the graph from the corpus",
                       description="Read data/ (articles, annotations, entities), check every quote, "
                                   "and write build/graph.trig and the Oxigraph store. Nothing is replaced "
                                   "unless the whole build succeeds.")
    p.add_argument("--corpus", action="append", default=[], metavar="DIR",
                   help="an extra corpus folder (with articles/ and annotations/) to add to the bundled one")
    p.add_argument("--data-dir", default=str(paths.DATA), metavar="DIR",
                   help="the main corpus folder (default: the bundled data/)")
    p.add_argument("--build-dir", default=str(paths.BUILD), metavar="DIR", help="where to write (default: build/)")
    add_store_option(p)
    p.set_defaults(func=run)


def run(args):
    r = build(Path(args.build_dir), args.corpus, data_dir=Path(args.data_dir), store=args.store)
    print(f"built {r.trig}: {r.sources} sources, {r.claims} claims, {r.reports} reports, "
          f"{r.graphs} graphs, {r.quads} quads")
