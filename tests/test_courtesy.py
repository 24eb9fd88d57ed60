"""A turn that is only a thanks or a greeting asks nothing of the document: it gets a courteous line, not
"文件未披露这一内容", and no figure; a question that merely starts politely is still answered."""
from __future__ import annotations

import pytest

from assistant.api import Assistant
from tests._chat import chat


@pytest.fixture(scope="module")
def bot(bundled_store):
    return Assistant(bundled_store, use_env_llm=False)


@pytest.mark.parametrize("said", ["谢谢", "谢谢你！", "好的，谢谢", "您好", "Thanks!", "thank you"])
def test_thanks_and_greetings_get_a_courteous_reply_and_no_figure(bot, said):
    a = bot.ask(said)
    assert not a.answerable and a.value is None and a.intent == "courtesy"
    assert "未披露" not in a.answer and a.understood   # the chat still shows how the turn was read
    thanks = said.lower().startswith(("谢", "好的", "thank"))
    reply = ("welcome", "Hello") if said[0].isascii() else ("不客气", "您好")
    assert reply[0 if thanks else 1] in a.answer


def test_a_question_that_starts_politely_is_still_answered(bot):
    a = bot.ask("您好，三公经费是多少")
    assert a.answerable and (a.value, a.unit) == ("8.82", "万元")


def test_thanks_in_a_conversation_does_not_break_the_next_follow_up(bot):
    *_, a = chat(bot, "三公经费是多少", "谢谢", "公务接待费呢")
    assert a.answerable and a.value == "5.60"


def test_an_elliptical_follow_up_after_a_thanks_still_reads_the_turn_before_it(bot):
    *_, a = chat(bot, "三公经费是多少", "谢谢", "那去年呢")
    assert a.answerable and (a.value, a.unit) == ("8.10", "万元")     # 8.82 − 0.72, as without the "谢谢"
