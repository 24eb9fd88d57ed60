"""Handlers of the arithmetic questions: a part's share of its whole, the difference of two figures, their
ratio (几倍) and the difference of two shares (百分点). Each returns an `Answer` or None (the next handler);
the operands are cited cells or stated figures, the result comes from the numeric tool with its formula.
A part must lie inside its whole (`wholes.may_contain`): else no share, and the abstention says why.
"""
from __future__ import annotations

import re

from . import compute as N
from .answer_tables import Q, operand, pick_operand, total_label
from .compose import figure
from .context import DocContext
from .operand_rules import _one_sentence, _own_total
from .question_words import bigrams
from .resolve import Pick
from .understand import clean_label, match_form
from .scoped import _SCOPE_WORD
from .wholes import _NARROW_WHOLE, _WHOLE_ASKED, _part_whole, _scope, may_contain, outside, stated_share, units_share


def share(qq: Q):
    picks = _part_whole(qq)
    if not picks:
        return None
    ctx = qq.ctx
    said = stated_share(qq, picks[0]) if picks[0].facts or picks[0].figure else None
    if said is not None:
        return said
    p0 = picks[0] = _stated_beside(qq, picks)
    whole_tables = {f.table for f in picks[1].facts[:1]} if len(picks) >= 2 else set()
    beside = _row_of_whole_table(ctx, p0, picks[1]) if len(picks) >= 2 and picks[1].facts and \
        not any(f.table in whole_tables for f in p0.facts) else None
    if beside is not None:        # "财政专户管理资金占收入总计": the whole's own table has the part's row
        part, whole = operand(ctx, beside, p0.name), pick_operand(ctx, picks[1])
        if whole is not None and whole.value and may_contain(whole, part) and abs(part.value) <= abs(whole.value):
            return _share_answer(qq, part, whole, p0.name)
    if len(p0.facts) > 1 and not p0.complementary and not any(f.table in whole_tables for f in p0.facts):
        if len(picks) >= 2 and picks[1].facts and len(picks[1].facts) == 1:
            return units_share(qq, p0, picks[1])
        return None               # several parts of that name with different figures, none beside the whole
    if len(picks) >= 2:
        totals = [p for p in picks[:2] if p.facts and p.facts[0].is_total and p.facts[0].column ==
                  ctx.parsed.table(p.facts[0].table).columns[0]]
        other = [p for p in picks[:2] if p is not totals[0]] if len(totals) == 1 else []
        if len(totals) == 1 and not (other and other[0].facts and totals[0].facts[0].value < other[0].facts[0].value):
            picks = other + totals        # a grand total is the whole, whatever the word order (never a smaller one)
        elif qq.en and re.search(r"(?:share|percentage|proportion|part) of|^\s*in\b[^,?]*,\s*what (?:share|percentage|"
                                 r"proportion|part)", qq.text, re.I):
            picks = [picks[1], picks[0]]  # "share of WHOLE is PART", "In WHOLE, what percentage is PART"
    if picks[0].complementary and len(picks[0].facts) > 1:
        return None               # a part that is the sum of cells of several tables: no one cell to divide
    part = pick_operand(ctx, picks[0])
    if len(picks) >= 2:
        whole = pick_operand(ctx, picks[1])
        wf, pf = (picks[1].facts[0] if picks[1].facts else None), (picks[0].facts[0] if picks[0].facts else None)
        if wf is not None and pf is not None and (wf.table, wf.row_index, wf.side, wf.column) == \
                (pf.table, pf.row_index, pf.side, pf.column):
            # "项目支出占支出总计": the total row was read in the part's own column; the whole is its total column
            row = ctx.index.rows.get((wf.table, wf.row_index, wf.side), [])
            if row and row[0].column != wf.column:
                whole = operand(ctx, row[0], picks[1].name)
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
            whole.citation == part.citation and whole.value == part.value and (
                match_form(whole.label) == match_form(part.label) or _printed_once(part))):
        return None               # a part is never its own whole, nor in a whole of the other kind
        # (two things stated apart with one amount, "政府采购1,916.29万元…服务类采购预算1,916.29万元": 100%)
    return _share_answer(qq, part, whole, picks[0].name)


def _printed_once(op: N.Operand) -> bool:
    """The amount stands only once in the sentence cited: part and whole would be one figure read twice."""
    quote = (op.citation.quote if op.citation else "").replace(",", "")
    return len(re.findall(rf"(?<![\d.]){re.escape(N.plain(op.value, op.unit))}(?![\d])", quote)) < 2


def _share_answer(qq: Q, part: N.Operand, whole: N.Operand, subject: str):
    r = N.share(part, whole)
    return qq.done(f"{part.label}占{whole.label}的 **{N.show(r.value, '%')}%**。",
                   f"{part.label} is **{N.show(r.value, '%')}%** of {whole.label}.",
                   value=r.value, unit="%", result=r, citations=tuple(c for c in (part.citation, whole.citation) if c),
                   intent="share", subject=subject)




def _stated_beside(qq: Q, picks: list[Pick]) -> Pick:
    """A whole stated in the narrative ("“三公”经费248.84万元") with a part the text states in the same section
    ("公务用车运行维护费210万元"), where the part's name also fits several table rows: the part as stated
    beside its whole (the same scope), else the part as picked."""
    if len(picks) < 2 or picks[1].facts or picks[1].figure is None or len(picks[0].facts) <= 1:
        return picks[0]
    section = picks[1].figure.section
    part = match_form(picks[0].name)
    told = [c.figure for m in qq.mentions for c in m.candidates
            if c.kind == "narrative" and c.figure is not None and c.figure.section == section
            and match_form(c.name) == part and c.figure.unit == picks[1].figure.unit]
    return Pick(name=picks[0].name, figure=told[0]) if len({f.value for f in told}) == 1 else picks[0]


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


def _row_of_whole_table(ctx: DocContext, part: Pick, whole: Pick):
    """The one row of the whole's table whose label is the part's name with at most its side's word after it
    ("二、财政专户管理资金收入" for 财政专户管理资金 in 收支总体情况表), in the whole's column; else None."""
    wf = whole.facts[0]
    key = match_form(part.name)
    if len(key) < 3:
        return None
    rows = [f for f in ctx.parsed.facts if f.table == wf.table and f.column == wf.column and f.side == wf.side
            and re.fullmatch(re.escape(key) + r"(?:收入|支出)?", match_form(clean_label(f.row)))]
    return rows[0] if len(rows) == 1 else None


def _whole_of(ctx: DocContext, p: Pick) -> N.Operand | None:
    """The natural denominator: a column's total row's first column, else the parent row, else the table total;
    for a part stated in a sentence, the figure it was stated under."""
    if not p.facts:
        return _stated_whole(ctx, p.figure) if p.figure is not None else None
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
    if any(p.complementary and len(p.facts) > 1 for p in pair):
        return None               # an operand that is the sum of cells of several tables: no one cell for it
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
    ms = sorted(qq.mentions, key=lambda m: m.start)
    if len(picks) >= 3 and len(ms) == len(picks) and _SCOPE_WORD.match(qq.q, ms[0].end):
        picks = picks[1:]         # "支出预算里，基本支出的占比比项目支出高…": the first is where both stand
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
