"""aikg query: run a named query (or a .rq file) on the built graph."""
import sys

from aikg import paths
from graph import queries
from graph.store import add_store_option, open_store


def register(sub):
    p = sub.add_parser("query", help="run a named query or a SPARQL file",
                       description="Run a query of queries/ by name, or any .rq file. "
                                   "`aikg query --list` lists the named queries and their parameters.")
    p.add_argument("name", nargs="?", metavar="NAME_OR_FILE")
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a parameter (repeatable)")
    p.add_argument("--format", "-f", choices=["table", "csv", "json"], default="table",
                   help="table (default), csv, or json (W3C SPARQL 1.1 Query Results JSON)")
    p.add_argument("--list", action="store_true", help="list the named queries")
    p.add_argument("--build-dir", default=str(paths.BUILD), metavar="DIR")
    add_store_option(p)
    p.set_defaults(func=run)


def parse_params(pairs):
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise queries.QueryError(f"--param {pair!r}: expected NAME=VALUE")
        k, v = pair.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def run(args):
    if args.list or not args.name:
        for q in queries.library().values():
            params = ", ".join(f"{p.name}={p.default or ''}" for p in q.params)
            print(f"{q.name:22} {q.title}" + (f"  [{params}]" if params else ""))
        return 0
    q = queries.find(args.name)
    store = open_store(args.build_dir, spec=args.store)
    doc = queries.to_json(queries.run(store, q, parse_params(args.param)))
    sys.stdout.write(queries.format_results(doc, args.format).rstrip("\n") + "\n")
