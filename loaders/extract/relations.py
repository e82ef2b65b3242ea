"""Relations between models: "half of Sonnet", "one-tenth of Opus", "3x faster than
Opus 4", "twice as fast as Claude 3 Opus", "one-fifth the cost"."""
import re
from dataclasses import dataclass
from decimal import Decimal

from . import lexicon


@dataclass
class Ratio:
    start: int
    end: int
    value: Decimal
    kind: str              # speed-ratio, cost-ratio, parameter-ratio
    approximate: bool = False


def _patterns():
    lex = lexicon.load()
    fr = "|".join(re.escape(f) for f in sorted(lex["fractions"], key=len, reverse=True))
    words = "|".join(re.escape(w) for w in sorted(lex["number-words"], key=len, reverse=True))
    return (re.compile(rf"(?<![\w-])(?P<f>{fr})(?![\w-])", re.IGNORECASE),
            re.compile(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s*(?:x|×|-fold| times)(?![\w])", re.IGNORECASE),
            # "three times faster", "five-fold cheaper"
            re.compile(rf"(?<![\w-])(?P<w>{words})(?:-fold| times)(?![\w])", re.IGNORECASE))


_PATS = None


def _kind(phrase):
    kinds = lexicon.load()["ratio-kinds"]
    for kind in ("speed-ratio", "cost-ratio", "parameter-ratio"):
        if lexicon.alternation(kinds[kind]).search(phrase):
            return kind
    return None


def find(text, start, end) -> list[Ratio]:
    global _PATS
    if _PATS is None:
        _PATS = _patterns()
    fractions = {k.lower(): Decimal(str(v)) for k, v in lexicon.load()["fractions"].items()}
    out = []
    for rx in _PATS:
        for m in rx.finditer(text, start, end):
            after = text[m.end(): min(end, m.end() + 30)]
            # the words that say what is compared: "the size of", "faster than", "the cost"
            phrase = re.split(r"[,;:.]", after)[0]
            kind = _kind(phrase)
            if kind is None:
                # "API costs slashed to one-third": the compared thing comes first
                clause = re.split(r"[,;:.]", text[max(start, m.start() - 30): m.start()])[-1]
                kind = _kind(clause) if _kind(clause) != "parameter-ratio" else None
            if kind is None:
                continue
            if m.groupdict().get("w"):
                value = Decimal(str(lexicon.load()["number-words"][m["w"].lower()]))
                if kind == "parameter-ratio" and not re.match(r"\s+(?:the size|as large|as big|larger|bigger)", after):
                    continue
                if re.match(r"\s*(?:cheaper|less expensive)", after):
                    value, kind = (Decimal(1) / value).quantize(Decimal("0.01")), "cost-ratio"
                elif re.match(r"\s*smaller", after):
                    value = (Decimal(1) / value).quantize(Decimal("0.01"))
            elif m.groupdict().get("f"):
                value = fractions[m["f"].lower()]
                if value >= 1 and kind == "parameter-ratio" and not re.match(r"\s+(?:the size|as large|as big)", after):
                    continue     # "twice" alone is not a size ratio
            else:
                value = Decimal(m["n"])
                if re.match(r"\s*(?:cheaper|less expensive)", after):
                    value, kind = (Decimal(1) / value).quantize(Decimal("0.01")), "cost-ratio"
                elif re.match(r"\s*(?:smaller)", after):
                    value = (Decimal(1) / value).quantize(Decimal("0.01"))
            before = text[max(start, m.start() - 10): m.start()].lower()
            out.append(Ratio(m.start(), m.end() + len(phrase.rstrip()), value, kind,
                             approximate=bool(re.search(r"(about|around|roughly|~)\s*$", before))))
    return sorted(out, key=lambda r: r.start)
