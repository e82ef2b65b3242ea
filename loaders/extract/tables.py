"""Markdown-style tables in article text ("| Model | Parameter Count (T) | ..."):
rows with cell offsets, and what each column holds."""
import re
from dataclasses import dataclass

_UNIT = re.compile(r"\((T|B|M)\)|\b(trillion|billion|million)s?\b", re.IGNORECASE)
_UNITS = {"t": "T", "b": "B", "m": "M", "trillion": "T", "billion": "B", "million": "M"}


@dataclass
class Cell:
    start: int
    end: int
    text: str


@dataclass
class Column:
    property: str | None      # total-parameters, active-parameters, architecture, or None
    unit: str | None          # T, B, M from the header, for bare numbers


def cells(text, start, end) -> list[Cell]:
    out, pos = [], start
    parts = text[start:end].split("|")
    for i, part in enumerate(parts):
        if 0 < i < len(parts) - 1 or (part.strip() and i in (0, len(parts) - 1)):
            lead = len(part) - len(part.lstrip())
            out.append(Cell(pos + lead, pos + lead + len(part.strip()), part.strip()))
        pos += len(part) + 1
    return [c for c in out if c.text or True]


def is_separator(row_text):
    return bool(re.fullmatch(r"[\s|:\-]+", row_text))


def column(header: str) -> Column:
    h = header.lower()
    m = _UNIT.search(header)
    unit = _UNITS[(m[1] or m[2]).lower()] if m else None
    if "param" in h or "size" in h:
        return Column("active-parameters" if "activ" in h else "total-parameters", unit)
    if "architect" in h or "design" in h or "type" in h:
        return Column("architecture", None)
    return Column(None, unit)


def tables(sentences):
    """Groups of consecutive table-row sentences: (header row, data rows)."""
    group = []
    for s in sentences + [None]:
        if s is not None and s.text.startswith("|") and s.text.count("|") >= 3:
            group.append(s)
            continue
        if len(group) >= 2:
            rows = [r for r in group if not is_separator(r.text)]
            if len(rows) >= 2:
                yield rows[0], rows[1:]
        group = []
