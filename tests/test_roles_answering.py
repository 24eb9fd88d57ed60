"""Resolving an item by the table's role: the 三公 table's own cell for 三公 items/会议费/培训费 before the same
name printed among economic-classification rows, and this year's column before last year's or the change's.

Built from real models (index.models) shaped like two templates seen in the wild: a 三公/会议费/培训费 table
whose items are columns of a 合计 row, with 上年 | 当年 | 增减 column groups; and a one-row 三公 table with
"2025年预算数" | "2026年预算数" groups. No PDF is read (fast); the resolver is the product's own.
"""
from __future__ import annotations

from decimal import Decimal

from assistant.resolve import pick
from assistant.understand import SubjectIndex, past_column
from index.models import Document, Fact, ParsedDocument, Table

DOC = "roles-test"


def _fact(table, row, column, value, row_index, **kw):
    return Fact(doc=DOC, table=table, row=row, code=kw.pop("code", None), path=kw.pop("path", ()), level=0,
                column=column, value=Decimal(value), unit="元", page=1, raw=f"{row} {value}", row_index=row_index,
                **kw)


def _doc() -> ParsedDocument:
    eco = Table(id="表6", title="表6 一般公共预算支出明细表（按支出经济分类科目）", unit="元",
                columns=("合计", "公用经费支出"), pages=(1,), role="economic")
    groups = ("上年", "当年", "增减变化情况")
    items = ("合计", "“三公”经费·公务接待费", "“三公”经费·公务用车运行维护费", "会议费", "培训费")
    sg = Table(id="表13", title="表13 “三公”经费及会议费、培训费支出预算表", unit="元",
               columns=tuple(f"{g}·{i}" for g in groups for i in items), pages=(1,), role="sangong_meeting_training")
    facts = [
        _fact("表6", "培训费", "合计", "334900", 0, code="30216"),
        _fact("表6", "培训费", "公用经费支出", "40000", 0, code="30216"),
        _fact("表6", "公务用车运行维护费", "合计", "123000", 1, code="30231"),
    ]
    figures = {"上年": ("2480000", "90000", "175000", "506800", "1708200"),
               "当年": ("2083436", "80000", "139000", "461836", "1402600"),
               "增减变化情况": ("-396564", "-10000", "-36000", "-44964", "-305600")}
    for g in groups:
        for i, v in zip(items, figures[g]):
            facts.append(_fact("表13", "合计", f"{g}·{i}", v, 0, is_total=True))
    one = Table(id="公开表7", title="公开表7 一般公共预算“三公”经费支出情况表", unit="元",
                columns=("2025年预算数·合计", "2025年预算数·公务接待费", "2026年预算数·合计", "2026年预算数·公务接待费"),
                pages=(2,), role="sangong")
    document = Document(id=DOC, department="某某局", year=2026, kind="预算", unit="元", source_files=(), hashes=())
    return ParsedDocument(document=document, tables=(eco, sg), facts=tuple(facts), sections=(), changes=()), one


def _resolve(index: SubjectIndex, q: str):
    m = next(m for m in index.mentions(q))
    return pick(m, q, index.titles, index.tables)


def test_a_sangong_item_is_read_from_the_sangong_table_not_the_economic_rows():
    parsed, _ = _doc()
    index = SubjectIndex(parsed)
    p = _resolve(index, "培训费预算多少")
    assert [(f.table, f.column, f.value) for f in p.facts] == [("表13", "当年·培训费", Decimal("1402600"))]
    p = _resolve(index, "公务用车运行维护费是多少")
    assert (p.facts[0].table, p.facts[0].value) == ("表13", Decimal("139000"))


def test_last_year_and_change_columns_are_not_this_years_figure():
    _, one = _doc()
    assert past_column("上年·培训费") and past_column("增减变化情况·培训费")
    assert not past_column("当年·培训费")
    assert past_column("2025年预算数·公务接待费", one.columns)
    assert not past_column("2026年预算数·公务接待费", one.columns)
    assert not past_column("上年结转·小计")          # carry-over into this year is this year's money


def test_a_one_row_table_split_by_source_of_funds_does_not_stand_for_the_source():
    """Shenzhen's 三公 table read by period: one unit row, columns "2026年·公务接待费·一般公共预算" …. Its
    一般公共预算 cells are 三公 money by source, never the department's 一般公共预算 (the 财政拨款 table's)."""
    fiscal = Table(id="表6", title="表6 财政拨款收支总表", unit="万元", columns=("金额",), pages=(1,),
                   role="fiscal_summary")
    cols = tuple(f"{p}·{i}·{s}" for p in ("2025年", "2026年") for i in ("总计", "公务接待费")
                 for s in ("一般公共预算", "政府性基金预算"))
    sg = Table(id="表9", title="表9 财政拨款“三公”经费支出表", unit="万元", columns=cols, pages=(2,), role="sangong")
    facts = [_fact("表6", "一般公共预算拨款", "金额", "202989.21", 0)]
    facts += [_fact("表9", "某某局（本级）", c, v, 0, entity="某某局（本级）")
              for c, v in zip(cols, ("3092.26", "0", "54.71", "0", "3086.94", "0", "52.99", "0"))]
    document = Document(id=DOC, department="某某局", year=2026, kind="预算", unit="万元", source_files=(), hashes=())
    index = SubjectIndex(ParsedDocument(document=document, tables=(fiscal, sg), facts=tuple(facts), sections=(),
                                        changes=()))
    q = "一般公共预算支出是多少"
    picked = [f for m in index.mentions(q) for f in pick(m, q, index.titles, index.tables).facts]
    assert "表9" not in {f.table for f in picked}
