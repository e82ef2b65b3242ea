"""Named SPARQL queries: one .rq file each in queries/, with a header saying what it is.

Header lines (comments at the top of the file):
    # title: Claims that rest only on one origin
    # description: One line saying what the query answers.
    # param: person (entity, default elon-musk) Whose word the claims rest on.
A parameter is a variable of the query that the caller may bind (SPARQL 1.1
substitution: a VALUES block, see with_values). Types: entity (slug, label or alias of any entity),
claim (claim id), source (source id), string, integer, date.

Two parameter names page the rows instead: `limit` and `offset` (integers) replace
the numbers of every `LIMIT n` and `OFFSET n` clause of the query (SPARQL cannot
bind them), so a query over the precomputed rows of a view (graph/views.py) chooses
its page before it reads the columns. A query with these parameters has no other
LIMIT or OFFSET clause.
"""
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from aikg import paths
from aikg.vocab import ID, PREFIXES
from graph.backends.results import Boolean

_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?:DISTINCT\s+)?[^;]*?;\s*separator\s*=\s*\"([^\"]*)\"\s*\)\s+AS\s+\?(\w+)",
                     re.IGNORECASE)
_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")
_PARAM = re.compile(r"^([a-z][a-z0-9_]*)\s*\((\w+)(?:\s*,\s*default\s+([^)]*))?\)\s*(.*)$")
PARAM_TYPES = {"entity", "claim", "source", "string", "integer", "date"}
PAGING = ("limit", "offset")
_PAGING_CLAUSE = {name: re.compile(rf"\b{name.upper()}\s+\d+", re.IGNORECASE) for name in PAGING}


class QueryError(Exception):
    pass


@dataclass
class Param:
    name: str
    type: str
    default: str | None
    description: str


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: list = field(default_factory=list)

    def as_dict(self):
        return {"name": self.name, "title": self.title, "description": self.description,
                "parameters": [p.__dict__ for p in self.params]}


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    q = NamedQuery(path.stem, path, text)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m[1], m[2].strip()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm or pm[2] not in PARAM_TYPES:
                raise QueryError(f"{path}:{n}: param: expected 'name (type[, default value]) description' "
                                 f"with type one of {', '.join(sorted(PARAM_TYPES))}")
            q.params.append(Param(pm[1], pm[2], (pm[3] or "").strip() or None, pm[4].strip()))
        else:
            setattr(q, key, value)
    if not q.title:
        raise QueryError(f"{path}:1: title: missing header line '# title: ...'")
    body = uncommented(text)
    for p in q.params:
        if p.name in PAGING:
            if p.type != "integer" or not _PAGING_CLAUSE[p.name].findall(body):
                raise QueryError(f"{path}: param: {p.name} pages the rows: an integer parameter, "
                                 f"and the query needs exactly one '{p.name.upper()} n' clause")
    return q


def concat_separators(text) -> dict:
    """{variable: separator} of the GROUP_CONCATs a query projects."""
    return {var: sep for sep, var in _CONCAT.findall(uncommented(text))}


_COMMENT = re.compile(r'<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|(#[^\n]*)')


def uncommented(text):
    """The text with its comments blanked out, every offset kept (a "#" in an IRI
    or a string is no comment)."""
    return _COMMENT.sub(lambda m: " " * len(m[0]) if m[1] else m[0], text)


def library(queries_dir=paths.QUERIES) -> dict:
    """Every public named query: the .rq files directly in queries/ (lib/ holds internal ones)."""
    return {p.stem: parse_query_file(p) for p in sorted(Path(queries_dir).glob("*.rq"))}


def internal(name: str) -> str:
    return (paths.QUERIES / "lib" / f"{name}.rq").read_text(encoding="utf-8")


def find(name_or_file: str) -> NamedQuery:
    p = Path(name_or_file)
    if p.suffix == ".rq" and p.exists():
        return parse_query_file(p)
    lib = library()
    if name_or_file not in lib:
        raise QueryError(f"no named query {name_or_file!r} (known: {', '.join(lib)})")
    return lib[name_or_file]


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(text, substitutions):
    """The query with `VALUES ?param { term }` opening its WHERE group and each
    sub-select's, so that a parameter binds wherever the query names it, as a
    substitution would.

    Oxigraph's own substitution (SEP-0007) only binds projected variables, and a
    parameter of an aggregate query usually is not projected."""
    if not substitutions:
        return text
    body = re.sub(r"(?m)^\s*#.*$", lambda m: " " * len(m[0]), text)   # comments out, offsets kept
    ends = [m.end() for m in _WHERE.finditer(body)]
    if not ends:
        raise QueryError("a parameterised query needs a WHERE { ... } clause")
    values = " ".join(_values(var, term) for var, term in substitutions.items())
    parts = [text[start:end] for start, end in zip([0] + ends, ends + [len(text)])]
    return f" {values} ".join(parts)


class Terms:
    """Several terms for one VALUES block (with_values prints str(term)); an IRI
    given as a string becomes a NamedNode."""

    def __init__(self, terms):
        self.terms = [t if isinstance(t, (ox.NamedNode, ox.Literal)) else ox.NamedNode(t) for t in terms]

    def __str__(self):
        return " ".join(str(t) for t in self.terms)


def _values(var, term):
    if isinstance(var, tuple):
        # Rows of several variables: one VALUES table. Two VALUES blocks are a
        # product that Oxigraph joins after scanning the pattern (100x slower).
        rows = " ".join("(" + " ".join(str(t) for t in row) + ")" for row in term)
        return f"VALUES ({' '.join('?' + v.value for v in var)}) {{ {rows} }}"
    return f"VALUES ?{var.value} {{ {term} }}"


def run_sparql(store, text, substitutions=None):
    try:
        return store.query(with_values(text, substitutions), prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax: {e}") from None


def resolve_entity(store, value: str) -> ox.NamedNode:
    """An entity named by slug, label or alias (case-insensitive), or a full IRI."""
    if value.startswith(("http://", "https://")):
        return ox.NamedNode(value)
    name = {ox.Variable("name"): ox.Literal(value)}
    rows = list(run_sparql(store, internal("resolve-entity-exact"), name))
    if len(rows) != 1:
        rows = list(run_sparql(store, internal("resolve-entity"), name))
    if not rows:
        raise QueryError(f"no entity named {value!r}")
    if len({r["entity"] for r in rows}) > 1:
        raise QueryError(f"{value!r} is ambiguous: " + ", ".join(sorted(r["slug"].value for r in rows)))
    return rows[0]["entity"]


def bind(store, q: NamedQuery, given: dict) -> dict:
    unknown = set(given) - {p.name for p in q.params}
    if unknown:
        raise QueryError(f"query {q.name} has no parameter {sorted(unknown)[0]!r} "
                         f"(parameters: {', '.join(p.name for p in q.params) or 'none'})")
    subs = {}
    for p in q.params:
        value = given.get(p.name, p.default)
        if value in (None, "", "any") or p.name in PAGING:
            continue
        var = ox.Variable(p.name)
        if p.type == "entity":
            subs[var] = resolve_entity(store, value)
        elif p.type == "claim":
            subs[var] = ox.NamedNode(value if value.startswith("http") else f"{ID}claim/{value}")
        elif p.type == "source":
            subs[var] = ox.NamedNode(value if value.startswith("http") else f"{ID}source/{value}")
        elif p.type == "integer":
            if not re.fullmatch(r"-?\d+", value):
                raise QueryError(f"parameter {p.name}: {value!r} is not a whole number")
            subs[var] = ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        elif p.type == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise QueryError(f"parameter {p.name}: {value!r} is not a date (YYYY-MM-DD)")
            subs[var] = ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
        else:
            subs[var] = ox.Literal(value)
    return subs


def paging(q: NamedQuery, given: dict) -> dict:
    """{limit/offset: n} of the query's paging parameters, given or default."""
    out = {}
    for p in q.params:
        if p.name in PAGING:
            value = str(given.get(p.name) or p.default or "0").strip()
            if not value.isdigit():
                raise QueryError(f"parameter {p.name}: {value!r} is not a whole number of rows (0 or more)")
            out[p.name] = int(value)
    return out


def prepare(store, q: NamedQuery, given=None) -> str:
    """The query's text with its parameters bound and its page chosen."""
    given = given or {}
    text = with_values(q.text, bind(store, q, given))
    body = uncommented(text)
    for name, n in paging(q, given).items():
        for m in reversed(list(_PAGING_CLAUSE[name].finditer(body))):
            text = text[:m.start()] + f"{name.upper()} {n}" + text[m.end():]
        body = uncommented(text)
    return text


def run(store, q: NamedQuery, given=None):
    return run_sparql(store, prepare(store, q, given))


# ---------------------------------------------------------------- result formats

def _term_json(t):
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        d["datatype"] = t.datatype.value
    return d


def to_json(results) -> dict:
    """W3C SPARQL 1.1 Query Results JSON."""
    if isinstance(results, (ox.QueryBoolean, Boolean)):
        return {"head": {}, "boolean": bool(results)}
    names = [v.value for v in results.variables]
    rows = [{n: _term_json(s[n]) for n in names if s[n] is not None} for s in results]
    return {"head": {"vars": names}, "results": {"bindings": rows}}


def display(term: dict | None) -> str:
    """A result term as a person reads it: slugs for our IRIs, plain numbers."""
    if not term:
        return ""
    v = term["value"]
    if term["type"] == "uri" and v.startswith(str(ID)):
        return v[len(str(ID)):].split("/", 1)[-1]
    return v


def format_results(doc: dict, fmt: str) -> str:
    if "boolean" in doc:
        return json.dumps(doc, indent=2) if fmt == "json" else str(doc["boolean"]).lower()
    if fmt == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False)
    names, rows = doc["head"]["vars"], doc["results"]["bindings"]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(names)
        for r in rows:
            w.writerow([r[n]["value"] if n in r else "" for n in names])
        return buf.getvalue()
    cells = [[display(r.get(n)) for n in names] for r in rows]
    widths = [min(60, max([len(n)] + [len(c[i]) for c in cells])) for i, n in enumerate(names)]
    clip = lambda s, w: s if len(s) <= w else s[: w - 1] + "…"  # noqa: E731
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(clip(c, w).ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
