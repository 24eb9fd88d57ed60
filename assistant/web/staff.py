"""The 核对 (staff) tab: log in, upload and remove documents, browse parsed tables, read the audit's
findings, check a sentence's figures against the document, read the feedback log.

Off unless credentials are configured (`staff_jobs.load_auth`). The logged-in flag is a server-side
`gr.State`, and every handler checks it, so calling an event by name over HTTP does not bypass the login;
the staff events are also kept out of the public API. Repeated failed logins lock the address or the
name out (`LoginLimiter`). A successful login also sets a session cookie (`server.StaffSessions`): Gradio's
upload route takes files only with it. An upload whose id names another document asks for a confirmation.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

import gradio as gr
import pandas as pd

from index.errors import BudgetQAError

from .render import (CLAIM_HEADERS, DOCUMENT_HEADERS, FINDING_HEADERS, claim_rows, claim_summary, doc_label,
                        documents_rows, finding_rows, table_grid)
from .chat import document_picker, user_error
from .server import CLEAR_COOKIE_JS, SET_COOKIE_JS, StaffSessions
from .staff_jobs import (ENABLE_HINT, MAX_UPLOAD_BYTES, Ingestor, LoginLimiter, StaffAuth, UploadRejected,
                               display_name, remove_document, save_upload)

log = logging.getLogger("budgetqa.app")

FAILED_LOGIN_PAUSE = 1.0   # seconds; slows password guessing
PRIVATE = dict(api_visibility="private")


def _frame(headers: list[str], rows: list[list]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=headers) if rows else pd.DataFrame(columns=headers)


def _require(logged_in: bool) -> None:
    if not logged_in:
        raise user_error("请先登录核对工作区。")


def doc_choices(store) -> list[tuple[str, str]]:
    return [(doc_label(d), d.id) for d in store.documents()]


def staff_tab(store, auth: StaffAuth, ingestor: Ingestor, doc: gr.Dropdown, bot=None,
              sessions: StaffSessions | None = None, limiter: LoginLimiter | None = None) -> None:
    """Build the 核对 tab inside the current Blocks; `doc` is the app's document picker."""
    sessions = sessions or StaffSessions(auth.enabled)
    limiter = limiter or LoginLimiter()
    if not auth.enabled:
        gr.Markdown(f"### 🔒 核对工作区未开启\n\n{auth.problem}。开启方法：{ENABLE_HINT}", elem_id="bq-staff-off")
        return

    logged_in = gr.State(False)
    token = gr.State("")           # this session's upload token (revoked at logout)
    token_out = gr.Textbox(visible=False)     # hands the token to the browser, which keeps it as a cookie
    jobs = gr.State([])
    with gr.Column(visible=True, elem_id="bq-login") as login_box:
        gr.Markdown("### 🔐 工作人员登录\n核对工作区用于导入文件、查看解析出的表格、检查一致性和核对说法。")
        user = gr.Textbox(label="用户名", elem_id="bq-user", max_lines=1)
        password = gr.Textbox(label="密码", type="password", elem_id="bq-password", max_lines=1)
        login = gr.Button("登录", variant="primary", elem_id="bq-login-btn")
        login_note = gr.Markdown(elem_id="bq-login-note")
    with gr.Column(visible=False, elem_id="bq-workspace") as workspace:
        with gr.Row():
            gr.Markdown("### 核对工作区")
            logout = gr.Button("退出登录", size="sm", scale=0)
        with gr.Tabs():
            with gr.Tab("文档"):
                files = gr.File(label=f"上传部门预算 PDF 或文本导出（.pdf / .txt，单个不超过 {MAX_UPLOAD_BYTES >> 20} MB）",
                                file_count="multiple", file_types=[".pdf", ".txt"], elem_id="bq-upload")
                name = gr.Textbox(label="文档名称（可选；说明和表格分成两个 PDF 时填写，合成一份文档）", max_lines=1)
                upload = gr.Button("导入", variant="primary")
                job_status = gr.Markdown(elem_id="bq-jobs")
                with gr.Row(visible=False, elem_id="bq-clash") as clash_row:
                    confirm = gr.Button("确认替换", variant="stop", elem_id="bq-replace", scale=0)
                    cancel = gr.Button("取消", elem_id="bq-replace-cancel", scale=0)
                docs_table = gr.Dataframe(headers=DOCUMENT_HEADERS, interactive=False, wrap=True, label="已导入的文档")
                with gr.Row():
                    remove_pick = gr.Dropdown(label="删除文档", choices=[], scale=3)
                    remove = gr.Button("删除", variant="stop", scale=1)
                remove_note = gr.Markdown()
            with gr.Tab("表格"):
                table_pick = gr.Dropdown(label="选择表格（当前文档）", choices=[], elem_id="bq-table-pick")
                table_view = gr.Dataframe(interactive=False, wrap=True, max_height=600, label="表格内容（每行一行数据，含页码）")
            with gr.Tab("一致性检查"):
                run_audit = gr.Button("检查当前文档", variant="primary", elem_id="bq-audit-btn")
                audit_note = gr.Markdown(elem_id="bq-audit-note")
                audit_view = gr.Dataframe(headers=FINDING_HEADERS, interactive=False, wrap=True, elem_id="bq-audit-table")
            with gr.Tab("说法核对"):
                claim = gr.Textbox(label="输入一句话，核对其中的数字", lines=2, elem_id="bq-claim",
                                   placeholder="例如：2024年公务接待费5.6万元，比上年增长21.74%")
                check = gr.Button("核对", variant="primary", elem_id="bq-claim-btn")
                claim_note = gr.Markdown(elem_id="bq-claim-note")
                claim_view = gr.Dataframe(headers=CLAIM_HEADERS, interactive=False, wrap=True, elem_id="bq-claim-table")
            with gr.Tab("反馈"):
                refresh_feedback = gr.Button("刷新")
                feedback_view = gr.Dataframe(interactive=False, wrap=True, label="用户反馈（最新在前）")
    timer = gr.Timer(1.0, active=False)

    # -- login -------------------------------------------------------------------------------------
    def do_login(u: str, p: str, doc_id: str | None, request: gr.Request):
        keys = LoginLimiter.keys(request.client.host if request and request.client else None, u)
        wait = limiter.locked_for(keys)
        keep = (gr.update(), gr.update(), "", "", "", *([gr.update()] * len(views)))
        if wait > 0:
            log.info("staff login refused (locked out): %s", keys[0])
            return (False, f"❌ 登录失败次数过多，已暂时锁定，请 {max(1, round(wait / 60))} 分钟后再试。", *keep)
        if not auth.check(u, p):
            limiter.failed(keys)
            log.info("staff login failed: %s", keys[0])
            time.sleep(FAILED_LOGIN_PAUSE)
            return (False, "❌ 用户名或密码不正确。", *keep)
        limiter.succeeded(keys)
        t = sessions.issue()
        return (True, "", gr.Column(visible=False), gr.Column(visible=True), "", t, t, *workspace_views(doc_id))

    def workspace_views(doc_id: str | None):
        choices = doc_choices(store)
        return (_frame(DOCUMENT_HEADERS, documents_rows(store.documents())), gr.Dropdown(choices=choices, value=None),
                *table_views(doc_id), _feedback_frame())

    def table_views(doc_id: str | None):
        try:
            parsed = store.load(store.resolve(doc_id or None).id)
        except BudgetQAError:
            return gr.Dropdown(choices=[], value=None), pd.DataFrame()
        choices = [(t.title, t.id) for t in parsed.tables]
        first = choices[0][1] if choices else None
        headers, rows = table_grid(parsed, first) if first else ([], [])
        return gr.Dropdown(choices=choices, value=first), _frame(headers, rows)

    views = [docs_table, remove_pick, table_pick, table_view, feedback_view]
    # failed logins sleep; their own small group keeps them from holding the chat's workers
    login_io = dict(inputs=[user, password, doc],
                    outputs=[logged_in, login_note, login_box, workspace, password, token, token_out, *views],
                    concurrency_id="login", concurrency_limit=2, **PRIVATE)
    for ev in (login.click, password.submit):
        ev(do_login, **login_io).then(None, [token_out], None, js=SET_COOKIE_JS, **PRIVATE)

    def do_logout(t: str):
        sessions.revoke(t)
        return False, "", "", gr.Column(visible=True), gr.Column(visible=False), "已退出登录。"

    logout.click(do_logout, [token], [logged_in, token, token_out, login_box, workspace, login_note],
                 **PRIVATE).then(None, None, None, js=CLEAR_COOKIE_JS, **PRIVATE)

    # -- documents ---------------------------------------------------------------------------------
    def do_upload(ok: bool, paths: list[str] | None, doc_name: str, job_ids: list[str]):
        _require(ok)
        if not paths:
            return job_ids, "请先选择文件。", gr.update(), None
        saved, names, problems = [], [], []
        for p in paths:
            original = Path(p).name
            try:
                saved.append(save_upload(store.path, Path(p), original))
                names.append(original)
            except UploadRejected as e:
                log.info("upload refused: %s", e)
                problems.append(f"❌ {e}")
            finally:
                Path(p).unlink(missing_ok=True)     # Gradio's temporary copy: the store keeps its own
        doc_name = (doc_name or "").strip()
        new = []
        if saved and doc_name and len(saved) > 1:
            new.append(ingestor.submit(saved, names, display_name(doc_name)).id)
        else:
            for path, original in zip(saved, names):
                label = display_name(doc_name) if doc_name else display_name(original)
                new.append(ingestor.submit([path], [original], label).id)
        job_ids = [*job_ids, *new]
        status = "\n\n".join([*problems, ingestor.status(job_ids)])
        return job_ids, status, gr.Timer(active=bool(new)), None

    upload.click(do_upload, [logged_in, files, name, jobs], [jobs, job_status, timer, files], **PRIVATE)

    def clashes(job_ids: list[str]) -> list[str]:
        return [j for j in job_ids if j in ingestor.jobs and ingestor.jobs[j].state == "clash"]

    def tick(ok: bool, job_ids: list[str], doc_id: str | None):
        if not ok:
            return gr.update(), gr.Timer(active=False), gr.update(), gr.update(), gr.update(), gr.update()
        status = ingestor.status(job_ids)
        if any(ingestor.jobs[j].state in ("queued", "running") for j in job_ids if j in ingestor.jobs):
            return status, gr.update(), gr.update(), gr.update(), gr.update(), gr.update()
        return (status, gr.Timer(active=False), _frame(DOCUMENT_HEADERS, documents_rows(store.documents())),
                gr.Dropdown(choices=doc_choices(store), value=None), document_picker(store, doc_id),
                gr.Row(visible=bool(clashes(job_ids))))

    timer.tick(tick, [logged_in, jobs, doc], [job_status, timer, docs_table, remove_pick, doc, clash_row], **PRIVATE)

    def do_confirm(ok: bool, job_ids: list[str]):
        _require(ok)
        new = [job.id for job in (ingestor.confirm(j) for j in clashes(job_ids)) if job is not None]
        job_ids = [*job_ids, *new]
        return job_ids, ingestor.status(job_ids), gr.Timer(active=bool(new)), gr.Row(visible=False)

    confirm.click(do_confirm, [logged_in, jobs], [jobs, job_status, timer, clash_row], **PRIVATE)

    def do_cancel(ok: bool, job_ids: list[str]):
        _require(ok)
        for j in clashes(job_ids):
            ingestor.discard(j)
        return ingestor.status(job_ids), gr.Row(visible=False)

    cancel.click(do_cancel, [logged_in, jobs], [job_status, clash_row], **PRIVATE)

    def do_remove(ok: bool, doc_id: str | None, current: str | None):
        _require(ok)
        if not doc_id:
            return "请先选择要删除的文档。", gr.update(), gr.update(), gr.update()
        try:
            remove_document(store, doc_id)
        except BudgetQAError as e:
            return f"❌ {e}", gr.update(), gr.update(), gr.update()
        return (f"已删除 {doc_id}。", _frame(DOCUMENT_HEADERS, documents_rows(store.documents())),
                gr.Dropdown(choices=doc_choices(store), value=None),
                document_picker(store, None if current == doc_id else current))

    remove.click(do_remove, [logged_in, remove_pick, doc], [remove_note, docs_table, remove_pick, doc], **PRIVATE)

    # -- tables, audit, claims, feedback -----------------------------------------------------------
    def show_table(ok: bool, doc_id: str | None, table_id: str | None):
        if not ok or not table_id:
            return pd.DataFrame()
        try:
            parsed = store.load(store.resolve(doc_id or None).id)
        except BudgetQAError as e:
            raise user_error(str(e)) from None
        return _frame(*table_grid(parsed, table_id))

    table_pick.change(show_table, [logged_in, doc, table_pick], [table_view], **PRIVATE)
    doc.change(lambda ok, d: table_views(d) if ok else (gr.update(), gr.update()), [logged_in, doc],
               [table_pick, table_view], **PRIVATE)

    def do_audit(ok: bool, doc_id: str | None):
        _require(ok)
        try:
            from index.audit import audit
        except ImportError:
            return "一致性检查模块尚未安装（index.audit）。", _frame(FINDING_HEADERS, [])
        try:
            parsed = store.load(store.resolve(doc_id or None).id)
        except BudgetQAError as e:
            raise user_error(str(e)) from None
        findings = audit(parsed)
        errors = sum(1 for f in findings if f.severity == "error")
        note = ("✅ 未发现不一致。" if not findings else
                f"发现 {len(findings)} 条：{errors} 条错误，{len(findings) - errors} 条尾差或提示。")
        return note, _frame(FINDING_HEADERS, finding_rows(findings))

    run_audit.click(do_audit, [logged_in, doc], [audit_note, audit_view], **PRIVATE)

    def do_check(ok: bool, doc_id: str | None, sentence: str):
        _require(ok)
        sentence = (sentence or "").strip()
        if not sentence:
            return "请输入要核对的一句话。", _frame(CLAIM_HEADERS, [])
        try:
            from ..claims import check_claim
        except ImportError:
            return "说法核对模块尚未安装（assistant.claims）。", _frame(CLAIM_HEADERS, [])
        try:
            checks = check_claim(store, store.resolve(doc_id or None).id, sentence, bot)
        except BudgetQAError as e:
            raise user_error(str(e)) from None
        return claim_summary(checks), _frame(CLAIM_HEADERS, claim_rows(checks))

    check.click(do_check, [logged_in, doc, claim], [claim_note, claim_view], **PRIVATE)
    claim.submit(do_check, [logged_in, doc, claim], [claim_note, claim_view], **PRIVATE)

    def _feedback_frame() -> pd.DataFrame:
        headers = ["时间", "文档", "问题", "回答", "评价", "说明"]
        rows = [[f["at"], f["doc"], f["question"], _clip(f["answer"]), "👍" if f["rating"] > 0 else "👎",
                 f["comment"] or ""] for f in store.feedback()]
        return _frame(headers, rows)

    refresh_feedback.click(lambda ok: (_require(ok), _feedback_frame())[1], [logged_in], [feedback_view], **PRIVATE)


def _clip(text: str | None, n: int = 160) -> str:
    text = text or ""
    return text if len(text) <= n else text[:n] + "…"
