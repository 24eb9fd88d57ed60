"""The claim checker for staff: take a sentence ("2024年公务接待费5.6万元，比上年增长21.74%") and mark each
figure in it as matching the document, not matching (with the right figure and its source), or not found.

A figure's subject is the words before it in its clause; a figure after 增加/减少/增长/下降 is a change
and is checked against the document's statements of change; every other amount against the table cells
(then the narrative). Years, dates and list numbers are not figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from index.models import convert

from . import compute as N
from .context import DocContext
from .answer_tables import Q
from .resolve import pick
from .understand import match_form

_FIG = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)\s*(万元|亿元|元|%|个|项|台|辆|人|平方米)")
_CHANGE = re.compile(r"(增加|减少|增长|下降|上升|降低)\s*$")


@dataclass(frozen=True)
class ClaimCheck:
    figure: str               # as written: "5.6万元"
    status: str               # "match" | "mismatch" | "not_found"
    subject: str | None
    expected: str | None      # the document's figure with unit
    source: str | None        # table or section, and page
    note: str = ""

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def _places(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _same(claimed: Decimal, unit: str, actual: Decimal, actual_unit: str, written: str) -> bool:
    if unit in N.MONEY and actual_unit in N.MONEY:
        actual = convert(actual, actual_unit, unit)
    elif unit != actual_unit:
        return False
    places = _places(written)
    return abs(claimed - actual) <= Decimal(5).scaleb(-places - 1) if places < 2 else claimed == N.round2(actual)


def check_claim_in(ctx: DocContext, sentence: str) -> list[ClaimCheck]:
    from .question import normalize_question
    sentence = normalize_question(sentence)       # full-width digits, "五点六万元" -> "5.6万元"
    out: list[ClaimCheck] = []
    subject = None
    for clause in re.split(r"[，；;。]|,(?!\d{3})", sentence):
        for m in _FIG.finditer(clause):
            written, unit = m.group(1), m.group(2)
            value = Decimal(written.replace(",", ""))
            before = clause[:m.start()]
            is_change = bool(_CHANGE.search(before)) or "比上年" in before
            subj = re.sub(r"^\d{4}年(?:度)?|比上年|较上年|(?:增加|减少|增长|下降|上升|降低)$", "", before).strip()
            subj = re.sub(r"^(?:其中[:：]?)?(?:本部门|本单位)?(?:财政拨款)?(?:安排)?", "", subj)
            if len(match_form(subj)) >= 2:
                subject = subj
            if subject is None:
                out.append(ClaimCheck(f"{written}{unit}", "not_found", None, None, None, "没有看出这个数字说的是什么"))
                continue
            out.append(_check_change(ctx, subject, written, value, unit) if is_change
                       else _check_value(ctx, subject, written, value, unit))
    return out


def check_claim(store, doc_id: str, sentence: str, bot=None) -> list[ClaimCheck]:
    """Check a sentence against a document; pass the app's `Assistant` to reuse its document context."""
    if bot is None:
        from .api import Assistant
        bot = Assistant(store, use_env_llm=False)
    return check_claim_in(bot.context(doc_id), sentence)


def _check_value(ctx: DocContext, subject: str, written: str, value: Decimal, unit: str) -> ClaimCheck:
    q = ctx.index.question_form(subject)
    mentions = ctx.index.mentions(q)
    fig = f"{written}{unit}"
    if not mentions:
        return ClaimCheck(fig, "not_found", subject, None, None, "文件中没有找到这一项")
    p = pick(mentions[-1], q, ctx.titles, ctx.index.tables)
    cells = [(f.value, f.unit, f"{ctx.titles[f.table]} 第{f.page}页") for f in p.facts + p.same]
    if p.figure:
        cells.append((p.figure.value, p.figure.unit, f"{p.figure.heading} 第{p.figure.page}页"))
    for v, u, src in cells:
        if _same(value, unit, v, u, written):
            return ClaimCheck(fig, "match", p.name, f"{N.show(v, u)}{u}", src)
    if not cells:
        return ClaimCheck(fig, "not_found", subject, None, None, "文件中没有找到这一项")
    v, u, src = cells[0]
    return ClaimCheck(fig, "mismatch", p.name, f"{N.show(v, u)}{u}", src, "与文件不符")


def _check_change(ctx: DocContext, subject: str, written: str, value: Decimal, unit: str) -> ClaimCheck:
    from .answer_changes import find_change
    q = ctx.index.question_form(subject)
    qq = Q(subject, subject, q, [], ctx.index.mentions(q), False, ctx)
    ch = find_change(qq)
    fig = f"{written}{unit}"
    if ch is None:
        return ClaimCheck(fig, "not_found", subject, None, None, "文件没有说明这一项比上年的变化")
    src = f"{' '.join(ctx.sections[ch.section].heading)} 第{ch.page}页" if ch.section in ctx.sections else None
    actual, actual_unit = (ch.percent, "%") if unit == "%" else (ch.delta, ch.unit)
    if actual is None:
        return ClaimCheck(fig, "not_found", ch.subject, None, src, "文件没有给出可比的变化数")
    if _same(abs(value), unit, abs(actual), actual_unit, written):
        return ClaimCheck(fig, "match", ch.subject, f"{N.show(abs(actual), actual_unit)}{actual_unit}", src)
    return ClaimCheck(fig, "mismatch", ch.subject, f"{N.show(abs(actual), actual_unit)}{actual_unit}", src, "与文件不符")
