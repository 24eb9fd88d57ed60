"""The optional LLM path through the real Assistant and its real tools (a scripted model stands in)."""
from __future__ import annotations

from assistant.api import Assistant
from assistant.model.adapter import ChatTurn, ScriptedModel, ToolCall
from assistant.model.answerer import LLMAnswerer


def _bot(store, turns):
    model = ScriptedModel(turns)
    return Assistant(store, llm=LLMAnswerer(model)), model


def test_model_rewrites_with_tool_figures(bundled_store):
    bot, model = _bot(bundled_store, [
        ChatTurn(tool_calls=(ToolCall.parse("c1", "find_facts", '{"query": "公务接待费"}'),)),
        "公务接待费预算为5.60万元，比上年增加1万元，主要因为疫情结束后接待工作量增加。",
    ])
    a = bot.ask("公务接待费为什么增加")
    assert a.mode == "llm" and "5.60万元" in a.answer
    assert (a.value, a.unit) == ("5.60", "万元") and a.citations        # figures and sources stay offline
    tool_msgs = [m for m in model.calls[1][0] if m.get("role") == "tool"]
    assert tool_msgs and "5.60" in tool_msgs[0]["content"]


def test_invented_number_falls_back_to_offline(bundled_store):
    bot, _ = _bot(bundled_store, ["公务接待费预算为100万元。"])
    a = bot.ask("公务接待费是多少")
    assert a.mode == "offline" and "100万元" not in a.answer and a.value == "5.60"
    assert "unsupported_numbers" in a.extra.get("llm_fallback", "")


def test_refusals_never_reach_the_model(bundled_store):
    bot, model = _bot(bundled_store, [])
    a = bot.ask("2030年预算是多少")
    assert not a.answerable and model.calls == []
