"""aikg accept: reviewed candidate claims into the curated corpus."""
from aikg import paths
from loaders.extract.staging import accept


def register(sub):
    p = sub.add_parser("accept", help="move a reviewed candidate file into the curated corpus",
                       description="Turn a reviewed candidate file (from `aikg ingest`) into curated annotations: "
                                   "entries marked `status: rejected` are dropped, `status` and `confidence` removed, "
                                   "and the article, its metadata, the annotations and the new entities they use "
                                   "move into the corpus. Refused, with nothing changed, if the result would not load.")
    p.add_argument("file", metavar="FILE", help="DIR/annotations/<source>.yaml written by aikg ingest")
    p.add_argument("--data-dir", default=str(paths.DATA), metavar="DIR", help="the curated corpus (default: data/)")
    p.set_defaults(func=run)


def run(args):
    source, n = accept(args.file, args.data_dir)
    print(f"accepted {source}: {n} claims now in {args.data_dir}/annotations/{source}.yaml (run `aikg build`)")
