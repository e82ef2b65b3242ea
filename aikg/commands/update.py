"""aikg update: add one article to the built graph, or remove one, without a full build."""
from pathlib import Path

from aikg import paths
from graph.incremental import add, remove
from graph.store import add_store_option


def register(sub):
    p = sub.add_parser("update", help="add or remove one article in the built graph (incremental build)",
                       description="Re-process only the article's named graph, the derivations it shares with "
                                   "other sources and the support analysis of the claims it touches. Checked "
                                   "first, then written in one transaction: a failure changes nothing.")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--add", metavar="SOURCE", help="an article of the corpus folders not yet in the build")
    what.add_argument("--remove", metavar="SOURCE", help="an article in the build")
    p.add_argument("--corpus", action="append", default=[], metavar="DIR", help="an extra corpus folder, as for build")
    p.add_argument("--data-dir", default=str(paths.DATA), metavar="DIR")
    p.add_argument("--build-dir", default=str(paths.BUILD), metavar="DIR")
    add_store_option(p)
    p.set_defaults(func=run)


def run(args):
    fn, slug = (add, args.add) if args.add else (remove, args.remove)
    c = fn(Path(args.build_dir), slug, args.corpus, Path(args.data_dir), args.store)
    verb = "added" if args.add else "removed"
    print(f"{verb} {c.source}: {c.claims} claims, {len(c.insert)} quads in, {len(c.delete)} out, "
          f"{c.analysed} claims re-analysed")
