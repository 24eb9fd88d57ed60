"""Performance-target indicators ("自来水普及率 ≥ 92.2 %", "便携式计算机 = 209 台"): the value a 绩效目标表 sets
for an indicator the question names, read from the page text as printed (those tables' cells rarely come out as
rows: the indicator, its sign and its value stand side by side on one line).

Answers only when one indicator name of the document is in the question (the name itself, or its last four or
more characters) and every indicator of that name sets the same value; an indicator whose unit differs from the
count the question asks for is not it. Does not handle: a value written in words ("较上年提高"), a target
spread over two lines, indicators of one name under several projects with different values (refused).
"""
from __future__ import annotations

import re
from decimal import Decimal

from .answer import Citation
from .question_words import count_unit
from .understand import match_form

_SIGN = r"≥|≤|＝|=|＞|＜|>=|<=|>|<|不低于|不少于|不高于|不超过|大于等于|小于等于"
_ENTRY = re.compile(rf"([\u4e00-\u9fffA-Za-z0-9（）()“”]{{3,40}}?)\s*({_SIGN})\s*(\d+(?:\.\d+)?)\s*"
                    r"(%|％|台（套）|台套|台|套|辆|人|个|项|家|所|万元|元)?(?![\d.])")
_ASKS_TARGET = re.compile(r"指标|目标|绩效|计划|准备|打算|拟|要达到|达到|不低于|不少于|不超过|以内|以上|控制在|定的|"
                          r"target|indicator|plan", re.I)
_ASKS_FIGURE = re.compile(r"多少|几|百分之|how (?:much|many)|what (?:is|was) the (?:target|value)", re.I)
_MONEY_Q = re.compile(r"万元|多少钱|金额|花多少|资金多少|经费多少|how much money", re.I)
_UNIT = {"%": "%", "％": "%", "台（套）": "台", "台套": "台", "套": "台"}
_NOT_NAME = re.compile(r"^(?:指标值|指标|目标值|年度指标值|绩效指标|数量指标|质量指标|时效指标|成本指标|效益指标|"
                       r"满意度指标|产出指标)$")


def _entries(ctx) -> list[tuple[str, str, Decimal, str, int, str]]:
    cached = getattr(ctx, "_indicators", None)
    if cached is not None:
        return cached
    out = []
    for page, text in enumerate(ctx.parsed.page_texts, start=1):
        if not re.search(r"绩效|指标", text):
            continue
        for m in _ENTRY.finditer(text):
            name = re.sub(r"^(?:数量|质量|时效|成本|经济|社会|生态|效益|满意度|产出)(?:指标)?", "", m.group(1))
            if len(name) < 3 or _NOT_NAME.match(name) or re.fullmatch(r"[\dA-Za-z]+", name):
                continue
            unit = _UNIT.get(m.group(4) or "", m.group(4) or "")
            out.append((match_form(name), m.group(2), Decimal(m.group(3)), unit, page, m.group(0).strip()))
    ctx._indicators = out
    return out


def _matched(name: str, q: str) -> int:
    """How much of the indicator's name the question says: the whole name, or its last four or more characters."""
    if name in q:
        return len(name)
    for i in range(1, len(name) - 3):
        if name[i:] in q:
            return len(name) - i
    return 0


def target(qq):
    """The value set for the indicator the question names, or None."""
    if not (_ASKS_TARGET.search(qq.text) and _ASKS_FIGURE.search(qq.text)):
        return None
    q = match_form(qq.text)
    asked = count_unit(qq.text, qq.q)
    scored = [(k, e) for e in _entries(qq.ctx) if (k := _matched(e[0], q))]
    money = bool(_MONEY_Q.search(qq.text))
    scored = [(k, e) for k, e in scored if (e[3] in ("万元", "元")) == money and
              (asked is None or e[3] == asked or (asked == "个" and e[3] == ""))]
    if not scored:
        return None
    best = max(k for k, _ in scored)
    top = [e for k, e in scored if k == best]
    if len({(e[1], e[2], e[3]) for e in top}) != 1:
        return None               # one name, several targets: which one is meant is not said
    name, sign, value, unit, page, quote = top[0]
    title = next((t.title for t in qq.ctx.parsed.tables if page in (t.pages or ()) and re.search(r"绩效", t.title)),
                 None) or next((t.title for t in qq.ctx.parsed.tables if page in (t.pages or ())), f"第{page}页")
    cit = Citation(doc=qq.ctx.doc.id, source=title, section=title, page=page, quote=quote)
    shown = f"{value}{unit}"
    label = quote[:quote.find(sign)].strip()
    return qq.done(f"{label}的指标值为 **{sign} {shown}**。", f"The target set for {label} is **{sign} {shown}**.",
                   value=value, unit=unit or None, citations=(cit,), intent="indicator", subject=label,
                   value_str=str(value))
