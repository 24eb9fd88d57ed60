"""What in a question the answer's evidence accounts for, and the closest things found when nothing does.

- `_explained(word, answer, qq)`: a word the plan left over is explained by the answer's own evidence (a name
  it resolved to, the cited cell's row, path, column or table, the sentence quoted or its section);
- `_unexplained_operand(plan, answer, qq)`: an operand no cited cell or quoted sentence answers to;
- `_answers_operand`: some cited cell answers to an operand by row, column, ancestors or its own table;
- `_ambiguous(qq)`: a partial name that fits several items with different figures;
- `suggestions(qq)`: up to three closest things found, each with figure and citation, for an abstention.
`check.failure` calls the first four.
"""
from __future__ import annotations

import re

from . import compute as N
from .check_stated import paths_of
from .lexicon import GENERIC_PIECE, one_way
from .plan import _YEAR, Plan
from .resolve import PROJECT_ROLES, pick
from .understand import clean_label, match_form

_GENERIC = re.compile(r"\d{4}年|部门|本部门|预算数|预算|总额|合计|小计|金额|数|额|支出|费|表")


def _cited_facts(qq, ans):
    ctx = qq.ctx
    out = []
    for c in ans.citations:
        if c.section is not None:
            continue
        figure_only = not re.search(r"[\u4e00-\u9fff]", c.quote)   # (a label wrapped over two lines: the cell
        for f in ctx.parsed.facts:                                 # is quoted by its figure alone)
            if f.page == c.page and ctx.titles.get(f.table, f.table) == c.source and (
                    c.quote == f.raw or match_form(clean_label(c.quote)).startswith(match_form(clean_label(f.row))) or
                    figure_only and c.quote == ctx.fact_quote(f)):
                out.append(f)
    from .crossrows import as_last
    out += [g for f in out if (last := as_last([f])) is not None for g in last[1]]   # a cross-classified row
    one_row = ctx.index.one_row_tables           # answers to its last subject too ("三类会议费" under 会议费)
    if ans.intent in ("value", "convert", "narrative") and ans.value is not None and len(ans.citations) == 1 and \
            any(f.table in one_row for f in out):
        # a one-row table's cells share one printed row: the cell cited is the one whose figure is stated
        same = [f for f in out if f.table not in one_row or N.plain(f.value, f.unit) == ans.value]
        out = same or out
    return out



def _answers_operand(plan: Plan, ans, qq) -> bool:
    """Some cited cell answers to an operand of the plan by its row, column, ancestors or its table (收入预算总表
    for 收入预算): not by the unit alone."""
    from .answer_tables import _mention_keys, satisfies
    spans = {r.span for r in plan.operands}
    keys = [_mention_keys(m) | {qq.q[m.start:m.end]} for m in qq.mentions if (m.start, m.end) in spans]
    def by(f, k) -> bool:
        how = satisfies(qq.ctx, f, k)
        return how is not None and (how != "title" or _title_names(qq.ctx, f, k))
    return any(by(f, k) for f in _cited_facts(qq, ans) for k in keys)


_TITLE_FILL = re.compile(r"\d{4}年度?|年度|市级|区级|省级|部门|单位|本年|综合|预算|情况|明细|汇总|总|表|支出|收入|数|分|按|"
                         r"一般公共|财政拨款|拨款|经济分类|功能分类|科目|的|及|和|本级|资金|其他")


def _title_names(ctx, f, keys) -> bool:
    """The cell's table title is the named item's own table ("收入预算总表" for 收入预算): with the item taken
    out, nothing but words every title has is left ("…“三公”经费及会议费、培训费支出预算表" names more)."""
    from .titles import bare_title
    return any(len(k) >= 2 and k in t and not _TITLE_FILL.sub("", t.replace(k, "", 1))
               for t in bare_title(ctx.titles.get(f.table, ""), f.table) for k in keys)


def _names_department(word: str, ctx) -> bool:
    """A short name of the department itself ("宣传部" of 中国共产党广州市委员会宣传部): the document, not a subject."""
    from .documents import names_department
    return names_department(word, ctx) or (word in ("本级", "局本级", "部门本级", "机关本级") and _own_level_document(ctx))


def _own_level_document(ctx) -> bool:
    """The document is the department's own level only ("2026年深圳市公安局（本级）部门预算" on its cover)."""
    head = re.sub(r"\s+", "", "".join(ctx.parsed.page_texts[:1]))[:200]
    return bool(re.search(r"[（(]本级[)）]", head))


# a heading's numbering ("第三部分", "第二章") is structure: it explains no word of a question ("…的部分")
_PART_NO = re.compile(r"第[一二三四五六七八九十百0-9]+(?:部分|章|节|篇)")


_SAME_WORD = {"下属": ("所属", "直属", "下设"), "所属": ("下属", "直属"), "直属": ("所属", "下属"),
              "新买": ("购置", "购买", "新购"), "买": ("购置", "购买"), "新购": ("购置",), "内设科室": ("内设机构", "科室", "处室"), "内设机构": ("内设科室", "科室", "处室"),
              "出租车": ("出租汽车",), "换车": ("购置", "更新"), "公交车": ("公共汽车", "公交"), "小微企业": ("小型和微型企业", "小型微型企业")}
_ACTUAL = ("实际", "实际上", "实际支出", "实际花", "实际花费", "实际发生")


def _alike(text: str) -> str:
    """`text` with the words documents write two ways written one way (财政拨款 → 财拨) and without 的."""
    return one_way(text).replace("的", "")


def _explained(word: str, ans, qq, names: bool = True, cited=None, sections: bool = True) -> bool:
    """A word the plan left over is explained by the answer's own evidence: a name it resolved to (a mention's
    label as printed, "（不含县区负担部分）"), the cited cell's row, path, column or table, or the sentence quoted
    (with `sections`, also the section the sentence stands in: not for a second thing a figure must be of)."""
    cited = ans.citations if cited is None else cited
    names = [c.key for m in qq.mentions for c in m.candidates] if names else []
    subject = match_form(ans.subject or "")     # a name the handler made of the question's own words explains nothing
    hay = _PART_NO.sub("|", match_form(" ".join([*names, subject if subject in qq.ctx.index.doc_text else ""] +
                                                [f"{c.source}{c.section or ''}{c.quote}" for c in cited] +
                                                paths_of(qq, ans, cited))))
    if word in hay:
        return True
    same, printed = _SAME_WORD.get(word, ()), one_way(word)
    word, hay = _alike(word), _alike(hay)       # "委托业务费财政拨款" where the document says "委托业务费涉及财拨资金"
    if word in hay or any(w in hay for w in same):
        return True               # "下属单位" where the document prints 所属单位
    if word in _ACTUAL and re.search(r"决算|执行数|实际", hay):
        return True               # "实际花了多少": the final-account (决算) figure cited is what was actually spent
    if 4 <= len(word) <= 8 and re.search(".{0,2}".join(map(re.escape, word)), hay):
        return True               # "热线外包" in 热线话务外包服务项目: the words in order, close together
    for c in cited if sections else ():   # the section a quoted sentence stands in ("项目概况" of the project)
        if c.section:
            sec = next((x for x in qq.ctx.parsed.sections if " ".join(x.heading) == c.section), None)
            if sec is not None and printed in one_way(match_form(sec.text)):
                return True       # (with its 的: "工程的规划建筑面积" is not explained by another sentence's 工程规划建筑面积)
    if ans.intent == "sum" and 2 <= len(word) <= 4 and _contracts(word, ans, qq, cited):
        return True               # "离退休人员的钱" for 离休费 + 退休费: the word runs the items' names together
    if len(word) == 4 and all(h in hay and not GENERIC_PIECE.match(h) for h in (word[:2], word[2:])):
        return True               # "内设机构" where the document says "内设34个，各机构…": both words, neither generic
    grams = {word[i:i + 2] for i in range(len(word) - 1)}
    return len(word) >= 4 and sum(g in hay for g in grams) / len(grams) >= 0.67


def _contracts(word: str, ans, qq, cited) -> bool:
    """`word` is made of the first characters of two or more of the items added ("离退休" of 离休费 and 退休费,
    "水电" of 水费 and 电费): each item's label starts a piece of it, and the pieces make it."""
    labels = [re.sub(r"^\d+\s*", "", match_form(clean_label(f.row))) for f in _cited_facts(qq, ans)]
    if len(labels) < 2:
        return False
    rest = word
    for lab in labels:
        k = next((n for n in range(min(len(lab), len(rest)), 0, -1) if rest.endswith(lab[:n])
                  or rest.startswith(lab[:n])), 0)
        if k == 0:
            continue
        rest = rest[k:] if rest.startswith(lab[:k]) else rest[:-k]
    return rest == ""


_COUNTED_NAME = re.compile(r"[（(](?:次|人|人次|个|家|辆|台|套|项|%|天|场|期|份|户|所)[)）]$")   # an indicator's own unit


def _alternatives(qq, m) -> list:
    """Other things of the document whose name contains the stretch a partial mention matched, with figures
    unlike the chosen one ("公务用车" in 公务用车购置费, 公务用车运行维护费, 公务用车购置及运行维护费)."""
    span = qq.q[m.start:m.end]
    chosen = m.candidates[0]
    if span == chosen.key or len(span) < 2 or chosen.kind == "narrative" or \
            any(c.key == span for c in qq.ctx.index.candidates + qq.ctx.index.narr_candidates):
        return []                 # the question names an item exactly
    if not chosen.facts or not re.sub(r"合计|小计|总计", "", chosen.key.replace(span, "", 1)):
        return []                 # (or its very total: "人员经费" is the 人员经费合计 row, not a project's 人员经费)
    first = chosen.facts[0].value
    titles = {match_form(t) for t in qq.ctx.titles.values()}
    out = []
    for c in qq.ctx.index.candidates:
        extra = _GENERIC.sub("", c.key.replace(span, "", 1))
        tail = qq.ctx.index.bracket_tails.get(c.key, 0)
        if tail and span in c.key[len(c.key) - tail:]:
            continue              # "业务用房物业管理费（市版权保护中心）" is an item of that unit, not another name of it
        project = qq.ctx.index.tables[c.facts[0].table].role in PROJECT_ROLES if c.facts else False
        if c.facts and (c.facts[0].unit in N.MONEY) != (chosen.facts[0].unit in N.MONEY) or \
                _COUNTED_NAME.search(c.name) and not _COUNTED_NAME.search(chosen.name):
            continue              # "会计类考试组织次数（次）" is a count, no rival of the money of 会计类考试考务
        if c.key != chosen.key and span in c.key and c.facts and c.facts[0].value != first and \
                len(extra) >= 2 and (project or not any(c.key in t for t in titles)):
            out.append(c)
    return out



def _ambiguous(qq) -> list[str]:
    for m in qq.mentions:
        alt = _alternatives(qq, m)
        if alt:
            return [qq.q[m.start:m.end], m.name] + [c.name for c in alt]
    return []


def _unexplained_operand(plan: Plan, ans, qq) -> str | None:
    """An operand of the plan that no cited cell answers to (by row, column, ancestor or table title); an
    operand the document names only in its text ("三公经费" in a heading) must be in the evidence cited."""
    from .answer_tables import _FUND_NAME, _mention_keys, satisfies, total_label
    spans = {r.span for r in plan.operands}
    cited = ans.citations[:1] if ans.intent in ("value", "convert") else ans.citations   # the first states it
    evidence = match_form("".join(f"{c.source}{c.section or ''}{c.quote}" for c in cited))
    asked = qq.q if qq.en else match_form(qq.text)     # (an English question names its terms in translation)
    aside = [match_form(x) for x in re.findall(r"[（(]([^）)]{2,})[）)]", qq.text)]   # "行政经费（机关运行经费）"
    for m in qq.mentions:
        span = qq.q[m.start:m.end]
        key = _GENERIC.sub("", _YEAR.sub("", span))     # "支出预算", "去年" name no item of their own; "三公经费" does
        if (m.start, m.end) not in spans or not all(c.kind == "narrative" for c in m.candidates) or len(key) < 2 \
                or span not in asked or any(span in x for x in aside):
            continue          # not a text-only subject the citizen named (a synonym's expansion, an aside)
        if key in evidence or any(_GENERIC.sub("", c.key) in evidence for c in m.candidates) or \
                _explained(span, ans, qq, names=False, cited=cited) or _alike(match_form(span)) in _alike(evidence):
            continue
        return m.name
    facts = _cited_facts(qq, ans)
    if not facts:
        return None
    for m in qq.mentions:
        if (m.start, m.end) not in spans or not any(c.kind in ("row", "column") for c in m.candidates):
            continue
        if _total_said_again(qq, m) or included_aside(qq, m, ans):
            continue
        keys = _mention_keys(m)
        one_row = qq.ctx.index.one_row_tables

        def ident(f, col=False):   # a column's cell, and in a one-row table (the 三公 table of some templates)
            return (f.table, f.row_index, f.side, f.column if col or f.table in one_row else None)   # each column
        rows = {ident(f, c.kind == "column") for c in m.candidates for f in c.facts}
        def answers(f) -> bool:   # a one-row table's title names all its items: it explains none of them;
            how = satisfies(qq.ctx, f, keys)          # a title naming more than the item does not name the item
            if how is None and f.is_total and match_form(total_label(qq.ctx, f)) in keys:
                return True       # a 支出 table's 合计 row is its 支出合计
            return how is not None and not (how == "title" and f.table in one_row)
        side_named = lambda f: any(re.fullmatch(re.escape(k) + r"(?:收入|支出)", match_form(clean_label(f.row)))  # noqa: E731
                                   for k in keys)     # "财政专户管理资金收入" answers 财政专户管理资金
        fund = _FUND_NAME.match(match_form(m.name))     # "一般公共预算拨款": the table or column is that fund's
        of_fund = lambda f: fund is not None and fund.group(1) in match_form(  # noqa: E731
            qq.ctx.titles.get(f.table, "") + f.column)
        if not any(ident(f) in rows or ident(f, True) in rows or answers(f) or side_named(f) or of_fund(f)
                   for f in facts) and \
                not _stated_alike(m, ans) and not _scope_of_answer(qq, m, spans, facts, ans):
            return m.name
    return None


_INCLUDING = re.compile(r"(?:含|包括|包含|连同)$")


def included_aside(qq, m, ans) -> bool:
    """"收入预算总计（含上年结转）": a thing said to be included in the figure asked, after the thing asked, is a
    part of the answer, not a second figure; so when the answer is at least as large as it is."""
    from decimal import Decimal, InvalidOperation
    if not _INCLUDING.search(qq.q[max(0, m.start - 2):m.start]) or not any(e.end <= m.start - 1 for e in qq.mentions
                                                                         if e is not m):
        return False
    try:
        got = Decimal(str(ans.value))
    except (InvalidOperation, TypeError, ValueError):
        return False
    own = [f for c in m.candidates for f in c.facts if f.value is not None and f.unit == ans.unit]
    if not own or not all(got >= f.value for f in own):
        return False
    # and the figure is a grand total the document prints as such (收入总计 holds 上年结转; 本年收入合计 does not)
    return any(g.value == got and g.unit == ans.unit and "总计" in g.row for g in qq.ctx.parsed.facts)


def _total_said_again(qq, m) -> bool:
    """"项目支出里，…占项目支出合计的比重": "支出合计" was only the end of a thing named before, said again with 合计."""
    span, lead = qq.q[m.start:m.end], qq.q[max(0, m.start - 8):m.end]
    return any(e.end <= m.start and any(lead.endswith(w) and w.endswith(span) and len(w) > len(span)
                                        for w in (qq.q[e.start:e.end] + t for t in ("合计", "总计", "总额")))
               for e in qq.mentions)


def _scope_of_answer(qq, m, spans, facts, ans=None) -> bool:
    """"“三公”经费里因公出国（境）费…": a thing named with 里/中/内 before the other operand is where the answer
    lies, not a figure asked: explained when the answer's cell is in one of its tables and no larger than it."""
    from .scoped import _SCOPE_WORD
    after = _SCOPE_WORD.match(qq.q, m.end)
    if after is None or after.end() == m.end or not any(a >= after.end() for a, _ in spans):
        return False
    own = [f for c in m.candidates for f in c.facts if f.value is not None]
    if any(f.table == w.table and f.value is not None and f.unit == w.unit and abs(f.value) <= abs(w.value)
           for f in facts for w in own):
        return True
    # or the very figures are printed under its name elsewhere ("基本支出·人员经费" of the economic table)
    key, titles = match_form(qq.q[m.start:m.end]), qq.ctx.titles
    from decimal import Decimal
    used = {Decimal(x) for x in re.findall(r"\d+(?:\.\d+)?", (getattr(ans, "calculation", None) or "").replace(",", ""))}
    values = {(f.value, f.unit) for f in facts if f.value and (not used or f.value in used)}
    return len(key) >= 2 and bool(values) and all(any(
        (g.value, g.unit) == v and key in match_form(g.column + "|" + titles.get(g.table, "")) for g in qq.ctx.parsed.facts)
        for v in values)


def _stated_alike(m, ans) -> bool:
    """A sentence cited states the very figure the mention's one cell prints, in its unit ("收入预算合计
    512,434.34万元" for 本年收入合计 512,434.34): the same number, told in the text."""
    cells = {(f.value, f.unit) for c in m.candidates if c.kind in ("row", "column") for f in c.facts}
    if len(cells) != 1:
        return False
    (value, unit), = cells
    for c in ans.citations:
        shown = N.printed_as(value, c.quote or "") if c.section and unit else None
        if shown and re.search(re.escape(shown) + r"\s*" + re.escape(unit), c.quote):
            return True
    return False


def suggestions(qq, limit: int = 3) -> list[dict]:
    """Up to `limit` closest things that were found: each mention's figure with its citation."""
    ctx = qq.ctx
    out, seen = [], set()
    found = []
    for m in qq.mentions:
        p = pick(m, qq.q, ctx.titles, ctx.index.tables)
        for f in p.facts[:limit]:          # each of several things of that name
            col = f.column.split("·")[-1]
            label = " › ".join((*f.path[-1:], p.name)) if len(p.facts) > 1 and f.path else p.name
            text = f"{label}（{col}）" if col and match_form(col) != match_form(p.name) else label
            found.append((text, N.plain(f.value, f.unit), f.unit, ctx.fact_citation(f)))
        if not p.facts and p.figure:
            fig = p.figure
            found.append((fig.subject or p.name, N.plain(fig.value, fig.unit), fig.unit,
                          ctx.figure_citation(fig)))
    for text, val, unit, cit in found:
        key = (text, val)
        if key in seen:
            continue
        seen.add(key)
        out.append({"text": text, "value": val, "unit": unit, "citation": cit})
        if len(out) >= limit:
            break
    for m in qq.mentions:            # a partial name: the other things it may mean
        for c in _alternatives(qq, m)[:limit]:
            f = c.facts[0]
            if len(out) < limit and (c.name, N.plain(f.value, f.unit)) not in seen:
                seen.add((c.name, N.plain(f.value, f.unit)))
                out.append({"text": c.name, "value": N.plain(f.value, f.unit), "unit": f.unit,
                            "citation": ctx.fact_citation(f)})
    return out


def stated_apart(word: str, ans, qq) -> bool:
    """A word explained only by the section the quoted sentence stands in, while that section states a figure of
    its own in a sentence with the word ("政府采购里给中小企业预留了多少" answered with the 政府采购 total, the section
    going on "…预留…1,928.48万元"): the figure asked is that other one."""
    from . import compute as N
    if len(word) < 3 or _explained(word, ans, qq, sections=False):
        return False          # (a short qualifier, "本级", "行政", is no thing of its own)
    heads = {c.section for c in ans.citations if c.section}
    back = {m.group(1) for c in ans.citations for m in _BACK_REF.finditer(match_form(c.quote))}
    w = re.escape(match_form(word))
    return any(re.search(w, match_form(f.quote)) and f.heading.replace(" › ", " ") in heads and
               f.unit == ans.unit and N.plain(f.value, f.unit) != ans.value and
               not any(re.search(rf"{w}[^，。；]{{0,12}}{x}", match_form(f.quote)) for x in back)
               for f in qq.ctx.index.figures)


# "本工程规划建筑面积约13,459平方米": the quoted sentence speaks of the 工程 the section named before (the word of its
# name is explained, not stated apart, by the sentence naming it with another figure)
_BACK_REF = re.compile(r"(?:本|该|上述)(工程|项目)")
