"""Table checks of the consistency audit (see `index.audit`): sums within a table, totals across tables.

Everything here works on `ParsedDocument` facts only, and matches tables by what they are (title keywords),
never by their number, so the Guangdong (表1–表12), Jiangsu (公开01–12表) and Shanghai (9 tables) templates
are all covered. Amounts are compared at the precision the documents print (2 decimals in 万元, as printed
in 元); a difference of one unit of that precision is "rounding" (尾数误差), more is "error".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from .audit import Evidence, Finding
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
    counting up by one, and its label is 栏次/行次/** (or nothing), or the count starts at 1 and runs to 3
    or more (a label the reader took from elsewhere)."""
    vals = [f.value for f in facts]
    if not vals or any(v != v.to_integral_value() or places_of(v) for v in vals):
        return False
    if _COUNTER_LABEL.match(re.sub(r"\s", "", label)):      # a column the reader dropped leaves a gap
        return all(0 < b - a <= 2 for a, b in zip(vals, vals[1:])) and vals[0] <= 3
    return vals[0] == 1 and len(vals) >= 3 and all(b - a == 1 for a, b in zip(vals, vals[1:]))


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
        if total and piece and sig in seen.get(lt.id, set()):
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


# ----------------------------------------------------------------------------------------------- kinds

OVERALL, FISCAL, INCOME, EXPEND = "overall", "fiscal", "income", "expend"
FISCAL_FUNC, GPB_FUNC, FISCAL_BASIC, GPB_BASIC, GPB_PROJECT = "fiscal_func", "gpb_func", "fiscal_basic", \
    "gpb_basic", "gpb_project"
SANGONG, GOVFUND, SOE, DEPT_BASIC, DEPT_PROJECT, OFFICE, PROCURE = "sangong", "govfund", "soe", "dept_basic", \
    "dept_project", "office", "procure"


# the reader's table role (index.roles) -> what the audit compares it as; None: no money to compare
_ROLE_KIND = {"summary": OVERALL, "income": INCOME, "expenditure": EXPEND, "fiscal_summary": FISCAL,
              "fiscal_expenditure": FISCAL_FUNC, "general_expenditure": GPB_FUNC, "general_basic": GPB_BASIC,
              "sangong": SANGONG, "sangong_meeting_training": SANGONG, "operating_cost": OFFICE,
              "gov_fund": GOVFUND, "state_capital": SOE, "procurement": PROCURE, "project": DEPT_PROJECT,
              "performance": None, "overall_performance": None, "contents": None, "purchase_services": None,
              "special_account": None}
NOT_MONEY_ROLES = ("performance", "overall_performance", "contents")


def kind_of(table: Table) -> str | None:
    """What a table is: its role when the reader named one (index.roles), else from its title (the number
    is ignored: templates number differently). Economic and basic-spending tables are told apart by title
    (财政拨款/一般公共预算 基本支出, 项目支出 by economic class)."""
    role = getattr(table, "role", "other") or "other"
    if role in _ROLE_KIND:
        return _ROLE_KIND[role]
    return _kind_by_title(table)


def _kind_by_title(table: Table) -> str | None:
    t = re.sub(r"\s", "", table.title)
    t = re.sub(r"^(?:公开\d+表|表\d+)[:：]?", "", t)
    if "三公" in t:
        return SANGONG
    if "政府采购" in t:
        return PROCURE
    if "机关运行经费" in t:
        return OFFICE
    if "政府性基金" in t:
        return GOVFUND
    if "国有资本经营" in t:
        return SOE
    if "财政拨款收支" in t:
        return FISCAL
    if "收支" in t:
        return OVERALL
    if "收入" in t:
        return INCOME
    if "项目支出" in t and "经济" in t:
        return GPB_PROJECT
    if "基本支出" in t:
        if "财政拨款" in t:
            return FISCAL_BASIC
        if "一般公共预算" in t:
            return GPB_BASIC
        return DEPT_BASIC
    if "项目支出" in t:
        return DEPT_PROJECT
    if "财政拨款" in t and "支出" in t:
        return FISCAL_FUNC
    if "一般公共预算" in t and "支出" in t:
        return GPB_FUNC
    if "支出" in t:
        return EXPEND
    return None


@dataclass
class Tab:
    table: Table
    rows: list[Row]
    kind: str | None


def tabs_by_kind(parsed: ParsedDocument, rows: dict[str, list[Row]]) -> dict[str, Tab]:
    out: dict[str, Tab] = {}
    for t in tables_of(parsed, rows):
        k = kind_of(t)
        trows = rows.get(t.id, [])
        if sum(1 for r in trows if re.fullmatch(r"-?[\d,]+\.\d+", r.label.strip())) > len(trows) // 3 or \
                side_by_side(trows):
            continue                  # labels that are amounts (codes read as values), or tables side by side
        if k == SANGONG and sum(1 for r in trows if r.code and r.code[:2] in ("30", "31")) >= 3:
            k = _kind_by_title(t)     # an economic-class table lists 因公出国 and 公务接待 too: no 三公 table
            k = None if k == SANGONG else k
        if k and k not in out:
            out[k] = Tab(t, trows, k)
    return out


# ----------------------------------------------------------------------------------------------- figures

@dataclass(frozen=True)
class Figure:
    """An amount read from a table (or computed from several cells), with where it comes from."""
    value: Decimal
    unit: str
    what: str
    evidence: tuple[Evidence, ...]


def _main_col(row: Row, exclude: str | None = None) -> str | None:
    cols = [c for c in row.cells if not (exclude and re.search(exclude, c)) and not _NON_ADDITIVE.search(c)]
    for c in cols:
        if _MAIN_LEAF.match(leaf(c)):
            return c
    return cols[0] if cols else None


def fig_of(row: Row, col: str | None = None, what: str | None = None) -> Figure | None:
    col = col or _main_col(row)
    if col is None or col not in row.cells:
        return None
    f = row.cells[col]
    colname = "" if _MAIN_LEAF.match(leaf(col)) and len(row.cells) == 1 else f"（{col}）"
    desc = what or f"{row.table.id}「{row.label}」{colname}"
    return Figure(f.value, f.unit, desc, (Evidence(row.table.title, f.page, (f.raw or f.row).strip()),))


def grand_row(rows: list[Row], side: str | None = None) -> Row | None:
    """The table's (or side's) grand total row: the last total row; a one-row table's only row."""
    cand = [r for r in rows if side is None or r.side == side]
    totals = [r for r in cand if r.total]
    if totals:
        # prefer 总计 / 合计 over 小计 when both exist
        best = [r for r in totals if re.search(r"总计|合计", r.label)] or totals
        return best[-1]
    if len(cand) == 1:
        return cand[0]
    return None


def grand(tab: Tab | None, side: str | None = None, col_re: str | None = None) -> Figure | None:
    if tab is None:
        return None
    r = grand_row(tab.rows, side)
    if r is None:
        return None
    if col_re:
        col = next((c for c in r.cells if re.search(col_re, leaf(c))), None)
        return fig_of(r, col) if col else None
    return fig_of(r, _main_col(r, exclude=r"支出用途") or _main_col(r))


def side_total(tab: Tab | None, side: str) -> Figure | None:
    if tab is None:
        return None
    r = grand_row(tab.rows, side)
    if r is None:
        return None
    return fig_of(r, _main_col(r))


def find_row(tab: Tab | None, pattern: str, side: str | None = None, col_re: str | None = None) -> Figure | None:
    if tab is None:
        return None
    for r in tab.rows:
        if side is not None and r.side != side:
            continue
        if r.total or not re.search(pattern, r.bare):
            continue
        if col_re:
            col = next((c for c in r.cells if re.search(col_re, c)), None)
            if col:
                return fig_of(r, col)
            continue
        return fig_of(r)
    return None


def same_amount(a: Figure | None, b: Figure | None) -> bool:
    if a is None or b is None:
        return False
    x, y, _, _ = to_common(a.value, a.unit, b.value, b.unit)
    return x == y


def compare(check: str, expected: Figure | None, actual: Figure | None, relation: str = "") -> Finding | None:
    """Finding when two figures that must be equal are not (units converted; rounding graded)."""
    if expected is None or actual is None:
        return None
    e, a, unit, q = to_common(expected.value, expected.unit, actual.value, actual.unit)
    diff = a - e
    sev = grade(diff, q)
    if sev is None:
        return None
    msg = (f"{actual.what}为{fmt(a)}{unit}，与{expected.what}{fmt(e)}{unit}不一致"
           f"{'（' + relation + '）' if relation else ''}，相差{fmt(diff)}{unit}")
    return Finding(sev, check, msg, e, a, diff, actual.evidence + expected.evidence)


# ----------------------------------------------------------------------------------------------- check 1: sums

def _top_rows(seq: list[Row]) -> list[Row]:
    """The outermost rows of a run: shortest codes, else 一、-numbered rows, else the lowest level."""
    rows = [r for r in seq if not r.total and not r.label.startswith("其中")]
    if not rows:
        return []
    coded = [r for r in rows if r.code]
    if coded:
        n = min(len(r.code) for r in coded)
        return [r for r in coded if len(r.code) == n]
    cn = [r for r in rows if _CN_ORD.match(r.label)]
    if cn:
        return cn
    lvl = min(r.level for r in rows)
    top = [r for r in rows if r.level == lvl]
    return [] if _hides_hierarchy(top) else top


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
        for side, srows in by_side(trows).items():
            if not procurement:
                out += _hierarchy(t, srows, cols)
            out += _totals(t, srows, cols, two_sided=bool(side))
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
        groups = []
        if before or base is not None:
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

_SUBSET_COL = re.compile(r"^(?:其中|扣除|不含|含)|后(?:预算)?数$")


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
        parts: list[str] = []
        for name, ps in children.items():
            if name == total or _SUBSET_COL.search(name):      # 其中 columns are a subset, not a partition
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
            parts = [p for p in parts if any(r.get(total) is not None and r.get(p) is not None for r in trows)]
            if len(parts) < 2 and not (parts and "·" in total):
                continue
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


# ----------------------------------------------------------------------------------------------- 三公 items

SANGONG_NAMES = {"total": "“三公”经费", "abroad": "因公出国（境）费", "car": "公务用车购置及运行（维护）费",
                 "car_buy": "公务用车购置费", "car_run": "公务用车运行（维护）费", "reception": "公务接待费",
                 "meeting": "会议费", "training": "培训费", "office": "机关运行经费"}


def sangong_key(text: str) -> str | None:
    """Which 三公-table item a row label or a column header names."""
    t = re.sub(r"\s", "", text)
    if "因公出国" in t:
        return "abroad"
    if "购置及运行" in t:
        return "car"
    if re.search(r"机关运行经费|行政经费", t):
        return "office"
    if "购置" in t:
        return "car_buy"
    if "运行" in t:
        return "car_run"
    if "公务接待" in t:
        return "reception"
    if "会议费" in t:
        return "meeting"
    if "培训费" in t:
        return "training"
    if "三公" in t:
        return "total"
    return None


def sangong_items(tab: Tab | None, prefer_col: str | None = None, measure: str | None = None,
                  avoid: str | None = None) -> dict[str, Figure]:
    """The 三公 table's figures by item, whether items are rows (广东 表8) or columns (江苏, 上海; and per-unit
    tables, whose 合计 row carries them). `measure` (a pattern the column must match: "决算", "上年") and
    `avoid` (one it must not) pick the measure when the table prints several (预算数/决算数, 2025年/2026年)."""
    out: dict[str, Figure] = {}
    if tab is None:
        return out

    def usable(col: str) -> bool:
        return not (avoid and re.search(avoid, col)) and not (measure and not re.search(measure, col)) and \
            not _NON_ADDITIVE.search(col)

    items = [r for r in tab.rows if not r.total]
    if len(items) > 1 and any(sangong_key(r.bare) for r in items):
        for r in tab.rows:
            k = sangong_key(r.bare)
            if k is None or k in out:
                continue
            cols = [c for c in r.cells if usable(c)]
            col = next((c for c in cols if prefer_col and re.search(prefer_col, leaf(c))), None)
            main = _main_col(r, exclude=avoid)
            col = col or (main if main in cols else (cols[0] if cols else None))
            fig = fig_of(r, col) if col else None
            if fig:
                out[k] = fig
        return out
    rows = tab.rows if len(items) <= 1 else [r for r in [grand_row(tab.rows)] if r is not None]
    for r in rows:
        for col in r.cells:
            if not usable(col):
                continue
            path = col.split("·")
            if path[-1] in ("合计", "小计", "总计"):
                if len(path) == 1:
                    continue          # the table's grand 合计 (三公 + 会议费 + 培训费 in Jiangsu)
                k = sangong_key(path[-2])
            else:
                k = sangong_key(path[-1])
            if k and k not in out:
                out[k] = fig_of(r, col, what=f"{tab.table.id}「{col}」")
    return out


def sangong_measures(parsed: ParsedDocument) -> tuple[str | None, str]:
    """(measure, avoid) patterns for this year's 三公 figures of a document: its 决算数 in a final account,
    never a 上年 / last year's / 增减 column."""
    year = parsed.document.year
    avoid = r"上年|增减|变动|变化|比上年" + (f"|{year - 1}" if year else "")
    return ("决算" if parsed.document.kind == "决算" else None), avoid


def sangong_table(parsed: ParsedDocument, rows=None) -> tuple[Tab | None, dict[str, Figure], dict[str, Figure]]:
    """The 三公 table (by role), this year's items and last year's (from a 上年 / last-year column, when the
    table prints one)."""
    rows = rows if rows is not None else table_rows(parsed)
    tab = tabs_by_kind(parsed, rows).get(SANGONG)
    if tab is None:
        return None, {}, {}
    measure, avoid = sangong_measures(parsed)
    this = sangong_items(tab, measure=measure, avoid=avoid)
    year = parsed.document.year
    last = r"上年" + (f"|{year - 1}" if year else "")
    prev = sangong_items(tab, measure=last, avoid=r"增减|变动|变化")
    return tab, this, prev


# ----------------------------------------------------------------------------------------------- check 2: across

_SANGONG_CODES = {"reception": ("30217",), "car_run": ("30231",), "abroad": ("30212",), "car_buy": ("31013",),
                  "meeting": ("30215",), "training": ("30216",)}


def _code_fig(tab: Tab | None, code: str, col_re: str | None = None) -> Figure | None:
    if tab is None:
        return None
    for r in tab.rows:
        if r.code == code:
            if col_re:
                col = next((c for c in r.cells if re.search(col_re, leaf(c))), None)
                return fig_of(r, col) if col else None
            return fig_of(r, _main_col(r))
    return None


def _sum_figs(figs: list[Figure], what: str) -> Figure | None:
    figs = [f for f in figs if f is not None]
    if not figs:
        return None
    unit = figs[0].unit
    total = sum((convert(f.value, f.unit, unit) for f in figs), ZERO)
    ev = tuple(e for f in figs for e in f.evidence)
    return Figure(total, unit, what, ev)


def check_cross_tables(parsed: ParsedDocument, rows: dict[str, list[Row]]) -> list[Finding]:
    K = tabs_by_kind(parsed, rows)
    out: list[Finding | None] = []
    ck = "cross_table_total"

    # income = expenditure in the two-sided tables
    for k in (OVERALL, FISCAL):
        out.append(compare("balance", side_total(K.get(k), "收入"), side_total(K.get(k), "支出"), "收支应平衡"))

    ov_in, ov_out = side_total(K.get(OVERALL), "收入"), side_total(K.get(OVERALL), "支出")
    fi_in, fi_out = side_total(K.get(FISCAL), "收入"), side_total(K.get(FISCAL), "支出")
    income_t, expend_t = grand(K.get(INCOME)), grand(K.get(EXPEND))
    ffunc_t, gfunc_t = grand(K.get(FISCAL_FUNC)), grand(K.get(GPB_FUNC))
    out.append(compare(ck, ov_in, income_t))
    out.append(compare(ck, ov_out, expend_t))
    out.append(compare(ck, find_row(K.get(OVERALL), r"^(?:财政拨款|预算拨款)", "收入"), fiscal_this_year(K.get(FISCAL))))
    out.append(compare(ck, fi_in, ffunc_t))
    out.append(compare(ck, fiscal_gpb_income(K.get(FISCAL)), gfunc_t))

    # purpose split (基本/项目/预留) of the overall tables vs the expenditure table's columns
    for pat, col in ((r"^基本支出$", r"基本支出"), (r"^项目支出$", r"项目支出"), (r"预留机动", r"预留机动")):
        ex = grand(K.get(EXPEND), col_re=col)
        out.append(compare(ck, find_row(K.get(OVERALL), pat, "支出"), ex))
    exp_basic, exp_proj = grand(K.get(EXPEND), col_re=r"^基本支出$"), grand(K.get(EXPEND), col_re=r"^项目支出$")
    g_basic_col = grand(K.get(GPB_FUNC), col_re=r"基本支出")
    g_proj_col = grand(K.get(GPB_FUNC), col_re=r"项目支出")
    if same_amount(expend_t, gfunc_t):     # all money is 一般公共预算: the splits must agree too
        out.append(compare(ck, exp_basic, g_basic_col))
        out.append(compare(ck, exp_proj, g_proj_col))
    fb_t, gb_t, gp_t = grand(K.get(FISCAL_BASIC)), grand(K.get(GPB_BASIC)), grand(K.get(GPB_PROJECT))
    if same_amount(expend_t, gfunc_t) or (gfunc_t is None and same_amount(expend_t, fi_out)):
        # no 基本/项目 split in the 一般公共预算 table to go through: compare with the economic tables directly
        if g_basic_col is None:
            out.append(compare(ck, exp_basic, gb_t))
        if g_proj_col is None:
            out.append(compare(ck, exp_proj, gp_t))
    out.append(compare(ck, find_row(K.get(FISCAL), r"^基本支出$", "支出"), fb_t))
    fiscal_is_gpb = same_amount(fi_out or ffunc_t, gfunc_t)
    if fiscal_is_gpb:
        out.append(compare(ck, fb_t, gb_t))
        if fb_t is None:
            out.append(compare(ck, find_row(K.get(FISCAL), r"^基本支出$", "支出"), gb_t))
    out.append(compare(ck, g_basic_col, gb_t))
    out.append(compare(ck, g_proj_col, gp_t))
    # 部门预算基本支出 / 项目支出预算表 (广东 表11 / 表12)
    for dk, ecol, econ in ((DEPT_BASIC, exp_basic, gb_t), (DEPT_PROJECT, exp_proj, gp_t)):
        tab = K.get(dk)
        if tab is None:
            continue
        out.append(compare(ck, ecol, grand(tab, col_re=r"^(?:总计|合计)$")))
        out.append(compare(ck, econ, grand(tab, col_re=r"一般公共预算")))

    out += _functional_codes(K)
    out += _economic_codes(K)
    out += _sangong_vs_economic(K, *sangong_measures(parsed))
    return [f for f in out if f is not None]


_CARRY = r"上年结转|结转结余|上年结余"


def carry_over(tab: Tab | None) -> Decimal:
    """The carried-over money on the income side of a two-sided table (上年结转), 0 when none."""
    rows = [r for r in (tab.rows if tab else []) if r.side == "收入" and re.search(_CARRY, r.bare)]
    vals = [r.get(_main_col(r)) for r in rows if _main_col(r)]
    return max((v for v in vals if v is not None), default=ZERO)


def fiscal_this_year(tab: Tab | None) -> Figure | None:
    """This year's 财政拨款 income of the 财政拨款收支总表: its 本年收入 row, else its income total when
    nothing was carried over (the total then is this year's money only)."""
    if tab is None:
        return None
    for r in tab.rows:
        if r.side == "收入" and re.match(r"^(?:本年收入|(?:本年)?财政拨款(?:收入)?)(?:合计|小计)?$", r.bare):
            return fig_of(r)
    return side_total(tab, "收入") if carry_over(tab) == 0 else None


def fiscal_gpb_income(tab: Tab | None) -> Figure | None:
    """The 一般公共预算 money of the 财政拨款收支总表's income side, this year's and the carried-over
    part together (what the 一般公共预算支出表 spends); None when money was carried over without saying
    how much of it is 一般公共预算."""
    if tab is None:
        return None
    rows = [r for r in tab.rows if r.side == "收入" and not r.total and re.match(r"^一般公共预算", r.bare)]
    if not rows:
        return None
    if carry_over(tab) != 0:
        if len(rows) < 2:
            return None
        return _sum_figs([fig_of(r) for r in rows], f"{tab.table.id}一般公共预算（本年与上年结转）合计")
    return fig_of(rows[0])


_FUNC_KINDS = (INCOME, EXPEND, FISCAL_FUNC, GPB_FUNC)


def _scope_total(tab: Tab) -> Figure | None:
    if any(r.side for r in tab.rows):
        return side_total(tab, "支出")
    return grand(tab)


def _functional_codes(K: dict[str, Tab]) -> list[Finding | None]:
    """The same functional subject (code) carries the same amount in every table of the same scope."""
    out: list[Finding | None] = []
    tabs = [K[k] for k in _FUNC_KINDS if k in K]
    two_sided = [K[k] for k in (OVERALL, FISCAL) if k in K]
    done = set()
    for i, a in enumerate(tabs):
        for b in tabs[i + 1:]:
            if not same_amount(_scope_total(a), _scope_total(b)):
                continue
            brows = {r.code: r for r in b.rows if r.code}
            for ra in a.rows:
                rb = brows.get(ra.code) if ra.code else None
                if rb is None:
                    continue
                pairs = [(_main_col(ra), _main_col(rb))]
                for part in ("基本支出", "项目支出"):
                    ca = next((c for c in ra.cells if leaf(c) == part), None)
                    cb = next((c for c in rb.cells if leaf(c) == part), None)
                    if ca and cb:
                        pairs.append((ca, cb))
                for ca, cb in pairs:
                    key = (ra.code, leaf(ca or ""), frozenset((a.table.id, b.table.id)))
                    if ca is None or cb is None or key in done:
                        continue
                    done.add(key)
                    out.append(compare("cross_table_code", fig_of(ra, ca), fig_of(rb, cb), f"科目{ra.code}"))
    # class rows of the two-sided tables ("一、一般公共服务支出") vs the class codes (201)
    for ts in two_sided:
        seen = set()
        for tab in tabs:
            if not same_amount(_scope_total(ts), _scope_total(tab)):
                continue
            classes = {}
            for r in tab.rows:
                if r.code and len(r.code) == 3:
                    classes.setdefault(r.label, r)
            for r in ts.rows:
                if r.side != "支出" or r.total or r.index in seen:
                    continue
                rb = classes.get(r.bare)
                col = _main_col(r, exclude=r"支出用途")
                if rb is None or col is None:
                    continue
                seen.add(r.index)
                out.append(compare("cross_table_code", fig_of(rb, _main_col(rb)), fig_of(r, col), f"科目{rb.code}"))
    return out


def _economic_codes(K: dict[str, Tab]) -> list[Finding | None]:
    out: list[Finding | None] = []
    fb, gb, office = K.get(FISCAL_BASIC), K.get(GPB_BASIC), K.get(OFFICE)
    if fb and gb and same_amount(grand(fb), grand(gb)):
        grows = {r.code: r for r in gb.rows if r.code}
        for r in fb.rows:
            if r.code in grows:
                out.append(compare("cross_table_code", fig_of(r), fig_of(grows[r.code]), f"科目{r.code}"))
    basic = gb or fb
    if office and basic:
        brows = {r.code: r for r in basic.rows if r.code}
        for r in office.rows:
            rb = brows.get(r.code) if r.code else None
            if rb is None:
                continue
            fo, fbf = fig_of(r), fig_of(rb)
            if fo and fbf:
                e, a, unit, q = to_common(fbf.value, fbf.unit, fo.value, fo.unit)
                if a - e > 0:          # 机关运行经费 is part of 基本支出's 公用经费: never more
                    sev = grade(a - e, q)
                    msg = (f"{fo.what}为{fmt(a)}{unit}，超过{fbf.what}{fmt(e)}{unit}（机关运行经费是基本支出的一部分），"
                           f"相差{fmt(a - e)}{unit}")
                    out.append(Finding(sev, "cross_table_code", msg, e, a, a - e, fo.evidence + fbf.evidence))
    return out


def _sangong_vs_economic(K: dict[str, Tab], measure: str | None = None,
                         avoid: str | None = None) -> list[Finding | None]:
    """表8-style 三公 items vs the economic rows they are booked under (30217, 30231, 30212, 31013),
    summed over basic and project spending. Without a project-spending economic table (Jiangsu, Shanghai)
    the basic-spending row is only a lower bound."""
    sg = K.get(SANGONG)
    basic = K.get(GPB_BASIC) or K.get(FISCAL_BASIC)
    proj = K.get(GPB_PROJECT)
    if sg is None or basic is None:
        return []
    items = sangong_items(sg, prefer_col=r"^一般公共预算$", measure=measure, avoid=avoid)
    out: list[Finding | None] = []
    for key, codes in _SANGONG_CODES.items():
        fig = items.get(key)
        if fig is None:
            continue
        parts = [_code_fig(basic, c) for c in codes]
        if proj is not None:
            parts += [_code_fig(proj, c) for c in codes]
        name = SANGONG_NAMES[key]
        where = basic.table.id + ("、" + proj.table.id if proj is not None else "")
        econ = _sum_figs(parts, f"{where}经济科目{'/'.join(codes)}（{name}）合计")
        if econ is None:
            if proj is None:
                continue
            econ = Figure(ZERO, fig.unit, f"{where}经济科目{'/'.join(codes)}（{name}，未列示即为0）", ())
        if proj is not None:
            out.append(compare("sangong_vs_economic", econ, fig))
            continue
        e, a, unit, q = to_common(econ.value, econ.unit, fig.value, fig.unit)
        if a < e:
            sev = grade(a - e, q)
            msg = (f"{fig.what}为{fmt(a)}{unit}，小于{econ.what}{fmt(e)}{unit}（基本支出部分不应超过全年安排），"
                   f"相差{fmt(a - e)}{unit}")
            out.append(Finding(sev, "sangong_vs_economic", msg, e, a, a - e, fig.evidence + econ.evidence))
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
