"""A question becomes a checked plan: each failure kind of issue 9, on the bundled document, answers right
or abstains (never a wrong figure). Cases are our own phrasings, not the eval sets' items."""
from __future__ import annotations

import pytest

from assistant.api import Assistant
from assistant.plan import clauses, leftover, strip_preamble

DOC = "huizhou-data-bureau-2024"


@pytest.fixture(scope="module")
def bot(bundled_store):
    return Assistant(bundled_store, use_env_llm=False)


def ask(bot, q, history=None):
    return bot.ask(q, doc=DOC, history=history)


# -- plan pieces ----------------------------------------------------------------------------------------
def test_preamble_and_self_words_are_stripped():
    assert strip_preamble("我是一名普通市民，想问一下今年的公务接待费是多少") == "今年的公务接待费是多少"
    assert strip_preamble("咱们局的培训费是多少") == "培训费是多少"
    assert strip_preamble("我们单位差旅费多少") == "差旅费多少"


def test_compound_questions_split_into_clauses_that_each_ask():
    assert clauses("今年三公经费多少，比去年多还是少") == ["今年三公经费多少", "比去年多还是少"]
    assert clauses("2024年，公务接待费是多少") == ["2024年，公务接待费是多少"]


def test_leftover_lists_unexplained_content_words():
    assert leftover("局长是谁", []) == ["局长"]
    assert leftover("那去年呢", []) == []
    assert leftover("请问今年一共是多少钱", []) == []


# -- follow-ups -----------------------------------------------------------------------------------------
def test_context_fills_only_an_elliptical_follow_up(bot):
    first = ask(bot, "政府采购预算是多少")
    assert first.answerable and first.value == "1916.29"
    other = ask(bot, "局长是谁", [first])
    assert not other.answerable and other.value is None and "1,916.29" not in other.answer.split("找到的最接近")[0]
    recv = ask(bot, "公务接待费是多少")
    prev = ask(bot, "那去年呢", [recv])
    assert prev.answerable and prev.value == "4.60"


# -- naming the department, its units, self words, preambles -------------------------------------------
@pytest.mark.parametrize("q", ["惠州市政务服务数据管理局的培训费是多少", "咱们局的培训费是多少", "2024年惠州市政务服务数据管理局预算里培训费多少",
                               "我是一名普通市民，想问一下培训费是多少"])
def test_the_department_named_in_any_way_is_the_document(bot, q):
    a = ask(bot, q)
    assert a.answerable and (a.value, a.unit) == ("5.00", "万元"), a.answer


def test_a_unit_named_restricts_the_cell_or_abstains(bot):
    a = ask(bot, "惠州市政务服务中心的人员经费是多少")
    assert a.answerable and a.value == "388.23"
    b = ask(bot, "惠州市政务服务中心的培训费是多少")       # not broken down by unit: no unit total stands in
    assert not b.answerable and b.value is None


# -- a different subject's figure -----------------------------------------------------------------------
@pytest.mark.parametrize("q", ["局长的工资是多少", "处长一个月工资多少", "一共有多少人"])
def test_a_person_or_head_count_is_never_an_unrelated_amount(bot, q):
    a = ask(bot, q)
    assert not a.answerable and a.value is None


def test_a_count_of_units_is_never_an_amount(bot):
    a = ask(bot, "一共有几个下属单位")
    assert a.unit not in ("万元", "元", "亿元")
    if a.answerable:
        assert (a.value, a.unit) == ("2", "个")


def test_stock_is_not_answered_with_a_flow(bot):
    a = ask(bot, "固定资产有多少")
    assert a.value != "0.00"                     # 0.00 is 本年度拟购置 (bought this year), not held
    assert not a.answerable or a.value == "3860.10"
    assert ask(bot, "本年度拟购置固定资产是多少").value == "0.00"


# -- parts and wholes -----------------------------------------------------------------------------------
def test_a_share_above_100_percent_abstains_with_suggestions(bot):
    a = ask(bot, "基本支出占公用经费的比例是多少")
    assert not a.answerable and a.value is None
    d = a.to_dict()
    assert d["understood"].startswith("理解为：") and d["suggestions"]
    assert all({"text", "value", "unit", "citation"} <= set(s) for s in d["suggestions"])
    assert "没有找到确切对应的数字" in a.answer and "并非所问的答案" in a.answer


def test_the_largest_of_a_group_is_not_the_group(bot):
    a = ask(bot, "基本支出里哪一类最多")
    assert a.answerable and a.subject not in ("基本支出", None) and a.value != "2592.47"


# -- two operands, ratios, percentage points ------------------------------------------------------------
def test_a_minus_b_takes_the_pair_around_bi(bot):
    a = ask(bot, "公用经费比人员经费少多少")
    assert a.answerable and a.value == "1195.30" and a.calculation.startswith("71.30")
    b = ask(bot, "人员经费比公用经费多多少")
    assert b.value == "1195.30" and b.calculation.startswith("1,266.60")


def test_ratio_and_percentage_points(bot):
    r = ask(bot, "人员经费是公用经费的几倍")
    assert r.answerable and r.value == "17.76" and r.unit is None and "倍" in r.answer
    g = ask(bot, "项目支出占比和基本支出占比相差多少个百分点")
    assert g.answerable and (g.value, g.unit) == ("31.78", "%") and "百分点" in g.answer


# -- compound questions ---------------------------------------------------------------------------------
def test_compound_question_answers_both_parts(bot):
    a = ask(bot, "今年三公经费多少，比去年多还是少")
    assert a.answerable and a.value == "8.82"
    assert "8.82万元" in a.answer and "增加" in a.answer and "0.72" in a.answer
    assert a.understood.count("｜") >= 4 and "；" in a.understood


def test_understood_is_in_every_answer(bot):
    a = ask(bot, "公务接待费是多少")
    assert a.to_dict()["understood"].startswith("理解为：取数｜公务接待费")
    assert "suggestions" not in a.to_dict()


# -- English ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("q,value", [("How much are the training fees?", "5.00"),
                                     ("What share of total spending is project expenditure?", "65.89")])
def test_english_answers_state_the_figure_without_chinese_fragments(bot, q, value):
    import re
    a = ask(bot, q)
    assert a.answerable and a.value == value
    lead = a.answer.split("\n\n")[0]
    assert not re.search(r"[\u4e00-\u9fff]", lead), lead
    assert a.understood.startswith("Understood as: ")


def test_english_refusal_is_english(bot):
    import re
    a = ask(bot, "What is the bureau's budget for 2025?")
    assert not a.answerable
    assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"“[^”]*”", "", a.answer)), a.answer


# -- the wrong one of several cells with the same name (a corpus PDF) -----------------------------------
@pytest.fixture(scope="module")
def court(corpus, tmp_path_factory):
    from index.ingest import ingest
    from index.store import Store
    store = Store(tmp_path_factory.mktemp("court") / "store")
    ingest(store, [corpus / "jiangsu-high-court-2019.pdf"])
    return Assistant(store, use_env_llm=False)


@pytest.mark.parametrize("q,value", [
    ("培训费是多少", "1597.25"),                 # the 三公/会议费/培训费 table, not 公开08/11's basic-expenditure 41.37
    ("公务接待费是多少", "86.95"),               # the 三公 table, not the economic classification's 41.95
    ("江苏省高级人民法院的差旅费是多少", "291.00"),  # the department named is the document, not a subject
    ("我想问一下，你们法院一年的电费和水费一共多少钱", "290.00"),
    ("商品和服务支出里哪一项最多", "668.00"),      # the classification's own rows, not the procurement table's
    ("津贴补贴是基本工资的几倍", "2.92"),
])
def test_the_items_own_table_and_the_department_named(court, q, value):
    a = court.ask(q)
    assert a.answerable and a.value == value, a.answer


@pytest.mark.parametrize("q", ["法院院长的工资是多少", "法官有多少人"])
def test_people_are_not_amounts_in_another_document(court, q):
    a = court.ask(q)
    assert not a.answerable and a.value is None


@pytest.fixture(scope="module")
def commerce(corpus, tmp_path_factory):
    from index.ingest import ingest
    from index.store import Store
    store = Store(tmp_path_factory.mktemp("commerce") / "store")
    ingest(store, [corpus / "shanghai-putuo-commerce-2025.pdf"])
    return Assistant(store, use_env_llm=False)


@pytest.mark.parametrize("q,value,unit", [
    ("普陀区商务委员会的差旅费是多少", "80000", "元"),       # part of the department's name, not 机关设9个
    ("工资福利支出占人员经费的比例是多少", "92.00", "%"),     # the whole named after 占, though it is a column
    ("人员经费是公用经费的几倍", "10.60", None),
])
def test_shares_wholes_and_the_department_in_a_table_of_yuan(commerce, q, value, unit):
    a = commerce.ask(q)
    assert a.answerable and (a.value, a.unit) == (value, unit), a.answer


def test_a_share_question_is_never_answered_with_a_single_figure(commerce):
    a = commerce.ask("会议费占三公经费的比例是多少")      # no 会议费 in this document
    assert not a.answerable or a.unit == "%"


def test_a_partial_name_shared_by_items_with_different_figures_abstains_and_lists_them(bot):
    a = ask(bot, "那公务用车呢", [ask(bot, "三公经费是多少")])
    assert not a.answerable and a.value is None
    texts = [s["text"] for s in a.to_dict()["suggestions"]]
    assert any("运行维护" in t for t in texts) and any("购置" in t for t in texts)
    assert ask(bot, "公务用车运行维护费是多少").value == "3.22"


def test_largest_then_its_share_of_the_set_compared(bot):
    a = ask(bot, "项目支出最大的是哪个，占多少")
    assert a.answerable and "1,200.27" in a.answer
    assert "1,200.27 ÷ 5,008.06 × 100% = 23.97%" in (a.calculation or "")


def test_a_units_share_needs_the_units_whole(bot):
    a = ask(bot, "惠州市政务服务中心的人员经费占基本支出的比例")   # not the unit's row ÷ the department's total
    assert not a.answerable and a.value is None


def test_compared_with_last_year_is_the_change(bot):
    a = ask(bot, "三公经费和去年比有变化吗")
    assert a.answerable and a.intent == "change" and a.value == "0.72"


def test_the_chat_shows_the_understanding_and_the_suggestions(bot):
    from assistant.web.render import render_answer
    html = render_answer(ask(bot, "基本支出占公用经费的比例是多少"))
    assert "理解为：占比" in html and "并非所问的答案" in html
    assert "\n\n可以换个问法" in html              # a paragraph of its own, not the last suggestion's tail
    assert "理解为：取数｜公务接待费" in render_answer(ask(bot, "公务接待费是多少"))


@pytest.mark.parametrize("q", ["法院和电费一共多少钱", "商品和服务支出和办公费加起来多少"])
def test_a_sum_never_adds_across_classifications_or_a_part_to_its_whole(court, q):
    a = court.ask(q)
    assert not a.answerable and a.value is None


def test_one_cell_named_by_its_label_and_its_code_is_not_summed_with_itself(bot):
    # "X（code）一共多少" names one row twice: its figure, never twice its figure
    a = ask(bot, "行政运行（2010301）一共多少？").to_dict()
    assert a["value"] != "1940.08"
    assert a["value"] in (None, "970.04")
