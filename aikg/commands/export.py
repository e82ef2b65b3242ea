"""aikg export: the built graph as RDF or as a graph for visualisation tools."""
import sys
from pathlib import Path

from aikg import paths
from graph import export
from graph.store import open_store


def register(sub):
    p = sub.add_parser("export", help="write the graph as RDF or for Gephi, Cytoscape, Graphviz",
                       description="Write the built graph: RDF (trig, nq, ttl, jsonld: the whole dataset; ttl "
                                   "merges the named graphs) or the visualisation graph of labs, models, people, "
                                   "sources and claims (graphml, gexf, cyjs, dot).")
    p.add_argument("--format", "-f", required=True, choices=list(export.FORMATS))
    p.add_argument("--output", "-o", metavar="FILE", help="where to write (default: standard output)")
    p.add_argument("--build-dir", default=str(paths.BUILD), metavar="DIR")
    p.set_defaults(func=run)


def run(args):
    data = export.export(open_store(args.build_dir), args.format)
    if not args.output or args.output == "-":
        if hasattr(sys.stdout, "buffer"):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data.decode("utf-8"))
        return 0
    Path(args.output).write_bytes(data)
    print(f"wrote {args.output} ({args.format}, {len(data)} bytes)", file=sys.stderr)
