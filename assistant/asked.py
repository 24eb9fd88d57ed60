"""Checks that a figure is of the measure, the column and the thing the question asks — not a neighbour's.

- a sentence without a figure answers no "多少" and names no winner of a tender (`_sentence_failure`);
- a 决算 asked is not a figure labelled 预算, nor the reverse (`_other_measure`);
- a cell of a table holding part of the money (基本支出) is not given when the text states the item asked by its
  own name with another figure (`_stated_otherwise`);
- the amount the question itself gives is never its answer (`_echoes_question`);
- a mention whose stretch holds a word naming another row (政府采购支出表里货物类 read as the total) and an
  operand found only inside a longer name say less than was asked (`_swallowed`, `_partly_named`).
`check.failure` calls these; each returns the reason (or True) when the answer must not be given. Not handled:
measures other than 预算/决算 (调整预算 counts as 预算).
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import compute as N
from .plan import _YEAR
from .understand import clean_label, match_form


_FIGURE_Q = re.compile(r"多少|(?<!哪)几[个项人辆台名家所]?|how much|how many|\bbudget|\bamount|\bcost", re.I)
_WHY_Q = re.compile(r"为什么|为何|为啥|原因|怎么回事|why", re.I)
_BODY = re.compile(r"[\u4e00-\u9fff]{2,}(?:有限公司|有限责任公司|股份公司|公司|集团|事务所|研究院|中心|协会)")


def _sentence_failure(ans, qq) -> str | None:
    """A sentence without a figure stands for no figure and for no name: it answers "多少"/"how much" only with a
    figure, and "哪家公司/谁" only when it names a body the question does not (a goal sentence of the project
    names no winning bidder). Why-, what- and list-questions are checked by their own word overlap."""
    if ans.intent not in ("narrative", "goal") or not ans.answerable:
        return None
    said = "".join(c.quote or "" for c in ans.citations)
    from .check import _WHO_Q
    if _WHO_Q.search(qq.text) and not [b for b in _BODY.findall(said) if b[-4:] not in qq.text]:
        return "问的是谁或哪家单位，找到的语句没有说出名称"
    if _FIGURE_Q.search(qq.text) and not _WHY_Q.search(qq.text):
        return "问的是一个数字，找到的语句没有给出这一数字"
    return None


_FUND_NAMES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算|部门预算|预算单位|单位预算|预算管理")


def _other_measure(ans, qq) -> str | None:
    """A 决算 figure asked and the figure found is labelled 预算 (支出预算593.46万元，支出决算587.55万元), or the
    reverse: the measure of the figure is not the one asked (fund names such as 一般公共预算 are no measure)."""
    label = _FUND_NAMES.sub("", ans.subject or "")
    asked = _FUND_NAMES.sub("", qq.text)
    if ans.intent not in ("value", "narrative") or not label:
        return None
    if ans.value is not None and "预算" not in label and "决算" not in label:
        for c in ans.citations:      # a subject shortened to its core ("“三公”经费支出"): the words printed
            for m in re.finditer(r"(\d[\d,]*(?:\.\d+)?)", c.quote or ""):   # just before the figure say its measure
                if m.group(1).replace(",", "") == str(ans.value):
                    label += _FUND_NAMES.sub("", (c.quote or "")[max(0, m.start() - 4):m.start()])
                    break
    if "决算" in asked and "预算" in label and "决算" not in label:
        return f"问的是决算数，找到的“{ans.subject}”是预算数"
    if "预算" in asked and "决算" not in asked and "决算" in label and "预算" not in label:
        return f"问的是预算数，找到的“{ans.subject}”是决算数"
    return None


_PART_TABLE = re.compile(r"基本支出|项目支出")


def _stated_otherwise(ans, qq) -> str | None:
    """A cell of a table that holds only part of the money (the 基本支出 table) for a question that names no such
    part, while the text states the very thing asked by its own name with another figure ("委托业务费财政拨款
    2196.52万元" beside the 基本支出 table's 委托业务费 5.00; the units' 公务用车购置 rows added up beside the 三公
    text's 公务用车购置费): two figures could be meant, so neither is given here."""
    from .check import _GENERIC, _cited_facts
    if ans.intent not in ("value", "sum") or ans.unit not in N.MONEY:
        return None
    facts = _cited_facts(qq, ans)
    if not facts or _PART_TABLE.search(qq.text):
        return None
    f = facts[0]
    if not _PART_TABLE.search(qq.ctx.titles.get(f.table, "")):
        return None
    row = match_form(clean_label(f.row))
    for g in qq.ctx.index.figures:
        label = match_form(_YEAR.sub("", g.subject))
        same = row in label and not _GENERIC.sub("", label.replace(row, "", 1).replace("财政拨款", ""))
        if g.unit in N.MONEY and same and N.convert(g.value, g.unit, ans.unit) != N.Decimal(str(ans.value)):
            return f"“{f.row}”在{qq.ctx.titles.get(f.table, f.table)}中只是其中一部分，文件另有所述"
    return None


_GIVEN = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万元|亿元|元)")
_ASKS_FIGURE = re.compile(r"多少|几|how much|how many", re.I)


def _echoes_question(ans, qq) -> bool:
    """"支出预算15184.81万元里，项目支出有多少": the amount the question itself gives is its context, never the
    figure it asks for (a share or a computed figure is another number)."""
    if ans.intent not in ("value", "narrative", "count", "sum") or not _ASKS_FIGURE.search(qq.text):
        return False
    try:
        got = N.Decimal(str(ans.value))
    except ArithmeticError:
        return False
    for m in _GIVEN.finditer(qq.text):
        given = N.Decimal(m.group(1).replace(",", ""))
        if ans.unit in N.MONEY and N.convert(given, m.group(2), ans.unit) == got:
            return True
    return False


_SPAN_FILL = re.compile(r"[表里中内类的其和与及年度项目是为有]")


def _swallowed(qq) -> tuple[str, str] | None:
    """A mention whose stretch of the question holds words its name does not ("政府采购支出表里货物类预算" read
    as 政府采购支出预算总额: 货物 is asked, the total is not it): the name stands for less than was asked. Only
    words that name rows of the document count."""
    for m in qq.mentions:
        span, key = qq.q[m.start:m.end], m.candidates[0].key
        rest = _SPAN_FILL.sub(" ", "".join(" " if ch in key else ch for ch in span))
        runs = [w for w in re.findall(r"[\u4e00-\u9fff]{2,}", rest) if w not in key and _names_a_row(qq.ctx, w)]
        if runs:
            return runs[0], m.candidates[0].name
    return None


@lru_cache(maxsize=256)
def _names_a_row(ctx, word: str) -> bool:
    """The word is (in) the name of some row of the document (货物 of the 政府采购 table), not a verb the
    question's reading explained another way (打算 for 拟)."""
    return any(word in c.key for c in ctx.index.candidates)


def _partly_named(qq) -> tuple[str, str] | None:
    """A computed figure's operand found under a longer name that says more than the question ("人员经费" matched
    only by "2019年度聘请专家人员经费", a project's row): the words the question leaves out may make it another thing."""
    from .check import _GENERIC, _ORG, entity_of
    for m in qq.mentions:
        span, c = qq.q[m.start:m.end], m.candidates[0]
        if c.kind == "narrative" or span == c.key or span not in c.key or entity_of(qq.ctx, m) or \
                _ORG.search(c.key):
            continue          # a unit's short name ("基金中心" of 福州市医疗保障基金中心) names that unit
        extra = _GENERIC.sub("", _YEAR.sub("", c.key.replace(span, "", 1)))
        extra = re.sub(r"^[\u4e00-\u9fff]{1,3}?[省市区县]", "", extra)    # "惠州市…": the place, not another thing
        if len(re.findall(r"[\u4e00-\u9fff]", extra)) >= 3 and extra not in qq.q:
            return span, c.name
    return None
