"""Conversation sets: every file line loads, and a sequence is asked with the earlier answers as history."""
from __future__ import annotations

import json
from pathlib import Path

from eval.conversations import evaluate_conversations, is_conversation_file, load_conversations

SETS = Path(__file__).resolve().parents[1] / "eval" / "questions"


def test_the_conversation_file_loads():
    convs = load_conversations(SETS / "conversations.jsonl")
    assert len(convs) >= 40 and all(c.questions() for c in convs)
    assert is_conversation_file(SETS / "conversations.jsonl")
    assert not is_conversation_file(SETS / "huizhou-2024.jsonl")


def test_a_follow_up_is_asked_with_its_history(bundled_store, tmp_path):
    f = tmp_path / "c.jsonl"
    f.write_text(json.dumps({"id": "c1", "document": "huizhou-data-bureau-2024", "split": "dev", "turns": [
        {"question": "三公经费是多少", "value": "8.82", "unit": "万元", "sources": ["表8"]},
        {"question": "那去年呢", "value": "8.10", "unit": "万元"},
        {"question": "局长是谁", "answerable": False}]}, ensure_ascii=False) + "\n", encoding="utf-8")
    r = evaluate_conversations(bundled_store, f)
    assert (r["all"].turns, r["all"].turns_right, r["all"].wrong_figures) == (3, 3, 0), r["all"].failures
    assert r["dev"].sequences_right == 1
