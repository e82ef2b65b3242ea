"""Materialised views: the rows of the costly named queries, computed by the build
and kept in the named graph graph:views, so that a named query reads one page of
precomputed rows instead of aggregating the whole graph at every call.

A view is a SELECT in queries/views/<name>.rq. Its header names the variable that
partitions its rows (`# key: claim`): the rows for one key depend only on what the
graph says around that key, so when an article is added or removed, only the rows
of the keys it touches are computed again (`refresh`), with the key bound by a
VALUES block in each group that names it. Its ORDER BY (plain variables, ASC or
DESC) is the order of the rows; each row carries that order as three integers and
a string (`sort_key`), because Oxigraph compares strings and IRIs by reading them
back from its dictionary at every comparison, which costs seconds over thousands
of rows, while integers compare in place.

A row is one node of graph:views:
    <id/row/NAME/DIGEST> aikg:inView <id/view/NAME/no> ;     candidates left out
                         aikg:inView <id/view/NAME/yes> ;    candidates counted
                         aikg:rowKey <the key> ;
                         aikg:sortKey1 7 ; aikg:sortKey2 0 ; aikg:sortKey3 0 ; aikg:sortKey "0a1b..." ;
                         col:VAR value ; ...                 one per bound column
A row the same in both modes (always, when no candidate report exists) is one node."""
import hashlib
import re
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from aikg import paths
from aikg.vocab import AIKG, GRAPH, ID, PREFIXES

from . import queries, trig

VIEWS_GRAPH = GRAPH["views"]
VIEWS_DIR = paths.QUERIES / "views"
COLUMN = PREFIXES["col"]
MODES = ("no", "yes")                   # the value of the named queries' `candidates` parameter
_KEY = re.compile(r"^#\s*key:\s*([a-z][a-z0-9_]*)\s*$", re.MULTILINE)
_ORDER = re.compile(r"\bORDER\s+BY\s+(.*?)\s*(?:LIMIT\b|OFFSET\b|$)", re.IGNORECASE | re.DOTALL)
_ORDER_TERM = re.compile(r"(ASC|DESC)\s*\(\s*\?(\w+)\s*\)|\?(\w+)", re.IGNORECASE)
_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?:DISTINCT\s+)?\?\w+\s*;\s*separator\s*=\s*\"([^\"]*)\"\s*\)\s+AS\s+\?(\w+)",
                     re.IGNORECASE)
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

    def iri(self, mode):
        return ID[f"view/{self.name}/{mode}"]


def parse_view(path: Path) -> View:
    text = path.read_text(encoding="utf-8")
    m = _KEY.search(text)
    if not m:
        raise ViewError(f"{path}:1: key: missing header line '# key: VARIABLE'")
    body = re.sub(r"(?m)#.*$", "", text)
    om = list(_ORDER.finditer(body))
    if not om:
        raise ViewError(f"{path}: ORDER BY: a view needs one, it is the order of its rows")
    order = []
    for t in _ORDER_TERM.finditer(om[-1][1]):
        order.append((t[2], t[1].upper() == "DESC") if t[2] else (t[3], False))
    leftover = _ORDER_TERM.sub("", om[-1][1]).strip()
    if leftover:
        raise ViewError(f"{path}: ORDER BY: only ?var, ASC(?var) and DESC(?var) (project an expression first): {leftover!r}")
    return View(path.stem, path, text, m[1], order, {var: sep for sep, var in _CONCAT.findall(body)})


def definitions(views_dir=VIEWS_DIR) -> dict:
    return {p.stem: parse_view(p) for p in sorted(Path(views_dir).glob("*.rq"))}


# ------------------------------------------------------------------ the order of rows

_WIDE = Context(prec=80)


def _number(value: str) -> bytes:
    try:
        d = Decimal(value)
    except InvalidOperation:
        return b"\x02" + value.encode("utf-8") + b"\x00"
    if not d.is_finite():
        return b"\x03" if d > 0 else b"\x01"
    q = format(abs(d).quantize(Decimal("1e-18"), context=_WIDE), "f")
    whole, _, frac = q.partition(".")
    digits = whole.rjust(30, "0") + frac.ljust(18, "0")
    if d < 0:                        # the larger the magnitude, the smaller: digits complemented
        return b"\x01" + bytes(ord("9") - ord(c) + ord("0") for c in digits)
    return b"\x02" + digits.encode("ascii")


def _component(term) -> bytes:
    """Bytes that sort as SPARQL's ORDER BY sorts these terms: unbound first, then
    IRIs, then literals (numbers by value, other literals by their text)."""
    if term is None:
        return b"\x00"
    if isinstance(term, ox.BlankNode):
        return b"\x01" + term.value.encode("utf-8") + b"\x00"
    if isinstance(term, ox.NamedNode):
        return b"\x02" + term.value.encode("utf-8") + b"\x00"
    if term.datatype.value in _NUMERIC:
        return b"\x03" + _number(term.value)
    return b"\x04" + term.value.encode("utf-8") + b"\x00"


def sort_key(order, row) -> bytes:
    out = b""
    for var, desc in order:
        c = _component(row.get(var))
        out += bytes(255 - b for b in c) + b"\xff" if desc else c
    return out


# ------------------------------------------------------------------ computing rows

def has_candidates(store) -> bool:
    return bool(queries.run_sparql(store, queries.internal("views-has-candidates")))


def compute(store, view: View, keys=None, modes=MODES):
    """{row IRI: (key, {modes}, {var: term}, sort key bytes)} of the view, for all
    keys or for `keys` (IRIs or literals) only."""
    rows = {}
    for mode in modes:
        subs = {ox.Variable("candidates"): ox.Literal(mode)}
        text = view.text if keys is None else restrict(view.text, view.key, keys)
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
            digest = hashlib.sha1(f"{view.name}\x1e{content}\x1e{n}".encode("utf-8")).hexdigest()[:20]
            iri = str(ID[f"row/{view.name}/{digest}"])
            if iri in rows:
                rows[iri][1].add(mode)
            else:
                rows[iri] = (key, {mode}, values, sort_key(view.order, values))
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
    body = re.sub(r"(?m)#.*$", lambda m: " " * len(m[0]), text)
    body = re.sub(r'"[^"\n]*"', lambda m: " " * len(m[0]), body)
    name = re.compile(r"[?$]" + re.escape(var) + r"\b")
    values = f" VALUES ?{var} {{ {' '.join(str(t) for t in terms)} }} "
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
    parts = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    return values.join(parts)


# ------------------------------------------------------------------ rows as RDF

_RDF_XSD_STRING = _XSD + "string"


def _rdf(t):
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    if t.datatype.value == _RDF_XSD_STRING:
        return Literal(t.value)
    return Literal(t.value, datatype=URIRef(t.datatype.value))


_INTEGER = URIRef(_XSD + "integer")


def row_triples(view: View, iri, row):
    key, modes, values, skey = row
    s = URIRef(iri)
    out = [(s, AIKG.inView, URIRef(view.iri(m))) for m in sorted(modes)]
    out.append((s, AIKG.rowKey, _rdf(key)))
    padded = skey.ljust(21, b"\x00")
    for i, p in enumerate((AIKG.sortKey1, AIKG.sortKey2, AIKG.sortKey3)):
        out.append((s, p, Literal(str(int.from_bytes(padded[7 * i:7 * i + 7], "big")), datatype=_INTEGER)))
    out.append((s, AIKG.sortKey, Literal(skey.hex())))
    for var, term in values.items():
        out.append((s, URIRef(COLUMN + var), _rdf(term)))
    return out


def _in_file_order(views):
    # The TriG holds a graph's stanzas in subject order: rows by view name, then digest.
    return sorted(views.values(), key=lambda v: f"{v.name}/")


def _stanza(iri, triples) -> str:
    preds = {}
    for _, p, o in triples:
        preds.setdefault(p, set()).add(o)
    return trig.stanza_from(URIRef(iri), preds)


def write_views(store, path, loader=None, views=None, chunk=20000) -> int:
    """graph:views for the whole store (the build): its TriG block written to `path`
    (nothing when no view has a row) and, when given, loaded a chunk of rows at a
    time by `loader` into the same store. One view's rows at a time are in memory.
    Loading rows while later views are computed is safe: no view reads graph:views.
    Returns the number of triples."""
    views = definitions() if views is None else views
    modes = MODES if has_candidates(store) else ("no",)
    opening, count = f"<{VIEWS_GRAPH}> {{\n", 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        for view in _in_file_order(views):
            rows = compute(store, view, modes=modes)
            pending = []
            for iri in sorted(rows):
                row = rows[iri]
                if modes == ("no",):
                    row[1].add("yes")            # no candidate report anywhere: both modes agree
                triples = row_triples(view, iri, row)
                text = _stanza(iri, triples)
                out.write(("\n" + opening if not count else "\n") + text)
                count += len(triples)
                pending.append(text)
                if loader is not None and len(pending) >= chunk:
                    loader.add(opening + "\n".join(pending) + "\n}\n")
                    pending = []
            if loader is not None and pending:
                loader.add(opening + "\n".join(pending) + "\n}\n")
            del rows
        if count:
            out.write("\n}\n")
    return count


def refresh(store, keys, views=None):
    """(old row IRIs, {row IRI: triples}) for the rows of `keys` in every view: the
    rows the store holds for them now, and what they are computed to be."""
    views = definitions() if views is None else views
    keys = sorted(set(keys), key=str)
    if not keys:
        return set(), {}
    modes = MODES if has_candidates(store) else ("no",)
    old = {r["row"].value for r in queries.run_sparql(
        store, queries.internal("views-rows-of"), {ox.Variable("key"): queries.Terms(keys)})}
    new = {}
    for view in views.values():
        for iri, row in compute(store, view, keys=keys, modes=modes).items():
            if modes == ("no",):
                row[1].add("yes")
            new[iri] = row_triples(view, iri, row)
    return old, new
