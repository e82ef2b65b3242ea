"""aikg bench: build, queries, REST lookups and memory at 1x, 100x, 1000x the bundled corpus."""
import argparse

from bench.run import RESULTS, bench, parse_scales


def _scales(text):
    try:
        return parse_scales(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def register(sub):
    p = sub.add_parser("bench", help="measure build, queries, REST lookups and memory at several scales",
                       description="Measure the whole pipeline against a raw pyoxigraph bulk load and raw queries, "
                                   "at 1x (the bundled corpus) and Nx (synthetic corpora of 5*N articles); "
                                   "writes bench/results/NAME.json and NAME.md.")
    p.add_argument("--scale", default="1x,100x", type=_scales, help="comma-separated scales, e.g. 1x,100x,1000x (default 1x,100x)")
    p.add_argument("--reps", type=int, default=20, help="timed runs of each query (default 20)")
    p.add_argument("--budget", type=float, default=10.0, metavar="SECONDS",
                   help="stop repeating a query after this long (at least 3 runs; default 10)")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                   help="a named query whose single run takes longer is reported as a timeout (default 120)")
    p.add_argument("--requests", type=int, default=2000, help="REST requests in all (default 2000)")
    p.add_argument("--query", action="append", default=None, metavar="NAME",
                   help="measure only this named query (repeatable; default all)")
    p.add_argument("--no-rest", action="store_true", help="skip the REST lookups")
    p.add_argument("--out", default=None, metavar="DIR", help="where to write results (default bench/results)")
    p.add_argument("--name", default=None, help="results file name (default bench-<scales>)")
    p.add_argument("--work-dir", default=None, metavar="DIR", help="keep corpora and builds here (default: a temporary folder)")
    p.set_defaults(func=run)


def run(args):
    _, md = bench(args.scale, args.out or RESULTS, args.name, args.reps, args.budget, args.requests,
                  not args.no_rest, args.work_dir, only=args.query, timeout=args.timeout)
    print(md.read_text(encoding="utf-8"))
    print(f"written: {md} and {md.with_suffix('.json')}")
