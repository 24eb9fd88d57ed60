"""Checks of answers drawn from stated figures and cross-classified rows (used by `check.failure`):
- `counted_noun`: "公务车" asked of a count of all the vehicles (共有车辆N辆) is what 辆 counts, unless the
  sentence names a kind called 公务用车 too;
- `other_stated`: the thing asked is the last one named; a figure quoted from a sentence that gives it another
  figure is not its answer;
- `part_asked`: a whole quoted from a sentence that lists its parts, while the question's other words name a part;
- `paths_of`: the classes a cited cell is booked under as the index reads them (words that explain a question).
"""
from __future__ import annotations

import re

from . import compute as N
from .plan import Plan
from .question_words import content_pairs
from .understand import match_form


_VEHICLE = re.compile(r"^(?:公务|公)?(?:用)?(?:车|车辆|汽车|轿车)$")


def counted_noun(word: str, ans, qq) -> bool:
    """The thing a count of vehicles counts ("有多少辆公务车"): what 辆 measures, said in other words. Only the
    department's vehicles as a whole ("共有车辆0辆"), and only when its sentence names no kind called 公务用车
    ("一般公务用车13辆" beside 共有车辆66辆: which one is meant is not said)."""
    subject = match_form(ans.subject or "")
    if not (ans.unit == "辆" and ans.intent == "count" and _VEHICLE.match(word) and subject.endswith("车辆")
            and "用车" not in subject):
        return False
    quote = ans.citations[0].quote if ans.citations else ""
    return not any("公务用车" in f.subject and f.unit == "辆" for f in qq.ctx.index.figures
                   if quote and (f.quote in quote or quote in f.quote))


def other_stated(plan: Plan, ans, qq) -> str | None:
    """A figure quoted from a sentence that gives the thing the question asks about its own, other figure: the
    thing asked is the last one named ("政府采购中服务类项目": 服务类项目, not the 政府采购项目 total the sentence
    states first)."""
    if ans.intent not in ("value", "narrative") or len(plan.operands) < 2 or not ans.citations or \
            ans.citations[0].section is None:
        return None
    quote = ans.citations[0].quote
    head = max(plan.operands, key=lambda r: r.span)
    m = next((m for m in qq.mentions if (m.start, m.end) == head.span), None)
    if m is None:
        return None
    figs = [c.figure for c in m.candidates if c.kind == "narrative" and c.figure is not None and
            (c.figure.quote in quote or quote in c.figure.quote) and c.figure.unit == ans.unit]
    if figs and all(N.plain(f.value, f.unit) != ans.value for f in figs):
        if any(c.figure is not None and c.figure.part and c.figure.quote == figs[0].quote and
               N.plain(c.figure.value, c.figure.unit) == ans.value for mm in qq.mentions for c in mm.candidates):
            return None       # "工程类政府采购预算": the part named (工程) is answered, its whole only places it
        return m.name
    return None


_PART_GENERIC = {"项目", "预算", "支出", "资金", "经费", "安排", "其中", "合计", "总额"}


def part_asked(plan: Plan, ans, qq) -> str | None:
    """A whole quoted from a sentence that lists its parts, while the question's other words name one of those
    parts ("政府采购服务预算" answered with the sentence's 政府采购 total: 服务 is its 服务类项目 part)."""
    if ans.intent not in ("value", "narrative") or not ans.citations or ans.citations[0].section is None or \
            ans.value is None:
        return None
    from .question_words import bigrams
    quote = ans.citations[0].quote
    figs = [f for f in qq.ctx.index.figures if f.quote in quote or quote in f.quote]
    whole = next((f for f in figs if N.plain(f.value, f.unit) == ans.value and not f.part), None)
    if whole is None:
        return None
    for mm in qq.mentions:          # a part of this sentence named as a subject of its own ("工程类…"), by the
        for c in mm.candidates:     # words that set it apart from the whole
            f = c.figure
            if f is not None and f.part and f.quote == whole.quote and N.plain(f.value, f.unit) != ans.value and \
                    content_pairs(bigrams(f.subject) - bigrams(whole.subject) - _PART_GENERIC) & bigrams(qq.q):
                return f.subject
    spans = [r.span for r in plan.operands]
    rest = "".join(ch for i, ch in enumerate(qq.q) if not any(a <= i < b for a, b in spans))
    want = content_pairs(bigrams(rest) - _PART_GENERIC - bigrams(whole.subject))     # the part's own words, not the whole's
    for f in figs:
        if f.part and N.plain(f.value, f.unit) != ans.value and (bigrams(f.subject) - _PART_GENERIC) & want:
            return f.subject
    return None


def paths_of(qq, ans, cited) -> list[str]:
    """The subjects a cited cell is booked under as the index reads them (a row of two classifications: the
    government class "对事业单位经常性补助" it stands under, which its printed row does not repeat)."""
    from .check import _cited_facts
    rows = qq.ctx.index.rows
    out = []
    for f in _cited_facts(qq, ans):
        if any(c.section is None and c.page == f.page for c in cited):
            out += [a for g in rows.get((f.table, f.row_index, f.side), [])[:1] for a in g.path]
    return out


def whole_meant(ans, qq) -> str | None:
    """A part stated after 其中 answered where the question says nothing that sets the part apart from the whole
    the same sentence states before it ("政府采购安排了多少钱" answered with "其中一般公共预算拨款政府采购5,499.84万元"
    of "政府采购预算总额6,546.82万元；其中…"): the whole is what is asked. Returns the whole's subject."""
    if ans.intent not in ("value", "narrative") or not ans.citations or ans.citations[0].section is None or \
            ans.value is None:
        return None
    from .question_words import bigrams
    quote = ans.citations[0].quote
    figs = [f for f in qq.ctx.index.figures if f.quote in quote or quote in f.quote]
    parts = [f for f in figs if N.plain(f.value, f.unit) == ans.value and f.part]
    if not parts or any(N.plain(f.value, f.unit) == ans.value and not f.part for f in figs):
        return None     # (the whole is this very figure: "安排1916.29万元，其中…服务类采购预算1916.29万元")
    for part in parts:  # (several parts of one amount, "货物类0万元，工程类0万元": any one named will do)
        wholes = [f for f in figs if not f.part and f.unit == part.unit and f.quote == part.quote and
                  bigrams(f.subject) & bigrams(part.subject) - _PART_GENERIC]
        before = [f for f in figs if not f.part and f.unit == part.unit and f.quote == part.quote]
        if not wholes and not before:
            return None
        # what sets it apart from its whole (or, beside a whole of another name: "支出预算…其中:一般公共服务支出
        # 23,103.76万元" for "支出预算是多少", all its own words)
        own = content_pairs(bigrams(part.subject) - (bigrams(wholes[0].subject) if wholes else set()) - _PART_GENERIC)
        if not own or own & bigrams(qq.q):
            return None
    return (wholes or before)[0].subject


_GENERIC_SPAN = re.compile(r"^(?:本年|年度|部门)?(?:总预算|预算总额|预算总计|预算|总额|总金额|资金总额|资金|合计|总计|金额)$")


def only_generic(ans, qq) -> str | None:
    """A stated figure found only by a generic stretch of its subject ("收入预算总额" matching "…政府采购预算总额" by
    its 预算总额): the question names nothing of that figure's own. Returns the stretch."""
    if ans.intent not in ("value", "narrative") or not ans.citations or ans.citations[0].section is None or \
            not qq.mentions:
        return None
    from .question_words import bigrams
    for m in qq.mentions:
        said = qq.q[m.start:m.end]
        if not _GENERIC_SPAN.match(said) or any(c.key == said for c in m.candidates):
            return None
    said = qq.q[qq.mentions[0].start:qq.mentions[0].end]
    rest = match_form(ans.subject or "").replace(said, " ")
    asked = qq.q.replace("收支", "收入支出")          # "收支预算总计": 收入 and 支出 both named
    grams = content_pairs(bigrams(rest)) - {"预算", "总额", "资金", "合计", "总计", "金额", "项目", "经费", "安排", "单位"}
    return said if grams and not grams & bigrams(asked) else None
