"""SPARQL queries run in worker processes, so that one past its time can be stopped.

A thread cannot be killed and Oxigraph has no query cancellation, so each query
runs in one of a few pre-started processes, each with the store open read-only;
a query that outlives the timeout has its process killed (the query really
stops, and its memory goes back) and a fresh process takes its place. The
workers also serialise the answer, so a huge result never crosses the pipe:
past `max_results` rows or triples the worker stops reading and says so."""
import itertools
import json
import multiprocessing
import resource
import signal
import threading
import time
from dataclasses import dataclass

import pyoxigraph as ox

SOLUTION_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                 "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
STARTUP_TIMEOUT = 120.0   # seconds a new worker may take to open the store


class QueryTimeout(Exception):
    pass


class PoolBusy(Exception):
    pass


class TooManyResults(Exception):
    pass


class QueryFailed(Exception):
    """The store refused the query: `syntax` for the parser's message, else `error`."""
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


@dataclass
class Job:
    text: str
    solution_format: str = "json"     # a key of SOLUTION_FORMATS, for SELECT and ASK
    graph_format: str = "turtle"      # a key of GRAPH_FORMATS, for CONSTRUCT and DESCRIBE
    default_graph: list | None = None  # graph IRIs; with named_graphs, replaces the query's own dataset
    named_graphs: list | None = None
    union: bool = True                # no dataset given: the default graph is the union of all graphs


@dataclass
class Answer:
    media_type: str
    body: bytes
    rows: int | None = None       # solutions in a SELECT answer: a page knows whether it is full


class _Rows:
    """Solutions already read, shaped like QuerySolutions for graph.queries.to_json."""
    def __init__(self, variables, rows):
        self.variables, self._rows = variables, rows

    def __iter__(self):
        return iter(self._rows)


def execute(store, job: Job, prefixes: dict, max_results: int) -> Answer:
    from graph.queries import to_json

    kw = {"prefixes": prefixes}
    if job.default_graph is not None or job.named_graphs is not None:
        kw["default_graph"] = [ox.NamedNode(g) for g in job.default_graph or []] or ox.DefaultGraph()
        kw["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or []]
    elif job.union:
        kw["use_default_graph_as_union"] = True
    result = store.query(job.text, **kw)
    # Told apart by shape, not class: every backend of graph.backends answers like pyoxigraph.
    if not hasattr(result, "variables") and hasattr(type(result), "__bool__"):
        return _solutions({"head": {}, "boolean": bool(result)}, job)
    items = list(itertools.islice(result, max_results + 1))
    if len(items) > max_results:
        raise TooManyResults(f"the answer has more than {max_results} "
                             f"{'rows' if hasattr(result, 'variables') else 'triples'}")
    if hasattr(result, "variables"):
        return _solutions(to_json(_Rows(result.variables, items)), job)
    fmt = GRAPH_FORMATS[job.graph_format]
    return Answer(fmt.media_type, ox.serialize(items, format=fmt, prefixes=prefixes))


def _solutions(doc: dict, job: Job) -> Answer:
    """W3C results JSON, re-serialised by Oxigraph in the format asked for."""
    fmt = SOLUTION_FORMATS[job.solution_format]
    body = json.dumps(doc, ensure_ascii=False).encode()
    if fmt != ox.QueryResultsFormat.JSON:
        body = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(format=fmt)
    rows = doc.get("results", {}).get("bindings")
    return Answer(fmt.media_type, body, None if rows is None else len(rows))


def _serve(conn, build_dir, prefixes, max_results, memory_mb):
    """A worker's life: open the store, then answer jobs until the pipe closes."""
    # Ctrl-C on the server reaches the whole process group; the server, not the worker, ends it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _answer_jobs(conn, build_dir, prefixes, max_results, memory_mb)
    except (EOFError, OSError):   # the server went away: nothing left to answer
        pass


def _answer_jobs(conn, build_dir, prefixes, max_results, memory_mb):
    from graph.store import open_store
    try:
        store = open_store(build_dir)
    except Exception as e:  # the parent reports it; a worker has no one else to tell
        conn.send(("failed", f"{type(e).__name__}: {e}"))
        return
    if memory_mb:
        _cap_memory(memory_mb)
    conn.send(("ready", None))
    while True:
        job = conn.recv()
        try:
            conn.send(("ok", execute(store, job, prefixes, max_results)))
        except SyntaxError as e:
            conn.send(("syntax", str(e)))
        except TooManyResults as e:
            conn.send(("too_many", str(e)))
        except Exception as e:
            conn.send(("error", f"{type(e).__name__}: {e}"))


def _cap_memory(memory_mb):
    """At most `memory_mb` more address space than the worker holds with the store open.

    A query that sorts or groups a cross product grows fast: past the cap the worker
    dies (and is replaced) instead of the machine running out of memory. Counted from
    here, so that a larger store does not leave queries less room."""
    with open("/proc/self/status", encoding="ascii") as f:
        held = next(int(line.split()[1]) for line in f if line.startswith("VmSize:")) << 10
    resource.setrlimit(resource.RLIMIT_AS, (held + (memory_mb << 20), resource.RLIM_INFINITY))


class _Worker:
    def __init__(self, process, conn):
        self.process, self.conn = process, conn


class QueryPool:
    def __init__(self, build_dir, size=2, timeout=10.0, max_results=10_000, prefixes=None, memory_mb=None):
        self.build_dir, self.size, self.timeout = str(build_dir), size, float(timeout)
        self.memory_mb = memory_mb
        self.max_results, self.prefixes = int(max_results), dict(prefixes or {})
        # spawn, not fork: the server process has threads and an open store.
        self._ctx = multiprocessing.get_context("spawn")
        self._cond = threading.Condition()
        self._idle, self._all = [], set()
        self._closed = False
        self.startup_error = None
        self._started = threading.Event()   # set once a worker is ready (or none could start)
        self.killed = []        # pids of workers stopped for running past the timeout
        for _ in range(size):
            self._start()

    # ------------------------------------------------------------ workers

    def _start(self):
        parent, child = self._ctx.Pipe()
        p = self._ctx.Process(target=_serve, name="aikg-query-worker", daemon=True,
                              args=(child, self.build_dir, self.prefixes, self.max_results, self.memory_mb))
        p.start()
        child.close()
        w = _Worker(p, parent)
        with self._cond:
            self._all.add(w)
        threading.Thread(target=self._await_ready, args=(w,), daemon=True).start()

    def _await_ready(self, w):
        msg = ("failed", f"the worker did not open the store within {STARTUP_TIMEOUT:.0f} s")
        try:
            if w.conn.poll(STARTUP_TIMEOUT):
                msg = w.conn.recv()
        except (EOFError, OSError):
            msg = ("failed", "the worker exited while opening the store")
        if msg[0] == "ready":
            self._release(w)
        else:
            self.startup_error = msg[1]
            self._discard(w)
            with self._cond:
                self._cond.notify_all()
        self._started.set()

    def _release(self, w):
        with self._cond:
            if self._closed:
                return
            self._idle.append(w)
            self._cond.notify()

    def _discard(self, w):
        w.process.kill()
        w.process.join(5)
        w.conn.close()
        with self._cond:
            self._all.discard(w)

    def _acquire(self, wait):
        deadline = time.monotonic() + wait
        with self._cond:
            while not self._idle:
                if self._closed:
                    raise PoolBusy("the query pool is shut down")
                if self.startup_error and not self._all:
                    raise QueryFailed("error", f"no query worker could start: {self.startup_error}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PoolBusy(f"all {self.size} query workers stayed busy for {wait:g} s")
                self._cond.wait(left)
            return self._idle.pop()

    # ------------------------------------------------------------ queries

    def run(self, job: Job, wait=None) -> Answer:
        """The answer to `job`, or QueryTimeout, PoolBusy, TooManyResults, QueryFailed."""
        # A fresh pool's workers are still opening the store: that wait is not the client's fault.
        self._started.wait(STARTUP_TIMEOUT)
        w = self._acquire(self.timeout if wait is None else wait)
        try:
            w.conn.send(job)
            if not w.conn.poll(self.timeout):
                self.killed.append(w.process.pid)
                self._replace(w)
                raise QueryTimeout(f"the query ran for more than {self.timeout:g} s and was stopped")
            status, payload = w.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(w)
            limit = f" (a query may use {self.memory_mb} MB)" if self.memory_mb else ""
            raise QueryFailed("died", f"the query worker died while answering{limit}") from None
        self._release(w)
        if status == "ok":
            return payload
        if status == "too_many":
            raise TooManyResults(payload)
        raise QueryFailed(status, payload)

    def _replace(self, w):
        self._discard(w)
        if not self._closed:
            self._start()

    def idle(self) -> int:
        """How many workers are ready for a query now."""
        with self._cond:
            return len(self._idle)

    def pids(self):
        with self._cond:
            return [w.process.pid for w in self._all]

    def close(self):
        with self._cond:
            self._closed = True
            workers = list(self._all)
            self._idle.clear()
            self._cond.notify_all()
        for w in workers:
            self._discard(w)
