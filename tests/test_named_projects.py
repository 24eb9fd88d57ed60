"""Questions about named projects and detail tables (issue 9): a project's amount from its 绩效目标 form, the
project/重点项目 tables, a 会议费/培训费 明细 table's row, a unit's project in a per-unit project table, a special
fund stated in the narrative — each mechanism in fast tests of its pieces, then our own phrasings on real
documents (slow: they ingest PDFs) that must answer right or abstain, never state a wrong figure.

The cases are ours, built from the documents' structure (read by hand), not the eval sets' items.
"""
from __future__ import annotations

import os
import re
from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.lexicon import CUES
from assistant.resolve import same_amount
from assistant.understand import narrative_figures
from assistant.question_words import count_unit
from index._pdfcaptions import Line, lead_in
from index._pdfforms import form_rows
from index._rows import count_unit_of
from index.models import Fact, Section
from tests._wide import wide_assistant

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
WIDE = CORPUS / "wide"


# -- fast: the pieces ---------------------------------------------------------------------------------
def test_a_performance_form_gives_its_money_block_as_one_project_row():
    rows = [(33, ["城乡居民医保财政补助(市级)项目绩效目标表"]), (33, ["项目名称", "城乡居民医保财政补助(市级)"]),
            (33, ["主管部门", "福州市医疗保障局", "实施单位", "福州市医疗保障\n基金中心"]),
            (33, ["专项资金情况（\n万元）", "资金总额", "82000.00"]), (33, ["财政拨款", "82000.00"]),
            (33, ["其他资金", "0.00"]), (33, ["绩效目标指标", "一级指标", "二级指标", "三级指标", "指标值"]),
            (33, ["成本指标", "经济成本指标", "居民医保个人缴费标准", "≥430元"]),
            (33, ["数量指标", "年度全市居民医保参保人数", "450", "10"])]         # an indicator and its weight
    columns, out, unit = form_rows(rows, "城乡居民医保财政补助(市级)项目绩效目标表")
    assert columns == ["资金总额", "财政拨款", "其他资金"] and unit == "万元"
    assert [(r.label, r.values) for r in out] == [("城乡居民医保财政补助(市级)", [D("82000.00"), D("82000.00"), D("0.00")])]
    assert out[0].raw == "资金总额 82000.00"            # what the page prints, for the quote


def test_two_money_blocks_side_by_side_and_this_years_first():
    rows = [(59, ["项目名称", "政策性农业保险市级补贴资金"]),
            (59, ["资金金额\n（万元）", "实施期资金总额：", "6600", "年度资金总额：", "6500"]),
            (59, ["其中：财政拨款", "6600", "其中：财政拨款", "6500"])]
    columns, out, unit = form_rows(rows, "表14 部门专项业务经费绩效目标表")
    assert columns[0] == "年度资金总额" and unit == "万元"
    got = dict(zip(columns, out[0].values))
    assert got["年度资金总额"] == D("6500") and got["实施期资金总额"] == D("6600")
    assert got["实施期资金总额·财政拨款"] == D("6600") and got["年度资金总额·财政拨款"] == D("6500")


def test_one_project_name_for_several_units_is_kept_apart_by_its_unit():
    def form(unit, amount):
        return [(1, ["项目名称", "综合工作经费"]), (1, ["主管部门", "某局", "实施单位", unit]),
                (1, ["专项资金情况（万元）", "资金总额", amount])]
    columns, out, _ = form_rows(form("某局基金中心", "1160.00") + form("某局数据中心", "38.00"), "综合工作经费项目绩效目标表")
    labels = [(r.label, r.indent, r.values[0]) for r in out]
    assert labels == [("某局基金中心", 0, None), ("综合工作经费", 1, D("1160.00")),
                      ("某局数据中心", 0, None), ("综合工作经费", 1, D("38.00"))]


def test_a_table_that_is_no_form_is_left_to_the_row_reader():
    rows = [(34, ["单位名称", "项目名称", "金额", "绩效目标"]), (34, ["某局", "执法办案", "6,192.04", "打击……"])]
    assert form_rows(rows, "表11 项目支出绩效表") is None
    # a form whose title names no project and that has no 项目名称 cell: nothing to name the row by
    assert form_rows([(1, ["资金总额", "10.00"])], "表14 部门专项业务经费绩效目标表") is None
    # two units stated for one money block: no unit can be trusted
    assert form_rows([(1, ["项目名称", "X"]), (1, ["（万元）", "资金总额", "1"]), (1, ["（元）", "资金总额", "2"])], "") is None


def test_an_untitled_grid_is_named_by_the_prose_introducing_it():
    lines = [Line("七、重点项目预算绩效目标情况", 100, 110), Line("2026年，本部门重点项目绩效目标情况如下：", 120, 130)]
    assert lead_in(lines, 0, 140) == "重点项目绩效目标情况"
    assert lead_in(lines[:1], 0, 140) == "重点项目预算绩效目标情况"
    assert lead_in([Line("本部门当年一般公共预算会议费预算支出46.18万元。", 120, 130)], 0, 140) == ""


def test_count_columns_hold_counts_not_the_tables_money():
    assert count_unit_of("人数") == "人" and count_unit_of("培训·人数（人）") == "人"
    assert count_unit_of("金额") is None and count_unit_of("数量") is None


def test_one_amount_in_yuan_and_in_ten_thousand_yuan_is_one_figure():
    def f(value, unit):
        return Fact(doc="d", table="T", row="政府投资项目评审", code=None, path=(), level=0, column="金额",
                    value=D(value), unit=unit, page=1, raw="")
    assert same_amount(f("29406800.00", "元"), f("2940.68", "万元"))
    assert not same_amount(f("29406800.00", "元"), f("2940.69", "万元"))


def test_how_much_project_spending_is_money_not_a_count():
    count = re.compile(CUES["count"])
    assert not count.search("版权保护中心今年有多少项目支出")
    assert not count.search("有多少人员经费")
    assert count.search("纳入绩效管理的项目有多少项") and count.search("在职人员有多少人")
    assert count_unit("有多少项目支出", "有多少项目支出") is None
    assert count_unit("有多少项", "有多少项") == "项"


def test_a_project_sections_total_is_that_projects_figure():
    sec = Section(id="s020", heading=("生命健康专项（政策资金）经费情况说明", "六、年度预算安排"), pages=(24,),
                  text="2025年度项目总预算1170.00万，其中支持企业规模化发展870.00万，合计1170.00万。")
    other = Section(id="s021", heading=("五、实施情况",), pages=(24,), text="受益人口10万，覆盖全区。")
    figs = narrative_figures(SimpleNamespace(sections=[sec, other]))
    got = [(f.subject, f.value, f.unit) for f in figs]
    assert ("生命健康专项（政策资金）", D("1170.00"), "万元") in got
    assert ("支持企业规模化发展", D("870.00"), "万元") in got
    assert not any(f.value == D("10") for f in figs)    # 10万 people: no money sentence, no 万元


# -- slow: our own phrasings on real documents ---------------------------------------------------------
DOCS = ("fuzhou-medical-insurance-2026", "xian-finance-2026", "zhuhai-commerce-2026", "hangzhou-police-2026",
        "chongqing-water-2026", "guangzhou-propaganda-2026", "yantai-education-2026")
needs_wide = pytest.mark.skipif(not WIDE.is_dir(), reason="../shared/corpus/wide is not here")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return wide_assistant(tmp_path_factory, DOCS + ('shanghai-putuo-commerce-2025',))


def right_or_abstains(a, value):
    if a.answerable:
        assert a.value == value, a.answer
    else:
        assert a.value is None, a.answer


@pytest.mark.slow
@needs_wide
@pytest.mark.parametrize("doc, q, value, source", [
    # a 绩效目标 form's 资金总额
    ("fuzhou-medical-insurance-2026", "城乡居民医疗救助项目的资金总额是多少", "4900.00", "绩效目标表"),
    ("chongqing-water-2026", "水库移民后期扶持当年预算多少", "12700.00", "表十一"),
    # a project asked as such is the project table's row (the same amount in the form, in 万元, is the same figure)
    ("xian-finance-2026", "财政检查这个项目安排了多少钱", "1887000", "表10"),
    # a 会议费明细 row, in the 万元 its title (at the previous page's foot) states
    ("xian-finance-2026", "全省部门决算汇审的会议费是多少", "2.10", "会议费明细表"),
    # a 明细 row's own count column (人数, in 人), and its money with it when both are asked
    ("xian-finance-2026", "决算汇审会有多少人参加", "125", "会议费明细表"),
    ("xian-finance-2026", "预算编审业务培训花多少钱、多少人", "6.60", "培训费明细表"),
    # a project of the 重点项目 table printed in the narrative, cited from there or the project table
    ("zhuhai-commerce-2026", "港口口岸安检服务费是多少", "206.44", "重点项目"),
    # a unit's project in a per-unit project table, the unit named loosely
    ("hangzhou-police-2026", "交通管理支队的道路交通管理项目预算是多少", "3087.70", "表10"),
    # a unit's project spending: the unit's row of the project table, not an item "（市版权保护中心）"
    ("guangzhou-propaganda-2026", "广州市版权保护中心有多少项目支出", "210.00", "表12"),
    # a row of a two-classification table told by its other classification's words, quoted as printed
    ("yantai-education-2026", "对事业单位经常性补助里的商品和服务支出是多少", "1259.02", "公开表"),
    # a special fund stated in the narrative, "万" for 万元
    ("shanghai-putuo-commerce-2025", "商业创新专项（政策资金）今年安排了多少", "1410.00", "商业创新专项"),
])
def test_named_projects_are_answered_from_their_own_rows(bot, doc, q, value, source):
    a = bot.ask(q, doc=doc)
    assert a.answerable and a.value == value, a.answer
    assert any(source in c.source for c in a.citations), [c.source for c in a.citations]
    if "多少人" in q and "钱" in q:
        assert "330人" in a.answer          # the count asked beside the money is given too


@pytest.mark.slow
@needs_wide
@pytest.mark.parametrize("doc, q, value", [
    # one project name for three units with different amounts: which one is not said
    ("fuzhou-medical-insurance-2026", "综合工作经费项目资金总额是多少", None),
    # partial names shared by several projects, summed: never a sum of whatever matched
    ("fuzhou-medical-insurance-2026", "城乡居民医保的财政补助一共是多少", "333405.00"),
    # the unit's project of a name several units run: only the unit named decides
    ("hangzhou-police-2026", "执法办案项目预算多少", None),
])
def test_rival_projects_are_abstained_on(bot, doc, q, value):
    right_or_abstains(bot.ask(q, doc=doc), value)


@pytest.mark.slow
@needs_wide
def test_a_units_projects_are_the_project_table_rows_it_runs(bot):
    a = bot.ask("交通管理支队有哪些项目", doc="hangzhou-police-2026")
    assert a.answerable and a.value == "5", a.answer
    for name in ("日常保障运行", "道路交通管理", "执法办案", "交警事务综合业务管理", "交警保障与支撑"):
        assert name in a.answer
    assert "巡特警" not in a.answer and "监所" not in a.answer


@pytest.mark.slow
@needs_wide
def test_a_basic_tables_cell_is_not_the_items_whole_the_narrative_states(tmp_path_factory):
    """烟台住建: 委托业务费 is 5.00 in the 基本支出 tables and 2,196.52 in the narrative's own statement."""
    from assistant.api import Assistant
    from index.ingest import ingest
    from index.store import Store
    store = Store(os.environ.get("BUDGETQA_WIDE_STORE") or tmp_path_factory.mktemp("housing"))
    ingest(store, [WIDE / "yantai-housing-2026.pdf"])
    bot = Assistant(store, use_env_llm=False)
    right_or_abstains(bot.ask("今年安排的委托业务费一共多少钱？", doc="yantai-housing-2026"), "2196.52")
    a = bot.ask("基本支出中的委托业务费是多少？", doc="yantai-housing-2026")
    assert a.answerable and a.value == "5.00", a.answer
