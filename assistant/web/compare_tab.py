"""The 对比 tab: pick two or more documents, see their key figures side by side with differences and a chart,
and a year-by-year trend when they are one department's. Layout and wiring only; figures and HTML are
`compare`. Also the chat's document glue (`PickedDocument`, `ambiguity_buttons`): the picker is a default,
not a fence, and a question that fits several documents gets one button per candidate.
"""
from __future__ import annotations

import logging

import gradio as gr

from index.errors import AmbiguousDocument, BudgetQAError

from . import compare as C
from ..answer import Answer
from ..documents import label
from .render import doc_label, error_message, render_answer, user_message

log = logging.getLogger("budgetqa.app")
MAX_CANDIDATES = 6


def _choices(store) -> list[tuple[str, str]]:
    return [(doc_label(d), d.id) for d in store.documents()]


def compare_tab(store, bot) -> gr.CheckboxGroup:
    """Build the tab inside the current Blocks; returns the document chooser (refreshed by the app on load)."""
    gr.Markdown("选择两份或更多文档，对比收支合计、基本与项目支出、功能分类、“三公”经费和机关运行经费。"
                "同一部门的多个年度另有逐年变化图。")
    docs = gr.CheckboxGroup(choices=_choices(store), label="文档", elem_id="bq-compare-docs")
    go = gr.Button("对比", variant="primary", elem_id="bq-compare-go")
    table = gr.HTML(elem_id="bq-compare-table")
    with gr.Row():
        chart = gr.HTML(elem_id="bq-compare-chart")
        trend = gr.HTML(elem_id="bq-compare-trend")

    def run(ids: list[str] | None):
        ids = list(ids or [])
        if len(ids) < 2:
            return error_message("请至少选择两份文档。"), "", ""
        try:
            c = C.compare(bot, ids)
        except BudgetQAError as e:
            return error_message(str(e)), "", ""
        except Exception:
            log.exception("compare failed: %r", ids)
            return error_message("对比时出错了，请换几份文档再试。"), "", ""
        return C.render_table(c), C.render_chart(c), C.render_trend(c)

    go.click(run, [docs], [table, chart, trend], api_visibility="private")
    return docs


def refresh(store, chosen: list[str] | None) -> gr.CheckboxGroup:
    ids = {i for _, i in _choices(store)}
    return gr.CheckboxGroup(choices=_choices(store), value=[i for i in (chosen or []) if i in ids])


class PickedDocument:
    """The assistant as the chat uses it: the picked document is the default for a question that names no
    department (the question may name another, or several); a question that fits several documents equally
    gets an answer that lists them (`extra["candidates"]`) instead of an error."""

    def __init__(self, bot):
        self.bot = bot

    def __getattr__(self, name):
        return getattr(self.bot, name)

    def ask(self, question: str, doc: str | None = None, history=None) -> Answer:
        try:
            return self.bot.ask(question, history=history, picked=doc)
        except AmbiguousDocument as e:
            known = {d.id: d for d in self.bot.store.documents()}
            names = "、".join(label(known[c]) if c in known else c for c in e.candidates)
            return Answer(question=question, answer=f"这个问题可能指多份文档，请点下方按钮选择一份：{names}。",
                          answerable=False, intent="ambiguous", extra={"candidates": list(e.candidates)})


def ambiguity_buttons(store, bot, chat: dict) -> None:
    """Below the chat: one button per candidate document of the last answer, re-asking its question there."""
    with gr.Row(elem_id="bq-candidates"):
        buttons = [gr.Button(visible=False, size="sm", elem_id=f"bq-candidate-{i}") for i in range(MAX_CANDIDATES)]
    ids = gr.State([])

    def show(history: list):
        last = history[-1] if history else None
        cands = list(last.extra.get("candidates", [])) if last is not None and last.intent == "ambiguous" else []
        docs = {d.id: d for d in store.documents()}
        cands = [c for c in cands if c in docs][:MAX_CANDIDATES]
        return [cands] + [gr.Button(value=label(docs[cands[i]]), visible=True) if i < len(cands)
                          else gr.Button(visible=False) for i in range(MAX_CANDIDATES)]

    chat["answers"].change(show, [chat["answers"]], [ids, *buttons], api_visibility="private")

    def reask(i: int):
        def go(messages: list, history: list, cands: list):
            if i >= len(cands) or not history or history[-1] is None:
                return gr.skip(), gr.skip()
            q = history[-1].question
            try:
                ans = bot.ask(q, doc=cands[i])
            except BudgetQAError as e:
                return [*messages, {"role": "assistant", "content": error_message(str(e))}], [*history, None]
            return ([*messages, {"role": "user", "content": user_message(f"{q}（{label(store.resolve(cands[i]))}）")},
                     {"role": "assistant", "content": render_answer(ans)}], [*history, ans])
        return go

    for i, b in enumerate(buttons):
        b.click(reask(i), [chat["chatbot"], chat["answers"], ids], [chat["chatbot"], chat["answers"]],
                api_visibility="private")
