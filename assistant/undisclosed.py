"""What a question asks that a year's budget document cannot disclose, read from the question's own words
against the document's text (`not_disclosed`, called before any figure is looked up).

- a part of the year ("每个月", "月工资", "第三季度", "上半年", "每天"): a budget is by year; such a figure is
  disclosed only where the document itself breaks figures down that way (its text says 每月, 季度 …);
  the figure given must also say it (its column, row or sentence: `check.failure`);
- one person's pay ("局长的工资", "一把手的年薪"): a budget gives a department's 工资福利支出, never what one
  office-holder earns, even where the document names the office;
- a later year ("明年", "下一年度"): the document holds its own year's figures, not the next one's;
- the other kind's word (决算 in a budget) only counts outside the names of the document's own rows
  ("全省社保决算汇审" is a project, not a 决算 figure).
- another year, the other kind, a whole city's figures, averages, another body or place, and a qualifier the
  document never mentions ("局长的工资": `unknown_qualifier`).
Does not handle: periods written as dates ("1至6月"), which are left to the coverage check.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import documents
from .plan import SELF
from .question_words import foreign_organisations, foreign_places, rewrite, years_in
from .understand import match_form

if TYPE_CHECKING:
    from .context import DocContext


def outside_labels(q: str, mentions) -> str:
    """`q` with the stretches that name a row of the document blanked ("全省社保决算汇审" is a project's name:
    its 决算 is no measure asked)."""
    out = list(q)
    for m in mentions:
        if any(c.kind == "row" for c in m.candidates) and len(m.name) >= 4:
            out[m.start:m.end] = " " * (m.end - m.start)
    return "".join(out)


# figures for a part of the year: a budget is by year, so these are disclosed only where the document says so
_PERIODS = ((re.compile(r"每个?月|月均|月度|按月|月工资|月薪|一个月|单月"), re.compile(r"每个?月|月均|月度|按月"), "按月"),
            (re.compile(r"季度"), re.compile(r"季度"), "按季度"),
            (re.compile(r"上半年|下半年"), re.compile(r"上半年|下半年|半年"), "半年"),
            (re.compile(r"每天|每日|日均|一天|单日"), re.compile(r"每天|每日|日均"), "按日"),
            (re.compile(r"每周|周均|一周"), re.compile(r"每周|周均"), "按周"))


# a year after the document's own: a budget holds its own year's figures (and last year's for comparison)
_LATER_YEAR = re.compile(r"(?<!结转)(?<!转入)(?<!留待)(?:明年|下一年度?|下个年度|下年度|来年|后年)")


def later_year(q: str) -> str | None:
    """The word asking for a year after the document's ("明年的培训费", "下一年度安排多少"), else None."""
    m = _LATER_YEAR.search(q)
    return m.group(0) if m else None


def asked_period(q: str):
    """(what, pattern saying it) for the part of the year a question asks about, else None."""
    for asked, said, what in _PERIODS:
        if asked.search(q):
            return what, said
    return None


def undisclosed_period(q: str, ctx) -> str | None:
    """A part of the year asked ("每个月", "第三季度", "上半年") that the document never breaks its figures by."""
    for asked, said, what in _PERIODS:
        if asked.search(q) and not said.search(ctx.index.doc_text):
            return what
    return None


# one office-holder's pay: a budget's wage rows are the department's, never a person's
_ONE_PERSON = re.compile(r"(?:副?(?:局长|厅长|处长|科长|主任|书记|院长|校长|所长|站长|馆长|部长|主席|秘书长|队长)|一把手|"
                         r"领导|负责人|法人)(?:的|一个月的?|每个?月的?|一年的?|每年的?)?"
                         r"(?:工资|薪水|薪酬|薪资|年薪|月薪|收入|奖金|津贴|补贴|待遇|报酬|绩效)")


def one_persons_pay(q: str) -> str | None:
    """The words asking what one office-holder earns ("局长的工资", "主任的年薪"), else None."""
    m = _ONE_PERSON.search(q)
    return m.group(0) if m else None


def _outside_names(q: str, mentions, word: str) -> str:
    """The question without the document's names that contain `word` ("决算汇审会" in a 预算 asks for no 决算)."""
    for m in sorted(mentions or (), key=lambda m: -m.start):
        if any(word in c.key for c in m.candidates) and word in q[m.start:m.end]:
            q = q[:m.start] + " " + q[m.end:]
    return q


def _names_department(org: str, ctx: DocContext) -> bool:
    """`org` names the department, maybe after a word or two the body pattern took along ("纳入无锡市发改委": the
    department's own place comes after them)."""
    dept = match_form(ctx.doc.department or "")
    return documents.names_department(org, ctx) or any(
        len(dept) >= 2 and org[i:i + 2] == dept[:2] and documents.names_department(org[i:], ctx) for i in (1, 2, 3))


def not_disclosed(text: str, q: str, mentions, ctx: DocContext) -> tuple[str, str] | None:
    """(what, why) when the question asks for something a department budget of this year cannot contain:
    another year, the other kind (决算/预算), a whole city's figures, averages, another body or place, or a
    qualifier the document never mentions ("局长的工资")."""
    d = ctx.doc
    other_kind = "决算" if d.kind == "预算" else "预算"
    bare = outside_labels(_outside_names(q, mentions, other_kind), mentions)   # the words asked, beside row names
    if other_kind in text and d.kind not in bare and other_kind in bare:
        return f"{other_kind}数", f"本文件是{d.kind}，不含{other_kind}"
    for y in years_in(text):
        if d.year and y not in (d.year, d.year - 1):
            return f"{y}年的数据", f"本文件只含{d.year}年{d.kind}"
    if later_year(q):
        return f"{later_year(q)}的数据", f"本文件只含{d.year or '本'}年{d.kind}"
    pay = one_persons_pay(q)
    if pay:
        return f"“{pay}”", "预算只列部门的工资福利支出，不列个人收入"
    period = undisclosed_period(q, ctx)
    if period:
        return f"{period}的数字", f"本文件按年度编列{d.kind}，没有{period}的数字"
    if _TWO_YEARS_BACK.search(text):           # "比前年多了多少": two years back, which a budget does not print
        y = f"{d.year - 2}年" if d.year else "前年"
        return f"{y}的数据", f"本文件只含{d.year or '本'}年{d.kind}及上年的比较"
    if _NEXT_YEAR.search(text.lower()):       # "那明年呢": a year after the document's own
        return ("下一年度的数据" if not d.year else f"{d.year + 1}年的数据"), f"本文件只含{d.year or ''}年{d.kind}"
    scope = _SCOPE.search(text)
    if scope:
        return f"{scope.group(0)}的数据", "部门预算只含本部门的收支"
    if _AVERAGE.search(text) and not _PER_THING.search(text):
        return "人均或平均数", "预算文件不按人列支，本工具也不推算平均数"
    orgs = [o for o in foreign_organisations(text, ctx.index) if not _names_department(o, ctx)]
    if orgs:
        return f"{'、'.join(orgs)}的数据", "本文件只含本部门的预算"
    places = foreign_places(text, ctx.index)
    if places:
        return f"{'、'.join(places)}的数据", ""
    unknown = unknown_qualifier(text, q, mentions, ctx)
    if unknown:
        return f"“{unknown}”的数据", f"文件中没有“{unknown}”"
    return None


_TWO_YEARS_BACK = re.compile(r"(?<![今去明])前年|大前年|前两年|两年前")
_NEXT_YEAR = re.compile(r"明年|下一年|下年度|后年|next year|the following year")
_SCOPE = re.compile(r"全(?:市|省|国|区|县)(?:的)?(?:一般公共预算|政府性基金|财政|总|全部)?(?:收入|支出|预算|财政)")
_AVERAGE = re.compile(r"人均|平均每人|平均工资|平均收入|平均")
# an amount per vehicle or per item of equipment: worked out when the document states both (averages.py)
_PER_THING = re.compile(r"平均(?:下来)?(?:每|一)(?:辆|台|套)|每(?:辆|台|套)车?(?:平均|大约|大概)")
_QUAL = re.compile(r"([\u4e00-\u9fff]{2,8})的")
_QUAL_OK = re.compile(r"^(?:请问|我想知道|想知道|告诉我)?(?:今年|去年|本年|上年|明年|全年|一年|每年|年度|本年度|上年度|当年|"
                      r"本部门|部门|单位|本单位|政府|我们|咱们|你们|他们|它|其|这个|那个|哪个|哪些|这些|所有|全部|各项|其中|"
                      r"涉及|包括|包含|纳入|这里|那里|这儿|此处|文中|文件中|表中|里面|"
                      r"平均(?:下来)?(?:每|一)(?:辆|台|套)车?)$")


_TIME_EDGE = re.compile(r"^(?:今年|去年|本年度|本年|上年度|上年|明年|全年|一年|每年|年度|当年)+|"
                        r"(?:今年|去年|本年度|本年|上年度|上年|明年|全年|一年|每年|年度|当年)+$")


def unknown_qualifier(text: str, q: str, mentions, ctx: DocContext) -> str | None:
    """'局长的工资' names something ("局长") the document never mentions: the figure asked for is not there."""
    for m in _QUAL.finditer(text):
        x = re.sub(r"^(?:请问|我想知道|想知道|告诉我|查一下|问一下)", "", m.group(1))
        x = _TIME_EDGE.sub("", SELF.sub("", x))      # "咱们信访局一年": the department itself, a year
        if len(x) >= 2 and rewrite(match_form(x)) != match_form(x):
            continue          # a colloquial name the lexicon knows ("招待客人的公务接待费")
        if len(x) < 2 or _QUAL_OK.match(x) or documents.names_department(x, ctx):
            continue          # (the department by a short name: "发改委的培训费")
        key = match_form(x)
        at = q.find(key + "的")
        if at < 0 or not any(mm.start == at + len(key) + 1 for mm in mentions):
            continue              # only a qualifier of the thing asked about can make it undisclosed
        if key in ctx.index.doc_text or any(key[i:i + 2] in ctx.index.doc_text for i in range(len(key) - 1)):
            continue
        pos = q.find(key)
        if pos >= 0 and any(pos < mm.end and mm.start < pos + len(key) for mm in mentions):
            continue
        if any(key in match_form(c.name) or match_form(c.name) in key for mm in mentions for c in mm.candidates):
            continue
        return x
    return None
