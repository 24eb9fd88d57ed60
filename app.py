"""BudgetQA's web app: `build_app(store)` builds the Gradio Blocks, `main()` opens the store and serves it.

Tabs: 问答 (streamed, cited answers with follow-ups and 👍/👎), 图表 (charts with their source tables),
核对 (staff workspace behind a login; off unless credentials are configured), 对比 (several documents side by
side). A tab is one `with gr.Tab` line below calling a builder from its own module. The public Gradio API has
one endpoint, `/ask` (question, doc) -> the contract's answer object; programs can also `POST /api/ask` with
JSON (`assistant.web.server`, outside Gradio's queue). `serve(store)` builds the FastAPI app Gradio is mounted
on (upload guard, `/api/ask`); `main()` runs it with uvicorn.

Run: `python app.py [--host 127.0.0.1] [--port 7860] [--store DIR]` (port also from `BUDGETQA_PORT`).
Importing this module builds nothing and starts nothing.
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading

for _key, _value in (("GRADIO_ANALYTICS_ENABLED", "False"), ("HF_HUB_OFFLINE", "1"),
                     ("ANONYMIZED_TELEMETRY", "False")):
    os.environ.setdefault(_key, _value)

CONCURRENCY = 16         # events run at once (chat answers, chart refreshes, staff actions); an answer is ms of work


def build_app(store, bot=None):
    """The whole UI around one store; `bot` defaults to `assistant.api.Assistant(store)`. The returned Blocks
    carries `bq_bot`, `bq_sessions` (staff sessions, for the upload guard) and `bq_ingestor`."""
    import gradio as gr

    from assistant.web.chat import ask_once, charts_tab, chat_tab, document_picker, render_charts, user_error
    from assistant.web.server import StaffSessions
    from assistant.web.compare_tab import PickedDocument, ambiguity_buttons, compare_tab, refresh
    from assistant.web.staff import staff_tab
    from assistant.web.staff_jobs import Ingestor, forget_document, load_auth

    if bot is None:
        from assistant.api import Assistant
        bot = Assistant(store)
    auth = load_auth()
    sessions = StaffSessions(auth.enabled)
    ingestor = Ingestor(store, on_done=lambda doc_id: forget_document(store, bot, doc_id))

    with gr.Blocks(title="预算问答 BudgetQA", analytics_enabled=False) as demo:
        gr.Markdown("## 预算问答 · 部门预算公开\n数字精确到表格，每个回答都附出处（表名、页码、原文）。")
        doc = document_picker(store, label="文档", elem_id="bq-doc")
        with gr.Tabs():
            with gr.Tab("问答", id="ask"):
                chat = chat_tab(store, PickedDocument(bot), doc)       # the picker is a default, not a fence
                ambiguity_buttons(store, bot, chat)
            with gr.Tab("图表", id="charts"):
                chart_views = charts_tab()
            with gr.Tab("对比", id="compare"):
                compare_docs = compare_tab(store, bot)
            with gr.Tab("核对", id="staff"):
                staff_tab(store, auth, ingestor, doc, bot, sessions=sessions)

        def ask(question: str, doc: str | None = None) -> dict:
            """Answer one question about a document (its id or file name; empty: the only one, or the one the
            question names): the answer object of the contract."""
            ans, problem = ask_once(bot, question or "", doc or None, [])
            if ans is None:
                raise user_error(problem)
            return ans.to_dict()

        gr.api(ask, api_name="ask")

        def on_doc_change(doc_id):
            return [], [], *render_charts(store, doc_id)

        doc.change(on_doc_change, [doc], [chat["chatbot"], chat["answers"], *chart_views], api_visibility="private")
        demo.load(lambda d: (document_picker(store, d), *render_charts(store, d)), [doc], [doc, *chart_views],
                  api_visibility="private")
        demo.load(lambda c: refresh(store, c), [compare_docs], [compare_docs], api_visibility="private")
    demo.queue(default_concurrency_limit=CONCURRENCY)
    demo.bq_bot, demo.bq_sessions, demo.bq_ingestor = bot, sessions, ingestor
    return demo


def server_app(demo):
    """The FastAPI app to serve: `/api/ask`, the upload guard, and `demo` mounted at `/`."""
    from assistant.web.server import make_server_app
    from assistant.web.staff_jobs import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES
    return make_server_app(demo, demo.bq_bot, demo.bq_sessions, MAX_UPLOAD_FILES * MAX_UPLOAD_BYTES + 65536,
                           **mount_options())


def serve(store, bot=None, host: str = "127.0.0.1", port: int | None = None):
    """Build and run the app in a thread on `host` (a free port unless given): for tests and benchmarks.
    Returns a handle with `.url`, `.demo` and `.close()`."""
    from assistant.web.server import serve_in_thread
    demo = build_app(store, bot)
    running = serve_in_thread(server_app(demo), host, port)
    running.demo = demo
    return running


def _warm_up(store, bot) -> None:
    """Load each document's context while the server starts, so the first person does not wait for it."""
    for d in store.documents():
        try:
            bot.ask("预算支出合计是多少", doc=d.id)
        except Exception:      # a warm-up only: the real question will report any problem
            pass


def mount_options() -> dict:
    from assistant.web.render import CSS
    from assistant.web.staff_jobs import MAX_UPLOAD_BYTES
    return {"css": CSS, "footer_links": ["api"], "max_file_size": MAX_UPLOAD_BYTES, "show_error": False}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="budgetqa-app", description="预算问答网页应用")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问）")
    p.add_argument("--port", type=int, default=int(os.environ.get("BUDGETQA_PORT", "7860")),
                   help="端口（默认 7860 或 $BUDGETQA_PORT）")
    p.add_argument("--store", help="存储文件夹（默认 $BUDGETQA_STORE 或用户数据文件夹）")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from assistant.cli import open_store
    from assistant.web.server import prepare_temp_dir, remove_temp_dir
    from index.errors import BudgetQAError
    tmp = prepare_temp_dir()       # before Gradio is imported: its uploads land here, removed at exit
    demo = None
    try:
        store = open_store(args.store)
        from assistant.api import Assistant
        bot = Assistant(store)
        threading.Thread(target=_warm_up, args=(store, bot), daemon=True, name="budgetqa-warm-up").start()
        demo = build_app(store, bot)
        import uvicorn
        app = server_app(demo)
        print(f"预算问答已启动：http://{args.host}:{args.port}  （存储：{store.path}）", flush=True)
        # uvicorn shuts down gracefully on SIGTERM, then re-raises it: let that end here, past the clean-up
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    except BudgetQAError as e:
        print(f"budgetqa-app: {e}", file=sys.stderr)
        return 1
    finally:
        if demo is not None:
            demo.bq_ingestor.close()
        remove_temp_dir(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
