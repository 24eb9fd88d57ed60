"""The plan proposed by a model (assistant/model/plan.py, review.py): its schema, and the whole path through the
real Assistant with the OpenAI-compatible adapter against a real HTTP server on 127.0.0.1
(tests/_openai_server.py; its canned chat completions stand in for the model).

The model never supplies a figure: a plan naming a label the document does not have, or carrying a number, is
rejected and the offline plan answers; where the two plans disagree the answer says so and, if they do not
lead to the same figure, gives none.
"""
from __future__ import annotations

import json
import logging
import socket
import time
import tomllib
from pathlib import Path

import pytest

from _openai_server import Hang, ScriptedOpenAIServer, text_turn
from assistant.api import Assistant
from assistant.model.adapter import OpenAILikeModel, ScriptedModel
from assistant.model.plan import Labels, PlanRejected, from_plan, read_reply, to_plan
from assistant.model.review import planner_for
from assistant.plan import Plan, Ref

LABELS = Labels(subjects=("公务接待费", "公务接待费支出", "公务用车运行维护费", "“三公”经费"), measures=(),
                entities=("惠州市政务服务中心",), years=(2024, 2023), documents=("huizhou-data-bureau-2024",))


def plan_json(*parts) -> str:
    return json.dumps({"parts": [{"operation": op, "operands": [{"subject": s} for s in subjects]}
                                 for op, subjects in parts]}, ensure_ascii=False)


# --- the schema --------------------------------------------------------------------------------------

def test_a_valid_reply_is_read_with_or_without_reasoning_and_fences():
    body = '{"parts": [{"operation": "share", "operands": [{"subject": "公务接待费"}, {"subject": "“三公”经费", ' \
           '"year": "2023", "entity": "惠州市政务服务中心"}], "constraints": {"unit": "%"}}]}'
    for text in (body, f"<think>先想想</think>\n```json\n{body}\n```", f"计划如下：{body}"):
        plan = read_reply(text, LABELS)
        (part,) = plan.parts
        assert part.operation == "share" and [o.subject for o in part.operands] == ["公务接待费", "“三公”经费"]
        assert part.operands[1].year == 2023 and part.constraints.unit == "%"


def test_empty_fields_are_no_labels():
    text = '{"parts": [{"operation": "value", "operands": [{"subject": "公务接待费", "measure": "", "entity": "null", ' \
           '"year": null, "document": ""}], "constraints": null}]}'
    (part,) = read_reply(text, LABELS).parts
    assert part.operands[0].measure is None and part.operands[0].entity is None and part.constraints.unit is None


@pytest.mark.parametrize("text", ["公务接待费是5.60万元。", '{"parts": [', "[1, 2]", ""])
def test_invalid_json_is_rejected(text):
    with pytest.raises(PlanRejected) as e:
        read_reply(text, LABELS)
    assert e.value.kind == "invalid_json"


@pytest.mark.parametrize("data, where", [
    ({"parts": [{"operation": "value", "operands": [{"subject": "局长工资"}]}]}, "局长工资"),        # not a label
    ({"parts": [{"operation": "value", "operands": [{"subject": "5.60万元"}]}]}, "5.60万元"),        # a figure as a label
    ({"parts": [{"operation": "value", "operands": [{"subject": "公务接待费", "value": "5.60"}]}]}, "value"),
    ({"parts": [{"operation": "value", "value": 5.6, "operands": [{"subject": "公务接待费"}]}]}, "value"),
    ({"parts": [{"operation": "value", "operands": [{"subject": "公务接待费"}]}], "answer": "5.60万元"}, "answer"),
    ({"parts": [{"operation": "value", "operands": [{"subject": "公务接待费", "year": 2019}]}]}, "year"),
    ({"parts": [{"operation": "value", "operands": [{"subject": "公务接待费", "year": 5.6}]}]}, "year"),
    ({"parts": [{"operation": "value", "operands": [{"subject": "公务接待费"}],
                 "constraints": {"threshold": 100}}]}, "threshold"),
    ({"parts": [{"operation": "guess", "operands": [{"subject": "公务接待费"}]}]}, "operation"),
    ({"parts": [{"operation": "value", "operands": [{"subject": "公务接待费", "entity": "某某公司"}]}]}, "entity"),
    ({"parts": []}, "parts"),
])
def test_schema_violations_are_rejected(data, where):
    with pytest.raises(PlanRejected) as e:
        read_reply(json.dumps(data, ensure_ascii=False), LABELS)
    assert e.value.kind == "schema" and where in str(e.value)


def test_to_and_from_the_plan_dataclass():
    offline = Plan(question="公务接待费占三公经费的比例", q="公务接待费占三公经费的比例", operation="share",
                   operands=(Ref("公务接待费", "row", (0, 5)), Ref("“三公”经费", "row", (6, 10))), year=2024,
                   doc="huizhou-data-bureau-2024", explained=((0, 5, "subject"), (5, 6, "share"), (6, 10, "subject")),
                   leftover=())
    part = read_reply(plan_json(("share", ["公务接待费", "“三公”经费"])), LABELS).parts[0]
    plan = to_plan(part, offline)
    assert plan.operation == "share" and [r.subject for r in plan.operands] == ["公务接待费", "“三公”经费"]
    assert plan.operands[0].span == (0, 5) and plan.year == 2024 and plan.leftover == ()
    back = from_plan(plan)
    assert back.operation == "share" and [o.subject for o in back.operands] == ["公务接待费", "“三公”经费"]
    last_year = read_reply('{"parts": [{"operation": "value", "operands": [{"subject": "公务接待费", "year": 2023}]}]}',
                           LABELS).parts[0]
    assert to_plan(last_year, offline).operation == "previous"          # a value of last year
    other = read_reply(plan_json(("value", ["公务用车运行维护费"])), LABELS).parts[0]
    assert "公务接待费" in to_plan(other, offline).leftover             # what the question names, the plan does not


# --- through the Assistant and a real OpenAI-protocol server ---------------------------------------------

@pytest.fixture(scope="module")
def offline_bot(bundled_store):
    return Assistant(bundled_store, use_env_llm=False)


def _bot(store, server, timeout: float = 5) -> Assistant:
    model = OpenAILikeModel(server.base_url, "fake-model", timeout=timeout, max_retries=0)
    return Assistant(store, use_env_llm=False, planner=planner_for(model))


def _ask(store, script, question, timeout: float = 5):
    with ScriptedOpenAIServer(script) as server:
        answer = _bot(store, server, timeout).ask(question)
    return answer, server


def test_an_agreeing_plan_keeps_the_offline_answer(bundled_store, offline_bot):
    a, server = _ask(bundled_store, [text_turn(plan_json(("value", ["公务接待费"])))], "公务接待费是多少")
    assert a == offline_bot.ask("公务接待费是多少") and (a.value, a.unit) == ("5.60", "万元")
    assert a.extra["model_plan"]["agrees"] is True and "note" not in a.to_dict()
    (request,) = server.requests
    assert "tools" not in request and [m["role"] for m in request["messages"]] == ["system", "user"]
    user = request["messages"][1]["content"]
    assert "公务接待费是多少" in user and '"公务接待费"' in user and "huizhou-data-bureau-2024" in user
    subjects = json.loads(user.split("subjects: ", 1)[1].split("\n", 1)[0])
    assert 0 < len(subjects) <= 40 and subjects[0] == "公务接待费"          # bounded, the offline subject first


def test_a_disagreeing_plan_with_the_same_figure_says_so(bundled_store):
    a, _ = _ask(bundled_store, [text_turn(plan_json(("value", ["公务接待费支出"])))], "公务接待费是多少")
    assert a.answerable and (a.value, a.unit) == ("5.60", "万元")
    assert "模型理解为" in a.understood and "公务接待费支出" in a.understood
    assert a.to_dict()["note"] and a.extra["model_plan"]["agrees"] is False


def test_a_disagreeing_plan_with_another_figure_gives_no_figure(bundled_store, offline_bot):
    question = "公务接待费比上年增加多少"
    offline = offline_bot.ask(question)
    assert offline.answerable and offline.value == "1.00"
    a, _ = _ask(bundled_store, [text_turn(plan_json(("value", ["公务接待费"])))], question)
    d = a.to_dict()
    assert d["answerable"] is False and d["value"] is None and d["note"]
    assert {s["value"] for s in d["suggestions"]} == {"1.00", "5.60"}       # both figures, shown as not the answer
    assert "模型理解为" in d["understood"] and "不同" in d["answer"]


def test_a_disagreeing_plan_the_checks_refuse_gives_no_figure(bundled_store):
    # the model names another item than the question does: its reading fails the same coverage check
    a, _ = _ask(bundled_store, [text_turn(plan_json(("value", ["公务用车运行维护费"])))], "公务接待费是多少")
    assert not a.answerable and a.value is None and a.note
    assert [tuple(x) for x in a.extra["model_plan"]["model_answers"]] == [(None, None, False)]


@pytest.mark.parametrize("reply, kind", [
    ("公务接待费预算为5.60万元。", "invalid_json"),                                             # prose, not JSON
    ('{"parts": [{"operation": "value", "operands": [{"subject": "局长的工资"}]}]}', "schema"),   # not in the document
    ('{"parts": [{"operation": "value", "operands": [{"subject": "公务接待费", "value": "100"}]}]}', "schema"),
    ('{"parts": [{"operation": "value", "operands": [{"subject": "100万元"}]}]}', "schema"),      # a number as label
])
def test_an_unusable_plan_falls_back_to_the_offline_answer(bundled_store, offline_bot, caplog, reply, kind):
    with caplog.at_level(logging.WARNING, logger="budgetqa.model"):
        a, _ = _ask(bundled_store, [text_turn(reply)], "公务接待费是多少")
    assert a == offline_bot.ask("公务接待费是多少") and a.value == "5.60" and "100" not in a.answer
    assert a.extra["plan_fallback"].startswith(kind + ":")
    lines = [r for r in caplog.records if r.name == "budgetqa.model"]
    assert len(lines) == 1 and "\n" not in lines[0].getMessage() and kind in lines[0].getMessage()


def test_a_timeout_falls_back_and_the_answer_is_still_given(bundled_store, offline_bot):
    started = time.monotonic()
    a, _ = _ask(bundled_store, [Hang(10)], "公务接待费是多少", timeout=0.5)
    assert time.monotonic() - started < 8
    assert a == offline_bot.ask("公务接待费是多少")
    assert a.extra["plan_fallback"].startswith("timeout:")


def test_an_unreachable_model_falls_back(bundled_store, offline_bot):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    model = OpenAILikeModel(f"http://127.0.0.1:{port}/v1", "m", timeout=2, max_retries=0)
    a = Assistant(bundled_store, use_env_llm=False, planner=planner_for(model)).ask("公务接待费是多少")
    assert a == offline_bot.ask("公务接待费是多少") and a.extra["plan_fallback"].startswith("connection:")


def test_a_follow_up_is_planned_with_the_previous_subject(bundled_store, offline_bot):
    first = offline_bot.ask("公务接待费是多少")
    script = [text_turn('{"parts": [{"operation": "value", "operands": [{"subject": "公务接待费", "year": 2023}]}]}')]
    with ScriptedOpenAIServer(script) as server:
        a = _bot(bundled_store, server).ask("那去年呢", history=[first])
    assert a == offline_bot.ask("那去年呢", history=[first]) and a.value == "4.60"
    assert a.extra["model_plan"]["agrees"] is True                     # a value of last year is `previous`
    assert "previous answer in this conversation was about: 公务接待费" in server.requests[0]["messages"][1]["content"]


def test_a_compound_question_is_compared_part_by_part(bundled_store, offline_bot):
    question = "今年三公经费多少，比去年多还是少"
    script = [text_turn(plan_json(("value", ["“三公”经费"]), ("change", ["“三公”经费"])))]
    a, _ = _ask(bundled_store, script, question)
    offline = offline_bot.ask(question)
    assert a.answer == offline.answer and a.value == offline.value and a.note is None


def test_refusals_and_empty_questions_never_reach_the_model(bundled_store):
    model = ScriptedModel([])
    bot = Assistant(bundled_store, use_env_llm=False, planner=planner_for(model))
    assert not bot.ask("").answerable and not bot.ask("x" * 600).answerable
    assert model.calls == []


def test_a_configured_model_also_proposes_plans(bundled_store, monkeypatch):
    monkeypatch.setenv("BUDGETQA_LLM_BASE_URL", "http://127.0.0.1:1/v1")
    monkeypatch.setenv("BUDGETQA_LLM_MODEL", "qwen")
    bot = Assistant(bundled_store)
    assert bot.planner is not None and bot.planner.planner.model is bot.llm.model
    assert bot.planner.planner.model.llm.is_chat_model and bot.planner.planner.model.llm.context_window == 32768


def test_the_installed_package_carries_the_prompts():
    root = Path(__file__).resolve().parents[1]
    cfg = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert {"assistant.model", "assistant.model.prompts"} <= set(cfg["packages"])
    assert "*.yaml" in cfg["package-data"]["assistant.model.prompts"]
    assert {p.name for p in (root / "assistant/model/prompts").glob("*.yaml")} == {"llm.yaml", "plan.yaml"}


def test_a_fault_in_the_review_costs_nothing_but_the_review(bundled_store, offline_bot, monkeypatch):
    import assistant.model.review as review

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")
    monkeypatch.setattr(review, "to_plan", broken)
    a, _ = _ask(bundled_store, [text_turn(plan_json(("value", ["公务用车运行维护费"])))], "公务接待费是多少")
    assert a == offline_bot.ask("公务接待费是多少") and a.extra["plan_fallback"].startswith("review_error:")
