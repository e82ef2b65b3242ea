"""The body cut into sentences, with offsets into the article text."""
import re
from dataclasses import dataclass

# A sentence ends at . ! ? (and closing quotes) followed by space and a capital, a
# quote or a digit; not after an initial ("Alan D. Thompson") or a short abbreviation.
_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9@])")
_ABBREV = re.compile(r"(?:^\s*\d{1,2}|\b[A-Z]|\b(?:e\.g|i\.e|vs|est|approx|Mr|Ms|Dr|St|Inc|Ltd|Corp|No|U\.S|etc))\.$")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int      # index of the line (paragraph) holding it
    heading: str        # the nearest short line above the paragraph, the section's title


def split(text, body_start, body_end) -> list[Sentence]:
    out, pos, para, heading = [], body_start, 0, ""
    for line in text[body_start:body_end].split("\n"):
        stripped = line.strip()
        if stripped:
            para += 1
            cells = line.count("|") >= 2
            pieces = [(0, len(line))] if cells else _pieces(line)
            for a, b in pieces:
                seg = line[a:b]
                lead = len(seg) - len(seg.lstrip())
                seg = seg.strip()
                if seg:
                    out.append(Sentence(pos + a + lead, pos + a + lead + len(seg), seg, para, heading))
            if len(stripped.split()) <= 12 and not stripped.endswith((".", "!", "?")) and not cells:
                heading = stripped
        pos += len(line) + 1
    return out


def _pieces(line):
    start = 0
    for m in _END.finditer(line):
        if _ABBREV.search(line[start:m.start()]):
            continue
        yield start, m.start()
        start = m.end()
    yield start, len(line)
