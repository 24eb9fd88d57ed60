"""The numeric tool: exact `Decimal` arithmetic over cited operands, each result with its formula.

Every operation takes `Operand`s (a label, a value, a unit and the citation it was read from) and returns a
`Result` whose formula shows every operand as printed ("5,008.06 ÷ 7,600.53 × 100% = 65.89%"). Amounts are
converted to a common unit first (元/万元/亿元); results are rounded half up to 2 decimals as the documents
round. Nothing here decides which operands to use; see `rollup_free` for keeping 合计/小计 rows out of sums.
`stated_count` reads a count written in words ("内设十个机构") from a sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from index.models import Fact, convert, fmt_amount, round2

from .answer import Citation

MONEY = ("元", "万元", "亿元")


@dataclass(frozen=True)
class Operand:
    label: str
    value: Decimal
    unit: str
    citation: Citation | None = None


@dataclass(frozen=True)
class Result:
    value: Decimal
    unit: str
    formula: str
    operands: tuple[Operand, ...]

    @property
    def text(self) -> str:
        return show(self.value, self.unit)


_PRINTED = re.compile(r"\d[\d,]*(?:\.\d+)?")


def printed_as(value: Decimal, text: str) -> str | None:
    """`value` as `text` prints it ("42,492.31" for 42492.31), or None when the text does not print it."""
    for m in _PRINTED.findall(text):
        bare = m.replace(",", "")
        if bare.replace(".", "", 1).isdigit() and Decimal(bare) == value:
            return m
    return None


def show(value: Decimal, unit: str) -> str:
    """How a figure is written in answers: amounts and percents with 2 decimals, counts as integers."""
    if unit in ("个", "项", "台", "辆", "人"):
        return f"{value:,.0f}"
    if unit == "元" and value == value.to_integral_value():
        return f"{value:,.0f}".replace(",", "")
    return fmt_amount(value)


def plain(value: Decimal, unit: str) -> str:
    """The contract's `value` string: as the answer states it, without thousands separators."""
    return show(value, unit).replace(",", "")


def _common(operands: list[Operand]) -> tuple[list[Decimal], str]:
    units = {o.unit for o in operands}
    if len(units) == 1:
        return [o.value for o in operands], operands[0].unit
    if units <= set(MONEY):
        target = "万元" if "万元" in units else sorted(units)[0]
        return [convert(o.value, o.unit, target) for o in operands], target
    raise ValueError(f"cannot combine units {sorted(units)}")


def total(operands: list[Operand]) -> Result:
    vals, unit = _common(operands)
    s = sum(vals, Decimal(0))
    formula = " + ".join(show(v, unit) for v in vals) + f" = {show(s, unit)}{unit}"
    return Result(s, unit, formula, tuple(operands))


def difference(a: Operand, b: Operand) -> Result:
    (va, vb), unit = _common([a, b])
    d = va - vb
    return Result(d, unit, f"{show(va, unit)} − {show(vb, unit)} = {show(d, unit)}{unit}", (a, b))


def share(part: Operand, whole: Operand) -> Result:
    (vp, vw), unit = _common([part, whole])
    if vw == 0:
        raise ZeroDivisionError("denominator is zero")
    r = round2(vp / vw * 100)
    return Result(r, "%", f"{show(vp, unit)} ÷ {show(vw, unit)} × 100% = {show(r, '%')}%", (part, whole))


def ratio(a: Operand, b: Operand) -> Result:
    (va, vb), unit = _common([a, b])
    if vb == 0:
        raise ZeroDivisionError("denominator is zero")
    r = round2(va / vb)
    return Result(r, "倍", f"{show(va, unit)} ÷ {show(vb, unit)} = {show(r, '倍')}", (a, b))


def per_unit(amount: Operand, count: Operand) -> Result:
    """An amount shared over a count ("1,024.69万元 ÷ 50辆 = 20.49万元/辆"), in the amount's unit."""
    if not count.value:
        raise ZeroDivisionError("count is zero")
    r = round2(amount.value / count.value)
    return Result(r, amount.unit, f"{show(amount.value, amount.unit)}{amount.unit} ÷ {count.value}{count.unit} = "
                  f"{show(r, amount.unit)}{amount.unit}/{count.unit}", (amount, count))


def growth(new: Operand, old: Operand) -> Result:
    (vn, vo), unit = _common([new, old])
    if vo == 0:
        raise ZeroDivisionError("base is zero")
    r = round2((vn - vo) / vo * 100)
    return Result(r, "%", f"({show(vn, unit)} − {show(vo, unit)}) ÷ {show(vo, unit)} × 100% = {show(r, '%')}%",
                  (new, old))


def to_unit(a: Operand, unit: str) -> Result:
    v = convert(a.value, a.unit, unit)
    factor = convert(Decimal(1), a.unit, unit)
    op = "×" if factor >= 1 else "÷"
    k = factor if factor >= 1 else 1 / factor
    v = v if unit == "元" else round2(v)
    return Result(v, unit, f"{show(a.value, a.unit)}{a.unit} {op} {k:,.0f} = {show(v, unit)}{unit}", (a,))


def previous_year(this_year: Operand, delta: Operand) -> Result:
    v = this_year.value - delta.value
    return Result(v, this_year.unit, f"{show(this_year.value, this_year.unit)} − ({show(delta.value, delta.unit)}) "
                  f"= {show(v, this_year.unit)}{this_year.unit}" if delta.value < 0 else
                  f"{show(this_year.value, this_year.unit)} − {show(delta.value, delta.unit)} = "
                  f"{show(v, this_year.unit)}{this_year.unit}", (this_year, delta))


def rollup_free(facts: list[Fact]) -> list[Fact]:
    """Drop total rows and any row whose ancestor is also in the list, so nothing is counted twice."""
    keep = [f for f in facts if not f.is_total]
    labels = {(f.table, f.row) for f in keep}
    out = []
    for f in keep:
        if any((f.table, anc) in labels for anc in f.path):
            continue
        out.append(f)
    return out


_CN_DIGIT = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_COUNTED = re.compile(r"(\d+|[零一二两三四五六七八九十百]+)(个|家|项|人|名|辆|台)([\u4e00-\u9fff]{2,6})")


def cn_number(text: str) -> int | None:
    """'十' → 10, '二十七' → 27, '一百零五' → 105, '46' → 46; None when it is not a number."""
    if text.isdigit():
        return int(text)
    total, cur = 0, 0
    for ch in text:
        if ch in _CN_DIGIT:
            cur = _CN_DIGIT[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


def stated_count(sent: str, q: str) -> tuple[int, str] | None:
    """A count the sentence states of the very thing the question counts ("内设十个机构" for 多少个机构)."""
    found = []
    for m in _COUNTED.finditer(sent):
        noun = m.group(3)
        if noun[:2] in q and (m.group(2) in q or "几" in q or "多少" in q):
            n = cn_number(m.group(1))
            if n is not None:
                found.append((n, {"家": "个", "名": "人"}.get(m.group(2), m.group(2))))
    return found[0] if len(set(found)) == 1 else None
