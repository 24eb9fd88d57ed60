"""Lists (有哪些, 哪几项): the rows above or below a threshold, a unit's projects, the document's structure
(下属单位), a stated enumeration, a row's children or the columns grouped under it, rows named alike, the
projects; else the best-matching sentence that enumerates. A list answer names its items, each with figure.
"""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from . import answer_passages as P
from . import compute as N
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
    """A list answer; a sentence quoted that states how many of the things listed there are ("3个下属单位，具体包括
    …") gives that count as the answer's figure."""
    ans = _listing(qq)
    if ans is None or ans.value is not None or not ans.citations or not ans.citations[0].section:
        return ans
    quote = ans.citations[0].quote or ""
    counted = N.stated_count(quote, qq.q)
    if counted is None or not _NAMES_THEM.search(quote):
        return ans                # (a count alone lists nothing: "共5个项目实行绩效目标管理" is no answer)
    return dataclasses.replace(ans, value=str(counted[0]), unit=counted[1])


_WHICH_ONES = re.compile(r"^(?:那|它们|这些|这几个|其中)?(?:分别|具体|都|各)?(?:是|为|有|包括|叫)?(?:哪些|哪几个|哪几家|什么|谁)"
                         r"(?:单位|机构|部门)?[?？。]?$")
_NAMES_THEM = re.compile(r"分别为|分别是|具体为|具体是|具体包括|包括|即|：")


_WHAT_FOR = re.compile(r"^(?:那|它|这些钱|这笔钱|这部分)?(?:主要|具体|都)?(?:是)?(?:拿来|用来|用于|用在|花在)(?:干什么|做什么|干嘛|什么|哪些方面|哪里|哪儿)"
                       r"(?:了|的|用)?[?？。]?$|^(?:主要|具体)?(?:用途|用处)(?:是什么|有哪些)?[?？。]?$")
_USED_FOR = re.compile(r"主要用于|具体用于|用于")


def told_before(part: str, before, en: bool):
    """The sentence the part before was answered from already tells what this part asks, of the same subject:
    "下属有几个预算单位？分别是哪些？" (the count's sentence names them: "所属2个预算单位，分别为本级和综合事务中心"),
    "委托业务费多少？主要拿来干什么？" (the figure's sentence says "主要用于…"). That sentence is the answer; None
    when the part asks more, or the sentence does not tell it."""
    if en or before is None or not before.answerable:
        return None
    bare = re.sub(r"\s", "", part)
    if before.intent == "count" and _WHICH_ONES.match(bare):
        tells, intent = _NAMES_THEM, "list"
    elif before.value is not None and _WHAT_FOR.match(bare):
        tells, intent = _USED_FOR, "goal"
    else:
        return None
    cited = [c for c in before.citations if c.section and c.quote and tells.search(c.quote)]
    if not cited:
        return None
    text = cited[0].quote
    if intent == "goal":
        text = text[tells.search(text).start():]
    return dataclasses.replace(before, question=part, answer=text, value=None, unit=None,
                               calculation=None, citations=(cited[0],), intent=intent,
                               understood=(before.understood or "").replace("计数", "列举", 1).replace("取数", "用途", 1) or None)


def _listing(qq: Q):
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
