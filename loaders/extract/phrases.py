"""Claims one phrase makes about the model or lab named next to it: "has never
disclosed the size", "a distilled version", "codenamed 'Capybara'", "larger than",
"surpassing", "on par with", "multimodal from the ground up". The phrases are the lexicon's (phrases: in data/extraction/lexicon.yaml)."""
import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon


@dataclass
class Phrase:
    start: int
    end: int
    kind: str              # undisclosed, distilled, codename, larger-than
    value: str | None = None     # the codename, the capability's words
    compares: bool = False       # a capability that holds only if a model is named in its clause


_QUOTED = re.compile(r"\s*[\"“‘']([^\"”’']{1,40})[\"”’']|\s+([A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)")


def find(text, start, end) -> list[Phrase]:
    lex = lexicon.load()
    out = []
    sentence = text[start:end]
    for m in _rx("undisclosed").finditer(text, start, end):
        # only about size: "never disclosed the size of its models", "declined to reveal parameter counts"
        if _rx("undisclosed-objects").search(text, m.end(), min(end, m.end() + 50)):
            out.append(Phrase(m.start(), m.end(), "undisclosed"))
    for m in _rx("distilled").finditer(text, start, end):
        out.append(Phrase(m.start(), m.end(), "distilled"))
    for kind in ("capability-comparisons", "capability"):
        for m in _rx(kind).finditer(text, start, end):
            if any(p.kind == "capability" and p.start == m.start() for p in out):
                continue      # "in the same tier as GPT-4" read once, as the comparison
            # the verdict runs to the end of its clause: "in the same competitive tier as GPT-4"
            clause = re.match(r"[^,;.()\n]{0,80}", text[m.end():end])[0]
            out.append(Phrase(m.start(), m.end() + len(clause.rstrip()), "capability", (m[0] + clause).strip(),
                              compares=kind == "capability-comparisons"))
    for m in _rx("codename").finditer(text, start, end):
        v = _QUOTED.match(text, m.end(), end)
        if v:
            out.append(Phrase(m.start(), v.end(), "codename", (v[1] or v[2]).strip()))
    # size comparisons need a sentence about size: "surpasses Opus in coding" is no size
    if lex.cue("parameter-words").search(sentence) or re.search(r"\d(?:\.\d+)?\s*(?:T|B|trillion|billion)\b", sentence):
        for m in _rx("larger-than").finditer(text, start, end):
            if not re.search(r"\b(?:not|no|never)\s+(?:\w+\s+)?$", text[max(start, m.start() - 15):m.start()]):
                out.append(Phrase(m.start(), m.end(), "larger-than"))
    return sorted(out, key=lambda p: p.start)


@lru_cache(maxsize=None)
def _rx(kind):
    return lexicon.alternation(lexicon.load()["phrases"][kind])
