"""Figures a document states outside its table cells, and figures of a table read otherwise than by its first
column (issue 9): a stated figure named by its item (core subject), counts in a table's note, counts told apart
by their noun, last year's column of a table, a cross-classified row named by its last subject, 上年结转 as a
line. Fast tests of the pieces; slow ones (marked, on wide-corpus PDFs, our own phrasings) that must answer
right or abstain. BUDGETQA_WIDE_STORE points the slow ones at a store that already holds the documents.
"""
from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.crossrows import as_last
from assistant.lastyear import _same_amount, last_year_cell
from assistant.lexicon import CUES
from assistant.stated import NOTE, NarrativeFigure, _core_candidates, core_subject, narrative_figures
from index.models import Document, Fact, ParsedDocument, Section, Table
from index.narrative import extract_changes
from tests._wide import wide_assistant

ROOT = Path(__file__).resolve().parents[1]


def _fact(row, column, value, raw="", code=None, row_index=0, table="T"):
    return Fact(doc="d", table=table, row=row, code=code, path=(), level=0, column=column, value=D(value),
                unit="万元", page=1, raw=raw or row, row_index=row_index)


def _fig(subject, value, quote="句", unit="万元"):
    return NarrativeFigure(subject=subject, after="", value=D(value), unit=unit, quote=quote, section="s1",
                           heading="h", page=1)


# -- fast: the pieces ---------------------------------------------------------------------------------
def test_a_stated_figures_core_drops_only_what_the_whole_department_shares():
    dept = "湖州市财政局"
    assert core_subject("湖州市财政局各单位会议费预算", dept) == "会议费"
    assert core_subject("市财政票据管理中心3家参公事业单位的机关运行经费财政拨款预算", dept) == "机关运行经费"
    assert core_subject("本级、交通管理支队等8家行政单位的机关运行经费财政拨款预算", dept) == "机关运行经费"
    assert core_subject("政府采购项目共", dept) == "政府采购项目"
    # one unit's figure is that unit's: its qualifier stays, so no core
    assert core_subject("市财政票据管理中心的机关运行经费", dept) is None
    # nothing to drop, or only generic words left
    assert core_subject("会议费", dept) is None
    assert core_subject("湖州市财政局收入预算", dept) is None


def test_a_core_stated_twice_with_different_figures_names_neither():
    cands = _core_candidates([_fig("各单位会议费预算", "3"), _fig("本部门会议费", "5")], "", set())
    assert not [c for c in cands if c.key == "会议费"]
    one = _core_candidates([_fig("各单位会议费预算", "3")], "", set())
    assert [c.figure.value for c in one if c.key == "会议费"] == [D("3")]
    assert not _core_candidates([_fig("各单位会议费预算", "3")], "", {"会议费"})   # a table row of that name


def test_a_part_stated_after_its_whole_keeps_its_full_name():
    doc = Document(id="d", department="某局", year=2026, kind="预算", unit="万元", source_files=(), hashes=())
    text = ("2026年本部门政府采购预算总额46,507.65万元，其中：政府采购货物预算11,602.07万元、政府采购工程预算526.68万元。"
            "所属单位政府采购预算总额118万元：政府采购服务预算100万元、政府采购工程预算18万元。")
    sec = Section(id="s1", heading=("政府采购",), text=text, pages=(1,))
    figs = narrative_figures(ParsedDocument(document=doc, tables=(), facts=(), sections=(sec,), changes=()))
    assert [f.part for f in figs] == [False, True, True, False, True, True]
    keys = {c.key for c in _core_candidates(figs, "某局", set())}
    assert not keys & {"政府采购货物", "政府采购工程", "政府采购服务"}      # 政府采购预算 is never the 货物 part


def test_a_tables_note_states_figures_cited_as_that_table():
    doc = Document(id="d", department="某局", year=2026, kind="预算", unit="万元", source_files=(), hashes=())
    t = Table(id="预算表7", title="“三公”经费支出表(预算表7)", unit="万元", columns=("合计",), pages=(12,),
              note="说明：1、“本年预算数”的实有人员72人，其中：在职人员46人，离退休人员26人。")
    figs = narrative_figures(ParsedDocument(document=doc, tables=(t,), facts=(), sections=(), changes=()))
    got = {(f.subject, f.value, f.unit) for f in figs}
    assert ("在职人员", D(46), "人") in got and ("离退休人员", D(26), "人") in got
    assert all(f.section == NOTE + "预算表7" and f.page == 12 for f in figs)


def test_a_cross_classified_row_is_also_its_last_subject_under_the_others():
    raw = "2010801-行政运行 50101-工资奖金津补贴 30101-基本工资 3,138.093600 3,138.093600"
    f = _fact("-行政运行", "合计", "3138.0936", raw=raw, code="2010801")
    name, (g,) = as_last([f])
    assert name == "基本工资" and g.path == ("行政运行", "工资奖金津补贴") and g.code == "30101"
    assert g.value == f.value and g.row_index == f.row_index
    assert as_last([_fact("行政运行", "合计", "1", raw="2010801 行政运行 1.00", code="2010801")]) is None


def test_a_row_of_two_economic_classes_stands_under_its_government_class():
    from assistant.crossrows import two_classes
    raws = ["302 502 商品和服务支出 机关商品和服务支出 130.87 130.87", "302 15 502 02 会议费 会议费 40.50 40.50",
            "302 505 商品和服务支出 对事业单位经常性补助 1,259.02", "302 15 505 02 会议费 商品和服务支出 3.00 3.00",
            "301 505 工资福利支出 对事业单位经常性补助 165,157.74"]
    rows = {("T", i, ""): [_fact(r.split()[-3] if i % 2 else "x", "合计", "1", raw=r, row_index=i)] for i, r in enumerate(raws)}
    out = two_classes(rows)
    assert out[("T", 1, "")][0].path == ("商品和服务支出", "机关商品和服务支出")
    assert out[("T", 3, "")][0].path == ("商品和服务支出", "对事业单位经常性补助")
    assert out[("T", 4, "")][0].path == ("对事业单位经常性补助",)
    plain = {("T", 0, ""): [_fact("会议费", "合计", "1", raw="30215 会议费 40.50")]}
    assert two_classes(plain) is plain


def test_last_years_column_is_the_same_header_with_last_year_first_never_the_change():
    cols = ("2025年预算数·合计", "2025年预算数·公务接待费", "2026年预算数·合计", "2026年预算数·公务接待费",
            "增减变化·公务接待费")
    cells = [_fact("合计", c, v) for c, v in zip(cols, ("21", "14.3", "10", "3.5", "-10.8"))]
    ctx = SimpleNamespace(parsed=SimpleNamespace(table=lambda _: SimpleNamespace(columns=cols)),
                          index=SimpleNamespace(rows={("T", 0, ""): cells}))
    assert last_year_cell(ctx, cells[3]).value == D("14.3")
    assert last_year_cell(ctx, cells[2]).value == D("21")
    assert last_year_cell(ctx, cells[1]) is None              # already last year's
    cols2 = ("上年·合计", "当年·合计", "增减变化情况·合计")
    cells2 = [_fact("合计", c, v) for c, v in zip(cols2, ("9", "8", "-1"))]
    ctx2 = SimpleNamespace(parsed=SimpleNamespace(table=lambda _: SimpleNamespace(columns=cols2)),
                           index=SimpleNamespace(rows={("T", 0, ""): cells2}))
    assert last_year_cell(ctx2, cells2[1]).value == D("9")


def test_last_years_carry_over_column_is_no_last_year_column():
    cols = ("当年预算·小计", "当年预算·公务接待费", "上年结转结余·小计", "上年结转结余·公务接待费")
    cells = [_fact("合计", c, v) for c, v in zip(cols, ("7.61", "0.86", "0", "0"))]
    ctx = SimpleNamespace(parsed=SimpleNamespace(table=lambda _: SimpleNamespace(columns=cols)),
                          index=SimpleNamespace(rows={("T", 0, ""): cells}))
    assert last_year_cell(ctx, cells[1]) is None


def test_amounts_compare_across_units_and_never_with_counts():
    assert _same_amount(D("90000.00"), "元", D("9.00"), "万元")
    assert not _same_amount(D("90000.00"), "元", D("9.01"), "万元")
    assert not _same_amount(D("9"), "人", D("9"), "万元")


def test_last_years_carry_over_is_a_line_not_last_year():
    rx = CUES["previous"]
    assert not re.search(rx, "上年结余结转收入有多少") and not re.search(rx, "上年结转结余是多少")
    assert re.search(rx, "公务接待费上年是多少") and re.search(rx, "去年三公经费")


def test_a_change_stated_with_he_xiangbi_and_jiandi_is_read():
    sec = Section(id="s1", heading=("三公",), text="2026年公务接待费为0.86万元，和2025年相比预算减低0.27万元，主要原因是过紧日子。",
                  pages=(1,))
    (ch,) = [c for c in extract_changes(sec) if "接待" in c.subject]
    assert ch.value == D("0.86") and ch.delta == D("-0.27") and "过紧日子" in ch.reason


def _index(rows, columns=("合计",)):
    from assistant.understand import SubjectIndex
    doc = Document(id="d", department="某局", year=2026, kind="预算", unit="万元", source_files=(), hashes=())
    t = Table(id="T", title="表1 支出表", unit="万元", columns=columns, pages=(1,))
    facts = tuple(_fact(r, c, "1", row_index=i) for i, r in enumerate(rows) for c in columns)
    return SubjectIndex(ParsedDocument(document=doc, tables=(t,), facts=facts, sections=(), changes=()))


def test_a_name_joined_by_ji_is_asked_with_he_or_yu():
    idx = _index(["公务用车购置及运行维护费", "公务用车购置费"])
    assert "公务用车购置及运行维护费" in idx.question_form("公务用车购置和运行维护费多少")
    assert "公务用车购置及运行维护费" in idx.question_form("公务用车购置与运行维护费多少")
    assert idx.question_form("公务用车购置费多少") == "公务用车购置费多少"


def test_the_department_in_english_is_the_document_not_its_divisions():
    from assistant.lexicon import apply_english
    assert "内设科室" not in apply_english("how much does the guangzhou propaganda department budget for the expo")
    assert "内设科室" in apply_english("how many departments does the bureau have")


def test_how_many_official_vehicles_counts_in_vehicles():
    from assistant.question_words import count_unit
    assert count_unit("how many official vehicles did the bureau own", "") == "辆"
    assert count_unit("how many vehicles", "") == "辆"


def test_bare_digits_of_a_year_name_no_column():
    idx = _index(["合计"], columns=("2026年预算数", "2025年预算数"))
    assert not idx.mentions("whatisthe2026spendingon特殊教育")


# -- slow: our own phrasings on real documents ---------------------------------------------------------
WIDE = ROOT.parent / "shared" / "corpus" / "wide"
needs_wide = pytest.mark.skipif(not WIDE.is_dir(), reason="../shared/corpus/wide is not here")
DOCS = ("changchun-petition-2026", "yantai-education-2026", "hangzhou-police-2026", "huzhou-finance-2026",
        "beijing-audit-2026", "shenzhen-police-2026", "xian-finance-2026", "xian-transport-2022", "chongqing-water-2026")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return wide_assistant(tmp_path_factory, DOCS)


@pytest.mark.slow
@needs_wide
@pytest.mark.parametrize("doc, q, value", [
    # counts in a table's note, told apart by their own noun
    ("changchun-petition-2026", "离退休人员有几人", "26"),
    ("changchun-petition-2026", "实有人员多少人", "72"),
    # the whole before its parts stated after 其中 when the question names no part
    ("changchun-petition-2026", "人员有多少人", "72"),
    ("xian-finance-2026", "编制人数是多少", "310"),
    ("xian-finance-2026", "事业编制有多少人", "119"),
    ("xian-transport-2022", "局机关有多少人", "58"),
    # a compound asking the whole and then a part's share: the whole's count first
    ("xian-transport-2022", "交通局的实有人数一共多少人，交通局机关占多少", "1133"),
    # last year's column and the text's derived figure a cent apart (rounding): the printed column
    ("xian-transport-2022", "去年会议费是多少", "85.46"),
    # last year's column of the 三公 table ("2025年预算数·公务接待费") when 上年/去年 is said
    ("yantai-education-2026", "上年三公经费是多少", "21.00"),
    ("yantai-education-2026", "公务接待费去年安排了多少", "14.30"),
    # the table's 上年 column (元) and the stated change (万元) agree
    ("xian-finance-2026", "上年会议费是多少", "50.68"),
    # a count stated in 其他重要事项, by the noun after its measure word
    ("hangzhou-police-2026", "一级项目共有多少个", "33"),
    # stated amounts named by their item: the department's name, 各单位, a group of its units dropped
    ("huzhou-finance-2026", "各单位会议费预算是多少", "0.00"),
    ("hangzhou-police-2026", "杭州市公安局机关运行经费安排了多少", "46732.12"),
    # a cross-classified row by its last subject, under its function
    ("beijing-audit-2026", "行政运行里的津贴补贴是多少", "6513.56"),
    # a name printed with 及 asked with 和; the department called 咱们…局
    ("beijing-audit-2026", "公务用车购置和运行维护费一共多少", "65.33"),
    ("shenzhen-police-2026", "咱们公安局的预算准备金有多少", "2000.00"),
    # an English question naming the item in Chinese in brackets; its year is no column
    ("yantai-education-2026", "How much is budgeted in 2026 for special education (特殊学校教育)?", "3477.15"),
    # a row of two economic classes, told apart by the government class it is booked under
    ("yantai-education-2026", "机关的会议费安排了多少", "40.50"),
    ("yantai-education-2026", "对事业单位经常性补助里的工资福利支出有多少", "165157.74"),
    # a part named after its whole in one sentence: the part's figure
    ("shenzhen-police-2026", "政府采购里货物类项目是多少", "2783.58"),
    # a part the sentence lists (服务类项目) named by its own word, the sentence running over a page break:
    # the part's figure (never the whole's 46,519.33), quoted from the page that prints it
    ("shenzhen-police-2026", "政府采购服务预算是多少", "42492.31"),
    # 财政拨款 asked where the sentence writes 财拨 ("委托业务费涉及财拨资金9240.60万元", p8)
    ("chongqing-water-2026", "2026年委托业务费财政拨款预算是多少？", "9240.60"),
])
def test_answers_right(bot, doc, q, value):
    a = bot.ask(q, doc=doc)
    assert a.answerable and a.value == value, a.answer


@pytest.mark.slow
@needs_wide
@pytest.mark.parametrize("doc, q", [
    # two cross-classified rows of one last subject (行政运行's and 事业运行's 基本工资)
    ("beijing-audit-2026", "基本工资是多少"),
    # 机关's and 事业单位's 会议费 of a two-class table: which one is not said
    ("yantai-education-2026", "会议费是多少"),
    # 公务车 where the sentence counts a kind called 一般公务用车 beside all the vehicles: which is not said
    ("hangzhou-police-2026", "有几辆公务车"),
    # the 三公 table's 上年结转结余 columns are this year's carry-over, not last year's 三公
    ("changchun-petition-2026", "上年因公出国（境）费是多少"),
])
def test_abstains(bot, doc, q):
    a = bot.ask(q, doc=doc)
    assert not a.answerable and a.value is None, a.answer


@pytest.mark.slow
@needs_wide
@pytest.mark.parametrize("doc, q, value", [
    # 上年结转 is a line of the income table ("上年结余、结转"), never one project's 结转结余 stated in the text
    ("shenzhen-police-2026", "上年结转结余收入是多少", "2616.24"),
    ("shenzhen-police-2026", "上年结余、结转收入是多少", "2616.24"),
    # two counts asked at once: the first one asked, or nothing — never the second for the first
    ("xian-transport-2022", "实有人数和局机关人数各多少人", "1133"),
])
def test_right_or_abstains(bot, doc, q, value):
    a = bot.ask(q, doc=doc)
    assert (a.answerable and a.value == value) or (not a.answerable and a.value is None), a.answer
