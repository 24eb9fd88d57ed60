"""Fifth round of issue 9 (stated changes used for last year's figure, English names of bodies, two units in one
question, a difference asked and one figure found): the pieces fast, our own phrasings on real documents slow
(BUDGETQA_WIDE_STORE reuses a store). Each slow case was a wrong figure or a needless refusal before."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.followup import english_unexplained
from assistant.lexicon import apply_english
from assistant.plan import change_is_given
from assistant.wordcuts import _cuts_word
from index.models import Section
from index.narrative import extract_changes
from tests._wide import assert_value, wide_assistant

WIDE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "wide"


def _changes(text):
    return extract_changes(Section("s1", ("（二）支出预算",), text, (6,)))


def test_a_bare_subject_takes_the_figure_its_sentence_before_states():
    ch, = _changes("2026年本单位支出预算656.73万元，其中：教育支出656.73万元。支出较去年增加24.17万元，上升3.82%。")
    assert (ch.subject, ch.value, ch.delta) == ("支出预算", Decimal("656.73"), Decimal("24.17"))
    assert "656.73" in ch.quote                      # the quote states both figures the derivation uses
    ch, = _changes("2026年预算比2025年预算增加50.32万元。")
    assert ch.value is None                          # its own subject: no figure borrowed


def test_the_fund_of_a_revenue_is_kept_in_its_name():
    ch = _changes("收入预算37,151.47万元，其中：财政拨款收入37,151.47万元，比2024年预算执行数增加24,558.18万元；")[0]
    assert ch.subject == "财政拨款收入"


def test_a_change_told_in_passing_leaves_last_years_figure_asked():
    assert change_is_given("会议费预算比上年少了一些，那上年（2025年）会议费预算是多少万元？", 2026)
    assert change_is_given("财政拨款收入比2024年执行数增加了不少，那2024年的执行数是多少？", 2025)
    assert not change_is_given("会议费比上年减少了多少？", 2026)
    assert not change_is_given("上年会议费是多少，比上年少了多少？", 2026)


def test_an_english_name_of_the_body_is_no_subject():
    assert "卫生健康支出" not in apply_english("How much did the Xi'an Municipal Health Commission spend on training?")
    assert "培训费" in apply_english("How much did the Xi'an Municipal Health Commission spend on training?")
    assert "commerce" not in apply_english("What is the Chongqing Municipal Commission of Commerce's budget?")
    assert "社会保障和就业支出" in apply_english("What is the social security spending?")


def test_english_words_nothing_explains_are_kept_when_no_chinese_term_is_given():
    assert set(english_unexplained("How much is budgeted for high-level talent reward subsidies?")) >= {"reward"}
    assert english_unexplained("How much is budgeted for talent reward subsidies (人才奖励)?") == ()
    assert english_unexplained("What is the total expenditure in 2026?") == ()


def test_a_name_found_inside_another_word_is_no_mention():
    assert _cuts_word("医疗基金收入预算", 3, 6)        # "金收入": 基金 is a word
    assert not _cuts_word("惠云眼项目", 0, 3)


# -- slow: our own phrasings on real documents ---------------------------------------------------------
needs_wide = pytest.mark.skipif(not WIDE.is_dir(), reason="../shared/corpus/wide is not here")
DOCS = ("xian-finance-2026", "huzhou-finance-2026", "shanghai-data-2026", "wuxi-education-2026",
        "xian-health-2022-final", "fuzhou-medical-insurance-2026", "guangzhou-health-2026", "shenzhen-hrss-2026",
        "yantai-housing-2026", "zhuhai-commerce-2026")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return wide_assistant(tmp_path_factory, DOCS + ("jiangsu-procuratorate-2018", "shanghai-putuo-commerce-2025"))


@pytest.mark.slow
@needs_wide
@pytest.mark.parametrize("doc, q, value", [
    ("xian-finance-2026", "会议费今年比上年压减了一点，那2025年的会议费是多少？", "50.68"),
    ("shanghai-putuo-commerce-2025", "收入比2024年执行数多了很多，2024年财政拨款收入执行数是多少？", "12593.29"),
    ("huzhou-finance-2026", "上年的收入是多少", "7610.61"),
    ("huzhou-finance-2026", "What was the revenue in 2025?", "7610.61"),
    ("wuxi-education-2026", "无锡学院的收入比无锡机电高等职业技术学校多多少？", "40088.09"),
    ("wuxi-education-2026", "无锡学院的收入预算是无锡机电高等职业技术学校的几倍", "2.09"),   # was the bureau's total ÷ one school
    ("xian-finance-2026", "实有人员比编制少多少人", None),                                # was the count 292 alone
    ("xian-health-2022-final", "How much did the Xi'an Municipal Health Commission spend on training in 2022?",
     "2795.78"),                                                                         # was 卫生健康支出
    ("xian-health-2022-final", "How much is the health training spending?", None),
    ("fuzhou-medical-insurance-2026", "福州市医保基金的基金收入一共多少", None),            # was the bureau's income
    ("guangzhou-health-2026", "What general public budget funding does the Guangzhou Blood Center (广州血液中心) "
                              "receive?", "34304.16"),                                   # was a project-table row
    ("shenzhen-hrss-2026", "How much is budgeted for high-level talent reward subsidies?", None),
    ("yantai-housing-2026", "In the 2026 government procurement budget, what share goes to services?", "99.05"),
    ("zhuhai-commerce-2026", "固定资产金额是多少？房屋面积多大？", "522897.93"),          # was the area alone
])
def test_fifth_round_cases(bot, doc, q, value):
    assert_value(bot.ask(q, doc=doc), value)


@pytest.mark.slow
@needs_wide
@pytest.mark.parametrize("doc, q, words", [
    ("shanghai-data-2026", "名词解释中“机关运行经费”指的是什么", ("日常公用经费",)),      # was the glossary's first entry
    ("jiangsu-procuratorate-2018", "这份预算说的基本支出包括哪些", ("人员经费", "商品和服务")),
])
def test_glossary_answers(bot, doc, q, words):
    a = bot.ask(q, doc=doc)
    assert a.answerable and all(w in a.answer for w in words), a.answer
