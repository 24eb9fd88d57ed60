"""Wrong figures of the fresh conversation set (issue 9), each mechanism with a case of our own: a year read as a
count, a qualified follow-up answered with the previous turn's figure, a year after the document's own, a 决算
table's budgeted column taken for the final one, an English question that asks a figure by naming the amount.
Fast tests on the pieces and the bundled document; slow ones on wide-corpus PDFs (BUDGETQA_WIDE_STORE reuses a
store that holds them). The questions are ours, written from the documents' structure.
"""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace as NS

import pytest

from assistant.answer_narrative import _ASKS_FIGURE
from assistant.answer_counts import _unplaced_count
from assistant.followup import FollowUp, qualified, repeats_previous
from assistant.question import normalize_question
from assistant.resolve import of_kind_asked
from assistant.unit_totals import whole_asked
from tests._chat import chat
from tests._wide import wide_assistant

WIDE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "wide"


# -- fast: the pieces ---------------------------------------------------------------------------------
def test_a_count_without_a_subject_or_with_a_year_for_its_number_is_not_used():
    assert _unplaced_count(NS(subject="", after="0", value=D(2026)))
    assert _unplaced_count(NS(subject="", after="其中业务用车", value=D(2025)))
    assert not _unplaced_count(NS(subject="共有车辆", after="", value=D(41)))


def test_a_final_accounts_table_gives_the_final_column_unless_the_budget_is_asked():
    cells = [NS(column="预算数·合计", v=1), NS(column="决算数·合计", v=2)]
    assert [c.v for c in of_kind_asked(cells, "三公经费支出决算是多少", lambda c: c)] == [2]
    assert [c.v for c in of_kind_asked(cells, "一般公共预算财政拨款三公经费是多少", lambda c: c)] == [1, 2]
    assert [c.v for c in of_kind_asked(cells, "三公经费年初预算数是多少", lambda c: c)] == [1]
    same_kind = [NS(column="2026年预算数·合计", v=1), NS(column="合计", v=2)]
    assert of_kind_asked(same_kind, "预算", lambda c: c) == same_kind


def test_a_qualified_follow_up_answered_with_the_previous_figure_is_caught():
    last = NS(value="45", intent="count", subject="行政编制人数", answerable=True)
    again = NS(value="45", intent="count", answerable=True)
    bare = FollowUp("", [], {}, [], [], shape="bare")
    assert repeats_previous(bare, "在职多少人？", last, again) == ("在职",)
    assert repeats_previous(bare, "多少人？", last, again) == ()
    assert repeats_previous(bare, "2018年呢？", last, again) == ()
    assert repeats_previous(FollowUp("", [], {}, [], [], shape="own"), "在职多少人？", last, again) == ()
    assert qualified(("在职",), NS(answerable=True, value="40", subject="在职人员"), last)
    assert not qualified(("在职",), NS(answerable=True, value="40", subject="退休人员"), last)
    assert not qualified(("在职",), NS(answerable=True, value="45", subject="在职人员"), last)


def test_an_english_question_naming_the_amount_asks_a_figure():
    assert _ASKS_FIGURE.search("and its training budget?")
    assert _ASKS_FIGURE.search("what is the spending on meetings")
    assert not _ASKS_FIGURE.search("what is the budget used for")


def test_an_ordinal_or_the_ren_of_renmin_is_no_count_in_words():
    assert normalize_question("第三人民医院的收入") == "第三人民医院的收入"
    assert normalize_question("一人民医院") == "一人民医院"
    assert normalize_question("接待了十二人") == "接待了12人"


def test_a_subject_that_is_only_a_whole_is_recognised():
    assert whole_asked("预算收入") == "收入" and whole_asked("收入预算") == "收入"
    assert whole_asked("本年支出合计") == "支出"
    assert whole_asked("事业收入") is None and whole_asked("本年政府性基金预算收入") is None


@pytest.fixture(scope="module")
def bot(bundled_store):
    from assistant.api import Assistant
    return Assistant(bundled_store, use_env_llm=False)


def test_next_year_is_not_in_a_budget_of_this_year(bot):
    first = bot.ask("公务接待费是多少？")
    assert first.answerable
    a = bot.ask("下一年呢？", history=[first])
    assert not a.answerable and a.value is None
    assert not bot.ask("明年的培训费预算是多少").answerable


# -- slow: real documents ------------------------------------------------------------------------------
needs_wide = pytest.mark.skipif(not WIDE.is_dir(), reason="../shared/corpus/wide is not here")
DOCS = ("foshan-rail-2019-final", "xian-transport-2022", "chongqing-commerce-2026", "quanzhou-gov-office-2026",
        "wuxi-development-reform-2025")


@pytest.fixture(scope="module")
def wide_bot(tmp_path_factory):
    return wide_assistant(tmp_path_factory, DOCS)


def _chat(bot, doc, *qs):
    return chat(bot, *qs, doc=doc)


@pytest.mark.slow
@needs_wide
def test_a_final_accounts_total_is_the_final_column(wide_bot):
    a = wide_bot.ask("2019年三公经费决算一共花了多少", doc="foshan-rail-2019-final")
    assert not a.answerable or a.value == "0.16", a.answer


@pytest.mark.slow
@needs_wide
def test_a_year_printed_apart_from_its_words_is_no_vehicle_count(wide_bot):
    a = wide_bot.ask("全委共有几辆车", doc="chongqing-commerce-2026")
    assert a.value != "2026", a.answer


@pytest.mark.slow
@needs_wide
def test_the_staff_actually_in_post_after_the_establishment(wide_bot):
    first, a = _chat(wide_bot, "xian-transport-2022", "编制人数有多少", "实有多少人")
    assert first.value == "1318"
    assert not a.answerable or a.value == "1133", a.answer


@pytest.mark.slow
@needs_wide
def test_an_english_follow_up_naming_the_amount_gets_the_figure(wide_bot):
    _, a = _chat(wide_bot, "xian-transport-2022", "How many vehicles are there?", "And the procurement budget?")
    assert not a.answerable or a.value == "9493.70", a.answer


@pytest.mark.slow
@needs_wide
def test_another_unit_in_a_follow_up_replaces_the_unit_that_was_the_subject(wide_bot):
    # the first question's subject is a unit's own row; "那…呢" with another unit asks that unit's row
    first, a = _chat(wide_bot, "quanzhou-gov-office-2026", "泉州市机关事务服务中心的收入预算有多少", "发展研究中心呢")
    assert first.value == "7488.22"
    assert not a.answerable or a.value == "453.95", a.answer


@pytest.mark.slow
@needs_wide
def test_a_units_budgeted_income_is_its_row_of_the_income_table(wide_bot):
    # the unit named with nothing but the whole: its row of the 收入 table (公开02表), total column
    a = wide_bot.ask("无锡市重点项目服务中心本年预算收入有多少", doc="wuxi-development-reform-2025")
    assert not a.answerable or a.value == "690.74", a.answer
    b = wide_bot.ask("无锡市重点项目服务中心的事业收入是多少", doc="wuxi-development-reform-2025")
    assert b.value != "690.74", b.answer
