"""The answer's `note` in a real browser: with a model configured (a scripted OpenAI-protocol server on
127.0.0.1) that reads the question otherwise, the chat shows the note ("模型与离线解析对问题的理解不同…") as its own
line before "理解为", and no figure. `python app.py` over a fresh store (the bundled 惠州 document), Debian's
headless Chromium through Playwright.

Screenshots: BUDGETQA_SCREENSHOTS if set, else this module's pytest tmp folder; each path is printed.
"""
from __future__ import annotations

import json

import pytest

from _openai_server import ScriptedOpenAIServer, text_turn
from tests._app_process import CHROMIUM, NO_CHROMIUM, app_process, ask, shot

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
DONE = ".bq-understood"
# the model reads every question as "the value of 公务接待费" (the app's warm-up question takes one reply too)
PLAN = json.dumps({"parts": [{"operation": "value", "operands": [{"subject": "公务接待费"}]}]}, ensure_ascii=False)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    with ScriptedOpenAIServer([text_turn(PLAN)] * 8) as server:
        env = {"BUDGETQA_LLM_BASE_URL": server.base_url, "BUDGETQA_LLM_MODEL": "fake-model",
               "BUDGETQA_LLM_TIMEOUT": "10"}
        with app_process(tmp_path_factory.mktemp("note-app"), env=env) as app:
            yield app.url


def test_the_note_of_a_model_disagreement_is_shown_in_the_chat(page, tmp_path):
    # offline: 公务接待费比上年增加 1.00; the model's reading gives 5.60: no figure, and the note says why
    answer = ask(page, "公务接待费比上年增加多少", DONE)
    note = answer.locator(".bq-note")
    assert note.count() == 1 and note.is_visible()
    text = note.inner_text()
    assert "模型与离线解析对问题的理解不同" in text and "<" not in text
    assert answer.locator(".bq-value").count() == 0
    assert "模型理解为" in answer.locator(DONE).inner_text()
    shot(page, "issue9-04-model-note", tmp_path)
