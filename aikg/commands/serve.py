"""aikg serve: the web interface on the built graph, served by waitress."""
from aikg import paths


def register(sub):
    p = sub.add_parser("serve", help="serve the graph over HTTP (SPARQL endpoint, REST API, pages)",
                       description="Serve the built graph with waitress: the SPARQL 1.1 endpoint at /sparql, "
                                   "the REST API under /api, exports under /export and the graph page at /graph.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--build-dir", default=str(paths.BUILD), metavar="DIR")
    p.add_argument("--query-timeout", type=float, default=10.0, metavar="SECONDS")
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--query-workers", type=int, default=2, metavar="N",
                   help="processes that run SPARQL queries, each stopped for real at the timeout (default 2)")
    p.add_argument("--cold", action="store_true",
                   help="do not read every claim into memory in the background after start (and after each "
                        "change of the graph); lookups then read the store as they come")
    p.add_argument("--warm-wait", type=float, default=30.0, metavar="SECONDS",
                   help="wait up to this long for that reading before listening (default 30; it goes on in "
                        "the background after)")
    p.set_defaults(func=run)


def run(args):
    import threading

    from waitress import serve

    from api.app import create_app
    from api.query_runner import pool
    from api.rest import lookups
    app = create_app({"AIKG_BUILD_DIR": args.build_dir, "AIKG_QUERY_TIMEOUT": args.query_timeout,
                      "AIKG_QUERY_WORKERS": args.query_workers, "AIKG_WARM_CACHE": not args.cold})
    with app.app_context():
        pool()   # the workers open the store while the server starts, not on the first query
        lookups()   # and the REST reader starts warming its cache
    for t in threading.enumerate():
        if t.name == "aikg-warm":
            t.join(args.warm_wait)
    print(f"aikg: serving http://{args.host}:{args.port}/ (SPARQL at /sparql, API at /api, graph page at /graph) - Ctrl-C to stop", flush=True)
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="aikg")
