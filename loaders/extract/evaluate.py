"""Leave-one-out evaluation of the extractor against the curated annotations.

Each curated article is read as if it were new: the entity list the extractor may
use loses the names only that article introduces (named in its annotations or
text and in no other article's), and its body is found by body.find_body, not
taken from its metadata. Predicted and curated claims are compared per article
as sets, one-to-one:

  claim   (about, property, value)
  origin  (about, property, value, origin)   origin `article` for the article's voice
  hedge   (about, property, value, hedge)

Values match when: quantities, money and ratios agree within 1% (a single value
with a single value, each bound of a range with the same bound, an open bound with
the same kind of bound; "~" is ignored); concepts and booleans are equal; dates
have the same lexical form once read (2023-Q4 reads as 2023); text values
(capability, forecast, codename) are the curator's words, so any value matches.

An entity the extractor proposes as new is scored as the withheld entity whose label
or alias is the same name (a reviewer links "Mixtral" to Mixtral 8x7B, alias
Mixtral); the curator's slug is not something the text can tell.
"""
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from aikg import paths
from loaders.values import ValueSyntaxError, parse_date, parse_quantity
from loaders.yamlfile import load_yaml, read_text

from .body import find_body
from .claims import extract
from .mentions import EntityIndex, norm

_QUANTITY = {"total-parameters", "active-parameters", "expert-parameters", "expert-count", "active-expert-count",
             "parameter-ratio", "speed-ratio", "cost-ratio", "training-cost", "release-timeline",
             "planned-model-size", "models-in-training"}
_DATE = {"release-date"}
_TEXT = {"capability", "forecast", "codename"}
FIELDS = ("claim", "origin", "hedge")


def values_match(prop, a, b) -> bool:
    a, b = str(a).strip(), str(b).strip()
    if prop in _TEXT:
        return True
    if prop in _DATE:
        try:
            return parse_date(a)[0] == parse_date(b)[0]
        except ValueSyntaxError:
            return a == b
    if prop in _QUANTITY:
        try:
            qa, qb = parse_quantity(a), parse_quantity(b)
        except ValueSyntaxError:
            return a == b
        return all(_close(qa[k], qb[k]) for k in ("value", "lower", "upper"))
    return a.lower() == b.lower()


def _close(x, y):
    if x is None or y is None:
        return x is None and y is None
    x, y = Decimal(x), Decimal(y)
    return abs(x - y) <= Decimal("0.01") * max(abs(x), abs(y))


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other):
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self):
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _match(pred, gold) -> Score:
    """pred, gold: sets of (about, property, value, extra) tuples; one-to-one greedy."""
    used, tp = set(), 0
    for p in sorted(pred):
        for i, g in enumerate(sorted(gold)):
            if i in used:
                continue
            if p[0] == g[0] and p[1] == g[1] and p[3] == g[3] and values_match(p[1], p[2], g[2]):
                used.add(i)
                tp += 1
                break
    return Score(tp, len(pred) - tp, len(gold) - tp)


def _dedupe(rows):
    """Distinct tuples, numerically equal values counted once."""
    out = []
    for r in rows:
        if not any(r[0] == o[0] and r[1] == o[1] and r[3] == o[3] and values_match(r[1], r[2], o[2]) for o in out):
            out.append(r)
    return set(out)


def gold_entries(data_dir) -> dict:
    """source -> list of (about, property, value, origin, hedge), every entry's claim resolved by id."""
    files = sorted((Path(data_dir) / "annotations").glob("*.yaml"))
    docs = [(f, load_yaml(f)) for f in files]
    defs = {}
    for _, doc in docs:
        for e in doc.get("claims") or []:
            if e.get("about") is not None and e["claim"] not in defs:
                defs[e["claim"]] = (e["about"], e["property"], e["value"])
    out = {}
    for _, doc in docs:
        rows = out.setdefault(doc["source"], [])
        for e in doc.get("claims") or []:
            about, prop, value = defs[e["claim"]]
            v = value.isoformat() if hasattr(value, "isoformat") else value
            v = str(v).lower() if isinstance(v, bool) else v
            rows.append((about, prop, str(v), str(e.get("origin")), str(e.get("hedge")),
                         e.get("relative-to"), e.get("attributed-in-text"), e.get("derived-by")))
    return out


def _referenced(rows):
    return {x for r in rows for x in (r[0], r[3], r[5], r[6], r[7]) if x and x != "article"}


def _mentioned(index, text):
    out = set()
    for surface, info in index.surfaces():
        if re.search(r"(?<![\w])" + re.escape(surface) + r"(?![\w])", text):
            out.add(info.slug)
    return out


def _withheld_names(index, excluded):
    """norm(name) -> slug for every label and alias of the withheld entities."""
    return {norm(name): slug for slug in excluded if slug in index
            for name in [index[slug].label, *index[slug].aliases]}


def _slug(info, named):
    """A new entity the extractor proposed under a name a withheld entity bears ("Mixtral"
    for Mixtral 8x7B, alias Mixtral) is that entity, as a reviewer would link it."""
    if info.new:
        return named.get(norm(info.label), info.slug)
    return info.slug


@dataclass
class Evaluation:
    per_article: dict = field(default_factory=dict)   # source -> {field: Score}
    total: dict = field(default_factory=dict)         # field -> Score
    excluded: dict = field(default_factory=dict)      # source -> slugs the extractor was not given


def evaluate(data_dir=paths.DATA, link_names=True) -> Evaluation:
    data_dir = Path(data_dir)
    gold = gold_entries(data_dir)
    index = EntityIndex.from_files([data_dir / "entities.yaml"])
    texts = {s: read_text(data_dir / "articles" / f"{s}.txt") for s in gold}
    mentioned = {s: _mentioned(index, t) for s, t in texts.items()}
    ev = Evaluation(total={f: Score() for f in FIELDS})
    for source in sorted(gold):
        others = [s for s in gold if s != source]
        known_elsewhere = set().union(*[_referenced(gold[s]) | mentioned[s] for s in others]) if others else set()
        mine = _referenced(gold[source]) | mentioned[source]
        excluded = sorted(mine - known_elsewhere)
        ev.excluded[source] = excluded
        text = texts[source]
        start, end = find_body(text)
        ex = extract(text, start, end, index.without(excluded))
        named = _withheld_names(index, excluded) if link_names else {}
        pred = [(_slug(c.about, named), c.property, c.value, _slug(c.origin, named) if c.origin else "article", c.hedge)
                for c in ex.candidates]
        g = gold[source]
        scores = {
            "claim": _match(_dedupe((a, p, v, None) for a, p, v, *_ in pred),
                            _dedupe((a, p, v, None) for a, p, v, *_ in g)),
            "origin": _match(_dedupe((a, p, v, o) for a, p, v, o, _ in pred),
                             _dedupe((a, p, v, o) for a, p, v, o, *_ in g)),
            "hedge": _match(_dedupe((a, p, v, h) for a, p, v, _, h in pred),
                            _dedupe((a, p, v, h) for a, p, v, _, h, *_ in g)),
        }
        ev.per_article[source] = scores
        for f in FIELDS:
            ev.total[f].add(scores[f])
    return ev
