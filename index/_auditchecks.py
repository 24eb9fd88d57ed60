"""Table checks of the consistency audit (see `index.audit`): sums within a table (parent = its items,
a total = the rows it closes, 合计 = its columns) and footnotes that contradict a table. Totals across
tables are in `index._auditcross`; rows and figures in `index._auditrows` and `index._auditfigures`, whose
names are re-exported here for `index.audit`.

Everything here works on `ParsedDocument` facts only, and matches tables by what they are (title keywords),
never by their number, so the Guangdong (表1–表12), Jiangsu (公开01–12表) and Shanghai (9 tables) templates
are all covered. Amounts are compared at the precision the documents print (2 decimals in 万元, as printed
in 元); a difference of one unit of that precision is "rounding" (尾数误差), more is "error".
"""
from __future__ import annotations

import re
from decimal import Decimal

from .audit import Evidence, Finding
from .models import ParsedDocument, Table
# (some names are imported for index.audit and assistant.web.charts, which read them from here)
from ._auditrows import (MAX_EVIDENCE, PIECE, Row, ZERO, _CN_ORD, _PROCURE_ITEM, additive_columns, by_side,
    fmt, grade, is_money_table, leaf, money_rows, nonzero, quantum_for, rnd, table_rows, tables_of, to_common)  # noqa: F401
from ._auditfigures import (fiscal_this_year, this_year_total, DEPT_PROJECT, EXPEND, FISCAL, FISCAL_BASIC, FISCAL_FUNC, GPB_BASIC, GPB_FUNC,
    GPB_PROJECT, INCOME, OFFICE, OVERALL, PROCURE, SANGONG, _code_fig, _main_col, _sum_figs, fig_of, find_row,
    grand, grand_row, kind_of, sangong_items, sangong_measures, sangong_table, side_total, tabs_by_kind)  # noqa: F401
from ._auditcross import (check_cross_tables)  # noqa: F401

# ----------------------------------------------------------------------------------------------- check 1: sums

def _top_rows(seq: list[Row]) -> list[Row] | None:
    """The outermost rows of a run: shortest codes, else 一、-numbered rows, else the lowest level; None when
    the run hides a hierarchy (no partition can be assumed, so nothing is summed over it)."""
    rows = [r for r in seq if not r.total and not r.label.startswith("其中")]
    if not rows:
        return []
    coded = [r for r in rows if r.code]
    if coded and len(coded) * 2 >= len(rows):   # (a stray code among uncoded rows — "12320卫生热线…" — is no hierarchy)
        n = min(len(r.code) for r in coded)
        return [r for r in coded if len(r.code) == n]
    cn = [r for r in rows if _CN_ORD.match(r.label)]
    if cn:                    # ("一、本年支出" over "一、一般公共服务支出 …": numbered alike, yet parent and items)
        return None if _hides_hierarchy(cn) else cn
    lvl = min(r.level for r in rows)
    top = [r for r in rows if r.level == lvl]
    return None if _hides_hierarchy(top) else top


def _hides_hierarchy(rows: list[Row]) -> bool:
    """Uncoded, unnumbered rows printed at one level may still be parents and children (a 类 row, its 款
    and 项 rows, with the indentation lost; a department row and its units): a row whose amount equals
    the sum of the rows right after it gives that away, and then no partition can be assumed."""
    if len(rows) < 2:
        return False
    counts: dict[str, int] = {}
    for r in rows:
        for c in r.cells:
            counts[c] = counts.get(c, 0) + 1
    col = max(counts, key=lambda c: counts[c])
    vals = [r.get(col) for r in rows]
    q = quantum_for(rows[0].unit, vals)
    for i, v in enumerate(vals):
        if not v:
            continue
        acc = ZERO
        for k, w in enumerate(vals[i + 1:], 1):
            acc += w or ZERO
            if abs(acc - v) * 2 <= q * k:          # each row rounded by at most half a unit
                return True
            if acc > v + q * k:
                break
    return False


_ORD_STYLES = (("cn", re.compile(r"^(?:其中[:：]\s*)?[一二三四五六七八九十]+、")),
               ("paren", re.compile(r"^(?:其中[:：]\s*)?[（(][一二三四五六七八九十]+[)）]")),
               ("paren_num", re.compile(r"^(?:其中[:：]\s*)?[（(]\d+[)）]")),
               ("num", re.compile(r"^(?:其中[:：]\s*)?\d+\s*[.．、]")))


_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}


def _ord_number(label: str) -> int | None:
    m = re.match(r"^(?:其中[:：]\s*)?[（(]?(\d+|[一二三四五六七八九十]+)", label)
    if not m or not _ord_style(label):
        return None
    g = m.group(1)
    if g.isdigit():
        return int(g)
    return _CN_DIGITS.get(g) if len(g) == 1 else (10 + _CN_DIGITS.get(g[1], 0) if g[0] == "十" else None)


def _ord_style(label: str) -> str | None:
    return next((k for k, rx in _ORD_STYLES if rx.match(label)), None)


def _children(p: Row, rows: list[Row], i: int) -> list[Row]:
    if p.code:
        # a code's children follow it, up to the first row outside its code (in a per-unit table the same
        # codes come again under the next unit: those are not this row's children)
        block = []
        for r in rows[i + 1:]:
            if r.code and not r.code.startswith(p.code) or r.code == p.code:
                break
            block.append(r)
        kids = [r for r in block if r.parent_code == p.code and not r.total]
        # the same code printed twice with the same figures (a 项 whose code the cell cut to its 款's):
        # one subject, counted once
        kids = [k for n, k in enumerate(kids)
                if not (n and k.code == kids[n - 1].code and k.cells.keys() == kids[n - 1].cells.keys()
                        and all(k.get(c) == kids[n - 1].get(c) for c in k.cells))]
        if kids:
            return kids
        if any(r.code for r in rows[i + 1:i + 2]):
            return []
    run = []
    style = _ord_style(p.label)
    for r in rows[i + 1:]:
        if r.total or r.level <= p.level or (style and _ord_style(r.label) == style) or \
                r.index // PIECE != p.index // PIECE:
            break             # (a row numbered like the parent is its sibling, whatever level the page gave it;
            #                    levels of another page of the table are not comparable)
        run.append(r)
    if not run or any(r.code for r in run):
        return []
    lvl = min(r.level for r in run)
    kids = [r for r in run if r.level == lvl]
    style0 = _ord_style(kids[0].label)
    if style0 and any(_ord_style(k.label) not in (None, style0) for k in kids):
        kids = [k for k in kids if _ord_style(k.label) == style0]   # "（一）…（二）…" with their "1.…" items
    nxt = rows[i + 1 + len(run)] if i + 1 + len(run) < len(rows) else None
    if nxt is not None and _ord_number(nxt.label) is not None and _ord_style(nxt.label) == _ord_style(kids[-1].label) \
            and _ord_number(nxt.label) == (_ord_number(kids[-1].label) or 0) + 1:
        return []             # "1.…" under the parent, "2.…" printed at another level: the run is cut short
    return kids


def _sum(rows: list[Row], col: str) -> Decimal:
    return sum((r.get(col) or ZERO for r in rows), ZERO)


def _sum_finding(table: Table, parent: Row, kids: list[Row], cols: list[str], expected: Decimal, subset: bool,
                 what: str, base: Row | None = None) -> Finding | None:
    """One finding for a parent row whose columns `cols` all show the same disagreement."""
    col = cols[0]
    actual = parent.get(col)
    if actual is None:
        if expected == 0:
            return None
        actual = ZERO
    diff = actual - expected
    if subset and diff >= 0:
        return None
    vals = [actual] + [k.get(col) for k in kids] + ([base.get(col)] if base else [])
    q = quantum_for(parent.unit, vals)
    sev = grade(diff, q, nonzero(vals))
    if sev is None:
        return None
    unit = parent.unit
    colname = "" if len(table.columns) <= 1 else "".join(f"「{c}」" for c in cols) + "栏"
    rel = "不应小于" if subset else "应等于"
    msg = (f"{table.id}「{parent.label}」{colname}为{fmt(actual)}{unit}，{rel}{what}{fmt(expected)}{unit}，"
           f"相差{fmt(diff)}{unit}")
    ev = [parent.evidence()] + ([base.evidence()] if base else []) + [k.evidence() for k in kids]
    return Finding(sev, "parent_sum", msg, expected, actual, diff, tuple(ev[:MAX_EVIDENCE]))


def _merged(table: Table, parent: Row, kids: list[Row], per_col: list[tuple], subset: bool, what: str,
            base: Row | None = None) -> list[Finding]:
    """per_col: (column, expected); columns with the same printed value and expectation share a finding."""
    groups: dict[tuple, list[str]] = {}
    for col, exp in per_col:
        groups.setdefault((parent.get(col), exp), []).append(col)
    out = []
    for (_, exp), cols in groups.items():
        f = _sum_finding(table, parent, kids, cols, exp, subset, what, base)
        if f:
            out.append(f)
    return out


def check_parent_sums(parsed: ParsedDocument, rows: dict[str, list[Row]]) -> list[Finding]:
    out: list[Finding] = []
    for t in tables_of(parsed, rows):
        trows = rows.get(t.id, [])
        if not trows or not is_money_table(t) or not money_rows(trows):
            continue
        procurement = kind_of(t) == PROCURE or _PROCURE_ITEM.search(" ".join(r.first.raw for r in trows[:40]))
        cols = additive_columns(t, trows)
        for side, srows in _with_their_total(by_side(trows)):
            if not procurement:
                out += _hierarchy(t, srows, cols)
            out += _totals(t, srows, cols, two_sided=bool(side))
    return out


def _with_their_total(sides: dict) -> list[tuple]:
    """Sides in printed order, a side without a total row of its own joined to the next one's (xian-health 公开06表:
    302 商品和服务支出 | 310 资本性支出, one 公用经费合计 under the last: the total of both)."""
    out, pending = [], []
    for side, srows in sides.items():
        pending += srows
        if any(r.total for r in srows):
            out.append((side, pending))
            pending = []
    if pending:
        out.append((side, pending))
    return out


def _hierarchy(t: Table, rows: list[Row], cols: list[str]) -> list[Finding]:
    out = []
    for i, p in enumerate(rows):
        if p.total:
            continue
        kids = _children(p, rows, i)
        if not kids:
            continue
        first_qz = kids[0].label.startswith("其中")
        strict_qz = "三公" in p.label and len(kids) >= 2      # 三公 = 出国 + 车 + 接待, though printed under 其中
        subset = first_qz and not strict_qz
        if not first_qz:
            kids = [k for k in kids if not k.label.startswith("其中")]
        if not kids:
            continue
        per_col = [(col, _sum(kids, col)) for col in cols
                   if not (p.get(col) is None and all(k.get(col) is None for k in kids))]
        out += _merged(t, p, kids, per_col, subset, "其中各项之和" if subset else "下级各项之和")
    return out


def _restates(r: Row, total: Row) -> bool:
    """A row right under a total that repeats its figures under a name (the department's own row under 合计
    in a per-unit table, before its units): part of no sum. Subject rows (coded, numbered) never are."""
    vals = {c: f.value for c, f in r.cells.items()}
    return not r.total and not r.code and not _ord_style(r.label) and any(vals.values()) and \
        vals == {c: f.value for c, f in total.cells.items()}


def _totals(t: Table, rows: list[Row], cols: list[str], two_sided: bool) -> list[Finding]:
    """A total row equals the rows it closes: those above it since the last total (plus that total,
    收入总计 = 本年收入合计 + …), or, for a total printed first, those below it."""
    out = []
    restated = {id(r) for prev, r in zip(rows, rows[1:]) if prev.total and _restates(r, prev)}
    if restated and any(any(f.value for f in r.cells.values()) for r in rows
                        if not r.total and id(r) not in restated):
        rows = [r for r in rows if id(r) not in restated]
    tidx = [i for i, r in enumerate(rows) if r.total]
    for n, ti in enumerate(tidx):
        tr = rows[ti]
        prev_i = tidx[n - 1] if n else None
        next_i = tidx[n + 1] if n + 1 < len(tidx) else len(rows)
        before = _top_rows(rows[(prev_i + 1 if prev_i is not None else 0):ti])
        base = rows[prev_i] if prev_i is not None else None
        after = _top_rows(rows[ti + 1:next_i])
        all_after = _top_rows([r for r in rows[ti + 1:] if not r.total])
        all_before = _top_rows([r for r in rows[:ti] if not r.total])
        if before is None and base is not None:
            continue              # 总计 = 本年收入合计 + rows whose hierarchy is hidden: cannot be told
        groups = []
        if before is not None and (before or base is not None):
            groups.append((before, base))
        for g in (after, all_after, all_before):
            if g:
                groups.append((g, None))
        if not groups:
            continue
        pending: dict[tuple, tuple] = {}
        for col in cols:
            if tr.get(col) is None:
                continue
            if leaf(col) in ("合计", "小计", "总计") and any(
                    r.get(col) is None and any(f.value for c, f in r.cells.items() if c != col and c in cols)
                    for r in rows if not r.total):
                continue              # rows with amounts but no 合计: the page's columns were not all read
            options = []
            for g, b in groups:
                if all(r.get(col) is None for r in g) and (b is None or b.get(col) is None):
                    continue
                options.append((_sum(g, col) + ((b.get(col) or ZERO) if b is not None else ZERO), g, b))
            if not options:
                continue
            val = tr.get(col)
            exp, g, b = min(options, key=lambda o: abs(val - o[0]))
            what = f"{b.label}与其后各项之和" if b is not None and g else (
                f"{b.label}" if b is not None else "各项之和")
            pending.setdefault((what, id(b), tuple(id(r) for r in g)), (g, b, []))[2].append((col, exp))
        for (what, _, _), (g, b, per_col) in pending.items():
            out += _merged(t, tr, g, per_col, False, what, base=b)
        if two_sided:
            out += _side_cross_columns(t, rows, tr, cols)
    return out


def _side_cross_columns(t: Table, rows: list[Row], tr: Row, cols: list[str]) -> list[Finding]:
    """Two-sided tables whose expenditure side lists items in a column the total row leaves empty
    (Jiangsu 公开01表: 功能分类 and 支出用途 side by side): each such column sums to the side total."""
    if tr is not grand_row(rows, tr.side):
        return []
    tcols = [c for c in cols if tr.get(c) is not None]
    if len(tcols) != 1:
        return []
    total = tr.get(tcols[0])
    out = []
    for col in cols:
        if col in tcols:
            continue
        items = _top_rows([r for r in rows if r.get(col) is not None])
        if not items:
            continue
        exp = _sum(items, col)
        diff = total - exp
        vals = [total] + [r.get(col) for r in items]
        sev = grade(diff, quantum_for(tr.unit, vals), nonzero(vals))
        if sev:
            msg = (f"{t.id}「{tr.label}」为{fmt(total)}{tr.unit}，「{col}」栏各项之和为{fmt(exp)}{tr.unit}，"
                   f"相差{fmt(diff)}{tr.unit}")
            ev = (tr.evidence(),) + tuple(r.evidence() for r in items)
            out.append(Finding(sev, "parent_sum", msg, exp, total, diff, ev[:MAX_EVIDENCE]))
    return out


# ----------------------------------------------------------------------------------------------- column sums

_SUBSET_COL = re.compile(r"^(?:扣除|不含|含)|后(?:预算)?数$")


def _col_groups(cols: list[str]) -> list[tuple[str, list[str]]]:
    """(total column, its parts) for every header group with a 合计/小计/总计 column. A part is a sibling
    column, or a sibling sub-group's own total column (its leaves when it has none)."""
    paths = [tuple(c.split("·")) for c in cols]
    prefixes = {p[:k] for p in paths for k in range(len(p))}
    out = []
    for g in sorted(prefixes, key=len):
        children: dict[str, list[tuple]] = {}
        for p in paths:
            if len(p) > len(g) and p[:len(g)] == g:
                children.setdefault(p[len(g)], []).append(p)
        total = next((n for n, ps in children.items() if ps == [g + (n,)] and n in ("合计", "小计", "总计")), None)
        if total is None or len(children) < 3:
            continue
        names = [n for n in children if n != total and not _SUBSET_COL.search(n)]
        if names and all(n.startswith("其中") for n in names):
            continue              # only 其中 columns: a subset (预留给中小企业 …), not a partition
        parts: list[str] = []     # ("小计 = 其中：基本支出 + 项目支出": 其中 beside other parts is the template's wording)
        for name, ps in children.items():
            if name == total or name not in names:
                continue
            if ps == [g + (name,)]:
                parts.append("·".join(g + (name,)))
                continue
            sub = next(("·".join(p) for p in ps if len(p) == len(g) + 2 and
                        (p[-1] in ("合计", "小计", "总计") or p[-1].endswith(("总数", "总额")))), None)
            parts += [sub] if sub else ["·".join(p) for p in ps if not _SUBSET_COL.search(p[-1])]
        out.append(("·".join(g + (total,)), parts))
    return out


def check_column_sums(parsed: ParsedDocument, rows: dict[str, list[Row]]) -> list[Finding]:
    """Within a row: 合计 = 基本支出 + 项目支出 + …; 财政拨款·合计 = 一般公共预算 + 政府性基金预算 + …"""
    out = []
    for t in tables_of(parsed, rows):
        trows = rows.get(t.id, [])
        if not trows or not is_money_table(t) or not money_rows(trows):
            continue
        cols = [c for c in additive_columns(t, trows)]
        for total, parts in _col_groups(cols):
            # a part counts only if it is ever filled in alongside the total (two-sided tables put the
            # income column next to the expenditure ones)
            filled = [p for p in parts if any(r.get(total) is not None and r.get(p) is not None for r in trows)]
            if len(filled) < 2 and not (filled and len(parts) == 1 and "·" in total):
                continue          # a part never filled in: its column was not read, the sum cannot be checked
            parts = filled
            for r in trows:
                tv = r.get(total)
                if tv is None:
                    continue
                vals = [r.get(p) for p in parts]
                if all(v is None for v in vals):
                    continue
                exp = sum((v or ZERO for v in vals), ZERO)
                diff = tv - exp
                sev = grade(diff, quantum_for(r.unit, [tv] + vals), nonzero([tv] + vals))
                if sev is None:
                    continue
                names = "＋".join(leaf(p) for p in parts)
                msg = (f"{t.id}「{r.label}」行「{total}」为{fmt(tv)}{r.unit}，{names}之和为{fmt(exp)}{r.unit}，"
                       f"相差{fmt(diff)}{r.unit}")
                out.append(Finding(sev, "column_sum", msg, exp, tv, diff, (r.evidence(),)))
    return out


# ----------------------------------------------------------------------------------------------- notes

_EMPTY_NOTE = re.compile(r"(?:本|此|该)表为空表?|为空表|无[^，。]{0,30}(?:预算|收支|项目)[^，。]{0,6}[，,]?\s*故本表为空")


def check_notes(parsed: ParsedDocument, rows: dict[str, list[Row]]) -> list[Finding]:
    """A footnote that says the table is empty ("本表为空表") while the table prints non-zero amounts."""
    out = []
    for t in tables_of(parsed, rows):
        if not t.note or not _EMPTY_NOTE.search(re.sub(r"\s", "", t.note)):
            continue
        nz = [r for r in rows.get(t.id, []) if any(f.value != 0 for f in r.cells.values())]
        if not nz:
            continue
        r = nz[0]
        col = _main_col(r)
        v = r.get(col) if col else None
        if v is None or v == 0:
            v = next(f.value for f in r.cells.values() if f.value != 0)
        pages = t.pages or (r.page,)
        msg = f"{t.id}的表注称“{t.note.strip()[:60]}”，但表中列有非零金额（如{fmt(v)}{r.unit}）"
        ev = (Evidence(t.title, pages[-1], t.note.strip()), r.evidence())
        out.append(Finding("error", "note_vs_table", msg, ZERO, v, v, ev))
    return out
