"""The public tabs of the web app: 问答 (chat with streamed, cited answers and 👍/👎) and 图表 (charts).

Layout and event wiring only; what an answer or a chart looks like is `render` and `charts`.
Per session, a `gr.State` keeps the `Answer`s given so far (parallel to the chat's assistant messages), so
follow-up questions ("那去年呢？") reach the assistant with their context.
"""
from __future__ import annotations

import logging
import time

import gradio as gr

from index.errors import BudgetQAError

from . import charts
from .render import doc_label, error_message, render_answer, stream_answer, user_message

log = logging.getLogger("budgetqa.app")

EXAMPLES = ("公务接待费为什么增加", "项目支出占总支出的比例是多少", "三公经费是多少", "什么是基本支出")
HISTORY_TURNS = 6          # previous answers passed to the assistant for follow-ups
MAX_TURNS = 50             # turns kept per session; older ones leave the chat
STREAM_PAUSE = 0.03        # seconds between streamed pieces: visible progress, negligible delay


def user_error(message: str) -> gr.Error:
    """The error to raise for a person's mistake: shown to them, logged as one line (no traceback)."""
    log.info("user error: %s", message)
    return gr.Error(message, print_exception=False)


def ask_once(bot, question: str, doc: str | None, history: list) -> tuple[object | None, str]:
    """(Answer, "") or (None, what went wrong, in plain words): a person's mistake becomes a message and one
    log line, a bug is logged with its traceback and gets a generic message."""
    try:
        ans = bot.ask(question, doc=doc or None, history=[a for a in history if a is not None][-HISTORY_TURNS:])
        return ans, ""
    except BudgetQAError as e:
        log.info("question not answered: %s", e)
        return None, str(e)
    except Exception:
        log.exception("ask failed: %r", question)
        return None, "回答时出错了，请换个问法或稍后再试。"


def document_picker(store, current: str | None = None, **kwargs) -> gr.Dropdown:
    """The document picker (or its new state): every stored document, shown only when there is a choice."""
    docs = store.documents()
    ids = [d.id for d in docs]
    value = current if current in ids else (ids[0] if ids else None)
    return gr.Dropdown(choices=[(doc_label(d), d.id) for d in docs], value=value, visible=len(docs) > 1, **kwargs)


def chat_tab(store, bot, doc: gr.Dropdown) -> dict:
    """Build the 问答 tab inside the current Blocks; returns the components other parts wire to."""
    answers = gr.State([])         # Answer | None per assistant message
    chatbot = gr.Chatbot(label="对话", height=560, elem_id="bq-chat", layout="panel", buttons=["copy"],
                         feedback_options=("Like", "Dislike"), sanitize_html=True, render_markdown=True, latex_delimiters=[],
                         placeholder="向这份部门预算提问：数字、原因、比例、名词解释……每个回答都附出处。")
    with gr.Row():
        question = gr.Textbox(show_label=False, placeholder="输入问题，按回车提问，例如：三公经费是多少",
                              scale=8, max_lines=3, elem_id="bq-question")
        send = gr.Button("提问", variant="primary", scale=1, elem_id="bq-send")
    with gr.Row(elem_id="bq-examples"):
        gr.Markdown("试试这些问题：")
        example_buttons = [gr.Button(q, size="sm", variant="secondary") for q in EXAMPLES]
    with gr.Row():
        comment = gr.Textbox(show_label=False, scale=6, max_lines=2, elem_id="bq-comment",
                             placeholder="评价说明（可选）：先写在这里，再点回答下方的 👍 或 👎")
        clear = gr.Button("清空对话", scale=1, size="sm")
    feedback_note = gr.Markdown(elem_id="bq-feedback-note")

    def respond(q: str, messages: list, history: list, doc_id: str | None):
        q = (q or "").strip()
        if not q:
            yield gr.skip(), gr.skip(), gr.skip()
            return
        if len(history) >= MAX_TURNS:                  # drop the oldest turn from both, keeping them aligned
            messages, history = messages[2:], history[1:]
        messages = [*messages, {"role": "user", "content": user_message(q)},
                    {"role": "assistant", "content": "⏳ 正在查找……"}]
        yield "", messages, history
        ans, err = ask_once(bot, q, doc_id, history)
        if ans is None:
            messages[-1] = {"role": "assistant", "content": error_message(err)}
            yield "", messages, [*history, None]
            return
        for piece in stream_answer(ans):
            messages[-1] = {"role": "assistant", "content": piece}
            yield "", messages, history
            time.sleep(STREAM_PAUSE)
        messages[-1] = {"role": "assistant", "content": render_answer(ans)}
        yield "", messages, [*history, ans]

    io = dict(inputs=[question, chatbot, answers, doc], outputs=[question, chatbot, answers],
              api_visibility="private")
    question.submit(respond, **io)
    send.click(respond, **io)
    for b in example_buttons:
        b.click(respond, inputs=[b, chatbot, answers, doc], outputs=[question, chatbot, answers],
                api_visibility="private")
    clear.click(lambda: ([], [], "", ""), None, [chatbot, answers, comment, feedback_note], api_visibility="private")

    def on_like(history: list, note: str, doc_id: str | None, data: gr.LikeData):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = index // 2 if isinstance(index, int) else -1    # messages come in (question, answer) pairs
        ans = history[turn] if 0 <= turn < len(history) else None
        if ans is None:
            return "这条回答无法评价（只能评价本次对话中成功给出的回答）。", gr.skip()
        rating = 1 if data.liked is True else -1
        store.add_feedback(ans.doc or doc_id or "", ans.question, ans.answer, rating, (note or "").strip()[:2000])
        return "谢谢！已记录您的评价 " + ("👍" if rating > 0 else "👎") + "。", ""

    chatbot.like(on_like, [answers, comment, doc], [feedback_note, comment], api_visibility="private")
    return {"chatbot": chatbot, "answers": answers, "question": question}


def charts_tab() -> list[gr.HTML]:
    """Build the 图表 tab; returns its HTML blocks (filled by `render_charts` when the document changes)."""
    gr.Markdown("用图看这份预算：每张图下方注明数字来自哪张表。")
    with gr.Row():
        a, b = gr.HTML(elem_id="bq-chart-function"), gr.HTML(elem_id="bq-chart-split")
    with gr.Row():
        c, d = gr.HTML(elem_id="bq-chart-projects"), gr.HTML(elem_id="bq-chart-three")
    return [a, b, c, d]


def render_charts(store, doc_id: str | None) -> list[str]:
    keys = ("function", "split", "projects", "three")
    try:
        parsed = store.load(store.resolve(doc_id or None).id)
    except BudgetQAError as e:
        return [error_message(str(e))] * len(keys)
    made = charts.all_charts(parsed)
    return [charts.render_chart(made[k], k) for k in keys]
