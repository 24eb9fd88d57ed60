"""One change told in two statements: "财政预算收入为1682.76万元，比上年增长3.08%" gives this year's figure and the
percent, "2026年预算比2025年预算增加50.32万元，增长3.08%。主要是人员经费的正常增长" the amount and the reason.

`completed(ch, changes)` fills in what a statement lacks (the amount of change, this year's figure, the reason)
from the other statements of the document that print the same percent and, between them, one figure, and only
when the figures agree: the amount over last year's figure (this year's minus the amount) rounds, half up,
to the printed percent at its printed precision. Not handled: statements without a percent (nothing ties them).
"""
from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from .plan import _YEAR
from .understand import match_form


def completed_for(qq, ch):
    """`completed` for the statement found for a question: its subjects are its mentions that name a row or a
    stated figure (a column, "当年预算", qualifies and names nothing), without the department's own name."""
    from .documents import own_subject
    named = tuple(match_form(own_subject(m.name, qq.ctx)) for m in qq.mentions
                  if any(c.kind != "column" for c in m.candidates))
    return completed(ch, qq.ctx.index.changes, named)


def completed(ch, changes, named: tuple[str, ...] = ()):
    """`ch` with the amount, this year's figure or the reason taken from its consistent twins, else `ch`. Only
    for a statement about a subject the question names (`named`: match forms of its subjects, not its columns):
    a statement found by a shared word ("2026年预算" for "公务接待费去年预算") is never completed into a figure."""
    if ch is None or ch.percent is None or (ch.value is not None and ch.delta is not None):
        return ch
    key = _YEAR.sub("", match_form(ch.subject))
    if not key or not any(len(n) >= 2 and n in key for n in named):
        return ch
    twins = [c for c in changes if c is not ch and c.percent == ch.percent and c.unit == ch.unit and
             (c.value is None) != (ch.value is None) and (c.delta is None) != (ch.delta is None)]
    agree = [c for c in twins if _agree(c.value if ch.value is None else ch.value,
                                        c.delta if ch.delta is None else ch.delta, ch.percent)]
    if len({(c.value, c.delta) for c in agree}) != 1:
        return ch                   # no twin, or twins that say different things
    t = next((c for c in agree if c.reason), agree[0])
    if ch.value is None:        # the twin has this year's figure: the statement of the amount keeps its quote
        return replace(ch, value=t.value)
    return replace(t, subject=ch.subject, value=ch.value, reason=t.reason or ch.reason)


def _agree(value: Decimal, delta: Decimal, percent: Decimal) -> bool:
    base = value - delta
    if base == 0:
        return False
    step = Decimal(1).scaleb(percent.as_tuple().exponent)
    return (delta / base * 100).quantize(step, ROUND_HALF_UP) == percent
