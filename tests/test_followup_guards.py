"""The follow-up guards (assistant/followup.py `guard`): a bare "合计多少" after items asked in turn, and a
"其中…" part of the previous answer. Asked through the same `history` the chat passes, on the bundled document."""
from __future__ import annotations

import pytest

from assistant.api import Assistant
from tests._chat import chat
from assistant.followup import is_bare_sum


@pytest.fixture(scope="module")
def bot(bundled_store):
    return Assistant(bundled_store, use_env_llm=False)


_chat = chat


def test_a_bare_sum_after_items_of_one_table_and_column_is_their_sum_with_operands_shown(bot):
    *_, a = _chat(bot, "惠州市政务服务中心的人员经费是多少？", "公用经费呢？", "合计多少？")
    assert a.answerable and (a.value, a.unit, a.intent) == ("421.83", "万元", "sum")     # the unit's printed row
    assert a.calculation == "388.23 + 33.60 = 421.83万元" and len(a.citations) == 2
    assert "人员经费、公用经费" in (a.understood or "")


def test_a_bare_sum_of_a_whole_and_its_part_is_refused(bot):
    # 421.83 is the unit's row, 388.23 a row under it: adding them counts the part twice
    *_, a = _chat(bot, "惠州市政务服务中心的基本支出是多少", "其中人员经费呢", "一共多少")
    assert not a.answerable and a.value is None
    assert "不能相加" in a.answer


def test_a_bare_sum_of_items_from_different_tables_is_refused(bot):
    *_, a = _chat(bot, "公务接待费是多少", "基本工资是多少", "合计多少")
    assert not a.answerable and a.value is None


def test_after_one_total_a_bare_sum_is_that_total(bot):
    *_, a = _chat(bot, "三公经费是多少", "一共多少")
    assert a.value == "8.82"


@pytest.mark.parametrize("text,bare", [("合计多少？", True), ("一共多少", True), ("加起来是多少", True),
                                       ("那合计是多少呢？", True), ("基本支出一共多少", False), ("合计多少个项目", False)])
def test_what_counts_as_a_bare_sum(text, bare):
    assert is_bare_sum(text) is bare


def test_a_part_of_a_units_row_is_read_from_that_row(bot):
    _, a = _chat(bot, "惠州市政务服务中心的基本支出是多少", "其中人员经费呢")
    assert (a.value, a.unit) == ("388.23", "万元")


@pytest.mark.slow
def test_a_part_of_a_row_in_a_per_unit_table_is_that_rows_cell(tmp_path, corpus):
    """hangzhou-police-2026's 三公 table has one row per unit and a column per item: "其中公务接待费" after the
    本级 row's 三公 is that row's 公务接待费 column (60.00, p29), not the 合计 row's."""
    from index.ingest import ingest
    from index.store import Store
    store = Store(tmp_path / "store")
    ingest(store, [corpus / "wide" / "hangzhou-police-2026.pdf"])
    first, a = _chat(Assistant(store, use_env_llm=False), "杭州市公安局本级的三公经费是多少？", "其中公务接待费呢？")
    assert first.value == "887.56"
    assert (a.value, a.unit) == ("60.00", "万元") and a.citations[0].page == 29


def test_a_later_clause_takes_the_subject_of_a_clause_that_found_nothing(bot):
    """"X多少？比去年多还是少？": when X's figure is not found, the second clause still asks about X (with its unit),
    not about nothing and not about an earlier turn."""
    a = bot.ask("惠州市政务服务中心的三公经费多少？比去年多还是少？")
    assert not a.answerable and a.value is None
    second = (a.understood or "").split("；")[1]
    assert "三公" in second and "惠州市政务服务中心" in second


def test_a_refused_clause_lends_no_subject(bot):
    # "局长的工资" is refused as not disclosed: "占基本支出的比例" is not asked of 工资 without its qualifier
    a = bot.ask("局长的工资是多少？占基本支出的比例呢？")
    assert not a.answerable and "%" not in a.answer


@pytest.mark.slow
def test_a_change_clause_after_a_lookup_that_found_nothing_keeps_its_subject(tmp_path, corpus):
    from index.ingest import ingest
    from index.store import Store
    store = Store(tmp_path / "store")
    ingest(store, [corpus / "wide" / "hangzhou-police-2026.pdf"])
    a = Assistant(store, use_env_llm=False).ask("机关运行经费是多少？比上年增长了多少？")
    assert "427.16" in a.answer and "机关运行经费" in (a.understood or "").split("；")[1]    # p13's statement


@pytest.mark.parametrize("question,item", [("会议费占三公经费的比例是多少", "会议费"), ("培训费占三公经费的比重", "培训费")])
def test_a_share_of_something_outside_its_whole_says_so_plainly(bot, question, item):
    a = bot.ask(question)
    assert not a.answerable and a.value is None
    assert f"{item}不是“三公”经费的一部分" in a.answer and "找到的只是单个数字" not in a.answer
    assert bot.ask("公务接待费占三公经费的比例").value == "63.49"     # a member of the whole still has its share


@pytest.mark.slow
def test_a_change_stated_under_the_departments_name_answers_the_follow_up(tmp_path, corpus):
    """fuzhou-medical-insurance-2026 p23: "福州市医疗保障局收入预算为 351904.90 万元，比上年增加 125454.38 万元":
    the statement's subject is the department's 收入 (its name says whose); a 收入 of another kind is not it."""
    from index.ingest import ingest
    from index.store import Store
    store = Store(tmp_path / "store")
    ingest(store, [corpus / "wide" / "fuzhou-medical-insurance-2026.pdf"])
    bot = Assistant(store, use_env_llm=False)
    first, a = _chat(bot, "福州市医疗保障局今年收入预算是多少？", "比上年增加了多少？")
    assert first.value == "351904.90" and (a.value, a.unit) == ("125454.38", "万元")
    other = bot.ask("事业收入比上年增加多少？")
    assert other.value != "125454.38"


def test_another_subject_after_a_compound_question_asks_every_part_of_it(bot):
    *_, a = _chat(bot, "三公经费多少，比去年多还是少", "公务接待费呢")
    assert a.answerable and a.value == "5.60"                          # 表8, the first part for the new subject
    assert "1.00万元" in a.answer                                       # p26: 比上年增加1万元, the second part too
    assert "取数｜公务接待费" in a.understood and "比上年变化｜公务接待费" in a.understood


def test_a_leading_part_that_asks_nothing_introduces_the_first_question():
    from assistant.plan import clauses
    # "X列了多少？跟上年比怎么样？" after a preamble is still two questions, the principal one first
    assert clauses("我在看今年的预算公开，三公经费列了多少？跟上年比怎么样？") == \
        ["我在看今年的预算公开，三公经费列了多少？", "跟上年比怎么样？"]
    assert clauses("我是一名普通市民，想问一下今年三公经费一共多少？") == ["我是一名普通市民，想问一下今年三公经费一共多少？"]
