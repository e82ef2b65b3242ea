"""Where the article body lies in a page's text: from the first paragraph of prose
to the last one before the page furniture (FAQ, related articles, comments)."""
import re
import unicodedata
from collections import Counter

from . import lexicon

_SENTENCE_END = re.compile(r"[.!?…。](?:[\"'”’)\]]*)(?:\s|$)")


def _script(line):
    """The dominant Unicode script of a line's letters (first word of the character name)."""
    c = Counter(unicodedata.name(ch, "X").split()[0] for ch in line if ch.isalpha())
    return c.most_common(1)[0][0] if c else None


def _is_prose(line):
    words = line.split()
    return (len(words) >= 15 and _SENTENCE_END.search(line)) or len(words) >= 30


def lines_with_offsets(text):
    pos = 0
    for raw in text.split("\n"):
        yield pos, raw
        pos += len(raw) + 1


def find_body(text) -> tuple[int, int]:
    """[start, end) of the body; the whole text (trimmed) when no prose is found.

    Lines of page furniture ("Share:", "Related Articles", "Frequently Asked
    Questions") cut the page into segments; the body is the run of prose in the
    segment holding the most of it, in the page's main script."""
    stops = lexicon.load()["body-stops"]
    lines = list(lines_with_offsets(text))
    prose = [ln for _, ln in lines if _is_prose(ln)]
    if not prose:
        start = len(text) - len(text.lstrip())
        return start, max(start + 1, len(text.rstrip()))
    script = Counter(_script(ln) for ln in prose).most_common(1)[0][0]
    segments, current = [], []
    for o, ln in lines:
        s = ln.strip().lower()
        if s and len(s) < 80 and any(s.startswith(w) for w in stops):
            segments.append(current)
            current = []
        elif _is_prose(ln) and _script(ln) == script:
            current.append((o, ln))
    segments.append(current)
    best = max(segments, key=lambda seg: sum(len(ln) for _, ln in seg))
    (o1, l1), (o2, l2) = best[0], best[-1]
    return o1 + len(l1) - len(l1.lstrip()), o2 + len(l2.rstrip())
