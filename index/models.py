"""The data model every part of BudgetQA shares.

A budget disclosure becomes one `ParsedDocument`: its `Document` header, the `Table`s with one `Fact` per
numeric cell, the narrative `Section`s, the `ChangeFact`s stated in the narrative ("比上年增加0.72万元…"),
and the text of every page (what citations' quotes are checked against).

Frozen dataclasses only; money is `Decimal`. Nothing here reads files or touches the store.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SCHEMA_VERSION = 3             # 3: unreadable pages (issue 11); document header, table roles, fact entity/measure (issue 8)
# bump when a reader's output changes: documents read by an older reader are re-read on the next ingest
PARSER_VERSION = 12             # 12: one header row repeating its names in groups is a table of sides (issue 9)

UNITS = ("万元", "元", "亿元", "%", "个", "项", "台", "辆", "人", "平方米")     # the contract's `unit` values
# units an answer may state beyond them (a ratio's 倍, a score table's 分): the answer JSON gives `unit` null and
# the word as `unit_label`; a question file may give them as a gold's unit
LABEL_UNITS = ("倍", "分")
_TO_YUAN = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


def convert(value: Decimal, unit: str, to: str) -> Decimal:
    """Convert an amount between 元, 万元 and 亿元 exactly (no rounding)."""
    if unit == to:
        return value
    return value * _TO_YUAN[unit] / _TO_YUAN[to]


def round2(value: Decimal, places: int = 2) -> Decimal:
    """Round half up as the documents do (2 decimals by default)."""
    q = Decimal(1).scaleb(-places)
    return value.quantize(q, rounding=ROUND_HALF_UP)


def fmt_amount(value: Decimal, places: int | None = 2) -> str:
    """`7600.53` -> `7,600.53`, the documents' way of writing amounts."""
    if places is not None:
        value = round2(value, places)
    s = f"{value:,f}"
    return s


_WS = re.compile(r"\s+")


def normalize_ws(text: str) -> str:
    """Canonical form used to check quotes: NFKC, no whitespace at all (Chinese text has no word spaces)."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def page_of(quote: str, pages: list[str], prefer: tuple[int, ...] = (), normalized: bool = False) -> int:
    """The 1-based page whose text holds the start of `quote`: the `prefer`red pages first, then any; else the
    first preferred page, else 1. `pages` are page texts in order (already `normalize_ws`-ed if `normalized`)."""
    head = normalize_ws(quote)[:16]
    norm = pages if normalized else [normalize_ws(t) for t in pages]
    for p in (*prefer, *range(1, len(norm) + 1)):
        if head and 0 < p <= len(norm) and head in norm[p - 1]:
            return p
    return prefer[0] if prefer else 1


def clause_start(text: str, end: int, stops: str) -> int:
    """Start of the clause of `text` that ends at `end`: just after the nearest character of `stops` before it,
    or after an unclosed "（"; separators inside brackets ("局（部、委、办）机关") do not count."""
    i, depth = end, 0
    while i > 0:
        ch = text[i - 1]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ch in stops:
            break
        i -= 1
    return i


@dataclass(frozen=True)
class Document:
    id: str                      # slug, e.g. "huizhou-data-bureau-2024"
    department: str              # 惠州市政务服务数据管理局
    year: int | None             # 2024
    kind: str                    # 预算 or 决算
    unit: str                    # the document's main unit (万元 or 元)
    source_files: tuple[str, ...]
    hashes: tuple[str, ...]      # sha256 of each source file, same order
    pages: int = 0
    unreadable_pages: tuple[int, ...] = ()   # 1-based pages that could not be read (reported, never silent)
    # header read from the cover and first pages (index.header); "" / () when the document does not say
    kind_detail: str = ""        # 部门预算, 单位预算, 部门决算, 部门综合预算 … (kind stays 预算/决算)
    units: tuple[str, ...] = ()  # the units the document covers: 本级 and 所属单位, as printed
    tables_unreadable: bool = False   # the tables are images (narrative only)


@dataclass(frozen=True)
class Table:
    id: str                      # "表6", "公开09表", "表3" (Shanghai numbering as printed)
    title: str                   # "表6 一般公共预算基本支出情况表（按经济分类科目）"
    unit: str                    # from the table's own "单位：万元/元" line
    columns: tuple[str, ...]     # leaf column names, header levels joined with "·" ("财政拨款·一般公共预算")
    pages: tuple[int, ...]       # 1-based pages the table spans
    note: str = ""               # footnote text ("注：…"), if any
    role: str = "other"          # index.roles catalogue name ("sangong", "general_basic", …)
    printed: str = ""            # the id exactly as printed ("预算表1", "部门公开表7"), "" when none is printed
    per_unit: bool = False       # rows are by 单位 (facts carry the unit in Fact.entity)


@dataclass(frozen=True)
class Fact:
    """One numeric cell of one table."""
    doc: str
    table: str                   # Table.id
    row: str                     # row label as printed, indentation and code removed ("公务接待费")
    code: str | None             # subject code ("30217", "2010301"), None when the row has none
    path: tuple[str, ...]        # ancestors' labels, outermost first
    level: int                   # 0 for a top row (合计 or 类), 1 for its children, …
    column: str                  # Table.columns entry
    value: Decimal
    unit: str
    page: int
    raw: str                     # the row's text as read (label and all figures), for quoting
    row_index: int = 0           # position of the row in the table (0-based)
    is_total: bool = False       # 合计/总计/小计 rows, and 本年收入合计-style rows
    side: str = ""               # "收入" or "支出" in two-sided tables (表1/表4 style); "" otherwise
    parent_code: str | None = None
    entity: str = ""             # the unit (单位) of a per-unit row; "" for department-level rows
    measure: str = ""            # normalised measure of the column (index.dimensions.MEASURES), "" if unknown


@dataclass(frozen=True)
class Section:
    """A piece of narrative under a heading path."""
    id: str                      # stable within the document, e.g. "s012"
    heading: tuple[str, ...]     # ("第三部分 2024年部门预算情况说明", "二、“三公”经费安排情况")
    text: str                    # the text, page-break noise removed
    pages: tuple[int, ...]


@dataclass(frozen=True)
class ChangeFact:
    """A statement of change in the narrative: "公务接待费5.6万元，比上年增加1万元，增长21.74%，主要原因是…"."""
    subject: str                 # 公务接待费
    value: Decimal | None        # this year's figure (5.6)
    unit: str                    # 万元
    delta: Decimal | None        # signed change (+1, -0.28)
    percent: Decimal | None      # signed percent (21.74, -8), None when not comparable
    reason: str                  # text after 主要原因是 / 原因是, up to the end of that clause
    quote: str                   # the whole statement as printed (page-break noise removed)
    section: str                 # Section.id
    page: int
    # last year's figure when the statement prints it ("比2025年年初预算数30385.62万元增加2466.43万元")
    base: Decimal | None = None

    @property
    def previous(self) -> Decimal | None:
        """Last year's figure: as printed, else derived (this year minus the change)."""
        if self.base is not None:
            return self.base
        if self.value is None or self.delta is None:
            return None
        return self.value - self.delta


# ---- stated counts and stocks (index.statements) ------------------------------------------------------
@dataclass(frozen=True)
class CountFact:
    """A stated count: "共有车辆43辆", "下属12个二级预算单位", "编制45人"."""
    subject: str                 # 车辆, 二级预算单位, 编制
    value: Decimal               # a whole number
    unit: str                    # 辆, 个, 人, 台, 套, 名, 家, 所, 处
    as_of: str                   # the date the paragraph states it for, as printed ("2025年12月31日"), or ""
    quote: str
    section: str
    page: int


@dataclass(frozen=True)
class StockFact:
    """An amount held on a date: "截至2025年12月31日，…固定资产总量为4295.98万元"."""
    subject: str                 # 固定资产总量, 房屋和构筑物
    value: Decimal
    unit: str                    # 万元, 元, 亿元
    as_of: str                   # as printed ("2025年12月31日"), or "" when the sentence names 资产总额 without a date
    quote: str
    section: str
    page: int


@dataclass(frozen=True)
class ParsedDocument:
    document: Document
    tables: tuple[Table, ...]
    facts: tuple[Fact, ...]
    sections: tuple[Section, ...]
    changes: tuple[ChangeFact, ...]
    page_texts: tuple[str, ...] = field(default=())   # page i+1's text as read
    counts: tuple[CountFact, ...] = field(default=())   # stated counts (index.statements)
    stocks: tuple[StockFact, ...] = field(default=())   # stocks with their date (index.statements)

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)
