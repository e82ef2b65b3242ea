"""Quantities in news text: "0.5T", "500 billion", "~1.8T", "93-154 billion",
"between 1.5T and 2T", "over $1 billion", written back in the annotation format
("0.5T", "~1T", "93B-154B", ">1T", "$1B")."""
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from . import lexicon

_SCALE = {"T": 10**12, "B": 10**9, "M": 10**6, "K": 10**3, "": 1}


@dataclass
class Quantity:
    start: int
    end: int
    text: str
    lower: Decimal
    upper: Decimal
    op: str = ""            # "", "~", ">", "<"
    money: bool = False
    scaled: bool = True     # had a scale word or letter (a bare "7" has not)
    params: bool = False    # "parameters" follows it

    @property
    def value(self) -> str:
        return format_value(self.lower, self.upper, self.op, self.money)


def _fmt(n: Decimal) -> str:
    for suffix in ("T", "B", "M"):
        if abs(n) >= _SCALE[suffix]:
            q = (n / _SCALE[suffix]).normalize()
            s = format(q, "f")
            return (s.rstrip("0").rstrip(".") if "." in s else s) + suffix
    s = format(n.normalize(), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def format_value(lower, upper, op="", money=False) -> str:
    d = "$" if money else ""
    if lower != upper:
        return f"{d}{_fmt(lower)}-{d}{_fmt(upper)}"
    return f"{op}{d}{_fmt(lower)}"


def _num(s):
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def _rx():
    lex = lexicon.load()
    words = sorted((w for w in lex["scales"] if len(w) > 1), key=len, reverse=True)
    letters = "".join(w for w in lex["scales"] if len(w) == 1)
    scale = rf"(?:[ -]?(?:{'|'.join(words)})(?![\w])|[{letters}](?![\w]))"
    num = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    return re.compile(rf"(?<![\w.$])(?P<d>\$)?(?P<n>{num})(?P<s>{scale})?(?![\w]|\.\d)", re.IGNORECASE)


_DASH = re.compile(r"\s?(?:-|–|—|to)\s?$")
_AND = re.compile(r"\s+and\s+$")


def _numbers(text, start, end, scales):
    """Single numbers, then pairs joined into ranges ("93-154 billion", "between 1.5T and 2T")."""
    singles = []
    for m in _QRX.finditer(text, start, end):
        s = (m["s"] or "").strip(" -").lower()
        if s and s not in scales:
            continue
        singles.append((m.start(), m.end(), bool(m["d"]), _num(m["n"]), _SCALE[scales[s]] if s else None, m["n"]))
    out, i = [], 0
    while i < len(singles):
        a = singles[i]
        if i + 1 < len(singles):
            b = singles[i + 1]
            gap = text[a[1]:b[0]]
            between = text[max(start, a[0] - 8):a[0]].lower().endswith("between ")
            if (_DASH.match(gap) and len(gap) <= 4) or (between and _AND.match(gap)):
                out.append((a[0] - (8 if between else 0), b[1], a[2] or b[2], a, b))
                i += 2
                continue
        out.append((a[0], a[1], a[2], a, None))
        i += 1
    return out


_QRX = None


def find(text, start, end) -> list[Quantity]:
    """Scaled quantities (and plain numbers, marked unscaled) in text[start:end]."""
    global _QRX
    if _QRX is None:
        _QRX = _rx()
    lex = lexicon.load()
    scales = {k.lower(): v for k, v in lex["scales"].items()}
    out = []
    for qs, qe, money, a, b in _numbers(text, start, end, scales):
        n1, u1 = a[3], a[4]
        if n1 is None:
            continue
        if b is None:
            if u1 is None and len(a[5]) == 4 and a[5].startswith(("19", "20")):
                continue     # a year
            lo = hi = n1 * (u1 or 1)
        else:
            n2, u2 = b[3], b[4]
            if n2 is None:
                continue
            lo, hi = n1 * (u1 or u2 or 1), n2 * (u2 or u1 or 1)
            if lo > hi:
                continue    # "5-3" is not a range
        q = Quantity(qs, qe, text[qs:qe], lo, hi, money=money, scaled=bool(u1 or (b and b[4])))
        before = text[max(start, q.start - 24): q.start].lower()
        if re.search(r"(?:^|[^\w])(?:" + "|".join(map(re.escape, lex["approximate"])) + r")\s*$", before):
            q.op = "~"
        if re.search(r"(?:^|[^\w])(?:" + "|".join(map(re.escape, lex["lower-bound"])) + r")\s*\$?$", before):
            q.op = ">"
        elif re.search(r"(?:^|[^\w])(?:" + "|".join(map(re.escape, lex["upper-bound"])) + r")\s*\$?$", before):
            q.op = "<"
        if b is not None:
            q.op = ""
        after = text[q.end: min(end, q.end + 30)].lower()
        nxt = re.match(r"[\s-]*(?:\(\w+\)\s*)?([\w%]+)", after)
        word = nxt[1] if nxt else ""
        if word in lex["other-nouns"]:
            continue
        q.params = bool(re.match(r"[\s-]*(?:total |active |activated )?(?:parameter|param)", after))
        out.append(q)
    for m in lex.cue("vague-magnitudes").finditer(text, start, end):
        bound = re.fullmatch(r"(>=|>)?(\d+)([TBM])", lex["vague-magnitudes"][m[0].lower()])
        n = Decimal(bound[2]) * _SCALE[bound[3]]
        q = Quantity(m.start(), m.end(), m[0], n, n, op=bound[1] or "")
        q.params = bool(re.match(r"[\s-]*(?:parameter|param)", text[m.end():end]))
        out.append(q)
    return sorted(out, key=lambda q: q.start)
