"""Asking a sequence of questions through the same `history` the chat passes (tests of follow-ups)."""
from __future__ import annotations


def chat(bot, *questions, doc=None) -> list:
    """Every answer of the conversation, each question asked with the answers before it as its history."""
    history = []
    for q in questions:
        history.append(bot.ask(q, doc=doc, history=list(history)) if doc else bot.ask(q, history=list(history)))
    return history
