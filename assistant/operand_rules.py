"""Which cells a question's operands are, where the first reading would take a neighbour's: the amount the
question itself gives is context (`_given`); "本级" is the unit's own row under the department's (`_own_level`);
a share's whole named as a grand total is the part's own table's one (`_own_total`); two measures of one
subject come from the one sentence that states both (`_one_sentence`). `answer_tables` uses these; nothing here
answers. Not handled: a 本级 row printed apart from its department (not under it).
"""
from __future__ import annotations

import re

from index.models import Fact

from . import compute as N
from .context import DocContext
from .resolve import Pick
from .understand import match_form


def _given(text: str, p: Pick) -> bool:
    """The pick's figure is an amount the question itself states."""
    from .asked import _GIVEN
    if p.unit not in N.MONEY:
        return False
    return any(N.convert(N.Decimal(m.group(1).replace(",", "")), m.group(2), p.unit) == p.value
               for m in _GIVEN.finditer(text))


def _own_level(ctx: DocContext, q: str, p: Pick) -> Pick:
    """"发改委本级": the unit's own row printed under the department's ("…（本级）" under "302 …"), not the
    department's row, which holds every unit; the pick unchanged when there is no such row."""
    if "本级" not in q or not p.facts or any("本级" in f.row for f in p.facts):
        return p
    f = p.facts[0]
    own = [g for g in ctx.parsed.facts if g.table == f.table and g.column == f.column and g.side == f.side and
           "本级" in g.row and g.path and g.path[-1] == f.row]
    return Pick(name=own[0].row, facts=own[:1]) if len(own) == 1 else p

def _own_total(ctx: DocContext, part: Fact, whole: Fact) -> N.Operand | None:
    """The part's own table's grand total when the whole named is a grand total of the same name in another
    table ("项目支出占总支出": 部门支出总表's 合计, not the 财政拨款 table's 支出合计, which covers other money)."""
    if not whole.is_total or whole.table == part.table:
        return None
    from .answer_tables import operand
    leaf = whole.column.split("·")[-1]
    if whole.column != ctx.parsed.table(whole.table).columns[0] and re.fullmatch(r"人员经费|公用经费|基本支出|项目支出", leaf):
        # the whole is a column's total ("公用经费" of another table): the part's own table's total in that column
        col = [g for g in ctx.parsed.facts if g.table == part.table and g.is_total and g.side == part.side and
               not g.path and g.column.split("·")[-1] == leaf]
        if len({g.value for g in col}) == 1:
            return operand(ctx, col[0], leaf)
    first = ctx.parsed.table(part.table).columns[:1]
    own = next((g for g in ctx.parsed.facts if g.table == part.table and g.is_total and g.side == part.side and
                list(first) == [g.column] and not g.path), None)
    from .answer_tables import operand, total_label
    if own is None or match_form(total_label(ctx, own)) != match_form(total_label(ctx, whole)):
        return None
    return operand(ctx, own, total_label(ctx, own))

def _one_sentence(ctx: DocContext, a: Pick, b: Pick) -> tuple[Pick, Pick]:
    """Two figures stated in two sentences, when one's sentence also states the other by name ("支出年初预算
    139,217.01万元，支出决算296,047.75万元" for 支出决算比年初预算): both from that sentence, the measures of one
    subject, not a figure of that name about something else elsewhere."""
    if a.facts or b.facts or not a.figure or not b.figure or a.figure.quote == b.figure.quote:
        return a, b
    for keep, other, first in ((a, b, True), (b, a, False)):
        name = match_form(other.name)
        same = [f for f in ctx.index.figures if f.quote == keep.figure.quote and f is not keep.figure and
                len(name) >= 2 and match_form(f.subject).endswith(name)]
        if len(same) == 1:
            moved = Pick(name=other.name, figure=same[0])
            return (keep, moved) if first else (moved, keep)
    return a, b
