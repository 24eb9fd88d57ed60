"""One handler per kind of question. Each returns an `Answer` or None (not applicable → next handler).

Figures come only from cited cells, narrative statements, or the numeric tool; a handler that cannot find
what it needs returns None and the question falls through to retrieval or to a refusal.
"""
from __future__ import annotations

import re

from index.models import Fact

from . import compute as N
from .compose import build, figure
from .context import DocContext
from .resolve import _COUNT_COLUMN, Pick, _penalty, canonical, dedupe, describe, pick
from .understand import Mention, bigrams, count_unit, match_form
from .answer_cells import narrowed_only
from .operand_rules import _given, _one_sentence, _own_level, _own_total
from .wholes import _NARROW_WHOLE, _WHOLE_ASKED, _part_whole, _scope, may_contain, outside, stated_share, units_share


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
    rank = [(p, _penalty(ctx.titles[f.table], qq.q)) for p, f in found]
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
    picks = [p for p in qq.target() if p.value is not None]
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


# -- arithmetic ---------------------------------------------------------------------------------------
def share(qq: Q):
    picks = _part_whole(qq)
    if not picks:
        return None
    ctx = qq.ctx
    said = stated_share(qq, picks[0]) if picks[0].facts or picks[0].figure else None
    if said is not None:
        return said
    p0 = picks[0]
    whole_tables = {f.table for f in picks[1].facts[:1]} if len(picks) >= 2 else set()
    if len(p0.facts) > 1 and not p0.complementary and not any(f.table in whole_tables for f in p0.facts):
        if len(picks) >= 2 and picks[1].facts and len(picks[1].facts) == 1:
            return units_share(qq, p0, picks[1])
        return None               # several parts of that name with different figures, none beside the whole
    if len(picks) >= 2:
        totals = [p for p in picks[:2] if p.facts and p.facts[0].is_total and p.facts[0].column ==
                  ctx.parsed.table(p.facts[0].table).columns[0]]
        if len(totals) == 1:              # a grand total is the whole, whatever the word order
            picks = [p for p in picks[:2] if p is not totals[0]] + totals
        elif qq.en and re.search(r"(?:share|percentage|proportion|part) of", qq.text, re.I):
            picks = [picks[1], picks[0]]  # "share of WHOLE is PART"
    part = pick_operand(ctx, picks[0])
    if len(picks) >= 2:
        whole = pick_operand(ctx, picks[1])
        same = [f for f in picks[0].facts if picks[1].facts and f.table == picks[1].facts[0].table]
        if same:                          # part and whole from the same table when it has both
            part = operand(ctx, same[0], picks[0].name)
        elif picks[0].facts and picks[1].facts:
            whole = _own_total(ctx, picks[0].facts[0], picks[1].facts[0]) or whole
    else:
        whole = qq.whole
        if whole is None and not picks[0].facts and picks[0].figure is not None:
            whole = _stated_whole(ctx, picks[0].figure)
            named = _WHOLE_ASKED.search(qq.q)
            said = re.sub(r"多大|多少|几成|百分之几|几|大约|大概|总额|总数", "", named.group(1)) if named else ""
            if whole is not None and len(said) >= 2 and not (bigrams(said) & bigrams(match_form(whole.label))):
                return None       # "占部门支出的比例": not the figure the part was stated under
        if whole is None:
            whole = _whole_of(ctx, picks[0])
            named = _WHOLE_ASKED.search(qq.q)
            if whole is not None and named and any(w in _scope(whole) and w not in qq.q for w, _ in _NARROW_WHOLE):
                return None       # "占支出预算的比例": the part's own table total (基本支出合计) is not the whole named
    if part is not None and whole is not None and not may_contain(whole, part):
        qq.why_not = outside(whole, part)     # said plainly in the abstention ("会议费不是“三公”经费的一部分")
        return None
    if part is None or whole is None or whole.value == 0 or (
            whole.citation == part.citation and whole.value == part.value):
        return None               # a part is never its own whole, nor in a whole of the other kind
    r = N.share(part, whole)
    return qq.done(f"{part.label}占{whole.label}的 **{N.show(r.value, '%')}%**。",
                   f"{part.label} is **{N.show(r.value, '%')}%** of {whole.label}.",
                   value=r.value, unit="%", result=r, citations=tuple(c for c in (part.citation, whole.citation) if c), intent="share",
                   subject=picks[0].name)


def total_label(ctx: DocContext, f: Fact) -> str:
    """'支出合计' rather than '合计（合计）' for a table's total row."""
    if not f.is_total:
        return f.row if f.column == ctx.parsed.table(f.table).columns[0] else f"{f.row}（{f.column}）"
    title = ctx.titles.get(f.table, "")
    side = f.side or ("支出" if "支出" in title else "收入" if "收入" in title else "")
    return f.row if f.row.startswith(side) else f"{side}{f.row}"



def _stated_whole(ctx: DocContext, part) -> N.Operand | None:
    """The figure a part was stated under ("政府采购预算4821.20万元，其中：…服务预算983.05万元"): the last
    figure of its sentence before it that is no part itself, in the same kind of unit."""
    if not part.part:
        return None
    at = part.quote.find(part.subject)
    before = [f for f in ctx.index.figures if f.quote == part.quote and f.page == part.page and not f.part and
              (f.unit in N.MONEY) == (part.unit in N.MONEY) and 0 <= part.quote.find(f.subject) < at]
    if not before:
        return None
    f = max(before, key=lambda f: part.quote.find(f.subject))
    return N.Operand(f.subject, f.value, f.unit, ctx.figure_citation(f))


def _whole_of(ctx: DocContext, p: Pick) -> N.Operand | None:
    """The natural denominator: a column's total row's first column, else the parent row, else the table total."""
    if not p.facts:
        return None
    f = p.facts[0]
    row = ctx.index.rows.get((f.table, f.row_index, f.side), [])
    if row and row[0].column != f.column and not ("·" not in f.column and f.column in ("合计", "总计")):
        return operand(ctx, row[0], total_label(ctx, row[0]))     # (a row's own total column is no part of it)
    same_table = [g for g in ctx.parsed.facts if g.table == f.table and g.column == f.column and g.side == f.side]
    if f.path:
        # the parent by its code when the row has one ("123001 苏州市交通运输局" under "123 苏州市交通运输局": the
        # same label at two levels), else the nearest row above of that label one level up
        parent = next((g for g in same_table if f.parent_code and g.code == f.parent_code), None) or \
            next((g for g in reversed(same_table) if g.row == f.path[-1] and g.row_index < f.row_index and
                  g.level < f.level), None)
        if parent:
            return operand(ctx, parent)
    total = next((g for g in same_table if g.is_total), None)
    return operand(ctx, total) if total else None


def _pair(qq: Q) -> tuple[Pick, Pick] | None:
    """The two operands of "A比B…" / "A是B的…": the thing named last before 比/是 and the first after it;
    else the first two things named."""
    picks = qq.target()
    if len(picks) < 2:
        return None
    by_span = {}
    for m, p in zip(qq.mentions, qq.picks()):
        by_span[id(p)] = m
    spans = [(by_span.get(id(p)), p) for p in picks]
    at = re.search(r"比|是|相对于|相比|对比|和|与|同", qq.q)
    if at and all(m is not None for m, _ in spans):
        before = [p for m, p in spans if m.end <= at.start()]
        after = [p for m, p in spans if m.start >= at.end()]
        if before and after:
            return before[-1], after[0]
    return picks[0], picks[1]


def _two_operands(qq: Q):
    """The question's two operands (A and B of "A比B…", "A是B的几倍") with their picks; None when either has
    no figure."""
    pair = _pair(qq)
    if pair is None:
        return None
    pair = _one_sentence(qq.ctx, *pair)
    a, b = pick_operand(qq.ctx, pair[0]), pick_operand(qq.ctx, pair[1])
    return None if a is None or b is None else (pair, a, b)



def difference(qq: Q):
    got = _two_operands(qq)
    if got is None:
        return None
    picks, a, b = got
    r = N.difference(a, b)
    more = r.value >= 0
    mag = abs(r.value)
    zh = f"{a.label}比{b.label}{'多' if more else '少'} **{figure(mag, r.unit)}**。"
    en = f"{a.label} is **{figure(mag, r.unit)}** {'more' if more else 'less'} than {b.label}."
    return qq.done(zh, en, value=mag, unit=r.unit, result=r, citations=(a.citation, b.citation),
                   intent="difference", subject=picks[0].name)


def ratio(qq: Q):
    """"A是B的几倍": A ÷ B."""
    got = _two_operands(qq)
    if got is None or got[2].value == 0:
        return None
    pair, a, b = got
    r = N.ratio(a, b)
    import dataclasses            # a ratio has no unit of the contract's list: value only
    return dataclasses.replace(qq.done(f"{a.label}是{b.label}的 **{N.show(r.value, '倍')}倍**。",
                   f"{a.label} is **{N.show(r.value, '倍')} times** {b.label}.",
                   value=r.value, unit="倍", result=r, citations=(a.citation, b.citation), intent="ratio",
                   subject=pair[0].name, value_str=N.plain(r.value, "%")), unit=None)


def share_gap(qq: Q):
    """"A占比和B占比相差多少个百分点": each one's share of its own whole, then the difference."""
    picks = qq.target()
    if len(picks) < 2:
        return None
    ctx = qq.ctx
    out = []
    for p in picks[:2]:
        part, whole = pick_operand(ctx, p), _whole_of(ctx, p)
        if part is None or whole is None or whole.value == 0:
            return None
        out.append((part, whole, N.share(part, whole)))
    (pa, wa, ra), (pb, wb, rb) = out
    if wa.value != wb.value:
        return None                   # shares of different wholes: their difference means nothing
    gap = ra.value - rb.value
    formula = f"{ra.formula}；{rb.formula}；{N.show(ra.value, '%')} − {N.show(rb.value, '%')} = {N.show(gap, '%')}个百分点"
    r = N.Result(abs(gap), "%", formula, (pa, pb, wa))
    word = "高" if gap >= 0 else "低"
    return qq.done(f"{pa.label}占{wa.label}的{N.show(ra.value, '%')}%，{pb.label}占{N.show(rb.value, '%')}%，"
                   f"前者{word} **{N.show(abs(gap), '%')}个百分点**。",
                   f"{pa.label} is {N.show(ra.value, '%')}% of {wa.label} and {pb.label} {N.show(rb.value, '%')}%: "
                   f"a gap of **{N.show(abs(gap), '%')} percentage points**.",
                   value=abs(gap), unit="%", result=r, citations=(pa.citation, pb.citation, wa.citation),
                   intent="share_gap", subject=picks[0].name)
