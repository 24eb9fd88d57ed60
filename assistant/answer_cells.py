"""Answers read off one named row's own cells: a 明细 row's count column (人数) and its money, and the test that
keeps a 基本支出 table's cell from standing for an item whose whole the narrative states.

Does not handle: counts spread over several rows (those are counted by `answer_counts.count`), an item named in
several 基本支出 rows (refused by `answer_tables._several` first).
"""
from __future__ import annotations

import re

from . import compute as N
from .compose import figure
from .understand import match_form
from .question_words import count_unit

_MONEY_TOO = re.compile(r"多少钱|多少经费|多少资金|金额|花了多少|安排了?多少钱")

def counted_cell(qq):
    """The count a named row prints in its own column ("财政干部培训 … 人数 120 金额 36.56": 多少人 → 120人);
    asked with its money too ("多少钱、多少人"), both, the money as the figure."""
    unit = count_unit(qq.text, qq.q)
    picks = [p for p in qq.picks() if p.facts]
    if unit is None or len(picks) != 1 or len(picks[0].facts) != 1:
        return None
    f0 = picks[0].facts[0]
    cells = qq.ctx.index.rows.get((f0.table, f0.row_index, f0.side), [])
    counts = [f for f in cells if f.unit == unit]
    if len(counts) != 1:
        return None
    c, ctx, name = counts[0], qq.ctx, picks[0].name
    col = c.column.split("·")[-1]
    money = next((f for f in cells if f.unit in N.MONEY), None) if _MONEY_TOO.search(qq.text) else None
    if money is None:
        return qq.done(f"{name}的{col}为 **{N.show(c.value, unit)}{unit}**。",
                       f"{name}: {col} **{N.show(c.value, unit)} {unit}**.", value=c.value, unit=unit,
                       citations=(ctx.fact_citation(c),), intent="count", subject=name, value_str=N.plain(c.value, unit))
    mcol = money.column.split("·")[-1]
    return qq.done(f"{name}：{mcol} **{figure(money.value, money.unit)}**，{col} **{N.show(c.value, unit)}{unit}**。",
                   f"{name}: {mcol} **{figure(money.value, money.unit)}**, {col} **{N.show(c.value, unit)} {unit}**.",
                   value=money.value, unit=money.unit, citations=(ctx.fact_citation(money),), intent="value",
                   subject=name, value_str=N.plain(money.value, money.unit), extra={"with_count": unit})

def narrowed_only(qq, p) -> bool:
    """The item's only cells are in a table its title narrows (基本支出…表) as the question does not, and the
    narrative states the item's figure otherwise ("委托业务费财政拨款预算为2,196.52万元" beside the 基本支出 table's
    5.00): the cell is a part, not the item asked; the statement answers (or nothing does)."""
    ctx, f = qq.ctx, p.facts[0]
    title = match_form(ctx.titles.get(f.table, ""))
    if "基本支出" not in title or re.search(r"基本|项目", qq.q) or f.unit not in N.MONEY:
        return False
    key = match_form(p.name)

    def whole(subject: str) -> bool:     # the item itself ("本部门委托业务费财政拨款预算"), not a part or a neighbour
        s = match_form(subject)
        return key in s and not _ITEM_NOISE.sub("", s.replace(key, "", 1))
    return any(whole(g.subject) and g.unit in N.MONEY and N.convert(g.value, g.unit, f.unit) != f.value
               for g in ctx.index.figures)

_ITEM_NOISE = re.compile(r"本部门|本单位|\d{4}年度?|今年|全年|一般公共预算|财政拨款|预算|安排|支出|合计|共")
