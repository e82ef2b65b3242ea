"""What a SPARQL request asks for, read from its tokens before anything runs it.

The web endpoint must refuse updates, federated queries (SERVICE) and datasets
(FROM, FROM NAMED) naming graphs the store does not hold, whatever way the text
spells them. A substring search would be fooled by strings, comments, IRIs,
variable names (?service), prefixed names (ex:from) and language tags ("x"@from);
this reads the text's terminals the way the SPARQL grammar does (SPARQL 1.1
Query, section 19). The grammar applies \\u codepoint escapes to the whole text
first, Oxigraph only inside strings; since an escaped quote reads differently
in the two, a text with escapes is read both ways and refused if either is."""
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_OPERATIONS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# Order matters: the first alternative that matches at a position wins.
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
              | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '(?:[^'\\\n\r]|\\.)*'
              | "(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7]+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d][\w.\-\u00B7]*)?:(?:[\w\-:%.\u00B7]|\\[^\s])*)
  | (?P<word>[^\W\d][\w\-]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@dataclass
class Token:
    kind: str
    text: str
    pos: int


@dataclass
class Scan:
    """The facts about a request text the endpoint decides on."""
    form: str | None = None            # SELECT, ASK, CONSTRUCT, DESCRIBE, an update operation, or None
    services: list = field(default_factory=list)        # positions of SERVICE keywords
    from_graphs: list = field(default_factory=list)     # IRIs (str) named by FROM
    from_named: list = field(default_factory=list)      # IRIs (str) named by FROM NAMED
    unresolved: list = field(default_factory=list)      # dataset names that could not be read as IRIs

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_OPERATIONS

    @property
    def is_graph_result(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)), text)


def tokens(text: str):
    """The significant tokens of a SPARQL text (no spaces, no comments)."""
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() != pos:      # the pattern matches any character, so this cannot happen
            raise AssertionError("tokenizer skipped text")
        pos = m.end()
        kind = m.lastgroup
        if kind in ("space", "comment"):
            continue
        tok = m[0]
        if kind == "pname" and tok.endswith("."):
            # A local name cannot end with '.': that dot ends the triple.
            tok = tok.rstrip(".")
        yield Token(kind, tok.upper() if kind == "word" else tok, m.start())


def scan(text: str, default_prefixes=None) -> Scan:
    out = _scan(text, default_prefixes)
    if _ESCAPE.search(text):
        other = _scan(unescape(text), default_prefixes)
        if other.is_update and not out.is_update:
            out.form = other.form
        out.services += other.services
        out.from_graphs += [g for g in other.from_graphs if g not in out.from_graphs]
        out.from_named += [g for g in other.from_named if g not in out.from_named]
        out.unresolved += other.unresolved
    return out


def _scan(text, default_prefixes) -> Scan:
    toks = list(tokens(text))
    prefixes = dict(default_prefixes or {})
    base = None
    out = Scan()

    def iri_of(tok):
        if tok.kind == "iri":
            iri = tok.text[1:-1]
            return urljoin(base, iri) if base and not re.match(r"[A-Za-z][\w+.-]*:", iri) else iri
        if tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            if prefix in prefixes:
                return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return None

    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.kind == "word":
            if t.text == "PREFIX" and nxt and i + 2 < len(toks) and nxt.kind == "pname":
                iri = iri_of(toks[i + 2])
                if iri is not None:
                    prefixes[nxt.text.rstrip(":").partition(":")[0]] = iri
                i += 3
                continue
            if t.text == "BASE" and nxt and nxt.kind == "iri":
                base = iri_of(nxt)
                i += 2
                continue
            if out.form is None and (t.text in QUERY_FORMS or t.text in UPDATE_OPERATIONS):
                out.form = t.text
            if t.text == "SERVICE":
                out.services.append(t.pos)
            if t.text == "FROM":
                named = nxt is not None and nxt.kind == "word" and nxt.text == "NAMED"
                target = toks[i + 2] if named and i + 2 < len(toks) else (None if named else nxt)
                iri = iri_of(target) if target else None
                if iri is None:
                    out.unresolved.append(target.text if target else "")
                else:
                    (out.from_named if named else out.from_graphs).append(iri)
        i += 1
    return out
