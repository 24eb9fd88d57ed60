"""Stated counts and stocks in the narrative: "共有车辆43辆", "下属12个二级预算单位", "编制45人", and amounts held
as of a date, "截至2025年12月31日，…固定资产总量为4295.98万元".

Input is the narrative `Section`s (as `index.narrative.parse_narrative` makes them) and the page texts (for the
page of each quote). Output: `CountFact`s (a whole number of 辆/台/套/个/人/名/家/所/处 with its subject) and
`StockFact`s (an amount of money with the asset it measures), each with the date it is stated for when the
paragraph gives one ("截至2025年12月底"), the quote and the page.

Handles: subject-then-number ("公务用车0辆", "机动车3辆") and number-then-noun ("3个下属单位", "下属12个二级预算单位");
a date stated once for a paragraph ("截至…，…共有车辆43辆，其中…"); "其中" breakdowns kept as their own counts.
Does not handle: counts of events or visits (人次, 个工作日, 团组), counts inside tables, numbers written in
Chinese numerals, stocks without a money unit, or changes of counts ("较去年增加8家").
"""
from __future__ import annotations

import re
from decimal import Decimal

from ._rows import parse_amount
from .models import CountFact, Section, StockFact, clause_start, page_of

_CLASSIFIER = "辆台套个人名家所处"
# what a stated count may be about: vehicles, staff, units and offices, equipment
_COUNTABLE = re.compile(r"车|编制|人员|人数|职工|干部|在职|退休|离休|设备|单位|机构|处室|科室|内设|下属|所属|学校|医院|"
                        r"中心|分局|支队|站|所$|院$")
_NOT_COUNT = re.compile(r"人次|工作日|百分点|团组|批次|小时|月|年|天|次$|元|万元")
_DATE = re.compile(r"(?:截至|截止|截止到|截至到)\s*(20\d{2}\s*年\s*(?:\d{1,2}\s*月)?\s*(?:\d{1,2}\s*日|底|末)?)")
_NUM_AFTER = re.compile(rf"(\d+)\s*([{_CLASSIFIER}])(?![次工万元])")
_NUM_BEFORE = re.compile(r"(\d+)\s*个\s*([^\d，,。；;、：:（(）)\s]{2,14}?(?:单位|处室|室|科室|机构|部门|中心|分局|学校|医院))")
_ASSET = re.compile(r"资产|房屋|构筑物|土地|设备|家具|用具|车辆|图书|档案|在建工程|存货")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万元|亿元|元)")
_CHANGE = re.compile(r"[比较](?:上年|去年|20\d{2}年)|增加|减少|增长|下降|新增|拟|计划|安排|购置|预算")
_STOP = "，,。；;：:、\n"


def _subject(text: str, end: int) -> str:
    s = text[clause_start(text, end, _STOP):end]
    s = re.sub(r"^(?:其中|此外|另外|共有|现有|共计|合计|总计)[:：]?", "", s.strip(" “”\"（()）"))
    s = re.sub(r"(?:共有|现有|实有|共计|合计|总计|共|有|为|是|达)$", "", s)
    return s.strip(" “”\"")


def _paragraph_dates(text: str) -> list[tuple[int, int, str]]:
    """(start, end of paragraph, date as printed) for each 截至-date: it holds to the end of its paragraph."""
    out = []
    for m in _DATE.finditer(text):
        end = text.find("\n", m.end())
        out.append((m.start(), end if end >= 0 else len(text), re.sub(r"\s", "", m.group(1))))
    return out


def _date_at(dates, pos: int) -> str:
    found = ""
    for start, end, d in dates:
        if start <= pos < end:
            found = d
    return found


def _sentence(text: str, start: int, end: int) -> str:
    a = start
    while a > 0 and text[a - 1] not in "。；\n":
        a -= 1
    b = min([i for i in (text.find("。", end), text.find("；", end), text.find("\n", end)) if i >= 0] or [len(text)])
    return text[a:b + 1 if b < len(text) else b].strip()


def extract_counts(section: Section, pages: list[tuple[int, str]] | None = None) -> list[CountFact]:
    """Every stated count of vehicles, staff, units or equipment in a section, with its date if the
    paragraph states one."""
    text = section.text
    dates = _paragraph_dates(text)
    out: list[CountFact] = []
    seen: set[tuple[int, int]] = set()
    for m in _NUM_BEFORE.finditer(text):
        subject = m.group(2)
        out.append(_count(section, pages, subject, m.group(1), "个", _as_of(text, dates, m.start()),
                          _sentence(text, m.start(), m.end())))
        seen.add((m.start(), m.end()))
    for m in _NUM_AFTER.finditer(text):
        if any(a <= m.start() < b for a, b in seen):
            continue
        before = text[max(0, m.start() - 2):m.start()]
        if re.search(r"[\d.,]$|第$|约$", before) or _NOT_COUNT.match(text[m.end():m.end() + 3] or "x"):
            continue
        if m.group(2) == "个" and re.match(r"[\u4e00-\u9fff]", text[m.end():m.end() + 1]):
            continue                  # "82个项目": the noun follows, and it is no countable subject here
        subject = _subject(text, m.start())
        if not subject or not _COUNTABLE.search(subject) or _NOT_COUNT.search(subject[-2:]) \
                or re.search(r"\d", subject[-1:]) or re.search(_AMOUNT.pattern + r"(?!\s*(?:（含）|\(含\))?以[上下])", subject):
            continue
        quote = _sentence(text, m.start(), m.end())
        out.append(_count(section, pages, subject, m.group(1), m.group(2), _as_of(text, dates, m.start()), quote))
    return out


_PLAN = re.compile(r"安排|拟|计划|新增|购置|更新")


def _as_of(text: str, dates, pos: int) -> str:
    """The paragraph's 截至-date, unless the count's sentence is a plan or a purchase ("2026年…安排购置车辆0辆，
    其中…"): those are no holdings on that date."""
    a = pos
    while a > 0 and text[a - 1] not in "。；\n":
        a -= 1
    return "" if _PLAN.search(text[a:pos]) else _date_at(dates, pos)


def _count(section, pages, subject, value, unit, as_of, quote) -> CountFact:
    return CountFact(subject=subject, value=Decimal(value), unit=unit, as_of=as_of, quote=quote,
                     section=section.id, page=_page(quote, section, pages))


def extract_stocks(section: Section, pages: list[tuple[int, str]] | None = None) -> list[StockFact]:
    """Amounts an asset stands at on a date ("截至2025年12月31日，…固定资产总量为4295.98万元，房屋和构筑物3773.63万元"):
    money stated for an asset, in a paragraph that gives the date (or naming 资产 itself)."""
    text = section.text
    dates = _paragraph_dates(text)
    out: list[StockFact] = []
    for m in _AMOUNT.finditer(text):
        as_of = _date_at(dates, m.start())
        subject = _subject(text, m.start())
        if not subject or not _ASSET.search(subject) or _CHANGE.search(subject):
            continue
        if re.search(r"价值$|单价$", subject) or re.match(r"\s*(?:以上|以下|\(含\)|（含）)", text[m.end():m.end() + 4]):
            continue                  # "单位价值50万元以上设备": a threshold, not a stock
        if not as_of and not re.search(r"资产(?:总额|总量|总值|原值|净值)|固定资产", subject):
            continue
        quote = _sentence(text, m.start(), m.end())
        out.append(StockFact(subject=subject, value=parse_amount(m.group(1)), unit=m.group(2), as_of=as_of,
                             quote=quote, section=section.id, page=_page(quote, section, pages)))
    return out


def extract_statements(sections, pages: list[tuple[int, str]] | None = None
                       ) -> tuple[tuple[CountFact, ...], tuple[StockFact, ...]]:
    """Counts and stocks of every narrative section (table sections, ids "t…", are skipped)."""
    secs = [s for s in sections if not s.id.startswith("t")]
    counts = tuple(c for s in secs for c in extract_counts(s, pages))
    stocks = tuple(c for s in secs for c in extract_stocks(s, pages))
    return counts, stocks


def _page(quote: str, section: Section, pages: list[tuple[int, str]] | None) -> int:
    texts = [""] * max((p for p, _ in pages or []), default=0)
    for p, t in pages or []:
        texts[p - 1] = t
    return page_of(quote, texts, section.pages)
