"""Tables whose rows are periods: each unit, then its 2025年 / 2026年 / 增减变化金额 lines (Shenzhen's 三公 table).

The period is read into the column path ("2026年·公务接待费"), so one row holds one unit with every period's
figures, and last year's or the change's columns are told apart from this year's by their measure and by the
answering's year rules. Synthetic grids, and ../shared/corpus/wide/shenzhen-police-2026.pdf p37 read alone.
"""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from index._pdfgrids import Cell, Grid, clean
from index._pdftables import PendingTable
from index.dimensions import measure_of

WIDE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "wide"
SHENZHEN = WIDE / "shenzhen-police-2026.pdf"


def _grid(rows: list[list[str]], page: int = 1) -> Grid:
    slots = [[Cell(clean(t), r, r + 1, c, c + 1) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Grid(page, (0, 0, 700, 500), slots, [(c * 50.0, c * 50.0 + 50) for c in range(len(rows[0]))])


def test_period_rows_become_column_groups_of_one_unit_row():
    table = PendingTable.start(_grid([
        ["预算单位", "年度", "总计", "公务接待费"],
        ["甲局", "2025年", "30.00", "5.00"],
        ["", "2026年", "28.00", "4.00"],
        ["", "增减变化金额", "-2.00", "-1.00"],
        ["乙中心", "2025年", "3.00", "1.00"],
        ["", "2026年", "3.50", "1.50"],
        ["", "增减变化金额", "0.50", "0.50"],
    ]), "表9", "表9 财政拨款“三公”经费支出表", "万元")
    columns, rows = table.raw_rows()
    assert columns == ["2025年·总计", "2025年·公务接待费", "2026年·总计", "2026年·公务接待费",
                       "增减变化金额·总计", "增减变化金额·公务接待费"]
    assert [(r.label, r.values) for r in rows] == [
        ("甲局", [D("30.00"), D("5.00"), D("28.00"), D("4.00"), D("-2.00"), D("-1.00")]),
        ("乙中心", [D("3.00"), D("1.00"), D("3.50"), D("1.50"), D("0.50"), D("0.50")])]
    assert rows[0].raw == "甲局 2025年 30.00 5.00 2026年 28.00 4.00 增减变化金额 -2.00 -1.00"
    assert [measure_of(c, 2026) for c in columns] == ["previous", "previous", "total", "current", "change", "change"]


def test_a_text_column_that_is_not_all_periods_is_left_alone():
    table = PendingTable.start(_grid([
        ["项目名称", "说明", "金额"],
        ["甲项目", "2025年", "30.00"],
        ["乙项目", "续建", "28.00"],
    ]), "表5", "表5 项目支出表", "万元")
    columns, rows = table.raw_rows()
    assert columns == ["金额"] and [r.label for r in rows] == ["甲项目", "乙项目"]


def test_measures_of_last_year_and_change_groups():
    assert measure_of("2025年·总计·一般公共预算", 2026) == "previous"
    assert measure_of("增减变化金额·公务接待费·一般公共预算", 2026) == "change"
    assert measure_of("上年·一般公共预算", 2026) == "previous"
    assert measure_of("2026年·总计·一般公共预算", 2026) == "general_public"
    assert measure_of("上年结转结余·一般公共预算", 2026) == "general_public"    # carried over: this year's money
    assert measure_of("本年收入·一般公共预算", 2026) == "general_public"


@pytest.mark.skipif(not SHENZHEN.is_file(), reason="../shared/corpus/wide is not here")
def test_shenzhen_police_sangong_table_by_year():
    """p37 表9: 深圳市公安局（本级） 2025年 3,092.26 / 2026年 3,086.94 / 增减变化金额 -5.32 (总计·一般公共预算)."""
    import pdfplumber

    from assistant.understand import past_column
    from index.dimensions import with_measures
    from index.pdf import _Reader

    reader = _Reader("shenzhen-police-2026")
    with pdfplumber.open(SHENZHEN, pages=[37]) as pdf:
        reader.read_file(SHENZHEN, pdf)
    reader._close()
    tables, facts, _ = reader._tables()
    (table,) = [t for t in tables if t.role == "sangong"]
    facts = with_measures([f for f in facts if f.table == table.id], 2026)
    assert {f.row for f in facts} == {"深圳市公安局（本级）"}
    assert {f.entity for f in facts} == {"深圳市公安局（本级）"}
    total = {f.column.split("·")[0]: f for f in facts if f.column.endswith("总计·一般公共预算")}
    assert {k: f.value for k, f in total.items()} == {"2025年": D("3092.26"), "2026年": D("3086.94"),
                                                     "增减变化金额": D("-5.32")}
    assert {k: f.measure for k, f in total.items()} == {"2025年": "previous", "2026年": "general_public",
                                                       "增减变化金额": "change"}
    now = [f for f in facts if not past_column(f.column, table.columns)]
    assert {f.column.split("·")[0] for f in now} == {"2026年"}
    reception = next(f for f in now if f.column == "2026年·公务接待费·一般公共预算")
    assert reception.value == D("52.99")


def test_a_year_on_every_labelled_row_is_no_period():
    """A project table's 年度 (the year each project started), one per project row: the rows stay as printed."""
    table = PendingTable.start(_grid([
        ["项目名称", "年度", "金额"],
        ["甲项目", "2025年", "30.00"],
        ["乙项目", "2026年", "28.00"],
        ["丙项目", "2026年", "8.00"],
    ]), "表5", "表5 项目支出表", "万元")
    columns, rows = table.raw_rows()
    assert columns == ["金额"] and [r.label for r in rows] == ["甲项目", "乙项目", "丙项目"]
