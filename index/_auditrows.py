"""Rows of the consistency audit (see `index.audit`): numbers at the printed precision, rows of a logical
table (a table and its continuation pages), and whether a table's rows can be summed at all (栏次 rows, 行次
columns, indicator and per-year-measure tables, relative or doubled codes, tables side by side).

Does not check anything: `index._auditchecks` and `index._auditcross` do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from .audit import Evidence
from .models import _TO_YUAN, Fact, ParsedDocument, Table, convert, fmt_amount

ZERO = Decimal(0)
WAN_UNITS = ("万元", "亿元")
_TOTAL_LABEL = re.compile(r"(?:合\s*计|总\s*计|小\s*计)$")
_CN_ORD = re.compile(r"^(?:其中[:：]\s*)?[一二三四五六七八九十]+、")
ORD_PREFIX = re.compile(r"^(?:其中[:：]\s*)?(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+\s*[.．、]\s*)")
_NON_ADDITIVE = re.compile(r"率|%|％|比例|占比|上年(?!结转|结余)|增减|人数|编制|绩效|目标|备注|说明|行次|栏次|序号|编码|"
                           r"指标|分值|权重|数量|单价|(?:^|·)(?:项目|科目|科目编码|科目名称|单位名称|项目名称)$")
_MAIN_LEAF = re.compile(r"^(?:合计|小计|总计|金额|预算数?|本年预算数?)$")
MAX_EVIDENCE = 12


# ----------------------------------------------------------------------------------------------- numbers

def places_of(v: Decimal) -> int:
    e = v.as_tuple().exponent
    return -e if isinstance(e, int) and e < 0 else 0


def quantum_for(unit: str, values) -> Decimal:
    """One unit of the printed precision: 0.01 for 万元 tables, as printed (often 1) for 元 tables."""
    p = max((places_of(v) for v in values if v is not None), default=0)
    if unit in WAN_UNITS:
        p = max(p, 2)
    return Decimal(1).scaleb(-p)


def grade(diff: Decimal, quantum: Decimal, terms: int = 2) -> str | None:
    """None when equal; "rounding" when the difference is what rounding each of `terms` printed figures to
    its last digit can add up to (half a unit each, at least one unit); else "error"."""
    d = abs(diff)
    if d == 0:
        return None
    return "rounding" if d <= quantum * max(Decimal(1), Decimal(terms) / 2) else "error"


def nonzero(vals) -> int:
    """How many printed figures could each carry a rounding error (the zeros are exact)."""
    return sum(1 for v in vals if v)


def rnd(v: Decimal, places: int) -> Decimal:
    return v.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt(v: Decimal | None) -> str:
    if v is None:
        return "—"
    return fmt_amount(v, None) if abs(v) >= 1000 else format(v, "f")


def coarser(u1: str, u2: str) -> str:
    return u1 if _TO_YUAN.get(u1, 1) >= _TO_YUAN.get(u2, 1) else u2


def to_common(a: Decimal, ua: str, b: Decimal, ub: str) -> tuple[Decimal, Decimal, str, Decimal]:
    """Both amounts in the coarser unit, the converted one rounded to the other's printed precision."""
    if ua == ub or ua not in _TO_YUAN or ub not in _TO_YUAN:
        q = quantum_for(ua, [a, b])
        return a, b, ua, q
    unit = coarser(ua, ub)
    native = a if ua == unit else b
    p = places_of(native)
    if unit in WAN_UNITS:
        p = max(p, 2)
    a2 = a if ua == unit else rnd(convert(a, ua, unit), p)
    b2 = b if ub == unit else rnd(convert(b, ub, unit), p)
    return a2, b2, unit, Decimal(1).scaleb(-p)


# ----------------------------------------------------------------------------------------------- rows

@dataclass
class Row:
    table: Table
    side: str
    index: int
    label: str
    code: str | None
    level: int
    parent_code: str | None
    total: bool
    cells: dict

    @property
    def first(self) -> Fact:
        return next(iter(self.cells.values()))

    @property
    def page(self) -> int:
        return self.first.page

    @property
    def unit(self) -> str:
        return self.first.unit

    @property
    def bare(self) -> str:
        """Label without its ordinal ("一、", "1.", "（二）") and 其中."""
        return ORD_PREFIX.sub("", self.label).strip()

    def get(self, col: str) -> Decimal | None:
        f = self.cells.get(col)
        return f.value if f is not None else None

    def evidence(self) -> Evidence:
        f = self.first
        return Evidence(source=self.table.title, page=f.page, quote=(f.raw or f.row).strip())


def is_total_label(label: str) -> bool:
    lab = re.sub(r"\s", "", label)
    return bool(_TOTAL_LABEL.search(lab)) and len(lab) <= 12 and not lab.startswith("其中")


_COUNTER_LABEL = re.compile(r"^(?:栏\s*次|行\s*次|序\s*号|\*+|[#＃]+)?$")


def is_counter_row(label: str, facts: list[Fact]) -> bool:
    """A 栏次 row ("栏次 1 2 3 …", "** ** 1 2 3"): column numbers, not amounts. Its figures are whole numbers
    counting up by one, and its label is 栏次/行次/** (or nothing), or three or more small ones from 1–3 on
    (under a label the reader took from elsewhere)."""
    vals = [f.value for f in facts]
    if not vals or any(v != v.to_integral_value() or places_of(v) for v in vals):
        return False
    if _COUNTER_LABEL.match(re.sub(r"\s", "", label)):      # a column the reader dropped leaves a gap
        return all(0 < b - a <= 2 for a, b in zip(vals, vals[1:])) and vals[0] <= 3
    return vals[0] <= 3 and len(vals) >= 3 and vals[-1] < 100 and all(b - a == 1 for a, b in zip(vals, vals[1:]))


_PRINTED_ID = re.compile(r"^(?:公开|部门公开|预算)?表\s*[\d一二三四五六七八九十]+(?:[-—－]\d+)?(?:\s*[:：]|\s+|$)")


def _same_table(prev: Table, t: Table) -> bool:
    """`t` continues `prev` on the next page: the same title (a continuation piece the reader numbered
    "表2-2", or the same unnumbered title repeated on the next page)."""
    if not prev.pages or not t.pages or t.pages[0] not in (prev.pages[-1], prev.pages[-1] + 1):
        return False
    norm = lambda x: re.sub(r"\s|[（(]续[）)]|续表", "", _PRINTED_ID.sub("", x.strip()))     # noqa: E731
    if norm(prev.title) != norm(t.title):
        return False
    a, b = set(prev.columns), set(t.columns)      # a continuation may add a column (预算单位) or drop empty ones
    return a == b or a <= b or b <= a


NOT_MONEY_ROLES = ("performance", "overall_performance", "contents")     # index.roles names
_NOT_MONEY_TITLE = re.compile(r"绩效|自评|指标|目标表|评价")


def is_money_table(t: Table) -> bool:
    """Tables of amounts that add up: not performance-target / self-evaluation tables (their 指标值, 分值 and
    per-project 资金总额 lines are no hierarchy of money), and in a money unit."""
    return t.unit in ("元", "万元", "亿元") and not _NOT_MONEY_TITLE.search(re.sub(r"\s", "", t.title)) and \
        getattr(t, "role", "other") not in NOT_MONEY_ROLES


_INDICATOR_ROW = re.compile(r"(?:产出|效益|满意度|成本|数量|质量|时效)指标")
_MEASURE_ROW = re.compile(r"^(?:\d{4}年(?:预算数?|决算数?|执行数)?|增减(?:变化)?(?:金额|额|率)?|变化(?:金额)?|比上年增减)$")


_PROCURE_ITEM = re.compile(r"(?<![A-Za-z0-9])[ABC]\d{2,8}[\u4e00-\u9fff]")     # 政府采购品目 (A02010104台式计算机)


def money_rows(rows: list[Row]) -> bool:
    """Rows that are a hierarchy of amounts: not performance indicators (产出指标 …, whatever the title
    says), and not a table whose rows are measures of one subject (2025年 / 2026年 / 增减变化金额 per
    unit), where a row's "children" are other years."""
    labels = [re.sub(r"\s", "", r.label) for r in rows]
    return sum(1 for x in labels if _INDICATOR_ROW.search(x)) < 2 and \
        sum(1 for x in labels if _MEASURE_ROW.match(x)) < 2 and codes_consistent(rows) and not side_by_side(rows)


_ITEM_START = re.compile(r"(?:^|\s)(?:[一二三四五六七八九十]+、|\d+、|[（(]\d+[)）])[\u4e00-\u9fff]")
_TOTAL_WORD = re.compile(r"[\u4e00-\u9fff]*(?:合计|总计)")


def side_by_side(rows: list[Row]) -> bool:
    """Two or more tables printed side by side that the reader took for one (收入 | 支出 | 经济分类 columns
    of a 收支总表 without sides; 人员经费 | 公用经费 halves): several rows whose text holds more than one
    numbered item or more than one total label. Such rows have no single label, and no sum over them holds."""
    n = 0
    for r in rows:
        if r.side:
            continue
        raw = r.first.raw or ""
        if len(_ITEM_START.findall(raw)) >= 2 or len(set(_TOTAL_WORD.findall(raw))) >= 2:
            n += 1
    return n >= 2 or (n >= 1 and any(r.total for r in rows if len(set(_TOTAL_WORD.findall(r.first.raw or ""))) >= 2))


def codes_consistent(rows: list[Row]) -> bool:
    """Subject codes the hierarchy can stand on: full codes (3, 5, 7 digits), each longer one under a
    shorter one of the table, and one classification per row. Codes printed relative to their parent
    ("205" then "01", "02") or two classifications side by side ("301 501 工资福利支出 机关工资福利支出")
    are read by the reader as something else, and no sum over them is checked."""
    coded = [r for r in rows if r.code]
    if any(len(r.code) < 3 for r in coded):
        return False
    if sum(1 for r in coded if re.match(r"^\d{3,}\s", r.label)) >= 2:
        return False
    shortest = min((len(r.code) for r in coded), default=0)
    orphans = [r for r in coded if len(r.code) > shortest and r.parent_code is None]
    return len(orphans) <= len(coded) // 10


def tables_of(parsed: ParsedDocument, rows) -> list[Table]:
    """The logical tables `rows` was built over (continuation pieces merged)."""
    return getattr(rows, "tables", None) or list(parsed.tables)


PIECE = 100000       # Row.index = piece of the table × PIECE + row index within the piece


class TableRows(dict):
    """Rows per logical table id (a table and its continuation pieces), with `.tables` the logical tables."""
    tables: list[Table]


def table_rows(parsed: ParsedDocument) -> TableRows:
    """Rows per logical table, in reading order, sides kept apart by `Row.side`. A table the reader split
    over pages (same title on the next page) is one table here; a total row repeated at the top of a
    continuation page is kept once; 栏次 rows are dropped."""
    first_total: dict[str, tuple] = {}         # table id -> its first row's figures, when that row is a total
    heads: dict[str, list[Fact]] = {}
    for f in parsed.facts:
        h = heads.setdefault(f.table, [])
        if not h or h[0].row_index == f.row_index:
            h.append(f)
    for tid, h in heads.items():
        if h and (h[0].is_total or is_total_label(h[0].row)):
            first_total[tid] = tuple(sorted((x.column, x.value) for x in h))
    groups: list[list[Table]] = []
    for t in parsed.tables:
        g0 = groups[-1][0] if groups else None
        restarts = g0 is not None and t.id in first_total and g0.id in first_total and \
            first_total[t.id] != first_total[g0.id]      # a new 合计 on top: another table under the same title
        if groups and _same_table(groups[-1][-1], t) and not restarts:
            groups[-1].append(t)
        else:
            groups.append([t])
    owner: dict[str, tuple[Table, int]] = {}
    logical: list[Table] = []
    for g in groups:
        pages = tuple(dict.fromkeys(p for t in g for p in t.pages))
        note = "\n".join(t.note for t in g if t.note)
        columns = tuple(dict.fromkeys(c for t in g for c in t.columns))
        lt = replace(g[0], pages=pages, note=note, columns=columns)
        logical.append(lt)
        for i, t in enumerate(g):
            owner[t.id] = (lt, i)
    cells: dict[tuple, list[Fact]] = {}
    for f in parsed.facts:
        if f.table in owner:
            cells.setdefault((f.table, f.side, f.row_index), []).append(f)
    out = TableRows()
    out.tables = logical
    seen: dict[str, set] = {}
    for (tid, side, idx), facts in cells.items():
        lt, piece = owner[tid]
        f = facts[0]
        if is_counter_row(f.row, facts):
            continue
        total = f.is_total or is_total_label(f.row)
        sig = (side, f.row, f.code, tuple((x.column, x.value) for x in facts))
        if total and sig in seen.get(lt.id, set()):
            continue                  # the 合计 row repeated on a continuation page
        seen.setdefault(lt.id, set()).add(sig)
        row = Row(table=lt, side=side, index=piece * PIECE + idx, label=f.row, code=f.code, level=f.level,
                  parent_code=f.parent_code, total=total, cells={})
        for x in facts:
            row.cells.setdefault(x.column, x)
        out.setdefault(lt.id, []).append(row)
    for trows in out.values():
        _link_codes(trows)
    return out


def _link_codes(rows: list[Row]) -> None:
    """A coded row whose parent was printed on an earlier page (the reader links parents within a page):
    its parent is the longest other code of the table it starts with."""
    codes = {r.code for r in rows if r.code}
    for r in rows:
        if r.code and r.parent_code is None:
            r.parent_code = next((r.code[:n] for n in range(len(r.code) - 1, 0, -1) if r.code[:n] in codes), None)


def by_side(rows: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for r in rows:
        out.setdefault(r.side, []).append(r)
    return out


def additive_columns(table: Table, rows: list[Row]) -> list[str]:
    seen = [c for c in table.columns if any(c in r.cells for r in rows)]
    extra = [c for r in rows for c in r.cells if c not in seen]
    cols = list(dict.fromkeys(seen + extra))
    return [c for c in cols if not _NON_ADDITIVE.search(c)]


def leaf(col: str) -> str:
    return col.split("·")[-1]
