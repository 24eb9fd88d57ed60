"""Follow-ups in a conversation (assistant/followup.py): context fills in only an elliptical question.

Each case is asked through the same `history` the chat passes, on the bundled document."""
from __future__ import annotations

import pytest

from assistant.api import Assistant
from tests._chat import chat
from assistant.followup import english_unknown


@pytest.fixture(scope="module")
def bot(bundled_store):
    return Assistant(bundled_store, use_env_llm=False)


_chat = chat


def test_a_question_with_its_own_subject_and_operation_does_not_take_the_previous_operation(bot):
    # after a definition, "那…是多少" asks a figure, not another definition
    _, a = _chat(bot, "什么是“三公”经费？", "那公务接待费是多少？")
    assert a.answerable and a.value == "5.60" and a.intent == "value"


def test_a_topic_change_drops_the_old_subject(bot):
    _, a = _chat(bot, "公务接待费是多少？", "基本工资是多少？")
    assert (a.value, a.subject) == ("312.57", "基本工资")


def test_a_new_subject_without_an_operation_keeps_the_previous_operation(bot):
    _, a = _chat(bot, "基本支出是多少？", "项目支出呢？")
    assert (a.value, a.intent) == ("5008.06", "value")


def test_another_unit_keeps_the_rest_of_the_question(bot):
    # "…呢" naming only a unit: the previous question (count of projects) asked of that unit
    whole, part = _chat(bot, "一共有多少个项目？", "惠州市政务服务中心呢？")
    alone = bot.ask("惠州市政务服务中心有多少个项目？")
    assert whole.value == "21" and part.intent == "count" and (part.value, part.unit) == (alone.value, alone.unit)
    assert int(part.value) < 21


def test_a_missing_first_operand_is_the_previous_subject(bot):
    _, a = _chat(bot, "项目支出是多少？", "占支出合计的比例？")
    assert (a.value, a.unit) == ("65.89", "%")


def test_a_bare_follow_up_takes_the_previous_subject(bot):
    _, a = _chat(bot, "项目支出是多少？", "占多少比例？")
    assert a.answerable and a.unit == "%" and a.value == "65.89"


@pytest.mark.parametrize("unplaced", ["办公楼在哪里？", "局长是谁？", "And who is the director?",
                                      "And the salary of the director?"])
def test_an_unplaceable_question_mid_conversation_abstains(bot, unplaced):
    first, a = _chat(bot, "公务接待费是多少？", unplaced)
    assert first.value == "5.60"
    assert not a.answerable and a.value is None


def test_after_a_refusal_a_bare_follow_up_is_not_answered_from_older_turns(bot):
    *_, a = _chat(bot, "公务接待费是多少？", "局长是谁？", "去年呢？")
    assert not a.answerable and a.value is None


def test_english_words_nothing_explains_are_reported():
    assert english_unknown("And the salary of the director?", True) == ("salary", "director")
    assert english_unknown("How much is the official reception budget in yuan?", True) == ()
    assert english_unknown("那去年呢", False) == ()


@pytest.fixture(scope="module")
def years_bot(tmp_path_factory, corpus):
    from index.ingest import bundled_path, ingest
    from index.store import Store
    store = Store(tmp_path_factory.mktemp("years") / "store")
    for name in ("jiangsu-procuratorate-2018.pdf", "jiangsu-procuratorate-2019.pdf"):
        ingest(store, [corpus / name])
    ingest(store, [bundled_path()])
    return Assistant(store, use_env_llm=False)


def _chat_picked(bot, picked, *questions):
    history = []
    for q in questions:
        history.append(bot.ask(q, history=list(history), picked=picked))
    return history


def test_another_year_keeps_the_subject_and_moves_to_that_years_document(years_bot):
    first, a = _chat_picked(years_bot, "jiangsu-procuratorate-2019", "培训费是多少？", "2018年呢？")
    alone = years_bot.ask("培训费是多少？", doc="jiangsu-procuratorate-2018")
    assert first.doc == "jiangsu-procuratorate-2019"
    assert a.doc == "jiangsu-procuratorate-2018" and (a.value, a.unit) == (alone.value, alone.unit)


def test_another_department_only_asks_the_previous_question_of_that_document(years_bot):
    _, a = _chat_picked(years_bot, None, "江苏省人民检察院2019年公务接待费是多少？", "惠州市政务服务数据管理局呢？")
    alone = years_bot.ask("公务接待费是多少？", doc="huizhou-data-bureau-2024")
    assert a.doc == "huizhou-data-bureau-2024" and (a.value, a.unit) == (alone.value, alone.unit) == ("5.60", "万元")


def test_a_counted_subject_swapped_keeps_what_is_counted(years_bot):
    # "其中…呢" after a count: the same count (in 辆) of the new subject, not an amount of money
    first, a = _chat_picked(years_bot, "huizhou-data-bureau-2024", "有几辆公车？", "其中公务用车呢？")
    assert first.unit == "辆"
    assert a.unit in ("辆", None) and (a.value is None or a.unit == "辆")


def test_a_part_of_a_question_that_found_nothing_is_refused(bot):
    # "其中…" refers to the previous subject; when that turn found nothing, the part cannot be placed
    *_, a = _chat(bot, "惠州市政务服务中心的三公经费是多少？", "其中公务接待费呢？")
    assert not a.answerable and a.value is None
    _, b = _chat(bot, "三公经费是多少？", "其中公务接待费呢？")
    assert b.answerable and b.value == "5.60"


@pytest.mark.parametrize("question", ["我是附近的居民，想问一下政务数据局的公务接待费是多少？", "数据管理局的公务接待费是多少？"])
def test_a_short_name_of_the_department_names_the_document_not_a_unit(bot, question):
    a = bot.ask(question)
    assert (a.value, a.unit) == ("5.60", "万元") and "单位：" not in (a.understood or "")


def test_a_share_missing_its_part_after_a_turn_that_found_nothing_is_refused(bot):
    *_, a = _chat(bot, "局长是谁？", "占基本支出的比例？")
    assert not a.answerable and a.value is None


def test_a_sum_after_items_asked_in_turn_is_not_the_last_item_again(bot):
    """"合计多少" after two items is their sum, or nothing: never the second item's figure alone; after one
    total ("三公经费是多少" → "一共多少") that total stands."""
    *_, a = _chat(bot, "公务接待费是多少", "公务用车购置及运行维护费呢", "合计多少")
    assert a.value in (None, "8.82"), a.answer
    *_, a = _chat(bot, "三公经费是多少", "一共多少")
    assert a.value == "8.82", a.answer
