"""The web server around the Gradio app: a FastAPI app that Gradio is mounted on, with

- `POST /api/ask` — JSON `{"question", "doc"?, "history"?}` -> the contract's answer object, for programs
  (plain ASGI in front of everything else, outside Gradio's queue and FastAPI's middleware, answered on a
  fixed thread pool; `history` is the earlier questions of the conversation, as strings
  or as answer objects, so "那去年呢？" works without server-side sessions);
- an upload guard: `/gradio_api/upload` takes files only from a logged-in staff session (a cookie the login
  sets, checked against `StaffSessions`), never when the workspace is off, and refuses a request bigger
  than the upload limit before reading it;
- Gradio's temporary folder (`GRADIO_TEMP_DIR`) in a folder of this process, emptied at start and removed
  at exit, so uploaded bytes do not outlive the app.

`serve_in_thread` runs the whole thing on 127.0.0.1 for tests and benchmarks. Not handled here: what the
workspace does with an upload (staff / staff_jobs) or how answers are made (assistant.api).
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import shutil
import socket
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

log = logging.getLogger("budgetqa.app")

COOKIE = "bq_staff"
SESSION_HOURS = 8
UPLOAD_ROUTE = "/gradio_api/upload"
ASK_ROUTE = "/api/ask"
# threads answering /api/ask (BUDGETQA_ASK_WORKERS overrides). Measured on the shared 2-core machine, 50 users,
# one app per pool size side by side: 1/2/8/32 threads gave 68/81/137/227 answers/s at the same CPU per answer
# (3.5 -> 2.9 ms): part of an answer waits (SQLite, Chroma, the CPU scheduler), and GIL contention did not show.
ASK_WORKERS = int(os.environ.get("BUDGETQA_ASK_WORKERS", "0") or 0) or 32
HISTORY_QUESTIONS = 6        # earlier questions replayed for a follow-up on /api/ask
MAX_BODY_BYTES = 256 * 1024  # a JSON question is small; anything bigger is refused unread
_TMP_PREFIX = "budgetqa-app-"


class StaffSessions:
    """Tokens of logged-in staff sessions (issued at login, revoked at logout, expiring after some hours).
    `enabled` is false when the workspace is off: then no token is ever valid."""

    def __init__(self, enabled: bool, hours: float = SESSION_HOURS):
        self.enabled = enabled
        self.ttl = hours * 3600
        self._tokens: dict[str, float] = {}
        self._lock = threading.Lock()

    def issue(self) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = time.monotonic()
            self._tokens = {t: exp for t, exp in self._tokens.items() if exp > now}
            self._tokens[token] = now + self.ttl
        return token

    def revoke(self, token: str | None) -> None:
        with self._lock:
            self._tokens.pop(token or "", None)

    def valid(self, token: str | None) -> bool:
        if not (self.enabled and token):
            return False
        with self._lock:
            exp = self._tokens.get(token)
        return exp is not None and exp > time.monotonic()


# the login's success sets the cookie in the browser (uploads are plain fetches that carry it); logout clears it
SET_COOKIE_JS = ("(t) => { if (t) { document.cookie = '" + COOKIE + "=' + t + '; path=/; SameSite=Strict'; } "
                 "return []; }")
CLEAR_COOKIE_JS = "() => { document.cookie = '" + COOKIE + "=; path=/; max-age=0; SameSite=Strict'; return []; }"


class UploadGuard:
    """ASGI middleware: Gradio's upload route only for a valid staff session, and bounded in size."""

    def __init__(self, app, sessions: StaffSessions, max_bytes: int):
        self.app, self.sessions, self.max_bytes = app, sessions, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].rstrip("/").endswith(UPLOAD_ROUTE):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            token = SimpleCookie(headers.get("cookie", "")).get(COOKIE)
            if not self.sessions.valid(token.value if token else None):
                return await _plain(send, 403, "上传只对已登录的核对工作区开放。")
            length = headers.get("content-length")
            if length is None or not length.isdigit():
                return await _plain(send, 411, "上传须注明大小（Content-Length）。")
            if int(length) > self.max_bytes:
                return await _plain(send, 413, f"上传超过 {self.max_bytes // 1024 // 1024} MB。")
        return await self.app(scope, receive, send)


async def _plain(send, status: int, text: str) -> None:
    log.info("upload refused (%d): %s", status, text)
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# -- temporary files -------------------------------------------------------------------------------
def prepare_temp_dir() -> Path:
    """Point Gradio's temporary folder at `<tmp>/budgetqa-app-<pid>` (empty), removing such folders left by
    processes that no longer run. Call before Gradio builds the app."""
    base = Path(tempfile.gettempdir())
    for old in base.glob(_TMP_PREFIX + "*"):
        pid = old.name[len(_TMP_PREFIX):]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    folder = base / f"{_TMP_PREFIX}{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700)
    os.environ["GRADIO_TEMP_DIR"] = str(folder)
    return folder


def remove_temp_dir(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- the JSON endpoint -----------------------------------------------------------------------------
class AskEndpoint:
    """ASGI: `POST /api/ask` is answered here, in front of FastAPI's middleware stack and router (half of the
    web layer's cost per request, measured); every other request goes on to `app`. The answer runs on a fixed
    thread pool (`ASK_WORKERS`), never in the event loop, which keeps reading requests and writing responses."""

    def __init__(self, app, bot, workers: int = ASK_WORKERS):
        from index.errors import BudgetQAError
        self.app, self.bot, self._user_errors = app, bot, BudgetQAError
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="budgetqa-ask")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].rstrip("/") != ASK_ROUTE:
            return await self.app(scope, receive, send)
        if scope["method"] != "POST":
            return await _send_json(send, 405, _encode({"error": "请用 POST 发送 JSON：{\"question\": \"…\"}"}),
                                    [(b"allow", b"POST")])
        too_big = (413, _encode({"error": f"请求太大（超过 {MAX_BODY_BYTES // 1024} KB）"}))
        length = next((v for k, v in scope["headers"] if k == b"content-length"), b"")
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            return await _send_json(send, *too_big)
        raw = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            raw += message.get("body", b"")
            if len(raw) > MAX_BODY_BYTES:
                return await _send_json(send, *too_big)
            if not message.get("more_body"):
                break
        status, body = await asyncio.get_running_loop().run_in_executor(self.pool, self.answer, bytes(raw))
        await _send_json(send, status, body)

    def answer(self, raw: bytes) -> tuple[int, bytes]:
        """(HTTP status, JSON body) for one request body: the answer object, or `{"error": one line}`."""
        try:
            question, doc, history = _ask_request(raw)
        except ValueError as e:
            log.info("api/ask refused: %s", e)
            return 400, _encode({"error": str(e)})
        try:
            earlier = []
            for q in history:                       # replayed, so a follow-up has its context
                earlier.append(self.bot.ask(q, doc=doc, history=earlier))
            ans = self.bot.ask(question, doc=doc, history=earlier)
        except self._user_errors as e:
            log.info("api/ask: %s", e)
            return 400, _encode({"question": question, "error": str(e)})
        except Exception:
            log.exception("api/ask failed: %r", question[:200])
            return 500, _encode({"question": question, "error": "回答时出错了，请换个问法或稍后再试。"})
        return 200, _encode(ans.to_dict())


def _encode(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


async def _send_json(send, status: int, body: bytes, extra: list | None = None) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *(extra or [])]})
    await send({"type": "http.response.body", "body": body})


# -- the app ---------------------------------------------------------------------------------------
def make_server_app(demo, bot, sessions: StaffSessions, max_upload_bytes: int, **mount_options):
    """The ASGI app to serve: `/api/ask` (`AskEndpoint`) in front of a FastAPI app with the upload guard and
    Gradio's `demo` mounted at `/`."""
    import gradio as gr
    from fastapi import FastAPI
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(UploadGuard, sessions=sessions, max_bytes=max_upload_bytes)
    return AskEndpoint(gr.mount_gradio_app(app, demo, path="/", **mount_options), bot)


def _ask_request(raw: bytes) -> tuple[str, str | None, list[str]]:
    """(question, doc, earlier questions) from the JSON body, or ValueError saying what is wrong."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError('请求须是 JSON：{"question": "…", "doc": "可选", "history": ["可选"]}') from None
    if not isinstance(data, dict) or not isinstance(data.get("question"), str):
        raise ValueError('缺少 "question"（字符串）')
    doc = data.get("doc")
    if doc is not None and not isinstance(doc, str):
        raise ValueError('"doc" 须是文档编号（字符串）')
    history = data.get("history") or []
    if not isinstance(history, list):
        raise ValueError('"history" 须是此前问题的列表')
    earlier = []
    for h in history[-HISTORY_QUESTIONS:]:
        q = h.get("question") if isinstance(h, dict) else h
        if not isinstance(q, str):
            raise ValueError('"history" 的每一项须是问题（字符串）或含 "question" 的回答')
        earlier.append(q)
    return data["question"], doc or None, earlier


# -- serving ---------------------------------------------------------------------------------------
def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class Running:
    url: str
    server: object
    thread: threading.Thread
    demo: object = None

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def serve_in_thread(app, host: str = "127.0.0.1", port: int | None = None, timeout: float = 60) -> Running:
    """Run `app` with uvicorn in a daemon thread until `.close()`; returns once it accepts connections."""
    import uvicorn
    port = port or free_port(host)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True, name="budgetqa-server")
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the app did not start on {host}:{port}")
        time.sleep(0.05)
    return Running(f"http://{host}:{port}/", server, thread)
