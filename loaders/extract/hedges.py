"""How firmly a sentence states what it says: the hedge cues of the lexicon."""
import re

from . import lexicon

_MONTH_MAY = re.compile(r"\bMay(?=\s+\d)")


def hedge_of(text) -> str | None:
    """The first hedge (in the lexicon's order) with a cue in text, or None."""
    text = _MONTH_MAY.sub("   ", text)     # "May 2025" is a date, not "may"
    for hedge in lexicon.load()["hedges"]:
        if _rx(hedge).search(text):
            return hedge
    return None


_CACHE = {}


def _rx(hedge):
    if hedge not in _CACHE:
        _CACHE[hedge] = lexicon.alternation(lexicon.load()["hedges"][hedge])
    return _CACHE[hedge]


def default():
    return lexicon.load()["default-hedge"]
