"""Forecasts and timelines: "within 12 months", "in 2-3 weeks", "by mid-2026"."""
import re
from dataclasses import dataclass

from . import lexicon

_HORIZON = None


def _horizon_rx():
    """"within 12 months", "in 2-3 weeks", "within three months" (the lexicon's number words)."""
    words = "|".join(re.escape(w) for w in sorted(lexicon.load()["number-words"], key=len, reverse=True))
    n = rf"(\d+|{words})"
    return re.compile(
        r"\b(?:within|in|over the next|next|in about|in roughly)\s+[\"“]?(?:about\s+|roughly\s+|around\s+|just\s+)?"
        rf"{n}(?:\s*(?:-|–|to)\s*{n})?\s+(day|week|month|year)s?\b", re.IGNORECASE)
_BY = re.compile(r"\bby\s+(?:the\s+)?(?:(early|mid|late|end of)[- ]?)?(?:(?:the\s+)?(H[12]|Q[1-4])\s+)?((?:19|20)\d\d)\b",
                 re.IGNORECASE)


@dataclass
class Horizon:
    start: int
    end: int
    horizon: str | None = None      # "2-3 weeks"
    by: str | None = None           # "2026", "2026-06"


def find(text, start, end) -> list[Horizon]:
    global _HORIZON
    if _HORIZON is None:
        _HORIZON = _horizon_rx()
    words = {k.lower(): str(v) for k, v in lexicon.load()["number-words"].items()}
    out = []
    for m in _HORIZON.finditer(text, start, end):
        lo, hi, unit = words.get(m[1].lower(), m[1]), m[2] and words.get(m[2].lower(), m[2]), m[3].lower()
        out.append(Horizon(m.start(), m.end(), horizon=f"{lo}-{hi} {unit}s" if hi else f"{lo} {unit}{'s' if lo != '1' else ''}"))
    for m in _BY.finditer(text, start, end):
        season, part, year = (m[1] or "").lower(), (m[2] or "").upper(), m[3]
        quarters = lexicon.load()["season-quarters"]
        if part:
            by = f"{year}-{part}"
        elif season == "mid":
            by = f"{year}-06"
        elif season in quarters:
            by = f"{year}-{quarters[season]}"
        else:
            by = year
        out.append(Horizon(m.start(), m.end(), by=by))
    return sorted(out, key=lambda h: h.start)


def is_forecast(sentence_text) -> bool:
    return bool(lexicon.alternation(lexicon.load()["prediction-cues"]).search(sentence_text))
