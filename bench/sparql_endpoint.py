"""What the safety of /sparql costs: each query runs in a worker process and its
answer crosses a pipe, so the endpoint is measured against the same query on
the store in-process. Also: requests per second with concurrent clients, how
closely the timeout cuts a runaway query, and how long a killed worker takes to
be replaced.

    python -m bench.sparql_endpoint [--build-dir build] [--reps 200] [--clients 8]
"""
import argparse
import json
import statistics
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from waitress.server import create_server

from aikg import paths
from aikg.vocab import PREFIXES
from api.app import create_app
from graph.store import open_store

QUERIES = {
    "ask": "ASK { ?s a aikg:Claim }",
    "labs": "SELECT ?lab ?label WHERE { ?lab a aikg:Lab ; skos:prefLabel ?label }",
    "all-triples-1000": "SELECT * WHERE { ?s ?p ?o } LIMIT 1000",
    "construct-claims": "CONSTRUCT { ?c a aikg:Claim ; aikg:about ?m } WHERE { ?c a aikg:Claim ; aikg:about ?m }",
}
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def ms(xs):
    xs = sorted(xs)
    return {"p50_ms": round(1000 * statistics.median(xs), 2), "p95_ms": round(1000 * xs[int(0.95 * (len(xs) - 1))], 2)}


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", default=str(paths.BUILD))
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=2.0)
    args = ap.parse_args(argv)

    store = open_store(args.build_dir)
    app = create_app({"AIKG_BUILD_DIR": args.build_dir, "AIKG_QUERY_TIMEOUT": args.timeout,
                      "AIKG_QUERY_WORKERS": args.workers})
    server = create_server(app, host="127.0.0.1", port=0, threads=max(8, args.clients))
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.socket.getsockname()[1]}/sparql?query="
    url = {name: base + urllib.parse.quote(q) for name, q in QUERIES.items()}
    fetch(url["ask"])   # the workers are up

    report = {"reps": args.reps, "workers": args.workers, "latency": {}}
    for name, q in QUERIES.items():
        direct, http = [], []
        for _ in range(args.reps):
            t = time.perf_counter()
            list(store.query(q, prefixes=PREFIXES, use_default_graph_as_union=True)) \
                if not q.startswith("ASK") else bool(store.query(q, prefixes=PREFIXES, use_default_graph_as_union=True))
            direct.append(time.perf_counter() - t)
            t = time.perf_counter()
            status, _ = fetch(url[name])
            http.append(time.perf_counter() - t)
            assert status == 200, (name, status)
        report["latency"][name] = {"store": ms(direct), "endpoint": ms(http)}

    n = args.reps * 2
    t = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as ex:
        statuses = list(ex.map(lambda _: fetch(url["labs"])[0], range(n)))
    report["throughput"] = {"clients": args.clients, "requests": n,
                            "per_second": round(n / (time.perf_counter() - t), 1), "ok": statuses.count(200)}

    pool = app.extensions["aikg_query_pool"]
    t = time.perf_counter()
    status, _ = fetch(base + urllib.parse.quote(EXPLOSIVE))
    cut = time.perf_counter() - t
    t = time.perf_counter()
    while pool.idle() < args.workers:
        time.sleep(0.01)
    report["timeout"] = {"configured_s": args.timeout, "answered_after_s": round(cut, 3), "status": status,
                         "worker_replaced_after_s": round(time.perf_counter() - t, 3)}
    server.close()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
