"""aikg stats: what the built graph holds."""
import json

from aikg import paths
from graph import queries
from graph.store import add_store_option, open_store

SECTIONS = [("class-counts", "Instances per class"), ("claims-per-source", "Claims per source"),
            ("claims-per-origin", "Claims per origin"), ("claims-per-hedge", "Reports per hedge")]


def register(sub):
    p = sub.add_parser("stats", help="counts per class, claims per source, origin and hedge",
                       description="Counts of the built graph, from the named queries " +
                                   ", ".join(n for n, _ in SECTIONS) + ".")
    p.add_argument("--format", "-f", choices=["table", "json"], default="table")
    p.add_argument("--build-dir", default=str(paths.BUILD), metavar="DIR")
    add_store_option(p)
    p.set_defaults(func=run)


def run(args):
    store = open_store(args.build_dir, spec=args.store)
    docs = {name: queries.to_json(queries.run(store, queries.find(name))) for name, _ in SECTIONS}
    if args.format == "json":
        print(json.dumps(docs, indent=2))
        return
    for name, title in SECTIONS:
        print(f"== {title}")
        print(queries.format_results(docs[name], "table"))
        print()
