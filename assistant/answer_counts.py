"""Counts and extremes: how many (辆, 人, 个项目: a stated count or the rows of a set counted) and which of a
set is the largest or smallest (哪个项目最大, 基本支出里哪一类最多). Each returns an `Answer` or None; a count is
never a money cell, and the largest of a group is never the group itself.
"""
from __future__ import annotations

import re
from decimal import Decimal

from . import compute as N
from .answer_sets import _ABOVE, _BELOW, scope_rows
from .answer_tables import Q, operand
from .compose import figure
from .scoped import _counts_noun
from .understand import match_form
from .question_words import bigrams, count_unit


_FLOW_WORDS = re.compile(r"购置|购买|采购|新增|新购|添置|计划配置|拟配置|新买|买(?=[几多\d一二三两]|.{0,4}[辆台])")


def _unplaced_count(f) -> bool:
    """A stated count with no subject of its own, or whose number is a year ("2026 辆 0" read out of a
    paragraph whose numbers were printed apart from their words): nothing says what it counts."""
    if not re.search(r"[\u4e00-\u9fff]", f.subject or ""):
        return not re.search(r"[\u4e00-\u9fff]{2}", f.after or "") or 1900 <= f.value <= 2100
    return False


# people counted apart from the staff: a count of them answers only a question that names them
_POPULATION = re.compile(r"离退休|退休|离休|遗属|临时|聘用|劳务派遣|编外|外聘|返聘|借调|见习|遗孀")


def _other_population(f, q: str) -> bool:
    """The figure counts a population the question does not name ("离退休人员956人" for "一共有多少人员")."""
    return any(m.group(0) not in q and m.group(0)[-2:] not in q for m in _POPULATION.finditer(f.subject or ""))


# how people are counted: posts (编制) are not heads (实有, 在职); a figure of the one answers no question of the other
_HEADCOUNT = re.compile(r"编制|实有|在职|在编")


def other_headcount(subject: str, q: str) -> bool:
    """The question counts people one way ("实有多少人") and the figure's subject another ("编制人数1318人")."""
    asked = {m.group(0) for m in _HEADCOUNT.finditer(q)}
    said = {m.group(0) for m in _HEADCOUNT.finditer(subject or "")}
    return bool(asked) and bool(said) and not asked & said


def _is_flow(f) -> bool:
    """The figure counts what is to be bought (its own clause says 购置…; a part stated after 其中 is of its
    whole's kind: "购置车辆13辆，其中：应急保障用车13辆"), not what is held."""
    if f.part:
        at = f.quote.find(f.subject) if f.subject else -1
        return bool(_FLOW_WORDS.search(f.quote[:at] if at > 0 else f.quote))
    return bool(_FLOW_WORDS.search(f.subject or f.quote))


def counted_figure(qq: Q):
    """A count stated in the narrative ("车辆1辆", "内设科室5个", "补助对象1人") in the unit asked for."""
    unit = count_unit(qq.text, qq.q)
    if unit is None:
        return None
    # a stock (共有车辆410辆) answers "有多少辆", a flow (计划购置车辆30辆) "购置几辆": never the other
    flow_q = bool(_FLOW_WORDS.search(qq.text))
    # (a stock and a flow may share a sentence: "共有车辆194辆…。2026年部门预算安排购置车辆13辆": each its own clause)
    figs = [f for f in qq.ctx.index.figures if f.unit == unit and _is_flow(f) == flow_q
            and not _unplaced_count(f) and not _other_population(f, qq.q) and not other_headcount(f.subject, qq.q)]
    if not figs:
        return None
    want = bigrams(qq.q)
    def fit(f) -> float:     # how much of the figure's own subject the question names, plus its context
        sg = bigrams(f.subject)
        hit = len(want & sg)
        whole = 1 if unit == "辆" and "车" in qq.q and f.subject.endswith("车辆") and "用车" not in qq.q else 0
        return hit * hit / max(len(sg), 1) + 0.3 * len(want & bigrams(f.after)) + whole   # 车辆: all vehicles
    asked = bigrams(re.sub(r"有多少|是多少|多少|有几|几|一共|总共|共有|共计", " ", qq.q))   # the words of what is counted

    def head(f) -> tuple[float, float]:   # how much of what is asked the figure's own head noun says ("在职人员"
        after = re.match(r"[\u4e00-\u9fff]+", f.after or "")       # of "…的实有人员72人，其中：在职人员46人"), and
        # (the noun after the measure word ends at its 的: "1家参公事业单位财政拨款的机关运行经费" counts 参公事业单位…)
        core = after.group(0).split("的")[0][:8] if after and unit in ("个", "项") else re.split(r"[的：:]", f.subject)[-1]
        cg = bigrams(core)                                            # how much of the noun is asked; "3个下属单位":
        if not cg:                                                    # the noun after the measure word
            return 0.0, 0.0
        return (len(asked & cg) / len(asked) if asked else 0.0), len(want & cg) / len(cg)
    # …then a figure whose noun the question names in full ("事业单位1075人"), then the whole before its parts
    # stated after 其中 ("编制人数1318人，其中：行政编制71人" for "编制多少人": the question names no more of the
    # part than of the whole), then how much of the figure's noun is asked
    # (first of all a figure counting people the way the question does: 实有 for "实有多少人")
    said = {m.group(0) for m in _HEADCOUNT.finditer(qq.q)}
    scored = sorted(((head(f) + (0.0 if f.part else 1.0,), fit(f), i, f) for i, f in enumerate(figs)),
                    key=lambda x: (not said & set(_HEADCOUNT.findall(x[3].subject or "")),
                                   -x[0][0], x[0][1] < 1.0, -x[0][2], -x[0][1], -x[1], x[2]))
    # with no shared words, only a unit that names the thing itself (辆 vehicles, 平方米 floor area) will do
    if scored[0][1] == 0 and (len(figs) > 1 or unit in ("人", "个", "项")):
        return None
    named = [x[3] for x in scored if x[0][1] == 1.0 and x[3].quote == scored[0][3].quote]
    if len({f.value for f in named}) > 1:
        return None           # the question names two counts of one sentence in full (实有人数…局机关…)
    if len(scored) > 1 and scored[1][0] == scored[0][0] and scored[0][0][0] > 0 and \
            scored[1][3].value != scored[0][3].value and \
            scored[1][3].quote == scored[0][3].quote:
        return None           # two counts of one sentence answer the question as well: cannot tell which
    fig = scored[0][3]
    if fig.part and scored[0][0][1] < 1.0 and re.search(r"一共|总共|共有|共计|全部|合计|总数|总共|整个", qq.q):
        return None           # "一共有多少人员": a part stated after 其中 (交通局机关58人) that is not named in full
    if unit in ("个", "项") and not _counts_noun(qq.text, fig):    # (辆, 台, 人 say what is counted)
        return None
    ctx = qq.ctx
    cit = ctx.figure_citation(fig)
    noun = re.match(r"[\u4e00-\u9fff]+", fig.after or "")
    what = noun.group(0) if noun and unit in ("个", "项") else (fig.subject or fig.after)
    # (in English the count alone: the subject is the document's words, quoted under Sources)
    return qq.done(f"{what}：**{N.show(fig.value, unit)}{unit}**。", f"The document states **{N.show(fig.value, unit)} {unit}**.",
                   value=fig.value, unit=unit, citations=(cit,), intent="count", subject=what,
                   value_str=N.plain(fig.value, unit))


def count(qq: Q):
    from .answer_cells import counted_cell
    cell = counted_cell(qq)
    if cell is not None:
        return cell
    rows_counted = (_ABOVE.search(qq.text) or _BELOW.search(qq.text)) and \
        count_unit(qq.text, qq.q) in (None, "个", "项")
    ans = None if rows_counted else counted_figure(qq)    # "超过100万元的项目有几个" counts rows
    if ans is not None or count_unit(qq.text, qq.q) in ("人", "辆", "台", "平方米"):
        return ans                # people, vehicles, floor area are stated or not; table rows never count them
    rows, what = scope_rows(qq)
    if not rows:
        return None
    n = Decimal(len(rows))
    names = "、".join(f.row for f in rows)
    ctx = qq.ctx
    return qq.done(f"{what}共 **{len(rows)}个**：{names}。", f"There are **{len(rows)}** {what}: {names}.",
                   value=n, unit="个", citations=tuple(ctx.fact_citation(f) for f in rows[:5]), intent="count",
                   value_str=str(len(rows)))


def extreme(qq: Q, largest: bool):
    rows, what = scope_rows(qq)
    rows = [f for f in rows if f.value is not None]
    if not re.search(r"单位|unit", qq.q):     # a unit's subtotal is no item of the set compared
        from .check import _units
        units = _units(qq.ctx)
        rows = [f for f in rows if match_form(f.row) not in units and not (f.entity and f.entity == f.row)]
    if len(rows) < 2:
        return None           # the largest of one thing is no answer to "which is the largest"
    f = (max if largest else min)(rows, key=lambda x: x.value)
    if sum(1 for g in rows if match_form(g.row) == match_form(f.row)) > 1:
        return None           # one project name run by several units (日常保障运行): which "project" is the largest is unsure
    ctx = qq.ctx
    word = "最大" if largest else "最小"
    try:                      # the set compared is the whole a follow-up "占多少" means
        whole = N.total([operand(ctx, g) for g in rows])
        extra = {"whole": N.Operand(f"所比较的{len(rows)}项{what}合计", whole.value, whole.unit)}
    except ValueError:
        extra = {}
    return qq.done(f"{what}中金额{word}的是{f.row}，**{figure(f.value, f.unit)}**（共比较{len(rows)}项）。",
                   f"The {'largest' if largest else 'smallest'} of {len(rows)} {what} is {f.row}: "
                   f"**{figure(f.value, f.unit)}**.",
                   value=f.value, unit=f.unit, citations=(ctx.fact_citation(f),), intent="max" if largest else "min",
                   subject=f.row, value_str=N.plain(f.value, f.unit), extra=extra)
