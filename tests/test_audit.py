"""The consistency audit (index.audit): hand-made documents that trigger each rule, the bundled document,
and every corpus PDF with its findings verified by hand against the PDF text."""
from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import pytest

from index.audit import Evidence, Finding, audit
from index.models import ChangeFact, Document, Fact, ParsedDocument, Section, Table

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


# --------------------------------------------------------------------------------------------- builder

class Doc:
    """Builds a small ParsedDocument: tables row by row, narrative sections, change statements."""

    def __init__(self) -> None:
        self.tables: list[Table] = []
        self.facts: list[Fact] = []
        self.sections: list[Section] = []
        self.changes: list[ChangeFact] = []
        self.pages: dict[int, str] = {}

    def table(self, tid: str, title: str, columns, unit: str = "万元", page: int = 1, note: str = "") -> "Doc":
        self.tables.append(Table(tid, f"{tid} {title}" if not title.startswith(tid) else title, unit,
                                 tuple(columns), (page,), note))
        self._cur = (tid, unit, tuple(columns), page)
        self._idx = 0
        return self

    def row(self, label: str, *values, code=None, level=1, parent=None, total=False, side="") -> "Doc":
        tid, unit, columns, page = self._cur
        raw = " ".join([(code or "") + label] + [str(v) for v in values if v is not None])
        for col, v in zip(columns, values):
            if v is not None:
                self.facts.append(Fact(doc="t", table=tid, row=label, code=code, path=(), level=level, column=col,
                                       value=D(str(v)), unit=unit, page=page, raw=raw, row_index=self._idx,
                                       is_total=total, side=side, parent_code=parent))
        self._idx += 1
        return self

    def section(self, text: str, heading=("第三部分 情况说明", "二、“三公”经费安排情况"), page: int = 30) -> "Doc":
        self.sections.append(Section(f"s{len(self.sections):03d}", tuple(heading), text, (page,)))
        self.pages[page] = self.pages.get(page, "") + text
        return self

    def change(self, subject: str, value: str, delta: str, percent: str | None, page: int = 30) -> "Doc":
        quote = f"{subject}{value}万元，比上年变动{delta}万元，{percent}%。"
        if not self.sections:
            self.section(quote, page=page)
        self.changes.append(ChangeFact(subject, D(value), "万元", D(delta), D(percent) if percent else None, "",
                                       quote, self.sections[-1].id, page))
        return self

    def build(self) -> ParsedDocument:
        n = max([30] + list(self.pages) + [t.pages[-1] for t in self.tables])
        doc = Document("t", "测试部门", 2024, "预算", "万元", ("t.txt",), ("0",), n)
        return ParsedDocument(doc, tuple(self.tables), tuple(self.facts), tuple(self.sections), tuple(self.changes),
                              tuple(self.pages.get(i, "") for i in range(1, n + 1)))


def _sig(findings):
    return [(f.severity, f.check, f.expected, f.actual) for f in findings]


def _econ(doc: Doc, tid="表6", title="一般公共预算基本支出情况表（按经济分类科目）", unit="万元", rows=()):
    """An economic-classification table; a row with code None is the 合计 row."""
    doc.table(tid, title, ("预算",), unit=unit, page=13)
    for label, code, value in rows:
        if code is None:
            doc.row(label, value, level=0, total=True)
        else:
            doc.row(label, value, code=code, level=1 if len(code) == 3 else 2,
                    parent=code[:3] if len(code) == 5 else None)
    return doc


# --------------------------------------------------------------------------------------------- check 1

def test_parent_not_equal_to_children_is_an_error():
    d = Doc().table("表6", "一般公共预算基本支出情况表（按经济分类科目）", ("预算",))
    d.row("合计", "1.00", level=0, total=True)
    d.row("工资福利支出", "1.00", code="301")
    d.row("基本工资", "0.40", code="30101", level=2, parent="301")
    d.row("津贴补贴", "0.50", code="30102", level=2, parent="301")
    f = audit(d.build())
    assert _sig(f) == [("error", "parent_sum", D("0.90"), D("1.00"))]
    assert f[0].difference == D("0.10")
    assert "工资福利支出" in f[0].message and f[0].evidence[0].source.startswith("表6")


def test_difference_of_one_cent_is_rounding():
    d = Doc().table("表6", "一般公共预算基本支出情况表（按经济分类科目）", ("预算",))
    d.row("合计", "1.00", level=0, total=True)
    d.row("工资福利支出", "1.00", code="301")
    d.row("基本工资", "0.49", code="30101", level=2, parent="301")
    d.row("津贴补贴", "0.50", code="30102", level=2, parent="301")
    assert _sig(audit(d.build())) == [("rounding", "parent_sum", D("0.99"), D("1.00"))]


def test_zero_rows_are_fine_and_total_sums_top_rows_only():
    d = Doc().table("表3", "支出总体情况表", ("合计", "基本支出", "项目支出"))
    d.row("合计", "10.00", "4.00", "6.00", level=0, total=True)
    d.row("一般公共服务支出", "10.00", "4.00", "6.00", code="201")
    d.row("人大事务", "10.00", "4.00", "6.00", code="20101", level=2, parent="201")
    d.row("行政运行", "10.00", "4.00", "6.00", code="2010101", level=3, parent="20101")
    d.row("住房保障支出", "0.00", "0.00", "0.00", code="221")
    assert audit(d.build()) == []


def test_qizhong_rows_are_a_subset_not_a_partition():
    def doc(part: str) -> ParsedDocument:
        d = Doc().table("表11", "部门预算基本支出预算表", ("总计",))
        d.row("合计", "10.00", level=0, total=True)
        d.row("某单位", "10.00", level=1)
        d.row("其中：人员经费", part, level=2)
        return d.build()
    assert audit(doc("6.00")) == []                               # 其中 is a part: 10 ≥ 6 is fine
    assert _sig(audit(doc("12.00"))) == [("error", "parent_sum", D("12.00"), D("10.00"))]


def test_sangong_is_a_partition_even_under_qizhong():
    d = Doc().table("表8", "财政拨款安排的行政经费及“三公”经费预算表", ("合计",), page=16)
    d.row("“三公”经费", "8.82", level=0)
    d.row("其中：（一）因公出国（境）支出", "0.00", level=1)
    d.row("（二）公务用车购置及运行维护支出", "3.22", level=1)
    d.row("（三）公务接待费支出", "5.50", level=1)
    f = audit(d.build())
    assert _sig(f) == [("error", "parent_sum", D("8.72"), D("8.82"))]


def _two_sided(total_in="105.00", total_out="105.00"):
    d = Doc().table("表1", "收支总体情况表", ("预算",), page=4)
    d.row("一、预算拨款", "100.00", side="收入")
    d.row("二、其他资金", "0.00", side="收入")
    d.row("本年收入合计", "100.00", side="收入", level=0, total=True)
    d.row("四、上级补助收入", "5.00", side="收入")
    d.row("收入总计", total_in, side="收入", level=0, total=True)
    d.row("一、一般公共服务支出", "105.00", side="支出")
    d.row("本年支出合计", "105.00", side="支出", level=0, total=True)
    d.row("二十六、结转下年", "0.00", side="支出")
    d.row("支出总计", total_out, side="支出", level=0, total=True)
    return d


def test_two_sided_totals_close_their_own_side():
    assert audit(_two_sided().build()) == []
    f = audit(_two_sided(total_in="106.00").build())
    assert sorted(_sig(f)) == sorted([("error", "parent_sum", D("105.00"), D("106.00")),
                                      ("error", "balance", D("106.00"), D("105.00"))])


def test_column_sum_within_a_row():
    d = Doc().table("表5", "一般公共预算支出情况表（按功能分类科目）", ("小计", "基本支出", "项目支出"))
    d.row("合计", "10.00", "4.00", "6.01", level=0, total=True)
    d.row("一般公共服务支出", "10.00", "4.00", "6.01", code="201")
    assert _sig(audit(d.build())) == [("rounding", "column_sum", D("10.01"), D("10.00"))] * 2


# --------------------------------------------------------------------------------------------- check 2

def test_cross_table_total_mismatch():
    d = _two_sided()
    d.table("表3", "支出总体情况表", ("合计", "基本支出", "项目支出"), page=8)
    d.row("合计", "106.00", "6.00", "100.00", level=0, total=True)
    d.row("一般公共服务支出", "106.00", "6.00", "100.00", code="201")
    f = audit(d.build())
    assert _sig(f) == [("error", "cross_table_total", D("105.00"), D("106.00"))]
    pages = {e.page for e in f[0].evidence}
    assert pages == {4, 8}


def _func(d: Doc, tid: str, title: str, first: str, a: str, b: str):
    d.table(tid, title, (first, "基本支出", "项目支出"), page=8 if tid == "表3" else 12)
    d.row("合计", "10.00", "4.00", "6.00", level=0, total=True)
    d.row("一般公共服务支出", "10.00", "4.00", "6.00", code="201")
    d.row("人大事务", "10.00", "4.00", "6.00", code="20101", level=2, parent="201")
    d.row("行政运行", a, "4.00", str(D(a) - 4), code="2010101", level=3, parent="20101")
    d.row("事业运行", b, "0.00", b, code="2010150", level=3, parent="20101")
    return d


def test_same_code_disagrees_between_tables_of_the_same_scope():
    d = Doc()
    _func(d, "表3", "支出总体情况表", "合计", "7.00", "3.00")
    _func(d, "表5", "一般公共预算支出情况表（按功能分类科目）", "小计", "7.00", "3.00")
    assert audit(d.build()) == []
    d = Doc()
    _func(d, "表3", "支出总体情况表", "合计", "7.00", "3.00")
    _func(d, "表5", "一般公共预算支出情况表（按功能分类科目）", "小计", "6.00", "4.00")
    f = [x for x in audit(d.build()) if x.check == "cross_table_code"]
    assert ("error", "cross_table_code", D("7.00"), D("6.00")) in _sig(f)
    assert any("2010101" in x.message for x in f)


def test_basic_spending_total_vs_economic_table():
    d = Doc()
    _func(d, "表5", "一般公共预算支出情况表（按功能分类科目）", "小计", "7.00", "3.00")
    _econ(d, rows=[("合计", None, "4.10"), ("工资福利支出", "301", "4.10")])
    assert _sig(audit(d.build())) == [("error", "cross_table_total", D("4.00"), D("4.10"))]


def _sangong(d: Doc, reception="5.60", run="3.22"):
    d.table("表8", "财政拨款安排的行政经费及“三公”经费预算表", ("合计", "一般公共预算"), page=16)
    d.row("行政经费", "100.00", "100.00", level=0)
    total = str(D(reception) + D(run))
    d.row("“三公”经费", total, total, level=0)
    d.row("其中：（一）因公出国（境）支出", "0.00", "0.00", level=1)
    d.row("（二）公务用车购置及运行维护支出", run, run, level=1)
    d.row("1.公务用车购置费", "0.00", "0.00", level=2)
    d.row("2.公务用车运行维护费", run, run, level=2)
    d.row("（三）公务接待费支出", reception, reception, level=1)
    return d


def test_sangong_items_vs_economic_rows_of_basic_and_project_spending():
    def doc(project_reception: str) -> ParsedDocument:
        d = _sangong(Doc())
        _econ(d, rows=[("商品和服务支出", "302", "8.22"), ("公务接待费", "30217", "5.00"),
                       ("公务用车运行维护费", "30231", "3.22")])
        _econ(d, tid="表7", title="一般公共预算项目支出情况表（按经济分类科目）",
              rows=[("商品和服务支出", "302", project_reception), ("公务接待费", "30217", project_reception)])
        return d.build()
    assert audit(doc("0.60")) == []                    # 5.00 + 0.60 = 5.60
    f = audit(doc("0.50"))
    assert _sig(f) == [("error", "sangong_vs_economic", D("5.50"), D("5.60"))]


def _shanghai(reception_yuan: str = "13,500"):
    """Shanghai layout: the economic table in 元, the 三公 table in 万元 with items as columns."""
    d = Doc()
    d.table("表8", "2024年部门一般公共预算基本支出部门预算经济分类预算表",
            ("一般公共预算基本支出·合计", "一般公共预算基本支出·人员经费", "一般公共预算基本支出·公用经费"),
            unit="元", page=29)
    r = D(reception_yuan.replace(",", ""))
    d.row("商品和服务支出", str(r + 215600), "0", str(r + 215600), code="302")
    d.row("公务接待费", str(r), "0", str(r), code="30217", level=2, parent="302")
    d.row("公务用车运行维护费", "215600", "0", "215600", code="30231", level=2, parent="302")
    d.row("合计", str(r + 215600), "0", str(r + 215600), level=0, total=True)
    g = "2024年“三公”经费预算数"
    d.table("表9", "部门“三公”经费和机关运行经费预算表",
            (f"{g}·合计", f"{g}·因公出国(境)费", f"{g}·公务接待费", f"{g}·公务用车购置及运行费·小计",
             f"{g}·公务用车购置及运行费·购置费", f"{g}·公务用车购置及运行费·运行费", "2024年机关运行经费预算数"),
            page=31)
    d.row("部门“三公”经费和机关运行经费预算表", "22.91", "0", "1.35", "21.56", "0", "21.56", "443.18", level=0)
    return d


def test_yuan_and_wan_yuan_compare_equal_after_conversion():
    d = _shanghai()
    d.section("（三）公务接待费1.35万元。机关运行经费预算为443.18万元。", heading=("其他相关情况说明",), page=32)
    assert audit(d.build()) == []


def test_yuan_vs_wan_yuan_one_cent_after_conversion_is_rounding():
    f = audit(_shanghai("13,600").build())            # 13,600 元 = 1.36 万元 vs 1.35 万元
    assert _sig(f) == [("rounding", "sangong_vs_economic", D("1.36"), D("1.35"))]


def test_jiangsu_basic_only_economic_row_is_a_lower_bound():
    d = Doc().table("公开09表", "“三公”经费、会议费、培训费支出预算表",
                    ("合计", "“三公”经费·小计", "“三公”经费·因公出国（境）费", "“三公”经费·公务接待费", "会议费", "培训费"),
                    page=20)
    d.row("“三公”经费、会议费、培训费支出预算表", "1276.7", "181.26", "80", "101.26", "158.44", "937", level=0)
    _econ(d, tid="公开08表", title="一般公共预算基本支出预算表（经济科目）",
          rows=[("商品和服务支出", "302", "261.70"), ("公务接待费", "30217", "33.26"), ("会议费", "30215", "158.44"),
                ("培训费", "30216", "70.00")])
    assert audit(d.build()) == []                        # 33.26 of 101.26 from basic spending: fine
    bumped = {"30217": D("133.26"), "302": D("361.70")}
    d.facts = [replace(f, value=bumped[f.code]) if f.code in bumped else f for f in d.facts]
    assert _sig(audit(d.build())) == [("error", "sangong_vs_economic", D("133.26"), D("101.26"))]


# --------------------------------------------------------------------------------------------- check 3

def test_narrative_figure_disagrees_with_table():
    d = _sangong(Doc())
    d.section("2024年本部门财政拨款安排“三公”经费9.82万元。其中：公务接待费5.6万元。")
    f = audit(d.build())
    assert _sig(f) == [("error", "narrative_vs_table", D("8.82"), D("9.82"))]
    assert f[0].evidence[0].page == 30 and "9.82" in f[0].evidence[0].quote
    assert any(e.source.startswith("表8") for e in f[0].evidence)


def test_change_statement_percent_is_checked():
    d = _sangong(Doc())
    d.section("公务接待费5.6万元，比上年增加1万元，增长20%。")
    d.changes.append(ChangeFact("公务接待费", D("5.6"), "万元", D("1"), D("20"), "", "公务接待费5.6万元，比上年增加1万元，增长20%。",
                                "s000", 30))
    f = audit(d.build())
    assert _sig(f) == [("error", "narrative_percent", D("22"), D("20"))]


def test_change_percent_rounding_and_zero_decimal_percent():
    d = _sangong(Doc())
    d.section("x")
    for subject, value, delta, pct in (("行政单位离退休", "400.02", "28.1", "7.57"),       # 7.555…%: rounding
                                       ("公务接待费", "5.6", "1", "21.73"),             # 5.6±0.005, 1±0.005: 21.58–21.90%
                                       ("公务用车购置及运行维护费", "3.22", "-0.28", "-8")):  # "8%" has 0 decimals: ok
        d.changes.append(ChangeFact(subject, D(value), "万元", D(delta), D(pct), "", f"{subject}{value}万元", "s000", 30))
    assert _sig(audit(d.build())) == [("rounding", "narrative_percent", D("7.56"), D("7.57"))]


def test_percent_found_in_section_text_without_change_facts():
    d = Doc()
    d.section("项目支出预算数为4335.3万元。与上年相比减少了1237.7万元，减少13.22%。主要原因是压减一般性支出。",
              heading=("第三部分", "一、收支预算总体情况说明"), page=26)
    f = audit(d.build())
    assert _sig(f) == [("error", "narrative_percent", D("-22.21"), D("-13.22"))]
    assert f[0].evidence[0].page == 26


def test_share_statement():
    d = Doc()
    d.section("本年支出预算合计24,169.74万元，其中：基本支出15,844.04万元，占65.56%；项目支出4335.3万元，占17.94%；",
              heading=("第三部分", "三、支出预算情况说明"), page=26)
    assert _sig(audit(d.build())) == [("rounding", "narrative_share", D("65.55"), D("65.56"))]


def test_functional_subject_in_narrative_resolved_by_names():
    def doc(stated: str) -> ParsedDocument:
        d = Doc()
        _func(d, "表5", "一般公共预算支出情况表（按功能分类科目）", "小计", "7.00", "3.00")
        d.section(f"1．人大事务（款）行政运行（项）支出{stated}万元，主要用于机关运行。", page=28)
        return d.build()
    assert audit(doc("7.00")) == []
    assert _sig(audit(doc("7.10"))) == [("error", "narrative_vs_table", D("7.00"), D("7.10"))]


def test_unresolvable_subject_is_not_guessed():
    d = Doc()
    _func(d, "表5", "一般公共预算支出情况表（按功能分类科目）", "小计", "7.00", "3.00")
    d.section("1．人大事务（款）一般行政事务管理（项）支出99万元。", page=28)    # no such 项: skipped
    assert audit(d.build()) == []


def test_sangong_table_missing_is_info():
    d = Doc().section("2024年“三公”经费预算数为47.91万元。")
    f = audit(d.build())
    assert [(x.severity, x.check) for x in f] == [("info", "narrative_vs_table")]


def test_note_says_empty_but_table_has_amounts():
    d = _shanghai()
    d.tables[-1] = Table(d.tables[-1].id, d.tables[-1].title, "万元", d.tables[-1].columns, (31,),
                         "注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。")
    f = audit(d.build())
    assert _sig(f) == [("error", "note_vs_table", D(0), D("22.91"))]


def test_empty_document_has_no_findings():
    assert audit(Doc().build()) == []


# --------------------------------------------------------------------------------------------- format

def test_finding_to_dict_and_line():
    f = Finding("rounding", "parent_sum", "表7「商品和服务支出」…", D("4661.77"), D("4661.78"), D("0.01"),
                (Evidence("表7 一般公共预算项目支出情况表（按经济分类科目）", 15, "[302]商品和服务支出 4,661.78"),))
    d = f.to_dict()
    assert d == {"severity": "rounding", "check": "parent_sum", "message": "表7「商品和服务支出」…",
                 "expected": "4661.77", "actual": "4661.78", "difference": "0.01",
                 "evidence": [{"source": "表7 一般公共预算项目支出情况表（按经济分类科目）", "page": 15,
                               "quote": "[302]商品和服务支出 4,661.78"}]}
    json.dumps(d, ensure_ascii=False)
    assert Finding("info", "x", "m").to_dict()["expected"] is None
    line = f.line()
    assert "\n" not in line and "parent_sum" in line and "第15页" in line


# --------------------------------------------------------------------------------------------- bundled

def test_bundled_document_has_one_rounding_difference():
    """Verified by hand: 表7 302 商品和服务支出 prints 4,661.78 but its items add up to 4,661.77 (尾数误差);
    everything else (表1/表4/表5 totals, 表3 vs 表5 by code, 表6/表7 vs 表3/表5/表11/表12, 表8 vs 30217/30231,
    the narrative's 8.82 / 5.6 / 3.22 / 1,272.04 / 7,600.53 and their percents) agrees."""
    from index.ingest import bundled_path, read_document
    f = audit(read_document([bundled_path()]))
    assert _sig(f) == [("rounding", "parent_sum", D("4661.77"), D("4661.78"))]
    assert f[0].evidence[0].page == 15 and f[0].evidence[0].source.startswith("表7")
    assert f[0].difference == D("0.01")


# --------------------------------------------------------------------------------------------- corpus

# (severity, check, expected, actual, page of the first evidence): each checked by hand against the PDF text.
EXPECTED = {
    "jiangsu-procuratorate-2019": [
        ("error", "narrative_percent", "10.09", "10.06", 25),     # 2214.39 / (24169.74 − 2214.39)
        ("error", "narrative_percent", "-22.21", "-13.22", 26),   # 项目支出 −1237.7 / 5573.0
        ("error", "narrative_percent", "34.36", "34.38", 29),     # 住房公积金 368.97 / 1073.77
        ("rounding", "narrative_percent", "10.16", "10.15", 25),  # 一般公共预算收入 2228.78 / 21940.96
        ("rounding", "narrative_share", "65.55", "65.56", 26),    # 基本支出 15844.04 / 24169.74
        ("rounding", "narrative_percent", "10.16", "10.15", 27),
        ("rounding", "narrative_percent", "10.16", "10.15", 27),
        ("rounding", "narrative_percent", "-35.78", "-35.77", 27),  # 一般行政管理事务 1311.6 / 3666.0
        ("rounding", "narrative_percent", "7.56", "7.57", 28),    # 离退休 28.1 / 371.92
        ("rounding", "narrative_percent", "64.06", "64.07", 29),  # 提租补贴 1657 / 2586.61
        ("rounding", "narrative_percent", "10.16", "10.15", 29),
    ],
    "jiangsu-procuratorate-2018": [
        ("error", "narrative_percent", "22.00", "21.95", 23),     # 3958.67 / 17996.68
        ("error", "narrative_percent", "0.60", "0.06", 26),       # 一般行政管理事务 21.8 / 3644.2
        ("error", "narrative_percent", "-6.60", "-0.66", 26),     # 检察监督 −134 / 2029
        ("rounding", "narrative_percent", "-9.2", "-9.1", 24),    # 社会保障和就业 −184.96 / 2021.18
        ("rounding", "narrative_share", "99.93", "99.94", 25),    # 21940.96 / 21955.35
        ("rounding", "narrative_share", "0.07", "0.06", 25),      # 14.39 / 21955.35
        ("rounding", "narrative_share", "63.74", "63.75", 25),    # 13994.31 / 21955.35
        ("rounding", "narrative_share", "10.88", "10.87", 25),    # 2388.04 / 21955.35
        ("rounding", "narrative_percent", "36.59", "36.58", 26),  # 行政运行 2915.22 / 7968.14
        ("rounding", "narrative_share", "99.93", "99.94", 26),    # 财政拨款 占本年支出合计
    ],
    "jiangsu-high-court-2019": [],
    "jiangsu-cppcc-2018": [
        ("rounding", "narrative_percent", "-66.68", "-66.69", 15),  # 机关运行经费 −2233.13 / 3348.98
    ],
    "shanghai-putuo-wanli-2024": [
        ("error", "narrative_vs_table", "350.35", "352.67", 9),   # item 31 "2024年预算安排352.67万元" vs 3,503,499元
        ("error", "narrative_percent", "1.19", "0.53", 9),        # (352.67 − 348.52) / 348.52
        ("error", "note_vs_table", "0", "47.91", 31),             # 三公 table footnote "本表为空表"
    ],
    "shanghai-putuo-wanli-2025": [
        # 212 01 城乡社区管理事务 prints 94,995,790 元; its items (and 基本 77,381,546 + 项目 17,614,243) give
        # 94,995,789, in 表2, 表3 and 表5; 212 城乡社区支出 (154,369,326) is therefore 1 元 off its items too.
        ("rounding", "parent_sum", "154369327", "154369326", 12),
        ("rounding", "parent_sum", "94995789", "94995790", 12),
        ("rounding", "parent_sum", "154369327", "154369326", 17),
        ("rounding", "parent_sum", "94995789", "94995790", 17),
        ("rounding", "column_sum", "94995789", "94995790", 17),
        ("rounding", "parent_sum", "154369327", "154369326", 23),
        ("rounding", "parent_sum", "94995789", "94995790", 23),
        ("rounding", "column_sum", "94995789", "94995790", 23),
    ],
    "shanghai-putuo-commerce-2025": [],
}
FILES = {
    "jiangsu-procuratorate-2019": ["jiangsu-procuratorate-2019.pdf"],
    "jiangsu-procuratorate-2018": ["jiangsu-procuratorate-2018.pdf"],
    "jiangsu-high-court-2019": ["jiangsu-high-court-2019.pdf"],
    "jiangsu-cppcc-2018": ["jiangsu-cppcc-2018-narrative.pdf", "jiangsu-cppcc-2018-tables.pdf"],
    "shanghai-putuo-wanli-2024": ["shanghai-putuo-wanli-2024.pdf"],
    "shanghai-putuo-wanli-2025": ["shanghai-putuo-wanli-2025.pdf"],
    "shanghai-putuo-commerce-2025": ["shanghai-putuo-commerce-2025.pdf"],
}


@pytest.fixture(scope="module")
def corpus_findings():
    """Each corpus document parsed and audited once for the whole module."""
    if not CORPUS.exists():
        pytest.skip("../shared/corpus not present")
    pytest.importorskip("index.pdf")
    from index.ingest import read_document
    cache: dict[str, list[Finding]] = {}

    def get(name: str) -> list[Finding]:
        if name not in cache:
            files = [CORPUS / f for f in FILES[name]]
            cache[name] = audit(read_document(files, name if len(files) > 1 else None))
        return cache[name]
    return get


@pytest.mark.parametrize("name", list(EXPECTED))
def test_corpus_document_findings(corpus_findings, name):
    got = [(f.severity, f.check, str(f.expected), str(f.actual), f.evidence[0].page) for f in corpus_findings(name)]
    assert sorted(got) == sorted(EXPECTED[name])


def test_corpus_findings_carry_evidence(corpus_findings):
    for name in EXPECTED:
        for f in corpus_findings(name):
            assert f.evidence and all(e.quote and e.page > 0 and e.source for e in f.evidence), f
            assert f.difference == f.actual - f.expected
            json.dumps(f.to_dict(), ensure_ascii=False)


def test_wanli_2024_narrative_error_cites_the_narrative_and_the_table(corpus_findings):
    f = next(x for x in corpus_findings("shanghai-putuo-wanli-2024") if x.check == "narrative_vs_table")
    assert "352.67" in f.evidence[0].quote
    assert any("收入预算总表" in e.source or "支出预算" in e.source for e in f.evidence[1:])


# --------------------------------------------------------------------------------------------- other templates
# Mechanisms met on ../shared/corpus/wide/ (each named after the document it was found in), built by hand.

def test_counter_row_and_row_number_column_are_not_money():
    # foshan-rail-2019-final p8 / p12: "栏次 1 2 3 …" under the header, a 行次 column beside the amounts
    d = Doc().table("表3", "支出决算表", ("本年支出合计", "基本支出", "项目支出"))
    d.row("栏次", "1", "2", "3", level=0)
    d.row("合计", "10.00", "4.00", "6.00", level=0, total=True)
    d.row("一般公共服务支出", "10.00", "4.00", "6.00", code="201")
    d.table("表4", "财政拨款收入支出决算总表", ("行次", "金额"), page=2)
    d.row("一、一般公共预算财政拨款", "1", "10.00", side="收入")
    d.row("本年收入合计", "23", "10.00", side="收入", level=0, total=True)
    assert audit(d.build()) == []


def test_a_table_continued_on_the_next_page_is_one_table():
    # changsha-vocational-office-2026 p18–19: 302's items go on over the page; foshan p9: 合计 repeated on top
    d = Doc().table("表7", "2026年一般公共预算基本支出情况表", ("总计",), page=18)
    d.row("合计", "10.00", level=0, total=True)
    d.row("商品和服务支出", "10.00", code="302")
    d.row("办公费", "6.00", code="30201", level=2, parent="302")
    d.table("表8", "2026年一般公共预算基本支出情况表", ("总计",), page=19)
    d.row("合计", "10.00", level=0, total=True)
    d.row("印刷费", "4.00", code="30202", level=1)
    assert audit(d.build()) == []
    d.facts = [f for f in d.facts if f.row != "印刷费"] + [replace(f, value=D("3.00")) for f in d.facts
                                                           if f.row == "印刷费"]
    assert _sig(audit(d.build())) == [("error", "parent_sum", D("9.00"), D("10.00"))]


def test_performance_tables_are_not_summed():
    # xian-finance-2026 p44: 产出指标 … 分值 read as amounts
    d = Doc().table("表13", "表13", ("指标值", "分值"))
    d.row("产出指标", "12380", "7", level=0)
    d.row("质量指标", "100", "8", level=1)
    d.row("时效指标", "531", "6", level=1)
    d.table("表11", "2026年项目支出绩效目标表", ("资金总额",), page=2)
    d.row("合计", "270.00", level=0, total=True)
    d.row("经常性运转经费", "270.00", level=1)
    d.row("水费", "120", level=2)
    assert audit(d.build()) == []


def test_a_department_row_restating_the_total_and_its_units():
    # hangzhou-police-2026 p21: 合计, the department (same figures), then its units
    d = Doc().table("表2", "收入预算总表", ("总计",))
    d.row("合计", "100.00", level=0, total=True)
    d.row("杭州市公安局", "100.00", level=1)
    d.row("杭州市公安局", "60.00", level=1)
    d.row("交通管理支队", "40.00", level=1)
    assert audit(d.build()) == []
    d.facts[-1] = replace(d.facts[-1], value=D("38.00"))
    assert _sig(audit(d.build())) == [("error", "parent_sum", D("98.00"), D("100.00"))]


def test_carried_over_money_is_not_this_years_income():
    # chongqing-water-2026 p21: 一般公共预算 this year 118,773.55 + carried over 9,375.01 = spent 128,148.56
    d = Doc().table("表4", "财政拨款收支总体情况表", ("预算数",))
    d.row("一、本年收入", "100.00", side="收入", level=0)
    d.row("（一）一般公共预算资金", "100.00", side="收入", level=1)
    d.row("二、上年结转", "20.00", side="收入", level=0)
    d.row("（一）一般公共预算拨款", "20.00", side="收入", level=1)
    d.row("收入合计", "120.00", side="收入", level=0, total=True)
    d.row("一、一般公共服务支出", "120.00", side="支出")
    d.row("支出合计", "120.00", side="支出", level=0, total=True)
    d.table("表5", "一般公共预算支出情况表", ("合计",), page=2)
    d.row("合计", "120.00", level=0, total=True)
    d.row("一般公共服务支出", "120.00", code="201")
    assert [f for f in audit(d.build()) if f.check == "cross_table_total"] == []


def test_a_keyword_that_only_qualifies_another_subject():
    # chongqing-water-2026 p7, hangzhou-police-2026 p14, shenzhen-hrss-2026 p54
    for text in ("2026年一般公共预算财政拨款运行经费2115.63万元。",
                 "2026年本部门委托业务费财政拨款预算总额8,967.80万元。",
                 "上级专项转移支付支出预算393.23万元。"):
        d = _two_sided()
        d.section(text, heading=("说明",))
        assert [f for f in audit(d.build()) if f.check == "narrative_vs_table"] == [], text
    d = _sangong(Doc()).section("2024年本部门财政拨款安排的公务接待费5.7万元。")
    assert _sig(audit(d.build())) == [("error", "narrative_vs_table", D("5.60"), D("5.7"))]


def test_narrative_at_its_own_precision():
    # beijing-audit-2026: 万元 with six decimals in the tables; shanghai-data-2026: whole 万元 in the narrative
    d = Doc().table("表1", "收支总表", ("预算数",))
    d.row("一、财政拨款收入", "32852.053832", side="收入")
    d.row("收入总计", "32852.053832", side="收入", level=0, total=True)
    d.section("2026年度收入预算32852.05万元。", heading=("二、收入预算情况说明",))
    assert audit(d.build()) == []
    d.sections[-1] = replace(d.sections[-1], text="收入预算32,852万元。")
    assert audit(d.build()) == []
    d.sections[-1] = replace(d.sections[-1], text="收入预算32852.06万元。")
    assert _sig(audit(d.build())) == [("rounding", "narrative_vs_table", D("32852.053832"), D("32852.06"))]


def test_a_part_of_project_spending_is_compared_with_that_column():
    # changsha-vocational-office-2026 p8: "项目支出预算270.00万元，…其中：教育支出270.00万元"
    d = Doc()
    d.table("表3", "部门支出总体情况表", ("总计", "基本支出", "项目支出"))
    d.row("合计", "656.73", "386.73", "270.00", level=0, total=True)
    d.row("教育支出", "656.73", "386.73", "270.00", code="205")
    d.section("（二）项目支出：2026年本单位项目支出预算270.00万元，主要是单位为完成特定工作任务而发生的支出，"
              "其中：教育支出270.00万元，主要用于增加水费。", heading=("四、一般公共预算拨款支出",))
    assert audit(d.build()) == []


def test_parts_side_by_side_add_up_to_the_whole():
    # foshan-rail-2019-final p20 表6: "人员经费合计 649.20 公用经费合计 97.19" side by side, no grand total;
    # 基本支出 is their sum (was compared with 公用经费合计 alone)
    def build(office="1.00"):
        d = Doc()
        _func(d, "表5", "一般公共预算支出情况表（按功能分类科目）", "小计", "7.00", "3.00")
        d.table("表6", "一般公共预算基本支出情况表（按经济分类科目）", ("金额",), page=13)
        d.row("工资福利支出", "3.00", code="301", side="人员经费")
        d.row("人员经费合计", "3.00", level=0, total=True, side="人员经费")
        d.row("商品和服务支出", office, code="302", side="公用经费")
        d.row("公用经费合计", office, level=0, total=True, side="公用经费")
        return d.build()
    assert audit(build()) == []
    assert _sig(audit(build("1.10"))) == [("error", "cross_table_total", D("4.00"), D("4.10"))]


def test_a_side_without_its_own_total_belongs_to_the_next_sides_total():
    # xian-health-2022-final 公开06表 p157-158: 301 | 302 | 310 printed side by side, "公用经费合计 2,093.08" under
    # the last group only — the total of 302 商品和服务支出 2,085.91 and 310 资本性支出 7.17 (was an error: 7.17)
    def build(office="2.00"):
        d = Doc()
        d.table("公开06表", "一般公共预算财政拨款基本支出决算表", ("决算数",), page=157)
        d.row("工资福利支出", "3.00", code="301", side="第1栏")
        d.row("人员经费合计", "3.00", level=0, total=True, side="第1栏")
        d.row("商品和服务支出", office, code="302", side="第2栏")
        d.row("资本性支出", "1.00", code="310", side="第3栏")
        d.row("公用经费合计", "3.00", level=0, total=True, side="第3栏")
        return d.build()
    assert [f for f in audit(build()) if f.check == "parent_sum"] == []
    assert _sig([f for f in audit(build("2.50")) if f.check == "parent_sum"]) == \
        [("error", "parent_sum", D("3.50"), D("3.00"))]
