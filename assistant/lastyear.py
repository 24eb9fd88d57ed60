"""Last year's figure of an item (the `previous` handler): from the narrative's change statement (this year's
figure less its stated change), or from the table itself: the cell of the same row in the table's last-year column
("2025年预算数·公务接待费" beside "2026年预算数·公务接待费", "上年·合计" beside "当年·合计"). When both are there and
disagree, no figure: both are suggestions.

`column_previous(qq)` gives (operand, this year's fact) for the question's one item, or None. The last-year column
is the one whose header differs from this year's cell's only in its first part (the year or 上年/本年), and
whose first part names last year (never the change: 增减变化, 增长…). A table whose columns have no such pair
gives nothing. Not handled: a last-year figure in another table than this year's.
"""
from __future__ import annotations

import dataclasses
import re

from index.models import Fact

from . import compute as N
from .compose import figure
from .understand import _COL_YEAR, past_column

_CHANGE_HEAD = re.compile(r"增减|变化|变动|增长|下降|增加|减少|比上年|较上年")
_LAST_HEAD = re.compile(r"上年(?!度?(?:结转|结余))|去年|上一年")      # (上年结转结余 is this year's money)
_THIS_HEAD = re.compile(r"本年|当年|今年")


def _split(column: str) -> tuple[str, str]:
    parts = column.split("·")
    return parts[0], "·".join(parts[1:])


def last_year_cell(ctx, f: Fact) -> Fact | None:
    """The cell of `f`'s row in the column that is `f`'s column of last year; None when the table has none."""
    t = ctx.parsed.table(f.table)
    if t is None or past_column(f.column, t.columns):
        return None
    head, tail = _split(f.column)
    years = [int(y) for y in _COL_YEAR.findall(head)]
    this_year = bool(_THIS_HEAD.search(head)) or bool(years)
    if not this_year:
        return None
    wanted = []
    for col in t.columns:
        h, rest = _split(col)
        if rest != tail or col == f.column or _CHANGE_HEAD.search(h):
            continue
        ys = [int(y) for y in _COL_YEAR.findall(h)]
        if (years and ys and max(ys) == max(years) - 1) or (not years and _LAST_HEAD.search(h) and not ys) or \
                (years and not ys and _LAST_HEAD.search(h)):
            wanted.append(col)
    if len(wanted) != 1:
        return None
    return next((g for g in ctx.index.rows.get((f.table, f.row_index, f.side), []) if g.column == wanted[0]), None)


def column_previous(qq) -> tuple[Fact, Fact] | None:
    """(last year's cell, this year's cell) of the one item the question names, from the same table."""
    picks = [p for p in qq.target() if p.facts]
    if len(picks) != 1 or len(picks[0].facts) != 1:
        return None
    f = picks[0].facts[0]
    cells = [(g, h) for h in [f] + picks[0].same if (g := last_year_cell(qq.ctx, h)) is not None]
    if not cells:
        return None
    if len({g.value for g, _ in cells}) != 1:
        return None               # tables disagree on last year's figure: cannot tell which
    return cells[0]


def previous(qq):
    """Last year's figure: the table's last-year column (`lastyear`), or this year's stated figure less its stated
    change; when both are there and differ, no answer (both are shown as suggestions)."""
    from .answer_changes import find_change, this_year_cell
    ch = find_change(qq)
    col = column_previous(qq)
    if ch is not None and ch.value is None and ch.delta is not None and (cell := this_year_cell(qq)) is not None:
        # "2026年预算比2025年预算增加50.32万元": this year's figure is the table's cell of what the question names
        ch = dataclasses.replace(ch, value=cell[0].value, unit=cell[0].unit)
    if ch is None or ch.value is None or ch.delta is None:
        return _from_column(qq, col) if col is not None else None
    if ch.delta == 0 and re.search(r"(?:基本|大体|大致|总体)持平|略有|小幅", ch.quote):
        return _from_column(qq, col) if col is not None else None   # "基本持平": about the same, not the same figure
    ctx = qq.ctx
    cit = ctx.section_citation(ch.section, ch.quote, ch.page)
    if col is not None and _same_amount(col[0].value, col[0].unit, ch.value - ch.delta, ch.unit, tolerance="0.01") \
            and not _same_amount(col[0].value, col[0].unit, ch.value - ch.delta, ch.unit):
        return _from_column(qq, col)      # a cent apart: the two rounded figures of the text; the table prints it
    if col is not None and not _same_amount(col[0].value, col[0].unit, ch.value - ch.delta, ch.unit):
        from .compose import not_found
        sugg = [{"text": f"{col[0].row}（{col[0].column}）", "value": N.plain(col[0].value, col[0].unit),
                 "unit": col[0].unit, "citation": ctx.fact_citation(col[0])},
                {"text": f"{ch.subject}（本年数减“比上年”变化）", "value": N.plain(ch.value - ch.delta, ch.unit),
                 "unit": ch.unit, "citation": cit}]
        return not_found(qq.raw, qq.en, "表中的上年数与正文所述变化推算的上年数不一致", sugg, ctx.doc.id)
    cell = next((f for p in qq.picks() for f in p.facts[:1] if f.value == ch.value and f.unit == ch.unit), None)
    quoted = cit.quote or ""      # (the sentence cited, which may be less than the whole statement)
    stated_here = str(ch.value) in quoted.replace(",", "") or N.show(ch.value, ch.unit) in quoted
    this_cit = cit if stated_here or cell is None else ctx.fact_citation(cell)   # (a change stated alone: the table's)
    this = N.Operand(f"{ch.subject}（本年）", ch.value, ch.unit, this_cit)
    delta = N.Operand("比上年变化", ch.delta, ch.unit, cit)
    r = N.previous_year(this, delta)
    year = f"{ctx.doc.year - 1}年" if ctx.doc.year else "上年"
    name = re.sub(r"^(?:19|20)\d{2}年度?", "", ch.subject)
    name = "部门预算" if name in ("预算", "总预算", "收支预算") else name or ch.subject
    return qq.done(f"{name}{year}为 **{figure(r.value, r.unit)}**（由本年数与“比上年”变化推算）。",
                   f"{name} in {year.rstrip('年')} was **{figure(r.value, r.unit)}** (this year's figure "
                   f"minus the stated change).",
                   value=r.value, unit=r.unit, result=r, citations=(cit,) + ((this_cit,) if this_cit is not cit else ()),
                   intent="previous", subject=ch.subject)


def _same_amount(a, ua: str, b, ub: str, tolerance: str = "0") -> bool:
    """Two amounts are the same figure (in either unit, to the cent of the coarser one, within `tolerance` of
    it); a count and an amount never."""
    from decimal import Decimal

    from index.models import convert
    if ua != ub and (ua not in N.MONEY or ub not in N.MONEY):
        return False
    coarse = max((ua, ub), key=N.MONEY.index) if ua != ub else ua
    x = round(convert(a, ua, coarse), 2) if ua != coarse else a
    y = round(convert(b, ub, coarse), 2) if ub != coarse else b
    return abs(x - y) <= Decimal(tolerance)


def _from_column(qq, col):
    last, now = col
    ctx = qq.ctx
    year = f"{ctx.doc.year - 1}年" if ctx.doc.year else "上年"
    name = qq.picks()[0].name if qq.picks() else last.row
    return qq.done(f"{name}{year}为 **{figure(last.value, last.unit)}**（表中“{last.column}”栏）。",
                   f"{name} in {year.rstrip('年')} was **{figure(last.value, last.unit)}** (the table's "
                   f"“{last.column}” column).", value=last.value, unit=last.unit,
                   citations=(ctx.fact_citation(last),), intent="previous", subject=name,
                   value_str=N.plain(last.value, last.unit))
