"""The question as the handlers see it (`Q`), and the handlers that read one cell: a value, each of several
cells of one name. Each returns an `Answer` or None (not applicable → next handler); the arithmetic handlers
are in answer_arithmetic.py, sets and counts in answer_sets.py.

Figures come only from cited cells, narrative statements, or the numeric tool; a handler that cannot find
what it needs returns None and the question falls through to retrieval or to a refusal.
"""
from __future__ import annotations

import dataclasses
import re

from index.models import Fact

from . import compute as N
from .compose import build, figure
from .context import DocContext
from .resolve import _COUNT_COLUMN, Pick, _measure_asked, _penalty, canonical, dedupe, describe, pick
from .understand import Mention, match_form, measure_row
from .question_words import bigrams, count_unit
from .answer_cells import narrowed_only
from .operand_rules import _given, _own_level


class Q:
    """A question being answered: its forms, intents and mentions."""

    def __init__(self, raw: str, text: str, q: str, intents: list[str], mentions: list[Mention], en: bool,
                 ctx: DocContext):
        self.raw, self.text, self.q, self.intents, self.mentions, self.en, self.ctx = raw, text, q, intents, mentions, en, ctx
        self._picks: list[Pick] | None = None
        self.whole: N.Operand | None = None      # a whole given by the conversation (the set just compared)
        self.why_not: str | None = None          # a handler's plain reason the question cannot be answered

    def picks(self) -> list[Pick]:
        if self._picks is None:        # several handlers ask; compute once per question
            self._picks = [_own_level(self.ctx, self.q, pick(m, self.q, self.ctx.titles, self.ctx.index.tables))
                           for m in self.mentions]
        return self._picks

    def target(self) -> list[Pick]:
        """The picks that are asked about: a mention that only qualifies another (a column named for a row,
        an ancestor named for a child: "惠州市政务服务中心的人员经费") is folded into it."""
        picks = [p for p in self.picks() if p.value is not None]
        asked = [p for p in picks if not _given(self.text, p)]
        picks = asked if asked else picks     # "支出预算15184.81万元里，项目支出有多少": the amount given is context
        if len(picks) < 2:
            return picks
        figs = [p for p in picks if p.figure is not None and not p.facts]
        own = [p for p in figs if match_form(p.figure.subject) and
               match_form(p.figure.heading.split(" › ")[0]).startswith(match_form(p.figure.subject))]
        parts = [p for p in figs if p not in own and any(p.figure.section == o.figure.section for o in own)]
        if own and parts and len(picks) == len(own) + len(parts):
            return parts          # "科技创新专项经费中各级企业技术中心…": a part of the project its section is about
        stated = [p for p in figs if p.figure.part and any(not o.figure.part and o.figure.quote == p.figure.quote
                                                           for o in figs)]
        if stated and all(p in stated or (p in figs and any(s.figure.quote == p.figure.quote for s in stated))
                          for p in picks):
            return stated         # "政府采购预算中工程类的": the part stated after 其中 in the whole's sentence
        # a figure stated in the section about the others ("（一）人员经费13,452.12万元" under "六、财政拨款基本
        # 支出预算情况说明" for "财政拨款基本支出里的人员经费"): the others say where it stands
        placed = [p for p in figs if p is picks[-1] and all(
            match_form(o.name) in match_form(p.figure.heading) for o in picks if o is not p)]
        if placed:
            return placed
        inner = _inside_scope(self, picks)
        if inner:
            return inner          # "“三公”经费里的公务接待费": the item, read where the scope says
        funds = {id(p): f.group(1) for p in picks if (f := _FUND_NAME.match(match_form(p.name)))}
        rest = [p for p in picks if id(p) not in funds]
        if funds and rest and all(p.facts and all(
                w in match_form(self.ctx.titles.get(p.facts[0].table, "") + p.facts[0].column) for w in funds.values())
                for p in rest):
            return rest           # "一般公共预算拨款安排的教育支出": the fund names the table the item is read from
        kinds = {id(p): match_form(p.name) for p in picks if match_form(p.name) in ("基本支出", "项目支出")}
        rest = [p for p in picks if id(p) not in funds and id(p) not in kinds]
        if kinds and len(rest) == 1 and rest[0].facts and not set(self.intents) & _OPERATIONS and all(
                any(w in match_form(self.ctx.titles.get(f.table, "")) for f in rest[0].facts)
                for w in list(funds.values()) + list(kinds.values())):
            return rest           # "一般公共预算的培训费，基本支出和项目支出合起来": the item in those tables
        names = {match_form(p.name) for p in picks}
        spans = {match_form(self.q[m.start:m.end]) for m in self.mentions if m.end - m.start >= 2}
        # (a unit's name, or a stretch of it, qualifies a row run by that unit: "公安…的交警保障与支撑")
        qualified = [p for p in picks if p.facts and (any(match_form(a) in names for a in p.facts[0].path) or (
            p.facts[0].entity and any(s in match_form(p.facts[0].entity) and s != match_form(p.name) for s in spans)))]
        if qualified:
            return qualified + [p for p in picks if p not in qualified and not any(
                match_form(p.name) in map(match_form, q.facts[0].path) for q in qualified)]
        cols = [p for p in picks if p.facts and all(f.is_total for f in p.facts) and
                any(f.column.split("·")[-1] == p.name for f in p.facts)]
        rows = [p for p in picks if p not in cols]
        if cols and rows and any(match_form(p.facts[0].column.split("·")[-1]) == match_form(c.name)
                                 for p in rows if p.facts for c in cols):
            return rows
        return picks

    def done(self, text_zh: str, text_en: str, **kw):
        return build(self.raw, text_en if self.en else text_zh, en=self.en, doc=self.ctx.doc.id, **kw)



def _inside_scope(qq, picks: list[Pick]) -> list[Pick]:
    """The one pick named after a scope ("X里/中的Y") whose cells or sentence lie inside X (X in the table's title,
    the row's path or the sentence's heading); [] when there is no such scope."""
    from .scoped import _SCOPE_WORD
    pairs = list(zip(qq.mentions, qq.picks()))
    outer = [(m, p) for m, p in pairs if _SCOPE_WORD.match(qq.q, m.end) is not None and
             any(o.start >= m.end for o in qq.mentions)]
    scopes = {match_form(p.name) for _, p in outer} | {match_form(qq.q[m.start:m.end]) for m, _ in outer}
    inner = [p for p in picks if not any(p is o for _, o in outer)]
    if not scopes or len(inner) != 1 or len(inner) == len(picks):
        return []                 # (two things inside a scope: the operations read the scope themselves)

    def where(p: Pick) -> str:
        if p.facts:
            f = p.facts[0]
            return match_form(qq.ctx.titles.get(f.table, "") + "".join(f.path) + f.column)
        return match_form(p.figure.heading) if p.figure is not None else ""
    return inner if all(any(s in where(p) for s in scopes) for p in inner) else []


_OPERATIONS = {"share", "ratio", "difference", "share_gap", "max", "min", "list", "count"}
# a name that is only a fund's ("一般公共预算拨款", "财政拨款资金"): it qualifies another thing named with it
_FUND_NAME = re.compile(r"^(一般公共预算|财政拨款|政府性基金|国有资本经营|财政专户)(?:预算)?(?:拨款)?(?:收入|资金)?$")


def _mention_keys(m: Mention) -> set[str]:
    """Keys a cell may answer to; a subject code answers only to itself."""
    return {c.key for c in m.candidates} | {match_form(c.name) for c in m.candidates if not c.key.isdigit()}


def satisfies(ctx: DocContext, f: Fact, keys: set[str]) -> str | None:
    """How a cell answers to a mention: by its row, its column, its table's title or an ancestor row."""
    from .understand import clean_label
    if match_form(clean_label(f.row)) in keys or (f.code and f.code in keys):
        return "row"
    if match_form(f.column.split("·")[-1]) in keys:
        return "column"
    if any(match_form(part) in keys for part in f.column.split("·")[:-1]):
        return "group"             # "“三公”经费·公务接待费" answers to “三公”经费 too
    if any(match_form(a) in keys for a in f.path):
        return "ancestor"
    if f.entity and any(len(k) >= 2 and k in match_form(f.entity) for k in keys):
        return "entity"            # the unit running a per-unit row ("公安" in 杭州市公安局交通管理支队)
    title = match_form(ctx.titles.get(f.table, ""))
    if any(len(k) >= 2 and k in title for k in keys):
        return "title"
    return None


def intersect(qq: Q, mentions: list[Mention] | None = None) -> Pick | None:
    """The cells that answer to every mention at once ("基本支出中的商品和服务支出", "X单位的人员经费")."""
    ms = mentions if mentions is not None else qq.mentions
    if len(ms) < 2:
        return None
    ctx = qq.ctx
    keysets = [_mention_keys(m) for m in ms]
    rows: dict[tuple, list[Fact]] = {}
    for m in ms:
        for c in m.candidates:
            for f in c.facts:
                rows.setdefault((f.table, f.row_index, f.side), [])
    found: list[tuple[int, Fact]] = []
    for key in rows:
        cells = ctx.index.rows.get(key, [])
        first = next((f for f in cells if not _COUNT_COLUMN.search(f.column.split("·")[-1])), cells[0] if cells else None)
        for f in cells:
            how = [satisfies(ctx, f, ks) for ks in keysets]
            one_row = f.table in ctx.index.one_row_tables
            # a total row's nested column answers a group and its item at once ("预算数·基本支出·人员经费" for
            # 基本支出里的人员经费)
            nested = f.is_total and "column" in how and "group" in how
            if None in how or ("row" not in how and not (one_row and "column" in how) and not nested):
                continue
            if "column" not in how and f is not first:
                continue        # no column named: the row's first amount (not a 人数 printed before it)
            found.append((2 if nested and "row" not in how else 0 if "column" in how else 1, f))
    if not found:
        return None
    # a table that narrows the money by a qualifier the question does not say ranks below one the question's
    # qualifier names by its title ("一般公共预算安排的城乡社区支出": the 一般公共预算支出表's row, not 政府采购's)
    rank = [(_penalty(ctx.titles[f.table], qq.q), p) for p, f in found]
    distinct, same = dedupe([f for r, (_, f) in zip(rank, found) if r == min(rank)])
    how = {id(m): satisfies(ctx, distinct[0], ks) for m, ks in zip(ms, keysets)}
    row_m = next((m for m in ms if how[id(m)] == "row"), None) or \
        next((m for m in ms if how[id(m)] == "column"), ms[0])
    return Pick(name=row_m.name, facts=distinct, same=same)


def operand(ctx: DocContext, f: Fact, label: str | None = None) -> N.Operand:
    return N.Operand(label or f.row, f.value, f.unit, ctx.fact_citation(f))


def pick_operand(ctx: DocContext, p: Pick) -> N.Operand | None:
    if p.facts:
        return operand(ctx, p.facts[0], p.name)
    if p.figure:
        fig = p.figure
        return N.Operand(fig.subject, fig.value, fig.unit, ctx.figure_citation(fig))
    return None


def cites(ctx: DocContext, p: Pick, limit: int = 2):
    out = [ctx.fact_citation(f) for f in (p.facts + p.same)[:limit]]
    if not out and p.figure:
        out = [ctx.figure_citation(p.figure)]
    return tuple(out)


# -- value --------------------------------------------------------------------------------------------
def _canonical_over_title(qq: Q, both: Pick | None) -> Pick | None:
    """A qualifier met only by a table's title ("一般公共预算…机关运行经费表" for "一般公共预算安排的培训费") does not
    outweigh the item's own table (the 三公/会议费/培训费 table): the item's canonical cell is preferred."""
    if both is None or not both.facts or len(qq.mentions) != 2:
        return both
    ctx = qq.ctx
    if len(both.facts) > 1 and len({g.table for g in both.facts}) == 1 and \
            all(map(measure_row, both.facts)):
        both = dataclasses.replace(both, facts=_measure_asked(both.facts, qq.q, ctx.index.tables))
    if len(both.facts) > 1:       # both named in two tables: the item's own table's cell (公开09表's 培训费, not 06's)
        own = [g for g in both.facts if canonical(g, ctx.titles.get(g.table, ""), ctx.parsed.table(g.table).role,
                                                  column=measure_row(g))]
        if len(own) == 1:
            return dataclasses.replace(both, facts=own)
    f = both.facts[0]
    if canonical(f, ctx.titles.get(f.table, "")) or \
            "title" not in [satisfies(ctx, f, _mention_keys(m)) for m in qq.mentions]:
        return both
    alone = [p for p in qq.picks() if p.facts and match_form(p.name) == match_form(both.name) and
             canonical(p.facts[0], ctx.titles.get(p.facts[0].table, ""))]
    return alone[0] if alone else both


def value(qq: Q) -> object:
    both = _canonical_over_title(qq, intersect(qq))
    picks = [both] if both is not None else qq.target()
    if not picks:
        return None
    p = picks[0]
    ctx = qq.ctx
    target = _target_unit(qq)
    if len(p.facts) > 1:
        return _several(qq, p)
    if p.facts and narrowed_only(qq, p):
        return None
    if p.figure and not p.facts and p.figure.unit not in N.MONEY and count_unit(qq.text, qq.q) is None:
        money = _money_beside(qq, p.figure)      # "项目49个，涉及项目预算资金8825.98万元": asked for money
        if money is not None:
            p = Pick(name=money.subject or p.name, figure=money)
    if target and p.unit in N.MONEY and target != p.unit:
        op = pick_operand(ctx, p)
        r = N.to_unit(op, target)
        return qq.done(f"{p.name}为 **{figure(r.value, r.unit)}**（即 {figure(op.value, op.unit)}）。",
                       f"{p.name} is **{figure(r.value, r.unit)}** (= {figure(op.value, op.unit)}).",
                       value=r.value, unit=r.unit, result=r, citations=(op.citation,), intent="convert", subject=p.name)
    col = ""
    leaf = p.facts[0].column.split("·")[-1] if p.facts else ""
    if p.facts and p.facts[0].column not in ctx.parsed.table(p.facts[0].table).columns[:1] and \
            match_form(leaf) != match_form(p.name) and leaf not in ("金额", "预算", "预算数", "合计", "小计", "总计"):
        col = f"（{p.facts[0].column}）"
    val_str = None
    if p.facts:
        val_str = N.plain(p.facts[0].value, p.facts[0].unit)
    return qq.done(f"{p.name}{col}为 **{figure(p.value, p.unit)}**。",
                   f"{p.name}{col} is **{figure(p.value, p.unit)}**.",
                   value=p.value, unit=p.unit, citations=cites(ctx, p), intent="value", subject=p.name,
                   value_str=val_str)


_MONEY_WORDS = re.compile(r"资金|金额|预算|多少钱|经费|万元|费用|花")


def each(qq: Q):
    """"基本支出和项目支出各是多少": every named thing's figure, each cited."""
    from .scoped import _SCOPE_WORD
    scopes = {m.name for m in qq.mentions if _SCOPE_WORD.match(qq.q, m.end) is not None and
              any(o.start >= m.end for o in qq.mentions)}     # "基本支出里差旅费和会议费": where they are, not asked
    picks = [p for p in qq.target() if p.value is not None and p.name not in scopes]
    if len(picks) < 2:
        return None
    ctx = qq.ctx
    ops = [pick_operand(ctx, p) for p in picks]
    lines = "\n".join(f"- {o.label}：**{figure(o.value, o.unit)}**" for o in ops)
    return qq.done(lines, lines, value=ops[0].value, unit=ops[0].unit, citations=tuple(o.citation for o in ops),
                   intent="value", subject=picks[0].name, value_str=N.plain(ops[0].value, ops[0].unit))


def _money_beside(qq: Q, fig):
    """A money figure stated in the same sentence as a count, when the question asks about money."""
    if not _MONEY_WORDS.search(qq.q):
        return None
    want = bigrams(qq.q)
    same = [f for f in qq.ctx.index.figures if f.quote == fig.quote and f.unit in N.MONEY]
    if not same:
        return None
    return max(same, key=lambda f: len(want & bigrams(f.subject + f.after)))


def _several(qq: Q, p: Pick):
    ctx = qq.ctx
    lines = []
    for f in p.facts:
        lines.append(f"- {ctx.titles[f.table]}：{describe(f)} **{figure(f.value, f.unit)}**")
    cits = tuple(ctx.fact_citation(f) for f in p.facts)
    if p.complementary:
        r = N.total([operand(ctx, f) for f in p.facts])
        zh = f"{p.name}在{len(p.facts)}张表中都有，合计 **{figure(r.value, r.unit)}**：\n" + "\n".join(lines)
        en = f"{p.name} appears in {len(p.facts)} tables, together **{figure(r.value, r.unit)}**:\n" + "\n".join(lines)
        return qq.done(zh, en, value=r.value, unit=r.unit, result=r, citations=cits, intent="value", subject=p.name)
    f0 = p.facts[0]
    zh = f"文件中有{len(p.facts)}项名为“{p.name}”，分别是：\n" + "\n".join(lines)
    en = f"The document lists {len(p.facts)} items named “{p.name}”:\n" + "\n".join(lines)
    return qq.done(zh, en, value=f0.value, unit=f0.unit, citations=cits, intent="value", subject=p.name,
                   extra={"several": [describe(f) for f in p.facts]})


def _target_unit(qq: Q) -> str | None:
    m = re.search(r"多少(亿元|万元|元)|几(亿元|万元|元)|合(亿元|万元|元)|in (yuan)", qq.q + " " + qq.text.lower())
    if not m:
        return None
    u = next(g for g in m.groups() if g)
    return "元" if u == "yuan" else u


def total_label(ctx: DocContext, f: Fact) -> str:
    """'支出合计' rather than '合计（合计）' for a table's total row."""
    if not f.is_total:
        return f.row if f.column == ctx.parsed.table(f.table).columns[0] else f"{f.row}（{f.column}）"
    title = ctx.titles.get(f.table, "")
    side = f.side or ("支出" if "支出" in title else "收入" if "收入" in title else "")
    return f.row if f.row.startswith(side) else f"{side}{f.row}"
