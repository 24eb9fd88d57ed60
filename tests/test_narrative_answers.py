"""Text answers from the narrative (issue 9): lists of units and internal bodies, duties, what an item is
used for, every item of an enumerated reason, a reason found by the figure the question quotes, glossary
entries run together. Fast cases on a small text document of our own; slow ones on wide-corpus PDFs
(our own phrasings, written from the documents' structure) that must answer with the passage or abstain.

A text answer states no figure of its own (value None) and every figure in its text is in a cited quote.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from decimal import Decimal as D

from assistant.answer_passages import _enumerates, continued, glossary_entries
from assistant.passage_figures import in_best_clause
from index.models import normalize_ws

WIDE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "wide"

DOC = """示例市交通运输局2026年部门预算

第一部分 部门概况

一、主要职能

　　1.负责全市道路运输市场监管工作。

　　2.负责全市港口岸线的统一管理工作。

　　3.在校车安全管理方面，负责指导校车停靠站点设置，加强对站点标识的监管。

二、部门机构设置及预算单位构成情况

　　本部门内设机构包括：办公室、财务处、建设管理处。本部门下属单位包括：示例市公路事业发展中心，示例市港航事业发展中心。

　　从预算单位构成看，纳入本部门2026年部门汇总预算编制范围的预算单位共计3家，具体包括：示例市交通运输局本级、示例市公路事业发展中心、示例市港航事业发展中心。

第二部分 2026年部门预算情况说明

一、收支预算总体情况说明

　　2026年收入预算1,200.00万元，比上年减少100.00万元，下降7.7%，主要原因是：1.落实过紧日子要求，压减一般性支出；2.部分项目已完成，不再安排。

二、“三公”经费预算情况说明

　　（一）因公出国（境）费。2026年预算数3.00万元，主要用于按照外事工作计划开展交流。

　　（二）公务接待费。2026年预算数6.00万元，主要用于接待来访交流。

　　（三）公务用车运行维护费

　　预算安排2.00万元，与上年持平。主要原因是：车辆数量不变。

　　日常公用支出50.00万元，主要包括：办公费、印刷费、公务接待费等。

三、机关运行经费安排情况

　　机关运行经费安排80.00万元，比上年减少10.00万元，下降11.1%，主要原因是：一是减少了车辆购置需求；二是厉行节约，压减会议费。

智慧交通专项（政策资金）经费情况说明

一、项目概述

　　推进交通信号智能化改造，提升通行效率。

二、年度预算安排

　　2026年度项目总预算200.00万，其中支持信号灯改造150.00万，支持数据平台建设50.00万元，合计200.00万。

第三部分 名词解释

　　基本支出：指为保障机构正常运转而发生的人员支出和公用支出。项目支出：指在基本支出之外为完成特定行政任务所发生的支出。

表1

财政拨款“三公”经费预算表

项目 合计 一般公共预算

“三公”经费 9.00 9.00

　　其中：（一）因公出国（境）费 3.00 3.00

　　　　　（二）公务接待费 6.00 6.00

单位：万元

第四部分 示范专项经费情况说明

一、年度预算安排

　　2026年度项目总预算300.00万，其中支持品牌引进100.00万，支持数字化转型150.00万，支持便民服务50.00万元，合计300.00万。

二、变化说明

　　2026年示例市交通运输局各单位会议费预算0.00万元，比上年预算数减少2.00万元，主要是压减会议经费。

　　2026年培训费预算0.00万元，比上年预算数减少1.00万元，主要是培训改为线上开展。

　　本局本级1家行政单位以及2家事业单位的差旅费预算12.00万元，与上年持平。

　　公交运营补助支出500.00万元，与上年相比增加500.00万元（去年预算数为0万元）。主要原因是本年度调整了支出功能分类科目。
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    from assistant.api import Assistant
    from index.ingest import ingest
    from index.store import Store
    folder = tmp_path_factory.mktemp("narr")
    path = folder / "small.txt"
    path.write_text(DOC, encoding="utf-8")
    store = Store(folder / "store")
    ingest(store, [path])
    return Assistant(store, use_env_llm=False)


def _figures_cited(a):
    """Every figure of a text answer's body stands in one of its cited quotes."""
    body = a.answer.split("\n\n**")[0]
    quotes = normalize_ws("".join(c.quote for c in a.citations)).replace(",", "")
    for fig in re.findall(r"\d[\d,]*(?:\.\d+)?", re.sub(r"(?<![\d.])\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[)）]", "", body)):
        assert fig.replace(",", "") in quotes, (fig, a.answer)


def text_answer(bot, q, *words):
    a = bot.ask(q)
    assert a.answerable, a.answer
    for w in words:
        assert w in a.answer, (w, a.answer)
    if a.intent != "why" and a.unit != "项":       # (rows listed from a table carry their count)
        assert a.value is None, a.answer
        _figures_cited(a)
    return a


# -- fast: the pieces ---------------------------------------------------------------------------------
def test_an_enumeration_is_continued_to_its_last_item():
    text = "主要原因是：1.压减一般性支出；2.部分项目已完成；3.调整结构。其他说明。"
    assert continued(text, "主要原因是：1.压减一般性支出；") == "2.部分项目已完成；3.调整结构。"
    assert continued("主要原因是：一是减少购置；二是压减会议费。", "主要原因是：一是减少购置；") == "二是压减会议费。"
    assert continued("增长1.5%；2.5万元用于…", "增长1.5%；") == ""          # decimals are no items
    assert continued("主要原因是减少购置。2.另一段。", "主要原因是减少购置。") == ""   # no first item


def test_glossary_entries_run_together_are_split():
    got = glossary_entries("基本支出：指人员支出和公用支出。项目支出：指基本支出之外的支出。")
    assert [t for t, _ in got] == ["基本支出", "项目支出"]
    got = glossary_entries("1．机关运行经费：是指公用经费。2．基本支出：指人员支出4．项目支出：指其他支出")
    assert [t for t, _ in got] == ["机关运行经费", "基本支出", "项目支出"]


def test_an_enumerating_sentence():
    assert _enumerates("综合事务部、综合治理部、后勤服务部。")
    assert _enumerates("所属2个预算单位，分别为本级和综合事务中心。")
    assert not _enumerates("根据部门职责分工，本部门包括：")


# -- fast: answers on a small document of our own -----------------------------------------------------
@pytest.mark.parametrize("q, words", [
    ("下属有哪些单位", ("公路事业发展中心", "港航事业发展中心")),
    ("内设哪些机构", ("办公室", "财务处", "建设管理处")),
    ("纳入部门预算的单位有哪几个", ("本级", "港航事业发展中心")),
    ("主要职能有哪些", ("道路运输", "港口岸线")),
    ("在校车安全管理方面负责哪些工作", ("校车停靠站点",)),
])
def test_units_bodies_and_duties_are_the_structure_sections_passages(bot, q, words):
    a = text_answer(bot, q, *words)
    assert any("机构设置" in c.source or "职能" in c.source for c in a.citations)


def test_internal_bodies_are_not_the_budgets_units(bot):
    a = bot.ask("内设机构有哪些")
    assert "预算单位" not in a.answer.split("\n\n**")[0], a.answer


def test_which_units_is_never_answered_by_one_figure(bot):
    a = bot.ask("附属单位有哪些")            # nothing lists them: no figure stands in
    assert a.value is None or a.intent in ("list", "count"), a.answer


def test_which_units_is_not_a_count(bot):
    a = text_answer(bot, "纳入部门预算的单位有哪几个", "示例市交通运输局本级")
    assert a.intent == "list"


@pytest.mark.parametrize("q, words", [
    ("公务接待费主要用于什么", ("接待来访交流",)),
    ("因公出国（境）费主要用来干什么", ("外事工作计划",)),
])
def test_what_an_item_is_for_is_its_own_use_sentence(bot, q, words):
    a = text_answer(bot, q, *words)
    assert "办公费、印刷费" not in a.answer       # the item as a member of another list is not its subject


def test_a_figure_then_its_use(bot):
    a = bot.ask("公务接待费是多少？用于什么？")
    assert a.answerable and a.value == "6.00" and "接待来访交流" in a.answer


@pytest.mark.parametrize("q, words", [
    ("收入预算为什么减少", ("压减一般性支出", "部分项目已完成")),
    ("机关运行经费为什么下降了11.1%", ("减少了车辆购置需求", "压减会议费")),
])
def test_a_reason_is_given_with_every_item(bot, q, words):
    a = text_answer(bot, q, *words)
    assert len(a.citations) >= 2


def test_a_quoted_figure_that_several_statements_share_tells_none_apart(bot):
    assert not bot.ask("为什么是0").answerable
    text_answer(bot, "会议费为什么是0", "压减会议经费")
    text_answer(bot, "培训费为什么是0万元", "线上")


def test_what_is_a_bare_term_asks_its_definition(bot):
    text_answer(bot, "What is 项目支出?", "基本支出之外")
    a = bot.ask("What is 公务接待费?")            # no glossary entry: the figure, as before
    assert a.answerable and a.value == "6.00", a.answer


def test_an_unchanged_figure_is_said_unchanged_not_changed_by_zero():
    from assistant.answer_changes import _trend
    from index.models import ChangeFact
    flat = ChangeFact("公务接待费", D("5.00"), "万元", D("0"), D("0"), "保障接待", "…与上年持平。", "s001", 1)
    assert _trend(flat) == "5.00万元，与上年持平"


def test_a_statement_named_only_by_its_heading(bot):
    a = text_answer(bot, "公务用车运行维护费为什么跟上年持平", "车辆数量不变")
    assert a.answer.startswith("公务用车运行维护费")


def test_what_a_term_covers_asks_its_definition(bot):
    assert bot.ask("这里说的项目支出具体指哪些").intent == "definition"


def test_a_glossary_entry_on_a_shared_line(bot):
    a = text_answer(bot, "项目支出是什么意思", "基本支出之外")
    assert "人员支出和公用支出" not in a.answer and "名词解释" in a.citations[0].source


def test_an_amount_split_into_parts(bot):
    a = text_answer(bot, "示范专项的300万元分成哪几块", "品牌引进", "数字化转型", "便民服务")
    assert a.intent == "list"


def test_how_come_from_zero_asks_why(bot):
    a = bot.ask("公交运营补助怎么从0变成了500万")
    assert a.answerable and "功能分类科目" in a.answer, a.answer


@pytest.mark.parametrize("q", ["差旅费是多少", "咱们局的差旅费是多少"])
def test_an_amount_asked_is_the_sentences_amount_not_a_count_beside_it(bot, q):
    a = bot.ask(q)
    assert a.answerable and (a.value, a.unit) == ("12.00", "万元"), a.answer


def test_a_narrative_figure_is_found_by_its_name_without_the_departments(bot):
    ctx = bot.context(bot.store.documents()[0].id)
    found = ctx.index.mentions(ctx.index.question_form("会议费多少"))
    assert any(c.key == "会议费" and c.kind == "narrative" for m in found for c in m.candidates)
    a = bot.ask("会议费多少")
    assert a.answerable and (a.value, a.unit) == ("0.00", "万元"), a.answer


@pytest.mark.parametrize("q, value", [
    ("智慧交通专项预算多少", "200.00"),
    ("智慧交通专项（政策资金）今年安排多少", "200.00"),
    ("智慧交通专项中支持信号灯改造安排多少", "150.00"),      # written "150.00万": not read as a figure elsewhere
    ("智慧交通专项中支持数据平台建设安排了多少", "50.00"),
])
def test_a_projects_budget_from_its_own_section(bot, q, value):
    a = bot.ask(q)
    assert a.answerable and (a.value, a.unit) == (value, "万元"), a.answer


def test_a_part_the_budget_sentence_does_not_name_is_not_answered(bot):
    a = bot.ask("智慧交通专项中支持火箭发射安排多少")
    assert not a.answerable and a.value is None, a.answer


def test_a_project_is_described_by_its_overview(bot):
    text_answer(bot, "智慧交通专项是做什么的", "交通信号智能化改造")


def test_a_figure_is_taken_only_from_the_clause_naming_what_is_asked():
    want = {"示范", "地标"}
    sent = "其中支持品牌集聚340.00万，支持打造示范地标120.00万，支持服务提升80.00万元。"
    assert not in_best_clause(sent, D("80.00"), want) and in_best_clause(sent, D("120.00"), want)
    assert in_best_clause("共计33个一级项目。", D("33"), {"一级"})      # a count is not judged here


# -- slow: our own phrasings on real wide-corpus documents ---------------------------------------------
needs_wide = pytest.mark.skipif(not WIDE.is_dir(), reason="../shared/corpus/wide is not here")
DOCS = ("suzhou-transport-2026", "hangzhou-police-2026", "guangzhou-propaganda-2026", "xian-finance-2026",
        "changchun-petition-2026", "shenzhen-police-2026", "fuzhou-medical-insurance-2026", "chongqing-water-2026")


@pytest.fixture(scope="module")
def wide_bot(tmp_path_factory):
    from assistant.api import Assistant
    from index.ingest import ingest
    from index.store import Store
    store = Store(os.environ.get("BUDGETQA_WIDE_STORE") or tmp_path_factory.mktemp("wide"))
    for doc in DOCS:
        ingest(store, [WIDE / f"{doc}.pdf"])
    return Assistant(store, use_env_llm=False)


@pytest.mark.slow
@needs_wide
@pytest.mark.parametrize("doc, q, words", [
    ("suzhou-transport-2026", "苏州市交通运输局的下属单位都有哪些", ("港航事业发展中心", "邮政业安全发展中心")),
    ("hangzhou-police-2026", "部门预算里有哪些事业单位", ("人民警察学校",)),
    ("hangzhou-police-2026", "公务用车运行维护费用于哪些方面", ("燃料费", "充电费")),
    ("guangzhou-propaganda-2026", "机关运行经费减少的原因是什么", ("公务用车购置", "勤俭节约")),
    ("xian-finance-2026", "机关运行经费的定义是什么", ("公用经费",)),
    ("changchun-petition-2026", "信访接待中心运行费项目的钱用在哪些地方", ("物业管理费", "电梯")),
    # the item inside a list ("…主要包括：X项目258.09万元，用于…"): its own clause, its figure quoted
    ("shenzhen-police-2026", "营区防水修缮工程项目用来做什么", ("渗漏",)),
    # a table cell's text wrapped over lines: each figure it keeps quoted as printed
    ("fuzhou-medical-insurance-2026", "外伤医疗费用结算审核服务费项目用来做什么", ("结算审核",)),
    # the 三公 table of one row: its columns are what it is made of
    ("chongqing-water-2026", "三公经费包括哪几项", ("因公出国（境）费", "公务接待费")),
])
def test_wide_text_answers(wide_bot, doc, q, words):
    a = wide_bot.ask(q, doc=doc)
    if not a.answerable:
        pytest.fail(f"refused: {a.answer}")
    for w in words:
        assert w in a.answer, (w, a.answer)
    if a.intent != "why" and a.unit != "项":       # (rows listed from a table carry their count)
        assert a.value is None, a.answer
        _figures_cited(a)
