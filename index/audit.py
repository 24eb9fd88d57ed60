"""Consistency audit of a parsed budget disclosure: do its tables and its narrative agree with themselves?

`audit(parsed)` returns `Finding`s, each with the figures compared and the evidence (table or section, page,
quote). Checks:

- parent_sum: a parent row equals the sum of its children, per column (subject-code hierarchy, or the
  printed level for uncoded rows); a total row equals the rows it closes (本年收入合计 = the income items
  above it; 收入总计 = 本年收入合计 + the items between). Rows under "其中" are a subset, not a partition:
  the parent may exceed their sum. column_sum: within a row, 合计 = 基本支出 + 项目支出 + …
- balance / cross_table_total / cross_table_code / sangong_vs_economic: totals agree across tables matched
  by what they are (收支总表, 财政拨款收支总表, 支出总表, 一般公共预算支出表, 基本支出经济分类表, 三公 …);
  the same subject code carries the same amount in tables of the same scope; 三公 items agree with the
  economic rows they are booked under (30217, 30231, 30212, 31013).
- narrative_vs_table: figures stated in the narrative ("“三公”经费8.82万元", "公共安全（类）支出…万元",
  收入预算, 基本支出, 机关运行经费 …) agree with a table; only subjects that name a table figure
  unambiguously are checked. narrative_percent: a change statement's percent agrees with its own amounts
  (percent ≈ delta / (value − delta) × 100 at the printed precision); narrative_share: "占…%" agrees.
- note_vs_table: a footnote says the table is empty ("本表为空表") while it prints amounts.

Tolerance: equal (after converting 元/万元, at the printed precision) is fine; one unit of the last printed
digit (0.01 万元, or the last digit of a percent) is severity "rounding" (尾数误差); more is "error". "info"
marks what cannot be checked (a table the narrative relies on is missing).

Other templates: a table printed over pages is one table; 栏次 rows, 行次/序号 columns, performance-indicator
tables, per-year measure rows, tables printed side by side, relative or doubled codes are never summed;
tables are matched by their role (`index.roles`), this year with this year, money carried over apart.

Modules: `_auditrows` (numbers, rows, what can be summed), `_auditfigures` (kinds, figures, 三公 items),
`_auditchecks` (sums within a table, notes), `_auditcross` (across tables), `_auditnarr` and `_auditpct`
(narrative).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import ParsedDocument

SEVERITIES = ("error", "rounding", "info")
_SEV_CN = {"error": "错误", "rounding": "尾数差异", "info": "提示"}


@dataclass(frozen=True)
class Evidence:
    source: str          # table title, or the section's heading path
    page: int
    quote: str

    def to_dict(self) -> dict:
        return {"source": self.source, "page": self.page, "quote": self.quote}


def _dstr(v: Decimal | None) -> str | None:
    return None if v is None else format(v, "f")


@dataclass(frozen=True)
class Finding:
    severity: str                    # "error" | "rounding" | "info"
    check: str                       # rule name: parent_sum, cross_table_total, narrative_vs_table, …
    message: str                     # Chinese, one line
    expected: Decimal | None = None
    actual: Decimal | None = None
    difference: Decimal | None = None          # actual − expected
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict:
        return {"severity": self.severity, "check": self.check, "message": self.message,
                "expected": _dstr(self.expected), "actual": _dstr(self.actual),
                "difference": _dstr(self.difference), "evidence": [e.to_dict() for e in self.evidence]}

    def line(self) -> str:
        where = "；".join(dict.fromkeys(f"{e.source} 第{e.page}页" for e in self.evidence[:3]))
        return f"[{_SEV_CN.get(self.severity, self.severity)}] {self.check}: {self.message}" + (
            f"（依据：{where}）" if where else "")


def audit(parsed: ParsedDocument) -> list[Finding]:
    """Every inconsistency found in one parsed document, errors first, each with its evidence."""
    from . import _auditchecks as C
    rows = C.table_rows(parsed)
    found: list[Finding] = []
    found += C.check_parent_sums(parsed, rows)
    found += C.check_column_sums(parsed, rows)
    found += C.check_cross_tables(parsed, rows)
    found += C.check_notes(parsed, rows)
    from ._auditnarr import Narrative
    found += Narrative(parsed, rows).check()
    out, seen = [], set()
    for f in found:
        key = (f.check, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    out.sort(key=lambda f: (order.get(f.severity, 9), f.evidence[0].page if f.evidence else 0))
    return out


__all__ = ["Evidence", "Finding", "audit", "SEVERITIES"]
