"""Coverage checks that keep an undisclosed question from being answered (assistant/check.py, answer_narrative.py).

- a name a handler made of the question's own words ("名称含…的项") explains none of those words;
- an operand the document names only in its text ("三公经费" in a heading) must be in the evidence cited;
- a "how much" question is not answered by a sentence that states no figure of what was asked."""
from __future__ import annotations

import pytest

from assistant.answer import Answer, Citation
from assistant.api import Assistant
from assistant.check import failure
from assistant.coverage import _explained
from assistant.answer_tables import Q
from assistant.plan import parse
from assistant.question_words import intents


@pytest.fixture(scope="module")
def bot(bundled_store):
    return Assistant(bundled_store, use_env_llm=False)


def _qq(bot, question):
    ctx = bot.context("huizhou-data-bureau-2024")
    q = ctx.index.question_form(question)
    ms = ctx.index.mentions(q)
    return Q(question, question, q, intents(q), ms, False, ctx), ctx


def test_a_subject_echoing_the_question_explains_nothing(bot):
    qq, ctx = _qq(bot, "下属机构的会议费是多少")
    cit = Citation(doc=ctx.doc.id, source="表3 支出总体情况表", section=None, page=8, quote="事业单位医疗")
    echo = Answer(question=qq.raw, answer="", answerable=True, value="34.45", unit="万元", intent="sum",
                  subject="下属机构的会议费", citations=(cit,))
    assert not _explained("下属机构", echo, qq)
    printed = Answer(question=qq.raw, answer="", answerable=True, value="34.45", unit="万元", intent="sum",
                     subject="事业单位医疗", citations=(cit,))
    assert _explained("事业单位医疗", printed, qq)


def test_a_text_only_operand_must_be_in_the_cited_evidence(bot):
    qq, ctx = _qq(bot, "政府采购的培训费是多少")
    narr = [m for m in qq.mentions if all(c.kind == "narrative" for c in m.candidates)]
    if not narr:
        pytest.skip("the bundled document names no text-only subject here")
    plan = parse(qq.raw, qq.q, qq.mentions, qq.intents, {}, ctx.doc.year, ctx.doc.id)
    other = Citation(doc=ctx.doc.id, source="表11 部门预算基本支出预算表", section=None, page=19, quote="人员经费")
    ans = Answer(question=qq.raw, answer="", answerable=True, value="1.00", unit="万元", intent="value",
                 subject="人员经费", citations=(other,))
    assert failure(plan, ans, qq) is not None


@pytest.mark.parametrize("question", ["惠州市政务服务中心的三公经费是多少？", "惠州市政务数据事务中心的公务接待费是多少？",
                                      "下属事业单位的会议费是多少？", "食堂伙食安排了多少钱？",
                                      "绩效评价工作安排了多少钱？"])
def test_undisclosed_figures_are_not_answered(bot, question):
    a = bot.ask(question)
    assert not a.answerable and a.value is None, (a.value, a.understood)


@pytest.mark.parametrize("question", ["从本级财政部门取得的财政预算资金收入有多少？", "预算单位从本级财政部门取得多少资金？"])
def test_a_how_much_question_is_not_answered_by_a_sentence_without_its_figure(bot, question):
    # the nearest sentence is a definition that states no amount: asked "how much", it is no answer
    from assistant import answer_narrative
    qq, _ = _qq(bot, question)
    ans = answer_narrative.narrative(qq)
    assert ans is None or ans.value is not None


def test_a_disclosed_figure_is_still_answered(bot):
    a = bot.ask("政府采购安排了多少？")
    assert a.answerable and a.value == "1916.29"


@pytest.mark.parametrize("question", ["“数字政府”改革建设工作经费是用来做什么的？", "编外人员经费是干什么用的？",
                                      "公务接待费有什么用？"])
def test_what_a_thing_is_for_is_not_answered_with_its_amount(bot, question):
    a = bot.ask(question)
    assert a.value is None, (a.value, a.understood)


def test_a_purpose_check_rejects_a_bare_figure(bot):
    qq, ctx = _qq(bot, "编外人员经费是用来做什么的")
    plan = parse(qq.raw, qq.q, qq.mentions, qq.intents, {}, ctx.doc.year, ctx.doc.id)
    cit = Citation(doc=ctx.doc.id, source="表12 部门预算项目支出及其他支出预算表", section=None, page=24,
                   quote="编外人员经费 330.97 330.97 330.97 0.00 0.00 0.00 0.00")
    ans = Answer(question=qq.raw, answer="", answerable=True, value="330.97", unit="万元", intent="value",
                 subject="编外人员经费", citations=(cit,))
    assert "describe" in plan.ops and failure(plan, ans, qq) is not None


def test_who_is_never_answered_with_a_figure(bot):
    a = bot.ask("数字政府集约运营服务项目的中标单位是谁？")
    assert a.value is None and not a.answerable


def test_a_value_answer_accounts_for_every_subject_named(bot):
    # two subjects named, the figure quoted is of one of them only: it does not answer the question
    qq, ctx = _qq(bot, "事业单位医疗的会议费是多少")
    if len(qq.mentions) < 2:
        pytest.skip("the question is read with one subject here")
    plan = parse(qq.raw, qq.q, qq.mentions, qq.intents, {}, ctx.doc.year, ctx.doc.id)
    sec = next(s for s in ctx.parsed.sections if s.heading)
    cit = Citation(doc=ctx.doc.id, source=" ".join(sec.heading), section=" ".join(sec.heading), page=sec.pages[0],
                   quote="事业单位医疗34.45万元")
    ans = Answer(question=qq.raw, answer="", answerable=True, value="34.45", unit="万元", intent="value",
                 subject="事业单位医疗", citations=(cit,))
    assert failure(plan, ans, qq) is not None
