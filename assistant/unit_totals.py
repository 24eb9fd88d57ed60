"""A unit's own total ("X中心的预算收入", "X医院收入预算一共多少"): the unit's row in the table of that whole.

A question that names one of the department's units (单位) and, as its subject, nothing but a whole — 收入 or
支出, with words that only say it is this year's budget total (本年, 预算, 合计, 总计, 一共…) — asks for the
unit's row in a table titled for that whole (收入总表, 支出预算总表 …), in its total column. Used when the
ordinary reading was rejected (it found the department's or the narrative's total, not the unit's).
Handles: one unit, one whole, a table whose title names the whole and no qualifier the question lacks
(财政拨款, 一般公共预算, 政府性基金 …). Does not handle: a part of a unit's total (其中事业收入: the column of
that part), a unit printed on several rows, or last year's column.

`compare` does the arithmetic between such totals: two units' ratio or difference ("A的收入预算是B的多少倍"),
several units' sum, one unit's share of the department's own total in the same table ("X的预算在整个部门预算中
占比"). A bare "预算" is the unit's 收入 total and its 支出 total only when the two agree.
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


def unit_total(ctx, entity: str, subject: str, q: str, word: str | None = None):
    """The unit's total cell (a Fact) in the one table that is the whole's own, or None when not one figure."""
    word = word or whole_asked(subject)
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
    word = whole_asked(qq.q[a:b])
    if word is None and not _BARE_BUDGET.match(qq.q[a:b]):
        return None
    # "预算总共多少" read as 支出合计: the citizen named neither 收入 nor 支出, the unit's budget is either total
    f = _unit_cell(qq.ctx, plan.entity, word if word and word in match_form(qq.text) else None, qq.q)
    if f is None:
        return None
    return _cell_answer(qq, plan.entity, f)


def _cell_answer(qq, unit: str, f):
    """The unit's total cell as the answer, its table and column named."""
    what = f"{unit}（{qq.ctx.titles.get(f.table, f.table)}·{f.column}）"
    return qq.done(f"{what}为 **{N.show(f.value, f.unit)}{f.unit}**。", f"{what}: **{N.show(f.value, f.unit)} {f.unit}**.",
                   value=f.value, unit=f.unit, citations=(qq.ctx.fact_citation(f),), intent="value",
                   subject=unit, value_str=N.plain(f.value, f.unit))


# the department's budget as a whole, said without 收入 or 支出 ("X的预算", "部门预算总额")
_BARE_BUDGET = re.compile(r"^(?:本年度?|今年|全年|年度|部门)?(?:预算|经费|盘子)(?:总额|总数|合计|总计|资金|规模)?$")
_OPS = ("ratio", "difference", "sum", "share")


def compare(qq, plan, found):
    """Arithmetic between units' own totals (see the module's note), or None when the plan asks anything else."""
    from .check import entity_of, is_department
    ctx = qq.ctx
    op = plan.operation
    if op not in _OPS or op not in found or plan.leftover or _OTHER_ASKED.search(re.sub(r"几倍|百分之几|几成", "", qq.text)):
        return None               # (budgets compared: not staff or beds)
    units = list(dict.fromkeys(u for m in sorted(qq.mentions, key=lambda m: m.start)
                               if (u := entity_of(ctx, m)) and not is_department(ctx, u)))
    words = set()
    for r in plan.operands:
        said = qq.q[r.span[0]:r.span[1]]
        if any(match_form(u) == match_form(r.subject) or match_form(u) == said for u in units):
            continue                     # the unit named as the operand itself
        word = whole_asked(said) or whole_asked(r.subject)
        if word is None and not _BARE_BUDGET.match(said):
            return None                  # an item of the units' budgets, not their totals
        words.add(word if word and word in match_form(qq.text) else None)
    if len(words - {None}) > 1:
        return None
    word = next(iter(words - {None}), None)
    cells = [_unit_cell(ctx, u, word, qq.q) for u in units]
    if not units or any(c is None for c in cells):
        return None
    ops = [N.Operand(u, c.value, c.unit, ctx.fact_citation(c)) for u, c in zip(units, cells)]
    if op == "sum" and len(ops) >= 2:
        r = N.total(ops)
        names = "、".join(units)
        return _done(qq, f"{names}合计 **{r.text}{r.unit}**。", f"{names} together: **{r.text} {r.unit}**.",
                     r, "sum", value=r.value, unit=r.unit)
    if op in ("ratio", "difference") and len(ops) == 2:
        a, b = ops
        if op == "ratio" and b.value:
            r = N.ratio(a, b)
            return _done(qq, f"{a.label}是{b.label}的 **{N.show(r.value, '倍')}倍**。",
                         f"{a.label} is **{N.show(r.value, '倍')} times** {b.label}.", r, "ratio",
                         value=r.value, unit=None, value_str=N.plain(r.value, "%"))
        if op == "difference":
            r = N.difference(a, b)
            mag, more = abs(r.value), r.value >= 0
            return _done(qq, f"{a.label}比{b.label}{'多' if more else '少'} **{N.show(mag, r.unit)}{r.unit}**。",
                         f"{a.label} is **{N.show(mag, r.unit)} {r.unit}** {'more' if more else 'less'} than {b.label}.",
                         r, "difference", value=mag, unit=r.unit)
    if op == "share" and len(ops) == 1:
        from .check import _DEPT_WHOLE
        named = [m for m in qq.mentions if entity_of(ctx, m) == units[0]]
        # what the unit's figure is a share of: after it ("X在整个部门预算中占比"; in English anywhere: "What
        # share of the department budget goes to X")
        rest = ("".join(qq.q[:m.start] + qq.q[m.end:] for m in named[:1]) if qq.en else
                qq.q[max(m.end for m in named):]) if named else ""
        whole = _department_total(ctx, cells[0])
        said_whole = _DEPT_WHOLE.search(rest) or (qq.en and re.search(r"department|whole|entire|overall|total", rest)) \
            or (ctx.doc.department and match_form(ctx.doc.department) in rest)
        if whole is None or not said_whole:
            return None
        w = N.Operand(ctx.doc.department or "部门合计", whole.value, whole.unit, ctx.fact_citation(whole))
        if not w.value:
            return None
        r = N.share(ops[0], w)
        return _done(qq, f"{ops[0].label}占{w.label}（{ctx.titles.get(whole.table, whole.table)}合计）的 "
                         f"**{N.show(r.value, '%')}%**。", f"{ops[0].label} is **{N.show(r.value, '%')}%** of {w.label}.",
                     r, "share", value=r.value, unit="%")
    return None


def _unit_cell(ctx, unit: str, word: str | None, q: str):
    """The unit's total for `word` (收入/支出); for a bare 预算 the 收入 and 支出 totals when they agree."""
    if word:
        return unit_total(ctx, unit, "", q, word)
    cells = [unit_total(ctx, unit, "", q, w) for w in ("收入", "支出")]
    found = [c for c in cells if c is not None]      # (a unit's 收入 total is its 支出 total: either will do)
    return found[0] if found and len({c.value for c in found}) == 1 else None


def _department_total(ctx, cell):
    """The 合计 row of the unit's own table, in the unit's column: the department's own total."""
    rows = [f for f in ctx.parsed.facts if f.table == cell.table and f.column == cell.column and f.is_total
            and f.side == cell.side and re.fullmatch(r"合计|总计|收入合计|支出合计|总合计", match_form(clean_label(f.row)))]
    return rows[0] if len({f.value for f in rows}) == 1 else None


def _done(qq, zh, en, r, intent, value, unit, value_str=None):
    import dataclasses
    ans = qq.done(zh, en, value=value, unit=unit or "倍", result=r, intent=intent, subject=r.operands[0].label,
                  citations=tuple(o.citation for o in r.operands if o.citation),
                  **({"value_str": value_str} if value_str else {}))
    return dataclasses.replace(ans, unit=None) if unit is None else ans      # a ratio has no unit of the contract


def _only_unit(qq, plan) -> str | None:
    """The unit a plan names as its one and only subject ("X局今年预算一共多少": the unit's own row), else None."""
    from .check import entity_of, is_department
    if len(plan.operands) != 1:
        return None
    r = plan.operands[0]
    for m in qq.mentions:
        u = entity_of(qq.ctx, m)
        if u and not is_department(qq.ctx, u) and match_form(u) == match_form(r.subject) == qq.q[m.start:m.end]:
            return u          # (named in full: a stretch of another name is no unit)
    return None


def _word_said(qq) -> str | None:
    said = [w for w in ("收入", "支出") if w in match_form(qq.text)]
    return said[0] if len(said) == 1 else None


def unit_alone(qq, plan, ans) -> str | None:
    """Why a figure for a unit named alone is not its budget: the unit's row in several tables (收入总表 512.90,
    项目支出表 321.73) and the figure cited is not its total in the table of the whole (`unit_total`)."""
    unit = _only_unit(qq, plan)
    if unit is None or ans.intent not in ("value", "sum"):
        return None
    whole = _unit_cell(qq.ctx, unit, _word_said(qq), qq.q)
    if whole is not None and ans.value == N.plain(whole.value, whole.unit):
        return None
    key = match_form(unit)
    values = {f.value for f in qq.ctx.parsed.facts if match_form(clean_label(f.row)) == key and f.value is not None
              and not past_column(f.column, qq.ctx.parsed.table(f.table).columns)}
    if whole is None and len(values) <= 1:
        return None
    return f"问题只说了单位“{unit}”，它在几张表中有不同的数字；找到的不是它的收入或支出合计"


_MONEY_ASKED = re.compile(r"预算|经费|收入|支出|资金|多少钱|万元|budget|revenue|income|spend|expenditure", re.I)
_OTHER_ASKED = re.compile(r"几|多少(?:个|名|人|张|辆|台|家|项|次|平方米|床)|人员|人数|床位|编制|面积|数量|how many", re.I)


def unit_budget(qq, plan, found):
    """A unit named alone, its budget asked ("X局今年预算一共多少"): its total in the table of the whole."""
    unit = _only_unit(qq, plan)
    if unit is None or plan.operation not in ("value", "sum") or set(found) - {"value", "sum"} or plan.leftover \
            or not _MONEY_ASKED.search(qq.text) or _OTHER_ASKED.search(qq.text):
        return None           # (its budget asked: not its staff, its beds, or something nothing explains)
    f = _unit_cell(qq.ctx, unit, _word_said(qq), qq.q)
    if f is None:
        return None
    return _cell_answer(qq, unit, f)
