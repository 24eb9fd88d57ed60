"""What a question asks that a year's budget document cannot disclose, read from the question's own words
against the document's text (used by `api.not_disclosed` before any figure is looked up).

- a part of the year ("每个月", "月工资", "第三季度", "上半年", "每天"): a budget is by year; such a figure is
  disclosed only where the document itself breaks figures down that way (its text says 每月, 季度 …);
  the figure given must also say it (its column, row or sentence: `check.failure`);
- one person's pay ("局长的工资", "一把手的年薪"): a budget gives a department's 工资福利支出, never what one
  office-holder earns, even where the document names the office;
- a later year ("明年", "下一年度"): the document holds its own year's figures, not the next one's;
- the other kind's word (决算 in a budget) only counts outside the names of the document's own rows
  ("全省社保决算汇审" is a project, not a 决算 figure).
Does not handle: periods written as dates ("1至6月"), which are left to the coverage check.
"""
from __future__ import annotations

import re


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
