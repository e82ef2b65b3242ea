"""Mixture-of-experts figures in news text: "16 experts", "thousands of experts",
"2 out of 128 or 256" experts, "256 x 20B experts", "an 8x7B MoE"."""
import re
from dataclasses import dataclass
from decimal import Decimal

from . import lexicon
from .quantities import _SCALE, format_value


@dataclass
class Figure:
    start: int
    end: int
    property: str          # expert-count, active-expert-count, expert-parameters
    value: str
    number: tuple          # (lower, upper)
    phrase: tuple = (0, 0)  # the whole phrase ("2 out of 128 or 256"), for the quote


_RX = None


def _patterns():
    lex = lexicon.load()
    words = "|".join(map(re.escape, sorted(lex["number-words"], key=len, reverse=True)))
    vague = "|".join(map(re.escape, sorted(lex["vague-counts"], key=len, reverse=True)))
    experts = "|".join(map(re.escape, lex["expert-words"]))
    n = rf"(?:\d{{1,5}}|{words})"
    return {
        # "256 x 20B experts", "8x7B": a count of experts, each of a size
        "shape": re.compile(r"(?<![\w.])(\d{1,4})\s*[x×]\s*(\d+(?:\.\d+)?)\s*([BMT])(?![\w])"),
        # "2 out of 128 or 256": the active experts of a larger pool
        "out-of": re.compile(rf"(?<![\w.])({n})\s+(?:out\s+)?of\s+(?:the\s+|its\s+)?(\d{{1,5}})((?:\s*(?:,|or|and)\s*\d{{1,5}})*)"
                             rf"(?![\w]|\.\d)", re.IGNORECASE),
        # "16 experts", "128 routed experts", "thousands of experts"
        "count": re.compile(rf"(?<![\w.])(?:({vague})\s+of|({n}))\s+(?:[\w-]+\s+){{0,2}}?(?:{experts})(?![\w])",
                            re.IGNORECASE),
    }


def find(text, start, end) -> list[Figure]:
    """Expert figures in text[start:end]; only where the text speaks of experts or MoE."""
    global _RX
    if _RX is None:
        _RX = _patterns()
    lex = lexicon.load()
    span = text[start:end]
    if not lex.cue("moe-cues").search(span):
        return []
    numbers = {k.lower(): v for k, v in lex["number-words"].items()}
    active = lex.cue("active-expert-cues")
    out = []

    def count(s):
        s = s.lower()
        return Decimal(s) if s.isdigit() else Decimal(numbers[s])

    def add(a, b, prop, lo, op=""):
        if not any(f.start <= a < f.end for f in out):
            out.append(Figure(a, b, prop, format_value(lo, lo, op), (lo, lo), (a, b)))

    for m in _RX["shape"].finditer(text, start, end):
        n, size = Decimal(m[1]), Decimal(m[2]) * _SCALE[m[3].upper()]
        out.append(Figure(m.start(), m.end(), "expert-count", format_value(n, n), (n, n), m.span()))
        out.append(Figure(m.start(), m.end(), "expert-parameters", format_value(size, size), (size, size), m.span()))
    for m in _RX["out-of"].finditer(text, start, end):
        # only where experts are the thing counted, close by
        if not lex.cue("expert-words").search(text[max(start, m.start() - 120):min(end, m.end() + 30)]):
            continue
        n = count(m[1])
        out.append(Figure(m.start(1), m.end(1), "active-expert-count", format_value(n, n), (n, n), m.span()))
        for k in re.finditer(r"\d+", text[m.start(2):m.end()]):
            n = Decimal(k[0])
            out.append(Figure(m.start(2) + k.start(), m.start(2) + k.end(), "expert-count", format_value(n, n), (n, n),
                              m.span()))
    for m in _RX["count"].finditer(text, start, end):
        if m[1]:
            n, op = Decimal(lex["vague-counts"][m[1].lower()]), ">"
        else:
            n, op = count(m[2]), ""
        after = re.split(r"[,;:.()]", text[m.end():min(end, m.end() + 25)])[0]
        if lex.cue("speech-verbs").match(after.strip()):
            continue      # "three experts said": people
        if lex.cue("expert-count-exclusions").search(m[0]):
            continue      # "one shared expert" sits beside the routed pool
        near = text[max(start, m.start() - 15):m.start()] + " " + m[0] + " " + after
        prop = "active-expert-count" if active.search(near) else "expert-count"
        add(m.start(), m.end(), prop, n, op)
    return sorted(out, key=lambda f: (f.start, f.property))
