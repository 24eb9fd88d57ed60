"""Shared by the tests that run the real web app: `python app.py` started on 127.0.0.1 in a child process
with its own store, HOME and environment (`app_process`), Debian's headless Chromium through Playwright
(`chromium`), driving the chat (`ask`, `last_answer`) and screenshots (`shot`).

Screenshots go to the folder named by the environment variable BUDGETQA_SCREENSHOTS, else to the folder
the test module chose (tests/screenshots/, gitignored, or a pytest tmp folder). Not a test module itself:
helpers only, no fixtures (each module builds its module-scoped fixtures from these in a few lines).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NO_CHROMIUM = "Debian's chromium is not installed (apt-get install -y chromium)"
STAFF_USER, STAFF_PASSWORD = "staff", "correct horse battery"
_SECRETS = ("BUDGETQA_LLM_BASE_URL", "BUDGETQA_LLM_MODEL", "BUDGETQA_LLM_API_KEY", "OPENAI_API_KEY")
_STAFF = ("BUDGETQA_STAFF_USER", "BUDGETQA_STAFF_PASSWORD")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 120, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"app exited with {proc.returncode}\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"app did not answer at {url} within {seconds} s")


@dataclass(frozen=True)
class RunningApp:
    url: str
    proc: subprocess.Popen
    log: Path


@contextmanager
def app_process(tmp: Path, *, staff: bool = False, env: dict | None = None) -> Iterator[RunningApp]:
    """`python app.py --port N` with BUDGETQA_STORE=tmp/store (empty: the app ingests the bundled document)
    and HOME=tmp, no LLM settings, staff credentials only when `staff`; stopped (terminate, then kill) on
    exit unless a test already stopped it."""
    e = {**os.environ, "BUDGETQA_STORE": str(tmp / "store"), "HOME": str(tmp), "PYTHONPATH": str(ROOT),
         "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1",
         "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    for key in _SECRETS + (() if staff else _STAFF):
        e.pop(key, None)
    if staff:
        e.update(BUDGETQA_STAFF_USER=STAFF_USER, BUDGETQA_STAFF_PASSWORD=STAFF_PASSWORD)
    e.update(env or {})
    port, log_path = free_port(), tmp / "app.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], cwd=ROOT, env=e,
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_until_up(url, proc, log=log_path)
            yield RunningApp(url, proc, log_path)
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=15)


@contextmanager
def chromium():
    """Debian's Chromium, headless, through Playwright (a browser; close contexts you open)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@contextmanager
def chat_page(browser, url: str, fail_on_dialog: bool = True):
    """A fresh page on the app, once its question box is there; a script dialog in the page fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_selector("#bq-question textarea", timeout=60_000)
    try:
        yield page
    finally:
        context.close()
    assert not (fail_on_dialog and dialogs), f"a script ran in the page: {dialogs}"


def shot(page, name: str, folder: Path | None = None) -> Path:
    """A full-page screenshot `name`.png in BUDGETQA_SCREENSHOTS, else `folder`, else tests/screenshots/."""
    where = Path(os.environ.get("BUDGETQA_SCREENSHOTS") or folder or SHOTS)
    where.mkdir(parents=True, exist_ok=True)
    path = where / f"{name}.png"
    page.wait_for_timeout(700)            # let fade-in transitions finish
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def last_answer(page):
    return page.locator("#bq-chat [data-testid='bot']").last


def ask(page, question: str, done_selector: str = "details"):
    """Type a question, send it, wait until the newest answer holds `done_selector` (the sources come last,
    the "理解为" line `.bq-understood` after them), return that answer."""
    before = page.locator("#bq-chat [data-testid='bot']").count()
    page.fill("#bq-question textarea", question)
    page.click("#bq-send")
    page.wait_for_function(
        "([n, sel]) => { const m = document.querySelectorAll('#bq-chat [data-testid=\"bot\"]');"
        " return m.length > n && m[m.length - 1].querySelector(sel) !== null; }",
        arg=[before, done_selector], timeout=60_000)
    return last_answer(page)
