"""Sets of rows a question ranges over, and the sums over them (12345热线相关项目一共多少); counts (多少个项目)
and the largest or smallest (哪个项目最大) are in answer_counts.py. A set is one table's rows: the children of a
named row, rows whose names contain the question's words, the project table's leaves, or the top rows of a
table the question names (by title, or by national class codes)."""
from __future__ import annotations

import re
from decimal import Decimal

from index.models import Fact

from . import compute as N
from .compose import figure
from .context import DocContext
from .answer_tables import Q, intersect, operand, pick_operand
from .resolve import describe, pick, same_amount
from .scoped import _scope_of, _under
from .documents import _row_keys
from .understand import Mention, match_form
from .question_words import bigrams


_SET_NOISE = re.compile(r"相关|有关|所有|全部|各个?|的|项目|经费|支出|一共|总共|合计|加起来|总和|共计|累计|是|多少|"
                        r"几个|多少个|数量|有|哪些|万元|元|钱|金额|预算|安排|了|呢|吗|请问|列出|最大|最小|最多|最少|"
                        r"哪个|哪项|计|总|分别|包括|个数|共|什么|中")


# terms of the budget's own vocabulary: one thing each, not a keyword and a noise word
_TERMS = re.compile(r"(日常公用经费|人员经费|公用经费|机关运行经费|行政经费|基本支出|项目支出|工资福利支出|商品和服务支出|"
                    r"对个人和家庭的补助|三公经费)")


def row_set(qq: Q) -> tuple[list[Fact], str]:
    """Rows of the document named by a keyword in the question ("12345热线相关项目" → rows with 12345 and 热线)."""
    terms = [t for t in _TERMS.findall(qq.q) if t in qq.text]      # (as asked: "运维项目经费" is read 项目支出)
    if any(not any(t in k for k in _row_keys(qq.ctx)) for t in terms):
        return [], ""         # "人员经费" asked where no row is so named: not the rows that hold 人员 ("医务人员…经费")
    rest = " ".join(_SET_NOISE.sub(" ", piece) if i % 2 == 0 or piece not in terms else piece  # a term is kept
                    for i, piece in enumerate(_TERMS.split(qq.q)))     # whole (经费 is noise elsewhere: "热线项目的经费")
    parts = [p for p in re.findall(r"[A-Za-z0-9]+|[\u4e00-\u9fff]{2,}", rest)]
    if not parts:
        return [], ""
    exact = [qq.q[m.start:m.end] for m in qq.mentions if any(c.key == qq.q[m.start:m.end] for c in m.candidates)]
    if len(qq.mentions) == 1 and exact and all(any(p in e for e in exact) for p in parts):
        return [], ""         # "基本支出是多少" names one thing exactly: not the rows whose names hold 基本
    facts = _rows_containing(qq, parts)
    if len(facts) < 2 and len(parts) > 1:
        # the longest part alone, when each other part is accounted for by one of those rows ("（含县区负担部分）")
        # or by their table or column; never dropped ("下属事业单位的会议费" is no set of rows named like 事业单位)
        longest = max(parts, key=len)
        others = [p for p in parts if p != longest]
        alone = _rows_containing(qq, [longest])
        if all(any(_contains(match_form(f.row), p) or p in match_form(qq.ctx.titles.get(f.table, "")) or
                   p in match_form(f.column) for f in alone) for p in others):
            facts = alone or facts
    if not facts:
        return [], ""
    # one table: the one with most matches (a figure repeated in several tables is counted once)
    tables = {}
    for f in facts:
        tables.setdefault(f.table, []).append(f)
    best = max(tables.values(), key=len)
    role = qq.ctx.index.tables[best[0].table].role if best[0].table in qq.ctx.index.tables else ""
    if role and any(qq.ctx.index.tables[f.table].role == role and not any(same_amount(f, g) for g in best)
                    for f in facts if f.table != best[0].table and f.table in qq.ctx.index.tables):
        return [], ""         # more rows of that name in another table of the same kind (one 绩效目标表 each): not one set
    return N.rollup_free(best), "".join(parts)


def _qualifiers(qq: Q) -> tuple[list[Mention], list[Mention]]:
    """Mentions naming things to add (rows) and mentions only narrowing them (columns, table words)."""
    rows, quals = [], []
    one_row = qq.ctx.index.one_row_tables
    for m in qq.mentions:
        # a column of a one-row table (the 三公/会议费/培训费 table of some templates) is an item, not a qualifier
        if all(c.kind == "column" for c in m.candidates) and \
                not all(f.table in one_row for c in m.candidates for f in c.facts):
            quals.append(m)
        else:
            rows.append(m)
    return rows, quals


def _rows_containing(qq: Q, parts: list[str]) -> list[Fact]:
    wanted = [(p, _pairs(p)) for p in parts]          # each part's pairs once, not once per row
    firsts: dict[tuple, Fact] = {}
    for key, facts in qq.ctx.index.rows.items():
        f = facts[0]
        if f.is_total:
            continue
        lab = match_form(f.row)
        if all(_contains(lab, p, g) for p, g in wanted):
            firsts.setdefault((f.table, f.row_index), f)
    return list(firsts.values())


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _contains(label: str, part: str, grams: set[str] | None = None) -> bool:
    """The label has the part, or (for a Chinese phrase of 4+ characters) two thirds of its character pairs
    ("热线外包" in "…12345热线话务外包服务项目"). A pair is in the label exactly when it is one of the label's
    own pairs, so the count costs the label's length, not the part's."""
    if part in label:
        return True
    if len(part) < 4 or part.isascii():
        return False
    grams = _pairs(part) if grams is None else grams
    # pairs any money item has (经费, 支出…) say nothing of which one: "人员经费" is not in "…医务人员、救护车补助经费"
    grams = grams - _MONEY_PAIRS
    return bool(grams) and len(grams & _pairs(label)) / len(grams) >= 0.6


_GENERIC_KEYS = frozenset({"收入", "支出", "经费", "资金", "预算", "服务", "费用", "补助", "拨款", "财政", "总额", "其他"})
_MONEY_PAIRS = frozenset({"经费", "费用", "支出", "资金", "预算", "项目", "专项", "补助", "收入", "拨款"})


def total(qq: Q):
    ctx = qq.ctx
    row_ms, quals = _qualifiers(qq)
    if not row_ms and quals:
        return None          # "基本支出一共多少": a column's total is a value, not a sum
    scope = _scope_of(qq, row_ms)
    if scope is not None:
        row_ms = [m for m in row_ms if m is not scope]
        row_ms = _under(qq, row_ms, scope)
        if row_ms is None:
            return None      # the items named are not rows under the scope named: no sum of them within it
    ordered = sorted(row_ms, key=lambda m: m.start)
    joined = any(_JOINS.search(qq.q[a.end:b.start]) for a, b in zip(ordered, ordered[1:])) or "、" in qq.text
    for a, b in zip(ordered, ordered[1:]):       # (the match form drops "、": "A、B和C" runs A into B)
        gap = qq.q[a.end:b.start]
        if not _JOINS.search(gap) and (_QUALIFIES.search(gap) or not gap.strip() and not joined):
            return None      # "一般公共预算安排的培训费一共多少", "部门预算收入一共多少": one thing qualified, not two added
    picks = []
    for m in row_ms:
        p = intersect(qq, [m] + quals) if quals else None
        picks.append(p or pick(m, qq.q, ctx.titles, ctx.index.tables))
    picks = _distinct_cells([p for p in picks if p.value is not None])
    if len(row_ms) >= 2 and len(picks) == 1 and len(picks[0].facts) == 1:
        return None          # one cell named twice (its name and its code): a value, not a sum
    if len(picks) == 1 and len(picks[0].facts) > 1:
        ops = [operand(ctx, f, describe(f)) for f in picks[0].facts]
        label = f"{len(ops)}项“{picks[0].name}”"
    elif len(picks) >= 2:
        ops = [pick_operand(ctx, p) for p in picks]
        label = "、".join(o.label for o in ops)
    elif _ABOVE.search(qq.text) or _BELOW.search(qq.text):
        rows, what = scope_rows(qq)
        if not rows:
            return None
        ops = [operand(ctx, f) for f in rows]
        label = f"{what}{len(ops)}项"
    else:
        rows, key = row_set(qq)
        if len(rows) < 2:
            return grand_total(qq) if not row_ms else None
        ops = [operand(ctx, f) for f in rows]
        label = f"名称含“{key}”的{len(ops)}项（{'、'.join(o.label for o in ops)}）"
    r = N.total(ops)
    return qq.done(f"{label}合计 **{figure(r.value, r.unit)}**。", f"Together {label}: **{figure(r.value, r.unit)}**.",
                   value=r.value, unit=r.unit, result=r, citations=tuple(o.citation for o in ops[:6]),
                   intent="sum", subject=picks[0].name if picks else None)


# between two things added: a joining word; between a thing and what qualifies it: 的, 中, 安排, 包括…
_JOINS = re.compile(r"和|与|及|、|加|跟|同|还有|以及|并且|plus|and", re.I)
_QUALIFIES = re.compile(r"的|中|里|内|安排|包括|包含|含|用于|多少|是")


def _distinct_cells(picks: list) -> list:
    """Picks whose principal cell is another's (one thing named by its label and by its code) count once."""
    out, seen = [], set()
    for p in picks:
        f = p.facts[0] if p.facts else None
        key = (f.table, f.row_index, f.side, f.column) if f is not None else id(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def project_rows(ctx: DocContext) -> list[Fact]:
    """Leaf rows of the project-spending table (the one whose title names 项目支出 and lists projects)."""
    from .check import _ORG, _units
    from .titles import bare_title
    best: list[Fact] = []
    units = _units(ctx)
    for t in ctx.parsed.tables:
        # (not a performance-target table: its rows are indicators, 产出指标/成本指标, not projects)
        if "项目" not in t.title or "经济分类" in t.title or "功能分类" in t.title or "绩效" in t.title:
            continue
        titled = bare_title(t.title, t.id)
        rows = [fs[0] for (tid, _, _), fs in ctx.index.rows.items() if tid == t.id and not fs[0].is_total]
        parents = {a for f in rows for a in f.path}
        # a unit's row (its subtotal) or a row labelled with the table's title is no project
        leaves = [f for f in rows if f.row not in parents and match_form(f.row) not in units and
                  match_form(f.row) not in titled and not (f.entity and match_form(f.entity) == match_form(f.row)) and
                  not _ORG.search(re.sub(r"[（(][^）)]*[）)]?$", "", f.row).strip()) and
                  len(re.findall(r"[\u4e00-\u9fff]", f.row)) >= 2]      # (a header's column numbers are no row)
        if len(leaves) > len(best):
            best = leaves
    return best


def children_of(ctx: DocContext, f: Fact) -> list[Fact]:
    return [fs[0] for (tid, _, _), fs in ctx.index.rows.items()
            if tid == f.table and fs[0].path and fs[0].path[-1] == f.row and fs[0].row_index > f.row_index]


_SPEND = re.compile(r"花|支出|开支|花费|用钱|预算|钱")
_GRAND_NOISE = re.compile(r"今年|本年|全年|一年|一共|总共|全部|总计|合计|总的|总|共|本部门|部门|单位|我们|花费|花了|花|支出|开支|"
                          r"用钱|预算|钱|多少|是|的|了|啊|呢|吗|要|有|安排|大概|一下|请问")


def grand_total(qq: Q):
    """"今年一共花多少钱": with nothing else named, the document's total expenditure."""
    if not _SPEND.search(qq.q) or re.search(r"[\u4e00-\u9fff]", _GRAND_NOISE.sub("", qq.q)):
        return None               # other words remain ("两个重点项目的预算合计"): not the grand total
    best = None
    for fs in qq.ctx.index.rows.values():
        f = fs[0]
        if f.is_total and "支出" in (f.row + f.side) and re.search(r"合计|总计", f.row):
            rank = (0 if "本年" in f.row else 1, f.row_index)
            if best is None or rank < best[0]:
                best = (rank, f)
    if best is None:
        return None
    f = best[1]
    cit = qq.ctx.fact_citation(f)
    return qq.done(f"全年支出合计 **{figure(f.value, f.unit)}**（{f.row}）。",
                   f"Total expenditure is **{figure(f.value, f.unit)}** ({f.row}).",
                   value=f.value, unit=f.unit, citations=(cit,), intent="sum", subject=f.row,
                   value_str=N.plain(f.value, f.unit))


def named_rows(qq: Q):
    """A value question whose words name rows only loosely ("12345热线外包项目多少钱"): those rows."""
    rows, key = row_set(qq)
    if not rows or len(rows) > 6 or (len(rows) > 1 and key in _GENERIC_KEYS):
        return None           # "收入预算总额": not every row whose name holds 收入, summed
    if len(rows) > 1 and len({match_form(f.row) for f in rows}) == 1:
        return None           # one name on several rows (each unit's 因公出国（境）费用): which one is not said
    ctx = qq.ctx
    if len(rows) == 1:
        f = rows[0]
        if any(g.row == f.row and g.value != f.value for (t, _, _), fs in ctx.index.rows.items() if t == f.table
               for g in fs[:1]):
            return None       # another row of that table has the same name and another figure: which one is not said
        return qq.done(f"{f.row}为 **{figure(f.value, f.unit)}**。", f"{f.row} is **{figure(f.value, f.unit)}**.",
                       value=f.value, unit=f.unit, citations=(ctx.fact_citation(f),), intent="value",
                       subject=f.row, value_str=N.plain(f.value, f.unit))
    lines = "\n".join(f"- {f.row}：**{figure(f.value, f.unit)}**" for f in rows)
    r = N.total([operand(ctx, f) for f in rows])
    return qq.done(f"名称含“{key}”的有{len(rows)}项，合计 **{figure(r.value, r.unit)}**：\n{lines}",
                   f"{len(rows)} items match “{key}”, together **{figure(r.value, r.unit)}**:\n{lines}",
                   value=r.value, unit=r.unit, result=r, citations=tuple(ctx.fact_citation(f) for f in rows),
                   intent="sum", subject=key)


def unit_rows(qq: Q) -> tuple[list[Fact], str]:
    """"哪个单位…": the uncoded top rows (the units) of the table whose title the question names."""
    want = bigrams(qq.q)
    best, best_n = None, -1
    for t in qq.ctx.parsed.tables:
        tops = [fs[0] for (tid, _, _), fs in qq.ctx.index.rows.items()
                if tid == t.id and not fs[0].is_total and not fs[0].path and not fs[0].code and not fs[0].side]
        kids = [fs[0] for (tid, _, _), fs in qq.ctx.index.rows.items() if tid == t.id and fs[0].path]
        if len(tops) < 2 or not kids:
            continue
        n = len(want & bigrams(re.sub(r"^\S*表\s*", "", t.title)))
        if n > best_n:
            best, best_n = (tops, t.title), n
    return best or ([], "")


_ABOVE = re.compile(r"(?:超过|大于|高于|多于|不少于|不低于|至少)\s*([\d.]+)\s*(万元|亿元|元)|([\d.]+)\s*(万元|亿元|元)\s*(?:以上|及以上)")
_BELOW = re.compile(r"(?:少于|小于|低于|不足|不到|不超过)\s*([\d.]+)\s*(万元|亿元|元)|([\d.]+)\s*(万元|亿元|元)\s*(?:以下|及以下)")


def threshold(qq: Q, rows: list[Fact]) -> tuple[list[Fact], str]:
    """Keep the rows above or below an amount the question names ("超过100万元的项目")."""
    from index.models import convert
    for rx, keep, word in ((_ABOVE, lambda v, t: v > t or (v == t and "以上" in qq.text), "超过"),
                           (_BELOW, lambda v, t: v < t or (v == t and "以下" in qq.text), "低于")):
        m = rx.search(qq.text)
        if m:
            amount, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            t = Decimal(amount)
            kept = [f for f in rows if keep(convert(f.value, f.unit, unit), t)]
            return kept, f"（{word}{amount}{unit}的）"
    return rows, ""


def scope_rows(qq: Q) -> tuple[list[Fact], str]:
    """The set a count / max / min / list question ranges over, narrowed by any threshold it names."""
    rows, what = _scope_rows(qq)
    rows, cond = threshold(qq, rows)
    return rows, f"{what}{cond}" if cond else what


def _scope_rows(qq: Q) -> tuple[list[Fact], str]:
    if re.search(r"哪个单位|哪家单位|哪一个单位|各单位", qq.q):
        rows, what = unit_rows(qq)
        if rows:
            return rows, what
    picks = [p for p in qq.picks() if p.facts]
    if picks:
        want = bigrams(qq.q)
        for f in sorted(picks[0].facts, key=lambda f: -len(want & bigrams(qq.ctx.titles[f.table]))):
            kids = children_of(qq.ctx, f)
            if kids:
                return kids, picks[0].name
    rows, key = row_set(qq)
    if len(rows) >= 2:
        return rows, f"名称含“{key}”的项目"
    if "项目" in qq.q or "project" in qq.text.lower():
        return project_rows(qq.ctx), "项目"
    return titled_rows(qq)


def titled_rows(qq: Q) -> tuple[list[Fact], str]:
    """Top rows of the table whose title the question names ("哪项功能支出最多" → the 功能分类 table's 类)."""
    ctx = qq.ctx
    want = bigrams(qq.q) - {"哪项", "哪个", "最多", "最少", "最大", "最小", "多少", "几个"}
    best, best_n = None, 1
    for t in ctx.parsed.tables:
        n = len(want & bigrams(re.sub(r"^\S*表\s*", "", t.title)))
        if n > best_n:
            best, best_n = t, n
    if best is None:
        return classes_named(qq)
    tops = [fs[0] for (tid, _, _), fs in ctx.index.rows.items()
            if tid == best.id and not fs[0].is_total and not fs[0].path and not fs[0].side]
    return tops, best.title


def classes_named(qq: Q) -> tuple[list[Fact], str]:
    """功能分类 / 经济分类 classes by their national codes (类: 3 digits, functional 2xx, economic 3xx/5xx),
    from the table that lists most of them, when no title says which table."""
    prefix = "2" if "功能" in qq.q else "35" if "经济" in qq.q else ""
    if not prefix:
        return [], ""
    by_table: dict[str, list[Fact]] = {}
    for (tid, _, _), fs in qq.ctx.index.rows.items():
        f = fs[0]
        if f.code and len(f.code) == 3 and f.code[0] in prefix:
            by_table.setdefault(tid, []).append(f)
    if not by_table:
        return [], ""
    tid = max(by_table, key=lambda t: len(by_table[t]))
    return by_table[tid], qq.ctx.titles[tid]
