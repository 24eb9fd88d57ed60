"""An amount per vehicle, per item of equipment or per person ("按公务用车购置费算，平均每辆多少万元"): the one
amount the question names divided by the one count the document states with it, both cited.

The count must stand in the amount's own sentence, or in a sentence that names the amount's item
("公务用车购置支出1,024.69万元，主要用于经批准购置的50辆…"); for an amount that buys (购置), the count must be
of things bought, not of things held. Several counts, or a count the question gives that the document does not,
give no answer.
"""
from __future__ import annotations

import re

from . import compute as N
from .answer_counts import _FLOW_WORDS
from .answer_tables import Q, pick_operand
from .compose import figure
from .lexicon import AVERAGE
from .understand import match_form

_AVERAGE = re.compile(AVERAGE)      # the counter asked is its one group that matched
_COUNTER = {"辆": "辆", "台": "台", "套": "台", "人": "人", "名": "人", "vehicle": "辆", "car": "辆",
            "unit of equipment": "台", "person": "人", "head": "人"}


def per_unit(qq: Q):
    m = _AVERAGE.search(qq.q) or _AVERAGE.search(qq.text)
    if m is None:
        return None
    counter = _COUNTER[next(g for g in m.groups() if g).lower()]
    money = [p for p in qq.target() if p.value is not None and p.unit in N.MONEY]
    if len(money) != 1:
        return None
    p, ctx = money[0], qq.ctx
    amount = pick_operand(ctx, p)
    item = re.sub(r"(?:预算数|预算|支出|经费|资金|费)+$", "", match_form(p.name))
    buys = bool(_FLOW_WORDS.search(item))
    counts = [f for f in ctx.index.figures if f.unit == counter and f.value and (
        (p.figure is not None and f.quote == p.figure.quote) or (len(item) >= 3 and item in match_form(f.quote)))
        and (not buys or _FLOW_WORDS.search(f.subject or ""))]
    if len({f.value for f in counts}) != 1:
        return None
    c = counts[0]
    given = {int(x) for x in re.findall(r"(\d+)\s*(?:辆|台|套|人|名)", qq.text)}
    if given and given != {int(c.value)}:
        return None               # the question's own count is not the document's
    count = N.Operand(c.subject or counter, c.value, counter, ctx.figure_citation(c))
    r = N.per_unit(amount, count)
    per = {"辆": "每辆", "台": "每台", "人": "每人"}[counter]
    return qq.done(f"按{p.name} {figure(amount.value, amount.unit)}、{c.subject or ''}{c.value}{counter}计，{per}平均 "
                   f"**{figure(r.value, r.unit)}**。",
                   f"{p.name} of {figure(amount.value, amount.unit)} over {c.value} {counter}: **{figure(r.value, r.unit)}**"
                   f" each on average.",
                   value=r.value, unit=r.unit, result=r, citations=tuple(dict.fromkeys(
                       x for x in (amount.citation, count.citation) if x is not None)),
                   intent="average", subject=p.name)
