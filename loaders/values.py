"""Reading the values and horizons annotations write ("~1T", "93B-154B", "2-3 weeks")."""
import re
from decimal import Decimal, InvalidOperation

_SCALE = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
_NUMBER = r"\$?\s*(\d+(?:\.\d+)?)\s*([KMBT]?)"
_RANGE = re.compile(rf"^{_NUMBER}\s*-\s*{_NUMBER}$")
_SINGLE = re.compile(rf"^(~|>=|<=|>|<)?\s*{_NUMBER}$")


class ValueSyntaxError(ValueError):
    pass


def _number(digits, suffix):
    try:
        return Decimal(digits) * _SCALE[suffix]
    except (InvalidOperation, KeyError):
        raise ValueSyntaxError(f"malformed number {digits}{suffix}") from None


def _normal(d):
    # Decimal("5E+12") would serialise as 5E+12; keep plain digits.
    d = d.normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral() else d


def parse_quantity(text):
    """A dict with value, lower, upper (Decimals or None), approximate and money flags."""
    raw = str(text).strip()
    money = "$" in raw
    m = _RANGE.match(raw)
    if m:
        lo, hi = _number(m[1], m[2] or m[4]), _number(m[3], m[4])
        if not m[2] and m[4]:
            # "1.5-2T": the suffix of the upper bound covers both
            lo = _number(m[1], m[4])
        if lo > hi:
            raise ValueSyntaxError(f"range {raw!r} has its lower bound above its upper bound")
        return {"value": None, "lower": _normal(lo), "upper": _normal(hi), "approximate": False, "money": money}
    m = _SINGLE.match(raw)
    if not m:
        raise ValueSyntaxError(
            f"cannot read {raw!r} as a quantity (write 0.5T, ~1T, 93B-154B, >1T, $1B)")
    op, n = m[1] or "", _normal(_number(m[2], m[3]))
    out = {"value": None, "lower": None, "upper": None, "approximate": op == "~", "money": money}
    if op in ("", "~"):
        out["value"] = n
    elif op.startswith(">"):
        out["lower"] = n
    else:
        out["upper"] = n
    return out


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_QUARTER = re.compile(r"^(\d{4})-(Q[1-4]|H[12])$")


def parse_date(text):
    """(lexical form, xsd datatype local name) for YYYY, YYYY-MM, YYYY-MM-DD; YYYY-Qn/Hn keep the year."""
    raw = str(text).strip()
    m = _DATE.match(raw)
    if m:
        if m[3]:
            return raw, "date"
        if m[2]:
            if not 1 <= int(m[2]) <= 12:
                raise ValueSyntaxError(f"month out of range in {raw!r}")
            return raw, "gYearMonth"
        return raw, "gYear"
    m = _QUARTER.match(raw)
    if m:
        return m[1], "gYear"
    raise ValueSyntaxError(f"cannot read {raw!r} as a date (write 2024, 2024-03, 2024-03-15 or 2023-Q4)")


_UNIT_DAYS = {"day": 1, "week": 7}
_HORIZON = re.compile(r"^(\d+)(?:\s*-\s*(\d+))?\s*(day|week|month|year)s?$")


def parse_horizon(text):
    """(shortest, longest) xsd:duration lexical forms for '12 months', '2-3 weeks', '2 years'."""
    raw = str(text).strip().lower()
    m = _HORIZON.match(raw)
    if not m:
        raise ValueSyntaxError(f"cannot read horizon {raw!r} (write '12 months', '2-3 weeks', '2 years')")
    lo, hi, unit = int(m[1]), int(m[2] or m[1]), m[3]
    if lo > hi:
        raise ValueSyntaxError(f"horizon {raw!r} runs backwards")

    def dur(n):
        if unit in _UNIT_DAYS:
            return f"P{n * _UNIT_DAYS[unit]}D"
        return f"P{n}{'M' if unit == 'month' else 'Y'}"
    return dur(lo), dur(hi)
