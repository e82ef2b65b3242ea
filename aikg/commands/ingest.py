"""aikg ingest: new articles into candidate claims, staged for review."""
from pathlib import Path

from aikg import paths
from loaders.extract.staging import ingest


def register(sub):
    p = sub.add_parser("ingest", help="extract candidate claims from new articles (text, Markdown, HTML)",
                       description="Read each FILE (plain text, Markdown or HTML), find the article body and "
                                   "propose candidate claims with verbatim quotes, offsets, hedge, origin and a "
                                   "confidence. Writes DIR/articles/<source>.txt and .yaml, "
                                   "DIR/annotations/<source>.yaml (status: candidate) and DIR/entities.yaml for "
                                   "names the corpus does not know. Nothing is written unless every file reads and "
                                   "the result loads; the curated corpus and build/ are never touched. Review, then "
                                   "`aikg accept DIR/annotations/<source>.yaml`; or `aikg build --corpus DIR` to see "
                                   "candidates in the graph.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--out", metavar="DIR", help="staging folder (default: incoming/ in the data folder)")
    p.add_argument("--data-dir", default=str(paths.DATA), metavar="DIR",
                   help="the curated corpus the candidates are checked against (default: data/)")
    p.set_defaults(func=run)


def run(args):
    out = Path(args.out) if args.out else Path(args.data_dir) / "incoming"
    for r in ingest([Path(f) for f in args.files], out, args.data_dir):
        print(f"{r.source}: {r.claims} candidate claims, body [{r.body[0]}, {r.body[1]}) -> {r.annotations}")
