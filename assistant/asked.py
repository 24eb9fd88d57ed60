"""Checks that a figure is of the measure, the column and the thing the question asks — not a neighbour's.

- a sentence without a figure answers no "多少" and names no winner of a tender (`_sentence_failure`);
- a 决算 asked is not a figure labelled 预算, nor the reverse (`_other_measure`);
- a cell of a table holding part of the money (基本支出) is not given when the text states the item asked by its
  own name with another figure (`_stated_otherwise`);
- the amount the question itself gives is never its answer (`_echoes_question`);
- a mention whose stretch holds a word naming another row (政府采购支出表里货物类 read as the total) and an
  operand found only inside a longer name say less than was asked (`_swallowed`, `_partly_named`);
- a sentence the document marks as withheld ("项目涉密，不予公开") answers nothing but why it is withheld;
- an answer of another shape than the question (`asked_shape`): one figure for items to be added, a percent asked
  and none given, one item compared with itself elsewhere answered with two other things, a word of the question
  that is another figure's in the sentence cited, a total for an average, a share of two cells of one row, a
  whole's figure for a part named after it (`_figure_of_other`), one fund's figure where all funds' is stated.
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


_WITHHELD = re.compile(r"涉密|不予公开|不宜公开|不公开|暂不公开")
WITHHELD = "文件注明这一内容不予公开："
_WITHHELD_Q = re.compile(r"为什么|为何|为啥|原因|公开|涉密|保密|why|disclos|public|secret", re.I)   # asked why it is withheld


def _sentence_failure(ans, qq) -> str | None:
    """A sentence without a figure stands for no figure and for no name: it answers "多少"/"how much" only with a
    figure, and "哪家公司/谁" only when it names a body the question does not (a goal sentence of the project
    names no winning bidder). Why-, what- and list-questions are checked by their own word overlap."""
    if ans.intent not in ("narrative", "goal") or not ans.answerable:
        return None
    said = "".join(c.quote or "" for c in ans.citations)
    if ans.citations and not _WITHHELD_Q.search(qq.text) and all(_WITHHELD.search(c.quote or "") and len(c.quote or "") <= 40 for c in ans.citations):
        return WITHHELD + (ans.citations[0].quote or "").strip()   # "项目涉密，不予公开。"
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
        rest = re.sub(r"财政拨款|一般公共预算|安排|年初|本年|当年", "", label.replace(row, "", 1))
        same = row in label and not _GENERIC.sub("", rest)
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
        if re.match(r"(?:这个|这一)?项目", qq.q[m.end:]) and \
                sum(span in d.key for d in qq.ctx.index.candidates if d.kind == "row") == 1:
            continue          # "公务用车委托管理费项目": the one project whose name holds it
        extra = _GENERIC.sub("", _YEAR.sub("", c.key.replace(span, "", 1)))
        extra = re.sub(r"^[\u4e00-\u9fff]{1,3}?[省市区县]", "", extra)    # "惠州市…": the place, not another thing
        if len(re.findall(r"[\u4e00-\u9fff]", extra)) >= 3 and extra not in qq.q:
            return span, c.name
    return None


_JOINED_ITEMS = re.compile(r"[\u4e00-\u9fff]{2}(和|与|及|以及|加上|、)[\u4e00-\u9fff]{2}[^，,。？?]{0,8}?"
                           r"(?:一共|合计|总共|共计|加起来|总计|之和)")


def _same_item_twice(qq, ans) -> bool:
    """"三公经费表里的公务接待费，比基本支出表里的公务接待费多出多少": one item named on both sides of 比 is
    compared with itself elsewhere; an answer whose statement names it once compared something else."""
    at = qq.q.find("比")
    if at <= 0:
        return False
    names = {match_form(c.key) for m in qq.mentions for c in m.candidates[:1]} | {match_form(m.name) for m in qq.mentions}
    twice = [n for n in names if len(n) >= 3 and n in qq.q[:at] and n in qq.q[at:]]
    head = match_form(re.split(r"\*\*(?:计算|出处|Working|Sources)\*\*", ans.answer or "")[0])
    return any(head.count(n) < 2 for n in twice)


def _stated_whole(ans, fund, qq) -> bool:
    """Another stated figure of the same thing without the fund's name, with another value (all funds')."""
    core = match_form(re.sub(rf"^.*?{fund.group(0)}(?:财政)?(?:拨款)?(?:安排的?)?", "", ans.subject))
    return len(core) >= 3 and any(
        match_form(g.subject).endswith(core) and fund.group(0) not in g.subject and str(g.value) != str(ans.value)
        for g in qq.ctx.index.figures)


def _figure_of_other(plan, ans, qq) -> str | None:
    """One stated figure for a question naming two things ("政府采购支出表里货物类预算多少"), the figure of one and
    the other only named after it in the sentence ("总额14,549.77万元，其中：拟采购货物支出874.1万元"): the other
    thing's name, when it is neither in the figure's subject nor before the figure (its whole, its heading)."""
    if ans.intent not in ("value", "narrative") or ans.value is None or not ans.citations or \
            ans.citations[0].section is None or not ans.subject:
        return None
    from .check import _GENERIC, entity_of
    c = ans.citations[0]
    digits = str(ans.value).split(".")
    at = re.search(r"(?<![\d.])" + r",?".join(digits[0]) + (r"\." + digits[1].rstrip("0") if len(digits) > 1 and
                                                           digits[1].rstrip("0") else ""), c.quote)
    if at is None:
        return None
    before = match_form(c.section + c.quote[:at.start()]) + match_form(ans.subject)
    spans = {r.span for r in plan.operands}
    for m in qq.mentions:
        span = qq.q[m.start:m.end]
        if (m.start, m.end) not in spans or len(span) < 2 or entity_of(qq.ctx, m) or span in before or \
                any(match_form(k.key) in before for k in m.candidates) or _GENERIC.fullmatch(span):
            continue
        if span in match_form(c.quote[at.end():]):
            return span
    return None


_FUND_PART = re.compile(r"一般公共预算|政府性基金|国有资本经营|财政专户")      # a stated figure of one fund only
_PERCENT_Q = re.compile(r"百分之|百分比|比例|比重|占比|增长率|增幅|降幅|[%％]")


def asked_shape(plan, ans, qq) -> str | None:
    """An answer of another shape than the question's (the module's docstring lists them); the reason, or None."""
    intent = ans.intent
    joined = _JOINED_ITEMS.search(qq.q)
    added = bool(ans.calculation and "+" in ans.calculation)     # (a figure summed over tables is a sum)
    if "sum" in plan.ops and intent in ("value", "convert", "narrative") and joined and not added and not any(
            m.start < joined.start(1) < m.end for m in qq.mentions):     # (not "公务用车购置和运行维护费": one name)
        return "问的是几项的合计，找到的只是单个数字"      # "水费和电费一共花了多少" answered by 基本支出
    if intent in ("difference", "ratio") and _same_item_twice(qq, ans):
        return "问的是同一项目在两处（两张表、两个单位）的比较，找到的两个数字不都是这一项目"
    if intent in ("share", "ratio", "difference") and plan.leftover:
        said = match_form(re.split(r"\*\*", ans.answer or "")[0])       # "货物类采购预算占政府采购的"
        quotes = {c.quote for c in ans.citations}
        for w in plan.leftover:
            if w not in said and any(w in match_form(g.subject) for g in qq.ctx.index.figures if g.quote in quotes):
                return f"问题说的“{w}”是同一句中另一项的，找到的数字不是它的"   # (was 货物类 for "服务类的比例")
    if "average" in plan.ops and intent != "average":
        return "问的是平均每辆（台）的数，找到的是总数；文件没有同时写明总额和对应的数量"
    if intent == "share" and len(ans.citations) == 1 and re.match(r"^\W*(.{2,40}?)占\1的", ans.answer or ""):
        return "占比的部分与整体读成了同一项目（同一行的两格）"     # "高等职业教育占高等职业教育的32.07%"
    other = _figure_of_other(plan, ans, qq)
    if other:
        return f"问题还说到“{other}”，找到的数字是“{ans.subject}”的，不是它的"
    fund = _FUND_PART.search(ans.subject or "") if intent in ("value", "narrative") and ans.citations and \
        ans.citations[0].section is not None else None
    if fund and fund.group(0) not in qq.q and fund.group(0) not in match_form(qq.text) and _stated_whole(ans, fund, qq):
        return f"找到的是{fund.group(0)}的那一部分，问题没有说到{fund.group(0)}"     # "其中一般公共预算拨款政府采购…"
    if _PERCENT_Q.search(qq.q) and ans.unit != "%" and (intent in ("value", "convert", "previous", "change", "difference",
                                                                   "sum") or intent == "narrative" and ans.value is not None):
        return "问的是百分比，找到的不是百分比"
    return None
