"""A unit's own total ("X中心的预算收入", "X医院收入预算一共多少"): the unit's row in the table of that whole.

A question that names one of the department's units (单位) and, as its subject, nothing but a whole — 收入 or
支出, with words that only say it is this year's budget total (本年, 预算, 合计, 总计, 一共…) — asks for the
unit's row in a table titled for that whole (收入总表, 支出预算总表 …), in its total column. Used when the
ordinary reading was rejected (it found the department's or the narrative's total, not the unit's).
Handles: one unit, one whole, a table whose title names the whole and no qualifier the question lacks
(财政拨款, 一般公共预算, 政府性基金 …). Does not handle: a part of a unit's total (其中事业收入: the column of
that part), several units at once, a unit printed on several rows, or last year's column.
"""
from __future__ import annotations

import re

from . import compute as N
from .understand import clean_label, match_form, past_column

_WHOLE = re.compile(r"^(?:本年度?|今年|全年|年度)?(?:预算)?(收入|支出)(?:预算)?(?:合计|总计|总额|总数|总)?(?:预算)?$")
_QUALIFIED = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本|基本支出|项目支出|三公|上年")
_TOTAL_COLUMN = re.compile(r"^(?:合计|总计|本年收入合计|本年支出合计|收入合计|支出合计|小计)$")


def whole_asked(subject: str) -> str | None:
    """'收入' / '支出' when the subject is nothing but that whole ("本年预算收入", "收入预算", "支出合计")."""
    m = _WHOLE.match(match_form(subject).replace("政府性基金", "#"))
    return m.group(1) if m else None


def unit_total(ctx, entity: str, subject: str, q: str):
    """The unit's total cell (a Fact) in the one table that is the whole's own, or None when not one figure."""
    word = whole_asked(subject)
    if word is None or not entity:
        return None
    key = match_form(entity)
    found = {}
    for t in ctx.parsed.tables:
        title = match_form(t.title)
        if word not in title or any(k not in q for k in _QUALIFIED.findall(title)):
            continue
        cells = [f for f in ctx.parsed.facts if f.table == t.id and match_form(clean_label(f.row)) == key
                 and not past_column(f.column, t.columns) and f.value is not None]
        if len({f.row_index for f in cells}) != 1:
            continue                 # the unit on no row, or on several (a breakdown by item): not one figure
        total = [f for f in cells if _TOTAL_COLUMN.match(match_form(f.column.split("·")[-1])) and
                 len(f.column.split("·")) == 1] or cells[:1]
        found[t.id] = total[0]
    values = {f.value for f in found.values()}
    return next(iter(found.values())) if len(values) == 1 else None


def answer(qq, plan, found):
    """The unit's total as an answer, for a plan of one unit (`plan.entity`, not the department) and one whole
    worded as the question words it; None otherwise."""
    from .check import is_department
    if not plan.entity or len(plan.operands) != 1 or not set(found) <= {"sum"} or is_department(qq.ctx, plan.entity):
        return None
    a, b = plan.operands[0].span
    f = unit_total(qq.ctx, plan.entity, qq.q[a:b], qq.q)
    if f is None:
        return None
    what = f"{plan.entity}（{qq.ctx.titles.get(f.table, f.table)}·{f.column}）"
    return qq.done(f"{what}为 **{N.show(f.value, f.unit)}{f.unit}**。", f"{what}: **{N.show(f.value, f.unit)} {f.unit}**.",
                   value=f.value, unit=f.unit, citations=(qq.ctx.fact_citation(f),), intent="value",
                   subject=plan.entity, value_str=N.plain(f.value, f.unit))
