"""Lists (有哪些, 哪几项): the rows above or below a threshold, a unit's projects, the document's structure
(下属单位), a stated enumeration, a row's children or the columns grouped under it, rows named alike, the
projects; else the best-matching sentence that enumerates. A list answer names its items, each with figure.
"""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from . import answer_passages as P
from . import passage_figures as F
from .answer_narrative import _retrieved
from .answer_sets import _ABOVE, _BELOW, children_of, project_rows, row_set, scope_rows
from .answer_tables import Q
from .compose import figure
from .understand import match_form
from .question_words import bigrams


def _rows_answer(qq: Q, rows, what: str):
    ctx = qq.ctx
    names = "\n".join(f"- {f.row}：{figure(f.value, f.unit)}" for f in rows)
    return qq.done(f"{what}共{len(rows)}项：\n{names}", f"{what}: {len(rows)} items:\n{names}",
                   citations=tuple(ctx.fact_citation(f) for f in rows[:8]), intent="list", subject=what,
                   value=Decimal(len(rows)), unit="项", value_str=str(len(rows)))


def listing(qq: Q):
    ctx = qq.ctx
    if _ABOVE.search(qq.text) or _BELOW.search(qq.text):      # "超过100万元的项目有哪些"
        rows, what = scope_rows(qq)
        return _rows_answer(qq, rows, what) if rows else None
    if "项目" in qq.q:              # "X支队有哪些项目": the project table's rows run by the unit named
        units = {match_form(c.name) for m in qq.mentions for c in m.candidates if c.kind == "row"}
        rows = [f for f in project_rows(ctx) if f.entity and match_form(f.entity) in units]
        if rows and len({match_form(f.entity) for f in rows}) == 1:
            return _rows_answer(qq, rows, f"{rows[0].entity}的项目")
    ans = P.structure(qq) or F.breakdown(qq)     # "下属有哪些单位"; "X的1410万元分成哪几块"
    if ans is not None:
        return ans
    figs = [c.figure for m in qq.mentions for c in m.candidates if c.kind == "narrative" and c.figure]
    for fig in figs:
        if re.search(r"分别是|包括|如下|：", fig.quote):
            cit = ctx.figure_citation(fig)
            return qq.done(fig.quote, f"The document says: {fig.quote}", value=fig.value, unit=fig.unit,
                           citations=(cit,), intent="list", subject=fig.subject)
    want = bigrams(qq.q)
    for p in qq.picks():
        facts = sorted(p.facts, key=lambda f: -len(want & bigrams(ctx.titles[f.table])))
        for f in facts:
            kids = children_of(ctx, f) or _column_children(ctx, f)
            if kids:
                return _rows_answer(qq, kids, f"{p.name}下")
    rows, key = row_set(qq)
    if len(rows) >= 2:
        return _rows_answer(qq, rows, f"名称含“{key}”的")
    ans = P.best_heading(qq, want, _rows_answer)
    if ans is not None:
        return ans
    if "项目" in qq.q:
        rows = project_rows(ctx)
        if rows:
            return _rows_answer(qq, rows, "项目")
    return _retrieved(qq, r"分别是|包括|如下|：", intent="list")


def _column_children(ctx, f):
    """Columns grouped under this cell's column ("“三公”经费·小计" → 因公出国（境）费, 公务用车…, 公务接待费)."""
    parts = f.column.split("·")
    if parts[-1] not in ("小计", "合计") or (len(parts) < 2 and f.table not in ctx.index.one_row_tables):
        return []                 # (a lone 合计 column: its siblings only in a one-row table, the 三公 table's)
    group = "·".join(parts[:-1]) + "·" if len(parts) > 1 else ""
    out = []
    for g in ctx.index.rows.get((f.table, f.row_index, f.side), []):
        rest = g.column[len(group):] if g.column.startswith(group) else ""
        if rest and "·" not in rest.replace("·小计", "") and rest not in ("小计", "合计"):
            out.append(g)
    return [dataclasses.replace(g, row=g.column[len(group):].replace("·小计", "")) for g in out]
