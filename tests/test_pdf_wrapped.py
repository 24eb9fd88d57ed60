"""Amounts wrapped in narrow cells: the last digits on a row of their own are joined back to the figure above.

Synthetic grids for the rule and its limits, and the real case of ../shared/corpus/wide/hangzhou-police-2026.pdf
(表2 p21–22: "12,437.3" at the foot of p21, "6" with the rest of the unit's name at the top of p22), read from
those two pages only.
"""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from index._pdfgrids import Cell, Grid, clean
from index._pdftables import PendingTable

WIDE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "wide"
HANGZHOU = WIDE / "hangzhou-police-2026.pdf"

HEADER = [["单位名称", "总计", "事业收入", "人数"]]


def _grid(rows: list[list[str]], page: int = 1) -> Grid:
    slots = [[Cell(clean(t), r, r + 1, c, c + 1) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Grid(page, (0, 0, 700, 500), slots, [(c * 50.0, c * 50.0 + 50) for c in range(len(rows[0]))])


def _read(first: list[list[str]], second: list[list[str]]):
    table = PendingTable.start(_grid(HEADER + first), "表2", "表2 收入预算总表", "万元")
    assert table.continue_with(_grid(second, page=2))
    return table.raw_rows()[1]


def test_wrapped_amount_across_a_page_break_is_joined():
    rows = _read([["合计", "18,536.88", "18,536.88", "12"],
                  ["甲单位", "6,099.52", "6,099.52", "5"],
                  ["乙单位机动", "12,437.36", "12,437.3", "7"]],
                 [["车考试中心", "", "6", ""],
                  ["丙单位", "8.00", "", "1"]])
    assert [(r.label, r.values, r.page) for r in rows] == [
        ("合计", [D("18536.88"), D("18536.88"), D("12")], 1),
        ("甲单位", [D("6099.52"), D("6099.52"), D("5")], 1),
        ("乙单位机动车考试中心", [D("12437.36"), D("12437.36"), D("7")], 1),
        ("丙单位", [D("8.00"), None, D("1")], 2)]


def test_wrapped_amount_within_a_page_without_a_label():
    rows = _read([["合计", "18,536.88", "18,536.88", "12"],
                  ["甲单位", "6,099.52", "12,437.3", "5"],
                  ["", "", "6", ""]],
                 [["丙单位", "8.00", "6,099.52", "1"]])
    assert [(r.label, r.values[1]) for r in rows] == [("合计", D("18536.88")), ("甲单位", D("12437.36")),
                                                      ("丙单位", D("6099.52"))]


@pytest.mark.parametrize("above, below", [
    ("12,437.36", "6"),         # the figure above is already complete: "6" is a row of its own
    ("12,437.3", "66"),         # joined it would have 3 decimals where the column has 2
    ("12,437.3", "6.00"),       # a figure, not a tail
])
def test_not_a_wrapped_tail(above, below):
    rows = _read([["合计", "18,536.88", "18,536.88", "12"],
                  ["甲单位", "6,099.52", "6,099.52", "5"],
                  ["乙单位", "12,437.36", above, "7"]],
                 [["", "", below, ""]])
    assert len(rows) == 4 and rows[2].values[1] == D(above.replace(",", ""))


def test_a_count_column_never_joins():
    """Integers in a column of whole numbers (人数): no decimals are missing, nothing is joined."""
    rows = _read([["合计", "18,536.88", "18,536.88", "12"],
                  ["甲单位", "6,099.52", "6,099.52", "5"]],
                 [["乙单位", "", "", "7"]])
    assert [r.label for r in rows] == ["合计", "甲单位", "乙单位"]


def test_next_row_with_its_own_figures_is_not_a_tail():
    rows = _read([["合计", "18,536.88", "18,536.88", "12"],
                  ["甲单位", "6,099.52", "6,099.5", "5"]],
                 [["乙单位", "12,437.36", "2", "7"]])
    assert [r.label for r in rows] == ["合计", "甲单位", "乙单位"]


@pytest.mark.skipif(not HANGZHOU.is_file(), reason="../shared/corpus/wide is not here")
def test_hangzhou_police_table2_wrapped_cell():
    """表2 p21–22: the 考试服务中心's 事业收入 is 12,437.36 (its 总计 14,549.64 = 12,437.36 + 2,112.28)."""
    import pdfplumber

    from index.pdf import _Reader

    reader = _Reader("hangzhou-police-2026")
    with pdfplumber.open(HANGZHOU, pages=[21, 22]) as pdf:
        reader.read_file(HANGZHOU, pdf)
    reader._close()
    tables, facts, _ = reader._tables()
    assert [t.title for t in tables][:1] == ["表2 2026年市级部门收入预算总表"]
    unit = [f for f in facts if f.table == tables[0].id and "考试服务中心" in f.row]
    assert {f.column: f.value for f in unit} == {
        "总计": D("14549.64"), "本年收入·小计": D("14549.64"), "本年收入·事业收入": D("12437.36"),
        "本年收入·其他收入": D("2112.28")}
    assert {f.row for f in unit} == {"杭州市机动车驾驶员考试服务中心"}
    assert not [f for f in facts if f.row.startswith("车驾驶员")]       # no stray row left behind
    income = [f for f in facts if f.table == tables[0].id and f.column == "本年收入·事业收入" and not f.is_total]
    assert sum(f.value for f in income if f.row != "杭州市公安局") == D("18536.88")
