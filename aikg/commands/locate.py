"""aikg locate: where a quote occurs in an article (for writing annotations)."""
from aikg import paths
from loaders.yamlfile import load_yaml, read_text


def register(sub):
    p = sub.add_parser("locate", help="print the offsets of a quote in an article",
                       description="Print every offset where QUOTE occurs in data/articles/SOURCE.txt, "
                                   "marking those inside the article body: the `start:` of an annotation.")
    p.add_argument("source")
    p.add_argument("quote")
    p.set_defaults(func=run)


def run(args):
    text = read_text(paths.ARTICLES / f"{args.source}.txt")
    body = load_yaml(paths.ARTICLES / f"{args.source}.yaml")["body"]
    i, found = text.find(args.quote), 0
    while i >= 0:
        inside = body["start"] <= i and i + len(args.quote) <= body["end"]
        print(f"start: {i}" + ("" if inside else "   (outside the body)"))
        found += 1
        i = text.find(args.quote, i + 1)
    if not found:
        print("not found")
        return 1
