"""Seventh round of issue 9: an English phrase glossed in Chinese gives way to its gloss, … The pieces fast; our
own phrasings on real documents slow (BUDGETQA_WIDE_STORE reuses a store). Each slow case was a refusal or a
wrong reading before."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.lexicon import apply_english
from tests._wide import assert_value, wide_assistant

WIDE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "wide"
needs_wide = pytest.mark.skipif(not WIDE.is_dir(), reason="../shared/corpus/wide is not here")


def test_an_english_phrase_glossed_in_chinese_gives_way_to_the_gloss():
    assert "租赁" not in apply_english("What was budgeted for housing rent allowances (提租补贴)?")
    q = apply_english('How large is the "other revenue" (其他收入) this year?')
    assert "(其他收入)" in q and "收入 " not in q.replace("(其他收入)", "")
    assert "基本支出" in apply_english("What is the basic expenditure?")     # no gloss: translated as before


DOCS = ["suzhou-transport-2026", "jiangsu-high-court-2019"]


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return wide_assistant(tmp_path_factory, DOCS)


@pytest.mark.slow
@needs_wide
@pytest.mark.parametrize("doc, q, value", [
    ("jiangsu-high-court-2019", "What was budgeted for housing rent allowances (提租补贴)?", "5465.10"),
    ("suzhou-transport-2026", 'How large is the "other revenue" (其他收入) this year?', "7617.01"),
])
def test_seventh_round_cases(bot, doc, q, value):
    assert_value(bot.ask(q, doc=doc), value)
