"""Percent and precision arithmetic of the narrative audit (see `index.audit`): the range a printed percent of
change or share may take given the printed amounts (each amount ± half its last digit), the grade of a
printed percent outside it, and a table amount at the precision the narrative states it.
"""
from __future__ import annotations

from decimal import Decimal


def _dec(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


def _places(v: Decimal) -> int:
    e = v.as_tuple().exponent
    return -e if isinstance(e, int) and e < 0 else 0


def _half(v: Decimal, unit: str) -> Decimal:
    """Half a unit of the precision a narrative amount stands for (2 decimals in 万元 even when printed
    shorter: "5.6万元" is 5.60)."""
    p = max(_places(v), 2) if unit in ("万元", "亿元") else _places(v)
    return Decimal(5).scaleb(-p - 1)


def _at_precision_of(table: Decimal, stated: Decimal, unit: str) -> Decimal:
    """A table amount at the precision the narrative states it: "32852.05万元" for 32,852.053832 (a table in
    six decimals), "47,145万元" for 47,145.21 (a narrative in whole 万元) — only when the table value
    rounds to exactly that; otherwise the table's own figure."""
    from ._auditchecks import rnd
    p = _places(stated)
    for places in ((p,) if p == 0 else (max(p, 2) if unit in ("万元", "亿元") else p,)):
        if _places(table) > places and rnd(table, places) == stated:
            return stated
    return table


def _pct_range(value: Decimal, unit: str, *, delta: Decimal | None = None, prev: Decimal | None = None):
    """(lo, mid, hi) of the percent change implied by the printed amounts, or None when not comparable."""
    hv = _half(value, unit)
    if prev is not None:
        hp = _half(prev, unit)
        if prev - hp <= 0:
            return None
        f = lambda v, p: (v - p) / p * 100      # noqa: E731
        corners = [f(value + a, prev + b) for a in (-hv, hv) for b in (-hp, hp)]
        mid = f(value, prev)
    else:
        hd = _half(delta, unit)
        if value - delta - hv - hd <= 0:
            return None
        f = lambda v, d: d / (v - d) * 100      # noqa: E731
        corners = [f(value + a, delta + b) for a in (-hv, hv) for b in (-hd, hd)]
        mid = f(value, delta)
    return min(corners), mid, max(corners)


def _share_range(part: Decimal, whole: Decimal, unit: str):
    hp, hw = _half(part, unit), _half(whole, unit)
    if whole - hw <= 0:
        return None
    f = lambda p, w: p / w * 100      # noqa: E731
    corners = [f(max(part + a, Decimal(0)), whole + b) for a in (-hp, hp) for b in (-hw, hw)]
    return min(corners), f(part, whole), max(corners)


def _grade_pct(printed: Decimal, rng) -> tuple[str, Decimal] | None:
    """(severity, expected) when the printed percent is outside what the amounts allow at its precision."""
    from ._auditchecks import grade, rnd
    lo, mid, hi = rng
    p = _places(printed)
    r_lo, r_hi = rnd(lo, p), rnd(hi, p)
    if r_lo <= printed <= r_hi:
        return None
    expected = r_lo if printed < r_lo else r_hi
    if (printed > 0) != (mid > 0) and printed != 0 and mid != 0:
        return "error", rnd(mid, p)
    sev = grade(printed - expected, Decimal(1).scaleb(-p))
    return (sev, expected) if sev else None
