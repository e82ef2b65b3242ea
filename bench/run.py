"""`aikg bench`: the whole pipeline measured against the engine's own speed.

For each scale (1x = the bundled corpus; Nx = a synthetic corpus of 5*N articles,
bench/generate.py): the full build, a raw pyoxigraph bulk load of the same TriG
(the yardstick), every named query through aikg and the same query on the raw
store (p50/p95), REST lookups with 8 concurrent clients against `aikg serve`,
and the peak RSS of each phase (each runs in its own process). At the smallest
scale the rdflib `memory` backend answers the same queries, as the reference.
Writes bench/results/<name>.json and .md, with the growth exponent of each cost
(least-squares slope of log cost over log quads)."""
import http.client
import json
import math
import multiprocessing
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

from aikg import paths

RESULTS = paths.ROOT / "bench" / "results"
ARTICLES_PER_X = 5          # the bundled corpus has five articles
SEED = 7
CLIENTS = 8
VALIDATION_LIMIT = 300.0    # seconds: five times the target, to keep a bench run bounded
TARGETS = {"build_vs_bulk_load": 10.0, "query_p50_ms": 150.0, "query_vs_raw": 2.0, "rest_rps": 300.0,
           "rest_p99_ms": 100.0, "peak_rss_mb": 1536.0, "incremental_add_s": 1.0, "validation_s": 60.0}


def parse_scales(text):
    out = []
    for part in str(text).split(","):
        part = part.strip().lower().rstrip("x")
        if not part.isdigit() or int(part) < 1:
            raise ValueError(f"scale {part!r}: write 1x, 100x, 1000x")
        out.append(int(part))
    return sorted(set(out))


# ------------------------------------------------------------ phases in their own process

def _child(conn, fn, args):
    try:
        result = fn(*args)
        conn.send(("ok", result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    except BaseException as e:   # noqa: BLE001  (reported to the parent, which raises it)
        conn.send(("error", f"{type(e).__name__}: {e}", 0))
    conn.close()


def in_process(fn, *args, limit=None):
    """fn(*args) in a fresh interpreter: its result and its own peak RSS in MB.
    With `limit` (seconds), a run that takes longer is killed: RuntimeError."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(child, fn, args))
    p.start()
    child.close()
    if limit is not None and not parent.poll(limit):
        p.kill()
        p.join()
        raise RuntimeError(f"timeout: stopped after {limit:.0f} s")
    status, result, rss = parent.recv()
    p.join()
    if status != "ok":
        raise RuntimeError(result)
    return result, round(rss, 1)


def phase_generate(scale, out_dir):
    from bench.generate import generate
    t = time.perf_counter()
    generate(out_dir, ARTICLES_PER_X * scale, seed=SEED)
    return time.perf_counter() - t


_BUILD_STEPS = ("load_corpus", "write_sources", "analysis_graph", "write_trig", "write_views")


def phase_build(data_dir, build_dir):
    """The full build, with the time of each of its steps (the build's own functions, timed in place)."""
    from graph import build as b
    steps = {}

    def timed(name, fn):
        def run(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                steps[name] = round(steps.get(name, 0) + time.perf_counter() - t, 3)
        return run
    for name in _BUILD_STEPS:
        if hasattr(b, name):
            setattr(b, name, timed(name, getattr(b, name)))
    t = time.perf_counter()
    r = b.build(Path(build_dir), data_dir=Path(data_dir))
    return {"seconds": time.perf_counter() - t, "quads": r.quads, "sources": r.sources, "claims": r.claims,
            "reports": r.reports, "steps": steps}


def phase_incremental(build_dir, data_dir):
    """Remove the last article of the corpus from the build, then add it back: both timed."""
    from graph import incremental
    slug = sorted(Path(data_dir, "articles").glob("*.txt"))[-1].stem
    t = time.perf_counter()
    removed = incremental.remove(Path(build_dir), slug, data_dir=Path(data_dir))
    t_remove = time.perf_counter() - t
    t = time.perf_counter()
    added = incremental.add(Path(build_dir), slug, data_dir=Path(data_dir))
    return {"source": slug, "remove_seconds": round(t_remove, 3), "add_seconds": round(time.perf_counter() - t, 3),
            "claims": added.claims, "reanalysed": added.analysed, "quads_removed": len(removed.delete)}


def phase_validation(build_dir):
    """aikg validate (its default, scalable engine) on the built graph; the report is not saved."""
    from graph import validation
    t = time.perf_counter()
    r = validation.validate_file(Path(build_dir) / "graph.trig")
    return {"seconds": time.perf_counter() - t, "findings": len(r.findings)}


def phase_bulk_load(trig, store_dir):
    import pyoxigraph as ox
    t = time.perf_counter()
    s = ox.Store(str(store_dir))
    s.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    s.flush()
    return {"seconds": time.perf_counter() - t, "quads": len(s)}


def _percentiles(samples):
    xs = sorted(samples)
    pick = lambda q: xs[min(len(xs) - 1, max(0, math.ceil(q * len(xs)) - 1))]  # noqa: E731
    return {"p50_ms": round(statistics.median(xs) * 1000, 2), "p95_ms": round(pick(0.95) * 1000, 2),
            "p99_ms": round(pick(0.99) * 1000, 2), "n": len(xs)}


def _time(fn, reps, budget):
    t = time.perf_counter()
    fn()                                    # warm caches: a first run is not what users wait for
    first = time.perf_counter() - t
    if first > budget:                      # one slow run says enough, and keeps the bench bounded
        return [first]
    out, start = [], time.perf_counter()
    while len(out) < reps and (len(out) < 3 or time.perf_counter() - start < budget):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def _bindings(store, q):
    """The query's own defaults or, where they find nothing in this corpus (a
    synthetic one), the busiest entity or the most derived claim it accepts that
    gives rows: a query timed on an empty answer measures nothing."""
    from graph import queries

    def rows(given):
        try:
            return len(queries.to_json(queries.run(store, q, given))["results"]["bindings"])
        except queries.QueryError:
            return 0
    if rows({}):
        return {}
    params = [p for p in q.params if p.type in ("entity", "claim")]
    if not params:
        return {}
    pools = {"entity": [r["slug"].value for name in ("bench-candidates", "bench-busiest-models")
                        for r in queries.run_sparql(store, queries.internal(name))],
             "claim": [r["slug"].value for r in queries.run_sparql(store, queries.internal("bench-derived-claims"))]}
    for i in range(max(len(pool) for pool in pools.values())):
        given = {p.name: pools[p.type][i] for p in params if i < len(pools[p.type])}
        if given and rows(given):
            return given
    return {p.name: (pools[p.type] or ["none"])[0] for p in params}


def _probe_child(build_dir, spec, name, given):
    from graph import queries
    from graph.store import open_store
    store = open_store(build_dir, spec=spec)
    queries.to_json(queries.run(store, queries.library()[name], given))


def _finishes(build_dir, spec, name, given, timeout):
    """Whether one run of the query ends within `timeout` seconds (a run of a
    query engine cannot be interrupted in-process, a process can)."""
    ctx = multiprocessing.get_context("spawn")
    p = ctx.Process(target=_probe_child, args=(build_dir, spec, name, given))
    p.start()
    p.join(timeout)
    if p.is_alive():
        p.kill()
        p.join()
        return False
    return True


def phase_queries(build_dir, raw_dir, spec, reps, budget, only=None, timeout=120.0):
    """Each named query through aikg (bind, run, W3C JSON) on `spec`, and the same
    bound query on the raw pyoxigraph store when raw_dir is given."""
    import pyoxigraph as ox

    from aikg.vocab import PREFIXES
    from graph import queries
    from graph.store import open_store
    t = time.perf_counter()
    store = open_store(build_dir, spec=spec)
    opened = time.perf_counter() - t
    raw = ox.Store.read_only(str(raw_dir)) if raw_dir else None
    out = {"open_seconds": round(opened, 3), "queries": {}}
    for name, q in queries.library().items():
        if only and name not in only:
            continue
        try:
            given = _bindings(store, q)
            if not _finishes(build_dir, spec, name, given, timeout):
                out["queries"][name] = {"error": f"timeout: one run takes more than {timeout:.0f} s"}
                continue
            rows = len(queries.to_json(queries.run(store, q, given)).get("results", {}).get("bindings", []))
        except Exception as e:   # noqa: BLE001  (a query one engine cannot run is a finding, not a crash)
            out["queries"][name] = {"error": f"{type(e).__name__}: {e}"[:300]}
            continue
        rec = {"rows": rows, **({"params": given} if given else {}),
               **_percentiles(_time(lambda: queries.to_json(queries.run(store, q, given)), reps, budget))}
        if raw is not None:
            text = queries.prepare(raw, q, given)
            raw_run = lambda: [tuple(s) for s in raw.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)]  # noqa: E731
            rec["raw"] = _percentiles(_time(raw_run, reps, budget))
            rec["vs_raw"] = round(rec["p50_ms"] / max(rec["raw"]["p50_ms"], 1e-3), 2)
        out["queries"][name] = rec
    return out


# ------------------------------------------------------------ REST

def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lookup_paths(build_dir, n):
    """A fixed, seeded mix of one-page listings (50 items) and single-resource lookups."""
    import random

    from graph import queries
    from graph.store import open_store
    store = open_store(build_dir)
    claims = [r["s"].value for r in queries.run_sparql(store, queries.internal("bench-claim-slugs"))]
    sources = [r["s"].value for r in queries.run_sparql(store, queries.internal("bench-source-slugs"))]
    rng = random.Random(SEED)
    out = []
    for i in range(n):
        k = i % 4
        if k == 0:
            out.append(f"/api/claims?limit=50&offset={rng.randrange(0, max(1, len(claims) - 50) + 1)}")
        elif k == 1:
            out.append(f"/api/claims/{rng.choice(claims)}")
        elif k == 2:
            out.append(f"/api/sources/{rng.choice(sources)}")
        else:
            out.append("/api/models?limit=50")
    return out


def _vm_hwm_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def phase_rest(build_dir, n_requests):
    port = _free_port()
    exe = [sys.executable, "-m", "aikg.cli", "serve", "--build-dir", str(build_dir), "--port", str(port),
           "--threads", str(CLIENTS)]
    proc = subprocess.Popen(exe, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=paths.ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                c.request("GET", "/api/claims?limit=1")      # also builds whatever the API caches
                status = c.getresponse().status
                c.close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    return {"error": "aikg serve did not start: " + proc.stderr.read().decode()[-300:]}
                time.sleep(0.2)
        if status != 200:
            return {"error": f"/api/claims answered HTTP {status}: the REST API is not in place"}
        urls = _lookup_paths(build_dir, n_requests)
        shards = [urls[i::CLIENTS] for i in range(CLIENTS)]

        def client(shard):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            lat, errors = [], 0
            for u in shard:
                t = time.perf_counter()
                conn.request("GET", u)
                r = conn.getresponse()
                r.read()
                lat.append(time.perf_counter() - t)
                errors += r.status != 200
            conn.close()
            return lat, errors

        client(urls[:CLIENTS])                                # warm-up
        t = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as ex:
            results = list(ex.map(client, shards))
        wall = time.perf_counter() - t
        lat = [x for r in results for x in r[0]]
        return {"requests": len(lat), "clients": CLIENTS, "errors": sum(r[1] for r in results),
                "rps": round(len(lat) / wall, 1), **_percentiles(lat), "server_peak_rss_mb": _vm_hwm_mb(proc.pid)}
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


# ------------------------------------------------------------ one scale, all scales

def run_scale(scale, work, reps, budget, n_requests, rest=True, log=print, only=None, timeout=120.0):
    rec = {"scale": f"{scale}x", "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    if scale == 1:
        data_dir = paths.DATA
        rec["corpus"] = "bundled (data/)"
    else:
        data_dir = work / f"corpus-{scale}x"
        secs, _ = in_process(phase_generate, scale, str(data_dir))
        rec["corpus"] = f"synthetic: {ARTICLES_PER_X * scale} articles, seed {SEED}"
        rec["generate_seconds"] = round(secs, 2)
    build_dir = work / f"build-{scale}x"
    log(f"[{scale}x] build ...")
    b, rss = in_process(phase_build, str(data_dir), str(build_dir))
    rec["build"] = {**{k: (round(v, 3) if isinstance(v, float) else v) for k, v in b.items()}, "peak_rss_mb": rss}
    log(f"[{scale}x] build {b['seconds']:.1f} s, {b['quads']} quads, {rss} MB; raw bulk load ...")
    raw_dir = work / f"raw-{scale}x"
    shutil.rmtree(raw_dir, ignore_errors=True)
    r, rss = in_process(phase_bulk_load, str(build_dir / "graph.trig"), str(raw_dir))
    rec["raw_bulk_load"] = {"seconds": round(r["seconds"], 3), "quads": r["quads"], "peak_rss_mb": rss}
    rec["build_vs_bulk_load"] = round(b["seconds"] / max(r["seconds"], 1e-6), 1)
    log(f"[{scale}x] bulk load {r['seconds']:.2f} s; validation ...")
    try:
        v, rss = in_process(phase_validation, str(build_dir), limit=VALIDATION_LIMIT)
        rec["validation"] = {"seconds": round(v["seconds"], 3), "findings": v["findings"], "peak_rss_mb": rss}
    except RuntimeError as e:
        rec["validation"] = {"error": str(e)[:300]}
    log(f"[{scale}x] queries ...")
    q, rss = in_process(phase_queries, str(build_dir), str(raw_dir), None, reps, budget, only, timeout)
    rec["queries"] = q["queries"]
    rec["queries_peak_rss_mb"] = rss
    if rest:
        log(f"[{scale}x] REST, {n_requests} requests from {CLIENTS} clients ...")
        rec["rest"] = phase_rest(build_dir, n_requests)
    log(f"[{scale}x] incremental remove and add of one article ...")
    try:
        inc, rss = in_process(phase_incremental, str(build_dir), str(data_dir))
        rec["incremental"] = {**inc, "peak_rss_mb": rss}
    except RuntimeError as e:
        rec["incremental"] = {"error": str(e)[:300]}
    rec["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return rec


def run_reference(work, reps, budget, log=print, only=None, timeout=120.0):
    """The rdflib `memory` backend on the bundled corpus: the reference, not a contender."""
    log("[1x] rdflib reference ...")
    q, rss = in_process(phase_queries, str(work / "build-1x"), None, "memory", reps, budget, only, timeout)
    return {"open_seconds": q["open_seconds"], "queries": q["queries"], "peak_rss_mb": rss}


def growth(scales):
    """Least-squares slope of log(cost) over log(quads), for each cost measured at every scale.
    The synthetic scales only, when there are two: the bundled corpus has another shape."""
    synthetic = [s for s in scales if s["scale"] != "1x"]
    scales = synthetic if len(synthetic) >= 2 else scales
    if len(scales) < 2:
        return {}
    xs = [math.log(s["build"]["quads"]) for s in scales]
    costs = {"build_seconds": [s["build"]["seconds"] for s in scales],
             "raw_bulk_load_seconds": [s["raw_bulk_load"]["seconds"] for s in scales],
             "build_peak_rss_mb": [s["build"]["peak_rss_mb"] for s in scales]}
    for name in scales[0]["queries"]:
        if all("p50_ms" in s["queries"].get(name, {}) for s in scales):
            costs[f"query {name} p50"] = [s["queries"][name]["p50_ms"] for s in scales]
    if all("p50_ms" in s.get("rest", {}) for s in scales):
        costs["rest p50"] = [s["rest"]["p50_ms"] for s in scales]
    out = {}
    mx = statistics.fmean(xs)
    for name, ys in costs.items():
        ly = [math.log(max(y, 1e-3)) for y in ys]
        my = statistics.fmean(ly)
        den = sum((x - mx) ** 2 for x in xs)
        out[name] = round(sum((x - mx) * (y - my) for x, y in zip(xs, ly)) / den, 2) if den else None
    return out


def markdown(doc):
    scales = doc["scales"]
    cols = [s["scale"] for s in scales]
    lines = [f"# aikg bench {doc['started']}", "",
             f"{doc['machine']['cpus']} CPUs, Python {doc['machine']['python']}, pyoxigraph {doc['machine']['pyoxigraph']}. "
             "Load average (1/5/15 min) before each scale: "
             + "; ".join(f"{s['scale']} {s['load_average_before']}" for s in scales)
             + " (other work on the machine slows every figure).", "",
             "| measure | " + " | ".join(cols) + " | growth exponent | target |",
             "|---|" + "---|" * len(cols) + "---|---|"]
    g = doc.get("growth", {})

    def row(label, values, exp_key=None, target=""):
        lines.append(f"| {label} | " + " | ".join(values) + f" | {g.get(exp_key, '') if exp_key else ''} | {target} |")

    row("quads", [str(s["build"]["quads"]) for s in scales])
    row("sources / claims / reports", [f"{s['build']['sources']} / {s['build']['claims']} / {s['build']['reports']}" for s in scales])
    row("full build (s)", [f"{s['build']['seconds']:.2f}" for s in scales], "build_seconds")
    row("raw pyoxigraph bulk load (s)", [f"{s['raw_bulk_load']['seconds']:.2f}" for s in scales], "raw_bulk_load_seconds")
    row("build / bulk load", [f"{s['build_vs_bulk_load']}x" for s in scales], None, f"<= {TARGETS['build_vs_bulk_load']:.0f}x")
    for step in _BUILD_STEPS:
        if all(step in s["build"].get("steps", {}) for s in scales):
            row(f"- build step `{step}` (s)", [f"{s['build']['steps'][step]:.2f}" for s in scales])
    if any("incremental" in s for s in scales):
        def inc(s):
            r = s.get("incremental", {})
            return f"add {r['add_seconds']:.2f} / remove {r['remove_seconds']:.2f}" if "add_seconds" in r else \
                r.get("error", "not run")[:60]
        row("incremental add / remove of one article (s)", [inc(s) for s in scales], None,
            f"add < {TARGETS['incremental_add_s']:.0f} s")
    if any("validation" in s for s in scales):
        def val(s):
            r = s.get("validation", {})
            return f"{r['seconds']:.1f} s, {r['peak_rss_mb']} MB" if "seconds" in r else r.get("error", "not run")[:60]
        row("validation (s, peak RSS)", [val(s) for s in scales], None, f"< {TARGETS['validation_s']:.0f} s")
    row("build peak RSS (MB)", [str(s["build"]["peak_rss_mb"]) for s in scales], "build_peak_rss_mb", f"< {TARGETS['peak_rss_mb']:.0f}")
    for name in scales[0]["queries"]:
        def cell(s):
            r = s["queries"].get(name, {})
            if "error" in r:
                return r["error"][:48]
            return f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} (raw {r['raw']['p50_ms']:.1f}, {r['vs_raw']}x)"
        row(f"query `{name}` p50 / p95 ms", [cell(s) for s in scales], f"query {name} p50",
            f"p50 < {TARGETS['query_p50_ms']:.0f} ms, <= {TARGETS['query_vs_raw']:.0f}x raw")
    if any("rest" in s for s in scales):
        def rest(s):
            r = s.get("rest", {})
            if "rps" not in r:
                return r.get("error", "not run")[:60]
            return f"{r['rps']} req/s, p50 {r['p50_ms']} / p99 {r['p99_ms']} ms, {r['errors']} errors"
        row(f"REST lookups ({CLIENTS} clients)", [rest(s) for s in scales], "rest p50",
            f">= {TARGETS['rest_rps']:.0f} req/s, p99 < {TARGETS['rest_p99_ms']:.0f} ms")
        row("server peak RSS (MB)", [str(s.get("rest", {}).get("server_peak_rss_mb", "")) for s in scales])
    ref = doc.get("reference")
    if ref:
        lines += ["", "rdflib `memory` backend on the bundled corpus (the reference): "
                  f"load {ref['open_seconds']} s, peak RSS {ref['peak_rss_mb']} MB", "",
                  "| query | p50 ms | p95 ms |", "|---|---|---|"]
        for name, r in ref["queries"].items():
            lines.append(f"| `{name}` | " + (f"{r['p50_ms']} | {r['p95_ms']} |" if "p50_ms" in r else f"{r['error'][:80]} | |"))
    return "\n".join(lines) + "\n"


def bench(scales, out_dir=RESULTS, name=None, reps=20, budget=10.0, n_requests=2000, rest=True, work_dir=None,
          log=print, only=None, timeout=120.0):
    import pyoxigraph as ox
    work = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix="aikg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    doc = {"started": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
           "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "pyoxigraph": ox.__version__,
                       "platform": platform.platform()},
           "settings": {"queries": sorted(only) if only else "all", "timeout_s": timeout, "reps": reps, "budget_s": budget, "requests": n_requests, "clients": CLIENTS, "seed": SEED},
           "targets": TARGETS, "scales": []}
    try:
        for s in scales:
            doc["scales"].append(run_scale(s, work, reps, budget, n_requests, rest, log, only, timeout))
        if 1 in scales:
            doc["reference"] = run_reference(work, reps, budget, log, only, timeout)
        doc["growth"] = growth(doc["scales"])
    finally:
        if not work_dir:
            shutil.rmtree(work, ignore_errors=True)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = name or "bench-" + "-".join(f"{s}x" for s in scales)
    (out_dir / f"{name}.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    (out_dir / f"{name}.md").write_text(markdown(doc), encoding="utf-8")
    return doc, out_dir / f"{name}.md"
