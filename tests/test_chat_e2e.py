"""Issue 9 in a real browser: the chat shows how each question was read ("理解为：…") and, when it abstains,
the closest figures found with their tables and pages, marked as not the answer; a three-turn conversation
with a follow-up ("那去年呢") keeps its context. `python app.py` on 127.0.0.1 over a fresh store (the bundled
惠州 document), Debian's headless Chromium through Playwright.

Screenshots: BUDGETQA_SCREENSHOTS if set, else this module's pytest tmp folder; each path is printed.
"""
from __future__ import annotations

import pytest

from tests._app_process import CHROMIUM, NO_CHROMIUM, app_process, ask, shot

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
DONE = ".bq-understood"            # the last piece of a finished answer


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("shots")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    with app_process(tmp_path_factory.mktemp("chat-app")) as app:
        yield app.url


def _understood(answer) -> str:
    line = answer.locator(DONE)
    assert line.is_visible()
    box = line.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    return line.inner_text()


def test_an_answer_says_how_the_question_was_read(page, shots):
    answer = ask(page, "公务接待费是多少", DONE)
    assert answer.locator(".bq-value").inner_text() == "5.60"
    text = _understood(answer)
    assert text.startswith("理解为：取数") and "公务接待费" in text and "表8" in text
    assert "<" not in text and "｜" in text                   # shown as text, not markup
    shot(page, "issue9-01-understood", shots)


def test_an_abstention_shows_the_closest_figures_marked_as_not_the_answer(page, shots):
    # a part "larger" than its whole: the share would be 3636%, so the app abstains and says what it found
    answer = ask(page, "基本支出占公用经费的比例是多少", DONE)
    text = answer.inner_text()
    assert "没有找到确切对应的数字" in text and "部分不可能大于整体" in text
    assert answer.locator(".bq-value").count() == 0            # no figure is shown as the answer
    assert "并非所问的答案" in text
    assert answer.locator("strong", has_text="并非所问的答案").count() == 1   # emphasised, not raw **…**
    assert "**" not in text
    items = answer.locator("li")
    assert 2 <= items.count() <= 3                              # a real list, one suggestion per item (at most 3)
    first, second, last = items.nth(0).inner_text(), items.nth(1).inner_text(), items.nth(items.count() - 1).inner_text()
    assert "基本支出" in first and "2,592.47万元" in first and "表3" in first and "第8页" in first
    assert "公用经费" in second and "71.30万元" in second and "表11" in second and "第19页" in second
    assert "换个问法" in text and "换个问法" not in last        # the advice is not part of a suggestion
    assert _understood(answer).startswith("理解为：占比")
    shot(page, "issue9-02-abstention-suggestions", shots)


def test_a_three_turn_conversation_with_a_follow_up(page, shots):
    first = ask(page, "三公经费是多少", DONE)
    assert first.locator(".bq-value").inner_text() == "8.82"
    shot(page, "issue9-03-conversation-1", shots)             # the chat scrolls: one picture per turn
    follow = ask(page, "那去年呢", DONE)                        # last year's 三公 from 本年 − 比上年增加
    assert follow.locator(".bq-value").inner_text() == "8.10"
    assert "8.82 − 0.72 = 8.10" in follow.locator(".bq-calc").inner_text()
    assert "三公" in _understood(follow)
    shot(page, "issue9-03-conversation-2", shots)
    third = ask(page, "公务接待费呢", DONE)                     # the subject changes, "last year" stays
    assert third.locator(".bq-value").inner_text() == "4.60"
    assert "公务接待费" in _understood(third)
    assert page.locator("#bq-chat [data-testid='bot']").count() == 3
    shot(page, "issue9-03-conversation-3", shots)
