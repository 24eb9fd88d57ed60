"""The staff workspace's back end, without Gradio: who may log in, and how uploads become documents.

Credentials come from `BUDGETQA_STAFF_USER` + `BUDGETQA_STAFF_PASSWORD`, else from a TOML file
(`BUDGETQA_STAFF_FILE`, else `~/.config/budgetqa/staff.toml`) with `user = "…"` and `password = "…"`.
With none configured the workspace is off (never open). Passwords are compared with `hmac.compare_digest`.

Uploads: only PDF and UTF-8 text, at most `MAX_UPLOAD_BYTES`; each is copied into a generated folder
`<store>/uploads/<32 hex>/` under the person's own file name, made safe (`display_name`), so `docs` lists
the name they know and `--doc 原文件名.pdf` finds it; then ingested one at a time in a worker PROCESS
(spawned, at lower priority), so parsing a big PDF never holds the app's interpreter and the chat keeps
answering; readers never see a half-written document. An id that already names another document
(`index.errors.IdClash`) is not replaced until the person confirms: the job waits in state "clash" with its
files kept.

Logins: `LoginLimiter` locks an address or a user name out for a while after repeated failures.
"""
from __future__ import annotations

import glob
import hmac
import logging
import os
import re
import shutil
import threading
import time
import tomllib
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("budgetqa.app")

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_UPLOAD_FILES = 8           # files in one upload request (the request limit is their sum)
LOGIN_ATTEMPTS = 5             # failures before a lockout
LOCKOUT_SECONDS = 10 * 60
ALLOWED_SUFFIXES = (".pdf", ".txt")


# -- credentials -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class StaffAuth:
    user: str | None
    password: str | None
    origin: str = ""          # where the credentials came from, for the note
    problem: str = ""         # why the workspace is off, when it is

    @property
    def enabled(self) -> bool:
        return bool(self.user and self.password)

    def check(self, user: str, password: str) -> bool:
        if not self.enabled:
            return False
        ok_user = hmac.compare_digest((user or "").encode(), self.user.encode())
        ok_pass = hmac.compare_digest((password or "").encode(), self.password.encode())
        return ok_user and ok_pass


def staff_file() -> Path:
    env = os.environ.get("BUDGETQA_STAFF_FILE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "budgetqa" / "staff.toml"


def load_auth() -> StaffAuth:
    user, password = os.environ.get("BUDGETQA_STAFF_USER"), os.environ.get("BUDGETQA_STAFF_PASSWORD")
    if user and password:
        return StaffAuth(user, password, origin="环境变量")
    path = staff_file()
    if not path.exists():
        return StaffAuth(None, None, problem="未配置核对工作区的账号")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        return StaffAuth(None, None, problem=f"配置文件 {path} 无法读取（{e}）")
    user, password = data.get("user"), data.get("password")
    if not (isinstance(user, str) and isinstance(password, str) and user and password):
        return StaffAuth(None, None, problem=f"配置文件 {path} 需要 user 和 password 两项")
    return StaffAuth(user, password, origin=str(path))


ENABLE_HINT = ("设置环境变量 `BUDGETQA_STAFF_USER` 和 `BUDGETQA_STAFF_PASSWORD`，"
               "或在 `~/.config/budgetqa/staff.toml`（或 `BUDGETQA_STAFF_FILE` 指向的文件）写入 "
               "`user = \"…\"` 与 `password = \"…\"`，然后重启应用。")


class LoginLimiter:
    """After `attempts` failed logins from one address, or for one user name, within `window` seconds, that
    address or name is locked out for `lock_seconds` (a correct password is refused meanwhile too)."""

    def __init__(self, attempts: int = LOGIN_ATTEMPTS, lock_seconds: float = LOCKOUT_SECONDS,
                 window: float = LOCKOUT_SECONDS, max_keys: int = 10_000):
        self.attempts, self.lock_seconds, self.window, self.max_keys = attempts, lock_seconds, window, max_keys
        self._fails: dict[str, list[float]] = {}
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def keys(address: str | None, user: str | None) -> tuple[str, ...]:
        return (f"ip:{address or '?'}", f"user:{(user or '').strip()[:100]}")

    def locked_for(self, keys: tuple[str, ...]) -> float:
        """Seconds left of a lockout on any of the keys (0: not locked)."""
        now = time.monotonic()
        with self._lock:
            return max([0.0, *(self._until.get(k, 0) - now for k in keys)])

    def failed(self, keys: tuple[str, ...]) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._fails) > self.max_keys:          # bounded memory under a spray of names
                self._fails.clear()
            for k in keys:
                recent = [t for t in self._fails.get(k, []) if now - t < self.window] + [now]
                self._fails[k] = recent
                if len(recent) >= self.attempts:
                    self._until[k] = now + self.lock_seconds
                    self._fails.pop(k, None)
                    log.warning("staff login locked for %d min: %s", self.lock_seconds // 60, k)

    def succeeded(self, keys: tuple[str, ...]) -> None:
        with self._lock:
            for k in keys:
                self._fails.pop(k, None)


# -- uploads ---------------------------------------------------------------------------------------
class UploadRejected(ValueError):
    """A file the workspace will not take; the message says why, for a person."""


def check_upload(path: Path, original_name: str) -> str:
    """The suffix to store the file under, after checking its name, size and content."""
    suffix = Path(original_name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadRejected(f"{original_name}：只接受 PDF（.pdf）或文本导出（.txt）")
    size = path.stat().st_size
    if size == 0:
        raise UploadRejected(f"{original_name}：文件是空的")
    if size > MAX_UPLOAD_BYTES:
        raise UploadRejected(f"{original_name}：文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
    with path.open("rb") as fh:
        head = fh.read(8192)
    if suffix == ".pdf" and not head.lstrip().startswith(b"%PDF"):
        raise UploadRejected(f"{original_name}：不是有效的 PDF 文件")
    if suffix == ".txt":
        if b"\x00" in head:
            raise UploadRejected(f"{original_name}：不是文本文件")
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise UploadRejected(f"{original_name}：文本文件须为 UTF-8 编码") from None
    return suffix


def display_name(original_name: str) -> str:
    """The document name taken from a file name: no folders, no odd characters, bounded length."""
    stem = Path(original_name.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "-", stem).strip("-.")
    return stem[:80] or "document"


def save_upload(store_dir: Path, path: Path, original_name: str) -> Path:
    """Copy an uploaded file to `<store>/uploads/<generated folder>/<its own name, made safe>`; returns it."""
    suffix = check_upload(path, original_name)
    folder = (store_dir / "uploads").resolve()
    target = (folder / uuid.uuid4().hex / f"{display_name(original_name)}{suffix}").resolve()
    if target.parent.parent != folder:     # cannot happen with a made-safe name; a guard all the same
        raise UploadRejected("无效的保存位置")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    return target


_UPLOAD_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|txt)")     # uploads saved by earlier versions
_UPLOAD_DIR = re.compile(r"[0-9a-f]{32}")


def remove_document(store, doc_id: str) -> None:
    """Remove a document from the store, and its uploaded files (only files this workspace saved)."""
    doc = store.resolve(doc_id)
    store.remove(doc.id)
    folder = store.path / "uploads"
    from index.ingest import file_hash
    for name in doc.source_files:
        if _UPLOAD_NAME.fullmatch(name):
            (folder / name).unlink(missing_ok=True)
        for f in folder.glob(f"*/{glob.escape(name)}") if folder.is_dir() else ():
            if _UPLOAD_DIR.fullmatch(f.parent.name) and file_hash(f) in doc.hashes:   # this document's own file
                f.unlink(missing_ok=True)
                if not any(f.parent.iterdir()):
                    f.parent.rmdir()


def forget_document(store, bot, doc_id: str) -> None:
    """After a document is (re)written by the ingest thread: drop what readers cached of its old version."""
    store.forget(doc_id)
    bot.forget(doc_id)


# -- background ingestion --------------------------------------------------------------------------
@dataclass
class Job:
    id: str
    files: list[str]               # the names people gave, for display only
    state: str = "queued"          # queued, running, done, failed, clash (waits for a confirmation)
    message: str = ""
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    doc: str | None = None
    paths: list[Path] = field(default_factory=list)     # the saved copies in uploads/
    name: str | None = None

    def line(self) -> str:
        names = "、".join(self.files)
        elapsed = (self.finished or time.monotonic()) - self.started
        if self.state == "queued":
            return f"⏳ 排队中：{names}"
        if self.state == "running":
            return f"⚙️ 正在解析并建立索引：{names}（已用 {elapsed:.0f} 秒）"
        if self.state == "done":
            return f"✅ 导入完成：{self.message}（用时 {elapsed:.1f} 秒）"
        if self.state == "clash":
            return f"⚠️ 尚未导入：{names}：{self.message}。点“确认替换”替换原文档，或点“取消”。"
        return f"❌ 导入失败：{names}：{self.message}"


def _worker_init() -> None:
    try:
        os.nice(10)                # answering comes first on a small machine
    except OSError:
        pass


def _ingest_in_worker(store_path: str, paths: list[str], name: str | None, replace: bool, embed_model=None):
    """In the worker process: ingest and return ("done", IngestResult) | ("clash" | "failed", message).
    Exceptions are turned into text here (some carry objects that do not cross a process boundary)."""
    from index import errors
    from index.ingest import ingest
    from index.store import Store
    try:
        store = Store(store_path, embed_model=embed_model)
        kwargs = {"replace": True} if replace else {}      # `replace=` exists where the store refuses id clashes
        return "done", ingest(store, [Path(p) for p in paths], name, **kwargs)
    except errors.BudgetQAError as e:
        clash = getattr(errors, "IdClash", None)
        return ("clash" if clash is not None and isinstance(e, clash) else "failed"), str(e)
    except Exception as e:     # a parser bug: logged with its traceback, shown as one line
        log.exception("ingest failed: %s", paths)
        return "failed", f"内部错误（{type(e).__name__}: {e}）"


class Ingestor:
    """One ingest at a time, each in a worker process (spawned once, reused); a small thread per job only
    waits for the worker's result, then tells the readers (`on_done`)."""

    def __init__(self, store, on_done=None):
        self.store = store
        self.on_done = on_done         # called with the doc id after a successful ingest
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, paths: list[Path], files: list[str], name: str | None, replace: bool = False) -> Job:
        job = Job(uuid.uuid4().hex[:12], files, paths=list(paths), name=name)
        self.jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, replace), daemon=True,
                         name=f"budgetqa-ingest-{job.id}").start()
        return job

    def confirm(self, job_id: str) -> Job | None:
        """Ingest a job that stopped at an id clash again, replacing the existing document."""
        old = self.jobs.get(job_id)
        if old is None or old.state != "clash":
            return None
        old.state = "replaced"
        return self.submit(old.paths, old.files, old.name, replace=True)

    def discard(self, job_id: str) -> None:
        job = self.jobs.get(job_id)
        if job is not None and job.state == "clash":
            job.state, job.message = "failed", "已取消，原文档未改动"
            for p in job.paths:
                p.unlink(missing_ok=True)

    def _worker(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing
            self.store.chroma          # the readers' client drops orphan collections now, never mid-ingest
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_worker_init)
        return self._pool

    def _run(self, job: Job, replace: bool) -> None:
        keep = False                   # whether the copies in uploads/ now belong to a stored document
        with self._lock:
            job.state, job.started = "running", time.monotonic()
            try:
                future = self._worker().submit(_ingest_in_worker, str(self.store.path), [str(p) for p in job.paths],
                                               job.name, replace, self.store._embed_model)
                kind, result = future.result()
                if kind == "done":
                    job.doc, job.message, job.state = result.doc, _result_text(result), "done"
                    keep = not result.unchanged
                else:
                    job.message, job.state = result, kind
                    keep = kind == "clash"             # kept until the person confirms or cancels
            except Exception as e:     # the worker died (killed, out of memory): the job fails, the app goes on
                log.error("ingest worker failed: %s: %s", type(e).__name__, e)
                job.message, job.state = f"导入进程意外结束（{type(e).__name__}），请重试", "failed"
                self._pool = None
            finally:
                job.finished = time.monotonic()
                if not keep:
                    for p in job.paths:
                        p.unlink(missing_ok=True)
        if job.state == "done" and self.on_done:
            self.on_done(job.doc)

    def active(self) -> bool:
        return any(j.state in ("queued", "running") for j in self.jobs.values())

    def status(self, job_ids: list[str]) -> str:
        return "\n\n".join(self.jobs[j].line() for j in job_ids if j in self.jobs and self.jobs[j].state != "replaced")

    def close(self) -> None:
        """Stop the worker (an ingest under way is abandoned: the store never keeps half a document)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)


def _result_text(r) -> str:
    if r.unchanged:
        return f"{r.doc}（文件未变化，已在存储中）"
    year = f"{r.year}年 " if r.year else ""
    return f"{r.doc}：{r.department} {year}{r.pages} 页，{r.tables} 张表，{r.facts} 个数字"
