"""Materialised views: the rows of the costly named queries, computed by the build
and kept in the named graph graph:views, so that a named query reads one page of
precomputed rows instead of aggregating the whole graph at every call.

A view is a SELECT in queries/views/<name>.rq. Its header names the variable that
partitions its rows (`# key: claim`): the rows for one key depend only on what the
graph says around that key, so when an article is added or removed, only the rows
of the keys it touches are computed again (`refresh`), with the key bound by a
VALUES block in each group that names it. Its ORDER BY (plain variables, ASC or
DESC) is the order of the rows, computed here as bytes (`sort_key`): Oxigraph
compares strings and IRIs by reading them back from its dictionary at every
comparison, which costs seconds over thousands of rows, while it compares numbers
in place. So the first 15 bytes of the key are a decimal, the value of the row's
one triple whose predicate is the view itself, and the rest of the key leads the
row's IRI: a page is an ORDER BY ?key ?row over one index scan, and IRIs are read
back only to order rows whose first 15 bytes agree.

A row is one node of graph:views:
    <id/row/NAME/REST-DIGEST> <id/view/NAME/no> 1234.5 ;    its key; candidates left out
                              <id/view/NAME/yes> 1234.5 ;   candidates counted
                              aikg:rowKey <the key> ;
                              col:VAR value ; ...           one per bound column
A row the same in both modes (always, when no candidate report exists) is one node.

A facet view (`# facet: VAR` in its header, beside `# key:`) serves a whole-graph
count instead of a page: each of its rows (key, value) is one triple of graph:views,
    <the key> <id/view/NAME> <value>        the same in both modes
    <the key> <id/view/NAME/no> <value>     candidates left out only
    <the key> <id/view/NAME/yes> <value>    candidates counted only
so that a named query counts one pattern grouped by its object (a set of triples
in one graph: COUNT(*) is a count of distinct keys), one index scan where joining
the row nodes' columns would look up every row. A key's facet triples are one
stanza of graph:views, written again whole when a refresh computes it otherwise."""
import base64
import functools
import hashlib
import heapq
import itertools
import re
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from decimal import Context, Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from aikg import paths
from aikg.vocab import AIKG, GRAPH, ID, PREFIXES

from . import facet_tallies, queries, trig

VIEWS_GRAPH = GRAPH["views"]
VIEWS_DIR = paths.QUERIES / "views"
COLUMN = PREFIXES["col"]
MODES = ("no", "yes")                   # the value of the named queries' `candidates` parameter
_KEY = re.compile(r"^#\s*key:\s*([a-z][a-z0-9_]*)\s*$", re.MULTILINE)
_FACET = re.compile(r"^#\s*facet:\s*([a-z][a-z0-9_]*)\s*$", re.MULTILINE)
_KEY_CLASS = re.compile(r"^#\s*key-class:\s*(.+?)\s*$", re.MULTILINE)
_LIST = re.compile(r"^#\s*list:\s*(\S+)\s*$", re.MULTILINE)
_ORDER = re.compile(r"\bORDER\s+BY\s+(.*?)\s*(?:LIMIT\b|OFFSET\b|$)", re.IGNORECASE | re.DOTALL)
_ORDER_TERM = re.compile(r"(ASC|DESC)\s*\(\s*\?(\w+)\s*\)|\?(\w+)", re.IGNORECASE)
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                               "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                               "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


class ViewError(Exception):
    pass


@dataclass
class View:
    name: str
    path: Path
    text: str
    key: str
    order: list            # [(variable name, descending)]
    concat: dict           # {variable: separator} of its GROUP_CONCATs
    unordered: str = ""    # its text without the final ORDER BY: sort_key orders the rows
    facet: str = ""        # a facet view: the variable of its triples' object
    key_classes: frozenset = frozenset()   # `# key-class:`: a key has rows only if it is of one of these
    list_prefix: str = ""  # `# list:` of a facet: its keys' slugs kept per value (graph/facet_tallies.py)

    def iri(self, mode):
        """The predicate of rows in `mode` ("no", "yes"; a facet's rows in both: None)."""
        return ID[f"view/{self.name}/{mode}"] if mode else ID[f"view/{self.name}"]


def parse_view(path: Path) -> View:
    text = path.read_text(encoding="utf-8")
    m = _KEY.search(text)
    if not m:
        raise ViewError(f"{path}:1: key: missing header line '# key: VARIABLE'")
    fm = _FACET.search(text)
    if fm:
        # Its rows are counted, not paged: no order.
        return View(path.stem, path, text, m[1], [], queries.concat_separators(text), text, fm[1],
                    _key_classes(path, text), _list_prefix(path, text))
    body = queries.uncommented(text)
    om = list(_ORDER.finditer(body))
    if not om:
        raise ViewError(f"{path}: ORDER BY: a view needs one, it is the order of its rows")
    order = []
    for t in _ORDER_TERM.finditer(om[-1][1]):
        order.append((t[2], t[1].upper() == "DESC") if t[2] else (t[3], False))
    leftover = _ORDER_TERM.sub("", om[-1][1]).strip()
    if leftover:
        raise ViewError(f"{path}: ORDER BY: only ?var, ASC(?var) and DESC(?var) (project an expression first): {leftover!r}")
    # The final ORDER BY is blanked out (offsets kept): the rows are ordered by their
    # keys, and sorting them in the engine as well cost a third of a view's time.
    unordered = text[:om[-1].start()] + " " * (len(text) - om[-1].start())
    return View(path.stem, path, text, m[1], order, queries.concat_separators(text), unordered,
                key_classes=_key_classes(path, text))


def _key_classes(path, text) -> frozenset:
    """The classes of `# key-class: aikg:A aikg:B`, as IRIs. A refresh binds a view
    to the touched keys of these classes only: an article touches a hundred or more
    IRIs, and each one bound costs a view's nested groups a lookup per group (labs at
    1000x: 0.5 s for every touched key, 0.15 s for its models)."""
    m = _KEY_CLASS.search(text)
    out = set()
    for name in m[1].split() if m else []:
        prefix, _, local = name.partition(":")
        if prefix not in PREFIXES or not local:
            raise ViewError(f"{path}: key-class: {name!r} is not a prefixed name (prefixes: {', '.join(sorted(PREFIXES))})")
        out.add(PREFIXES[prefix] + local)
    return frozenset(out)


def _list_prefix(path, text) -> str:
    """The IRI prefix of `# list: id:claim/`: a key's slug is the rest of its IRI."""
    m = _LIST.search(text)
    if not m:
        return ""
    prefix, _, local = m[1].partition(":")
    if prefix not in PREFIXES:
        raise ViewError(f"{path}: list: {m[1]!r} does not start with a known prefix (prefixes: {', '.join(sorted(PREFIXES))})")
    return PREFIXES[prefix] + local


def keys_of(view, keys, classes):
    """Those of `keys` the view may have rows for: all of them, or for a view with
    key classes those of its classes (`classes`: {key IRI: {class IRIs}})."""
    if not view.key_classes:
        return keys
    return [k for k in keys if classes.get(k.value, frozenset()) & view.key_classes]


def key_classes(store, keys) -> dict:
    """{key IRI: {class IRIs}} for the IRIs among `keys`."""
    out = {}
    iris = [k for k in keys if isinstance(k, ox.NamedNode)]
    if iris:
        for r in queries.run_sparql(store, queries.internal("views-key-classes"), {ox.Variable("key"): queries.Terms(iris)}):
            out.setdefault(r["key"].value, set()).add(r["class"].value)
    return out


def definitions(views_dir=VIEWS_DIR) -> dict:
    return {p.stem: parse_view(p) for p in sorted(Path(views_dir).glob("*.rq"))}


# ------------------------------------------------------------------ the order of rows

_WIDE = Context(prec=80)
# Text of a sort key is shortened by these prefixes, one within the other (most IRIs
# are ours, most sorted IRIs are claims), so that the first bytes tell rows apart.
_PREFIXES = (str(ID), "claim/")


def _text(s: str, prefixes=_PREFIXES) -> bytes:
    """`s` as bytes that sort as `s` does, with a known prefix as one byte. Strings
    are put in groups by how far they follow the prefix P (length L): sharing k < L
    characters and then lower than P (byte 2k+1), exactly P's first k characters
    (2k), starting with P (2L+1, then the rest, shortened by the next prefix), or
    sharing k characters and then higher than P (3L+1-k); within a group the rest
    of the string from the k-th character on decides."""
    if not prefixes:
        return s.encode("utf-8") + b"\x00"
    p = prefixes[0]
    n = len(p)
    if s.startswith(p):
        return bytes([2 * n + 1]) + _text(s[n:], prefixes[1:])
    k = 0
    while k < len(s) and s[k] == p[k]:
        k += 1
    if k == len(s):
        return bytes([2 * k, 0])
    group = 2 * k + 1 if s[k] < p[k] else 3 * n + 1 - k
    return bytes([group]) + s[k:].encode("utf-8") + b"\x00"


def _number(value: str) -> bytes:
    """A number as bytes that sort by value: its floor as a signed big-endian integer
    led by its length, then the digits of its fraction."""
    try:
        d = Decimal(value)
    except InvalidOperation:
        return b"\xff" + value.encode("utf-8") + b"\x00"
    if not d.is_finite():
        return b"\xfe" if d > 0 else b"\x00"
    whole = int(d.to_integral_value(rounding="ROUND_FLOOR", context=_WIDE))
    frac = format((d - whole).quantize(Decimal("1e-18"), context=_WIDE), "f").partition(".")[2].rstrip("0")
    size = max(1, (abs(whole).bit_length() + 8) // 8)
    if whole >= 0:
        head = bytes([0x80 + size]) + whole.to_bytes(size, "big")
    else:                            # more bytes, more negative: the length byte falls
        head = bytes([0x7f - size]) + (whole + (1 << (8 * size))).to_bytes(size, "big")
    return head + frac.encode("ascii") + b"\x00"


def _component(term) -> bytes:
    """Bytes that sort as SPARQL's ORDER BY sorts these terms: unbound first, then
    IRIs, then literals (numbers by value, other literals by their text). No
    component's bytes are the beginning of another's."""
    if term is None:
        return b"\x00"
    if isinstance(term, ox.BlankNode):
        return b"\x01" + term.value.encode("utf-8") + b"\x00"
    if isinstance(term, ox.NamedNode):
        return b"\x02" + _text(term.value)
    if term.datatype.value in _NUMERIC:
        return b"\x03" + _number(term.value)
    return b"\x04" + _text(term.value)


def sort_key(order, row) -> bytes:
    out = b""
    for var, desc in order:
        c = _component(row.get(var))
        out += bytes(255 - b for b in c) + b"\xff" if desc else c
    return out


# The first bytes of a sort key as one xsd:decimal (Oxigraph compares decimals in
# place: a 128-bit integer with 18 decimal places), the rest in the row's IRI, in
# digits that sort as the bytes do; rows order by (decimal, IRI), and the IRI is
# compared only between rows whose first bytes are the same.
_HEAD = 15
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"


def _decimal(head: bytes) -> str:
    n = int.from_bytes(head.ljust(_HEAD, b"\x00"), "big")
    whole, frac = divmod(n, 10 ** 18)
    frac = f"{frac:018d}".rstrip("0")
    return f"{whole}.{frac}" if frac else str(whole)     # Oxigraph's canonical form


# Base64 reads the same groups of six bits (the last one padded with zeros): its
# alphabet translated into _DIGITS, whose order is the bits' order. Bit by bit in
# Python cost 0.4 ms a row, a quarter of refreshing labs' rows at 1000x.
_FROM_BASE64 = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", _DIGITS.encode())


def _digits(tail: bytes) -> str:
    return base64.b64encode(tail).rstrip(b"=").translate(_FROM_BASE64).decode()


# ------------------------------------------------------------------ computing rows

def has_candidates(store) -> bool:
    return bool(queries.run_sparql(store, queries.internal("views-has-candidates")))


def compute(store, view: View, keys=None):
    """{row IRI: (key, {modes}, {var: term}, sort key bytes)} of the view, for all
    keys or for `keys` (IRIs or literals) only. With no candidate report in the
    store both modes give the same rows: they are computed once."""
    both = not has_candidates(store)
    rows = {}
    for mode in ("no",) if both else MODES:
        subs = {ox.Variable("candidates"): ox.Literal(mode)}
        text = view.unordered if keys is None else restrict(view.unordered, view.key, keys)
        seen = {}
        results = queries.run_sparql(store, text, subs)
        names = [v.value for v in results.variables]
        for sol in results:
            values = {n: t for n, t in zip(names, sol) if t is not None}
            for var, sep in view.concat.items():
                if var in values and sep:
                    values[var] = _sorted_parts(values[var], sep)
            key = values.get(view.key)
            if key is None:
                raise ViewError(f"{view.path}: a row without its key ?{view.key}: {values}")
            content = "\x1f".join(f"{k}={values[k]}" for k in sorted(values))
            n = seen.get(content, 0)
            seen[content] = n + 1
            digest = hashlib.sha1(f"{view.name}\x1e{content}\x1e{n}".encode("utf-8")).hexdigest()[:12]
            skey = sort_key(view.order, values)
            # "-" sorts before every digit: a row whose key ends first comes first.
            iri = str(ID[f"row/{view.name}/{_digits(skey[_HEAD:])}-{digest}"])
            if iri in rows:
                rows[iri][1].add(mode)
            else:
                rows[iri] = (key, set(MODES) if both else {mode}, values, skey)
    return rows


def _sorted_parts(term, sep):
    """A GROUP_CONCAT with its parts in order: SPARQL leaves their order to the
    engine's plan, and a row must come out the same from the build and from a
    refresh of its key alone."""
    parts = sorted(term.value.split(sep))
    return ox.Literal(sep.join(parts), language=term.language) if term.language else ox.Literal(sep.join(parts))


def restrict(text, var, terms):
    """`text` with `VALUES ?var { terms }` opening each group (WHERE { ... }) that
    names ?var: the rows of these keys only. A group that does not name the key
    is left whole, since binding it there would repeat its rows."""
    return f" VALUES ?{var} {{ {' '.join(str(t) for t in terms)} }} ".join(_restrict_parts(text, var))


@functools.lru_cache(maxsize=256)
def _restrict_parts(text, var):
    """`text` cut where `restrict` puts its VALUES: found once per view (a refresh
    restricts each view twice or more, and the scan, 0.7 ms, was a fifth of a small
    view's refresh)."""
    body = re.sub(r'"[^"\n]*"', lambda m: " " * len(m[0]), queries.uncommented(text))
    name = re.compile(r"[?$]" + re.escape(var) + r"\b")
    cuts = []
    for m in re.finditer(r"\bWHERE\s*\{", body, re.IGNORECASE):
        depth, i = 1, m.end()
        while depth and i < len(body):
            depth += {"{": 1, "}": -1}.get(body[i], 0)
            i += 1
        if name.search(body, m.end(), i):
            cuts.append(m.end())
    if not cuts:
        raise ViewError(f"no group names the key ?{var}")
    return tuple(text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)]))


def facet_triples(store, facets, keys=None) -> dict:
    """{key IRI: {predicate: {objects}}} of the facet views `facets`, for all keys or
    for `keys` only, as rdflib terms: a (key, value) of both modes under the view's
    shared predicate, one of a single mode under that mode's."""
    both = not has_candidates(store)
    out = {}
    for view in facets:
        pairs = {}
        for mode in ("no",) if both else MODES:
            text = view.text if keys is None else restrict(view.text, view.key, keys)
            for sol in queries.run_sparql(store, text, {ox.Variable("candidates"): ox.Literal(mode)}):
                key, value = sol[view.key], sol[view.facet]
                if not isinstance(key, ox.NamedNode) or value is None:
                    raise ViewError(f"{view.path}: a facet row needs an IRI ?{view.key} and a ?{view.facet}: {key}, {value}")
                pairs.setdefault((key.value, value), set()).add(mode)
        # Predicates and values made once each: a facet has few values (hedges, origins).
        preds = {m: URIRef(view.iri(m)) for m in (None, *MODES)}
        terms = {}
        for (key, value), modes in pairs.items():
            pred = preds[None if both or len(modes) == 2 else next(iter(modes))]
            term = terms.get(value)
            if term is None:
                term = terms[value] = trig.from_oxigraph(value)
            out.setdefault(key, {}).setdefault(pred, set()).add(term)
    return out


# ------------------------------------------------------------------ rows as RDF

_DECIMAL = URIRef(_XSD + "decimal")


def row_triples(view: View, iri, row):
    key, modes, values, skey = row
    s = URIRef(iri)
    head = Literal(_decimal(skey[:_HEAD]), datatype=_DECIMAL)
    out = [(s, URIRef(view.iri(m)), head) for m in sorted(modes)]
    out.append((s, AIKG.rowKey, trig.from_oxigraph(key)))
    for var, term in values.items():
        out.append((s, URIRef(COLUMN + var), trig.from_oxigraph(term)))
    return out


def _in_file_order(views):
    # The TriG holds a graph's stanzas in subject order: rows by view name, then IRI.
    return sorted(views.values(), key=lambda v: f"{v.name}/")


def _stanza(iri, triples) -> str:
    preds = {}
    for _, p, o in triples:
        preds.setdefault(p, set()).add(o)
    return trig.stanza_from(URIRef(iri), preds)


def _row_stanzas(store, views, pool=None, ahead=2):
    """(IRI, number of triples, stanza) of every row of these row views, in IRI order.
    With a thread pool, the `ahead` views after the one being written are computed
    meanwhile (Oxigraph evaluates without holding Python's lock), each kept as its
    stanzas' text: its rows as Python terms weigh several times as much.

    A stanza is the text trig.stanza_from makes of row_triples (one object per
    predicate, predicates in order), written from Oxigraph's terms: rdflib's terms
    and their n3() were most of the Python time of the build's views (about 200,000
    rows at 1000x). A literal other than a plain string without quote, backslash or
    line break is written by rdflib, once per distinct literal."""
    string, special, n3 = _XSD + "string", re.compile(r'[\\"\n\r]'), {}

    def text(term):
        if isinstance(term, ox.NamedNode):
            return f"<{term.value}>"
        if not term.language and term.datatype.value == string and not special.search(term.value):
            return f'"{term.value}"'
        out = n3.get(term)
        if out is None:
            if len(n3) > 100_000:
                n3.clear()
            out = n3[term] = trig._n3(trig.from_oxigraph(term))
        return out

    def stanzas(view):
        rows = compute(store, view)
        out = []
        for iri in sorted(rows):
            key, modes, values, skey = rows.pop(iri)
            head = f'"{_decimal(skey[:_HEAD])}"^^<{_DECIMAL}>'
            objs = {str(view.iri(m)): head for m in modes}
            objs[str(AIKG.rowKey)] = text(key)
            for var, term in values.items():
                objs[COLUMN + var] = text(term)
            out.append((iri, len(objs), f"  <{iri}>\n" + " ;\n".join(f"    <{p}> {objs[p]}" for p in sorted(objs)) + " ."))
        return out

    order = iter(_in_file_order(views))
    if pool is None:
        return (stanza for view in order for stanza in stanzas(view))
    # Submitted now, not at the first row asked for: the pool works on them while
    # the caller waits for other jobs.
    jobs = [pool.submit(stanzas, view) for view in itertools.islice(order, ahead)]

    def in_order():
        while jobs:
            done = jobs.pop(0).result()
            jobs.extend(pool.submit(stanzas, view) for view in itertools.islice(order, 1))
            yield from done
            del done
    return in_order()


def _facet_stanzas(facets):
    for key in sorted(facets):
        yield key, sum(map(len, facets[key].values())), trig.stanza_from(URIRef(key), facets[key])


def write_views(store, path, loader=None, views=None, chunk=20000) -> int:
    """graph:views for the whole store (the build): its TriG block written to `path`
    (nothing when no view has a row) and, when given, loaded a chunk of rows at a
    time by `loader` into the same store. Three row views at a time are in memory
    (one written, two computed), and every facet's triples. Loading rows while later
    views are computed is safe: no view reads graph:views. Returns the number of triples."""
    views = definitions() if views is None else views

    def whole(view):
        # Its whole-graph form where it has one (whole/NAME.rq beside it): the same
        # rows, from scans joined by hashing. The view's own text joins by looking
        # each row's triples up, as a refresh of a few keys wants; over the whole
        # graph a lookup per row and pattern cost twice as much (rests-only-on at
        # 1000x: 8.8 s against 3.8 s), and more the larger the store.
        form = view.path.parent / "whole" / view.path.name
        if not form.exists():
            return view
        text = form.read_text(encoding="utf-8")
        return replace(view, text=text, unordered=text)

    views = {n: whole(v) for n, v in views.items()}
    facet_views = [v for v in views.values() if v.facet]
    rows = {n: v for n, v in views.items() if not v.facet}
    opening, count, pending = f"<{VIEWS_GRAPH}> {{\n", 0, []
    # Two jobs at a time (Oxigraph evaluates without holding Python's lock; two
    # cores): each facet, then each row view, the merge below waiting for the facets.
    with ThreadPoolExecutor(2) as pool, open(path, "w", encoding="utf-8", newline="") as out:
        facet_jobs = [pool.submit(facet_triples, store, [v]) for v in facet_views]
        row_stanzas = _row_stanzas(store, rows, pool)
        facets = {}
        # Each job's dict merged as soon as it is done and then let go, a key's first
        # {predicate: objects} taken over whole: copies of them all were 100 MB at 1000x.
        for job in as_completed(facet_jobs):
            for key, preds in job.result().items():
                if key in facets:
                    facets[key].update(preds)
                else:
                    facets[key] = preds
            facet_jobs.remove(job)
        # The stanzas of a graph in subject order: row nodes and facet keys interleave.
        tallies = facet_tallies.stanzas([v for v in views.values() if v.facet], facets)
        # The facets' stanzas made now and their terms let go: as rdflib terms they
        # held 300 MB at 1000x all through the row views, as text a tenth of that.
        facets = list(_facet_stanzas(facets))
        for _, n, text in heapq.merge(row_stanzas, facets, tallies, key=lambda u: u[0]):
            out.write(("\n" + opening if not count else "\n") + text)
            count += n
            pending.append(text)
            if loader is not None and len(pending) >= chunk:
                loader.add(opening + "\n".join(pending) + "\n}\n")
                pending = []
        if loader is not None and pending:
            loader.add(opening + "\n".join(pending) + "\n}\n")
        if count:
            out.write("\n}\n")
    return count


def _facet_state(store, facets, keys):
    """(the facet triples graph:views holds, those computed now) for `keys` and the
    facet keys they reach: {key IRI: {(predicate, object)}}, {key IRI: {predicate: {objects}}}."""
    keys = sorted(set(keys) | {r["key"] for r in queries.run_sparql(
        store, queries.internal("views-facet-keys"), {ox.Variable("claim"): queries.Terms(keys)})}, key=str)
    held = {}
    for r in queries.run_sparql(store, queries.internal("views-facets-of"), {ox.Variable("key"): queries.Terms(keys)}):
        held.setdefault(r["key"].value, set()).add((URIRef(r["p"].value), trig.from_oxigraph(r["o"])))
    return held, facet_triples(store, facets, keys)


def refresh(store, keys, views=None):
    """(stanzas to remove, {stanza IRI: triples to write}) in graph:views for `keys`:
    the row nodes the store holds for them and computes no more, the rows computed
    anew, and the facet stanzas of keys whose facets are computed otherwise (in both:
    removed, then written again). What is computed again the same is in neither."""
    views = definitions() if views is None else views
    keys = sorted(set(keys), key=str)
    if not keys:
        return set(), {}
    new, same = {}, set()
    facets = [v for v in views.values() if v.facet]
    # Two jobs at a time (the facets as one): Oxigraph evaluates a query without
    # holding Python's lock, so on two cores a refresh takes about half as long. The
    # facets and the rows held are under way while the keys' classes are looked up.
    with ThreadPoolExecutor(2) as pool:
        facet_state = pool.submit(_facet_state, store, facets, keys) if facets else None
        held_rows = pool.submit(lambda: {r["row"].value for r in queries.run_sparql(
            store, queries.internal("views-rows-of"), {ox.Variable("key"): queries.Terms(keys)})})
        classes = key_classes(store, keys) if any(v.key_classes for v in views.values()) else {}
        # Each view's keys in two halves (a key's rows depend on that key alone): one view,
        # labs, is a third of the work, and whole it kept one thread busy after the other
        # was done.
        todo = [(view, half) for view in views.values() if not view.facet
                for ks in [keys_of(view, keys, classes)] for half in (ks[:len(ks) // 2], ks[len(ks) // 2:]) if half]
        computed = list(pool.map(lambda job: compute(store, job[0], keys=job[1]), todo))
    old = held_rows.result()
    for (view, _), rows in zip(todo, computed):
        for iri, row in rows.items():
            if iri in old:
                same.add(iri)
            else:
                new[iri] = row_triples(view, iri, row)
    old -= same
    if facet_state is not None:
        held, now = facet_state.result()
        for key in set(held) | set(now):
            triples = {(URIRef(key), p, o) for p, objs in now.get(key, {}).items() for o in objs}
            if {(p, o) for _, p, o in triples} != held.get(key, set()):
                if key in held:
                    old.add(key)
                if triples:
                    new[key] = sorted(triples)
        gone, fresh = facet_tallies.refresh(store, facets, held, now)
        old |= gone
        new.update(fresh)
    return old, new
