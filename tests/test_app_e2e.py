"""The web app in a real browser: `python app.py` on 127.0.0.1 with a fresh store, driven through Debian's
headless Chromium by Playwright. Screenshots of each screen go to tests/screenshots/ (gitignored)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STAFF_USER, STAFF_PASSWORD = "staff", "correct horse battery"

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None,
                                reason="Debian's chromium is not installed (apt-get install -y chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"app did not answer at {url} within {seconds} s")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    port = _free_port()
    env = {**os.environ, "BUDGETQA_STORE": str(tmp / "store"), "HOME": str(tmp), "BUDGETQA_STAFF_USER": STAFF_USER,
           "BUDGETQA_STAFF_PASSWORD": STAFF_PASSWORD, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1",
           "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    for key in ("BUDGETQA_LLM_BASE_URL", "BUDGETQA_LLM_MODEL", "BUDGETQA_LLM_API_KEY", "OPENAI_API_KEY"):
        env.pop(key, None)
    log = open(tmp / "app.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app_url)
    page.wait_for_selector("#bq-question textarea", timeout=60_000)
    yield page
    context.close()
    assert not dialogs, f"a script ran in the page: {dialogs}"


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.wait_for_timeout(700)            # let fade-in transitions finish
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def _last_answer(page):
    return page.locator("#bq-chat [data-testid='bot']").last


def ask(page, question: str, done_selector: str = "details"):
    """Type a question, send it, wait for the streamed answer to finish (its sources appear last)."""
    before = page.locator("#bq-chat [data-testid='bot']").count()
    page.fill("#bq-question textarea", question)
    page.click("#bq-send")
    page.wait_for_function(
        "([n, sel]) => { const m = document.querySelectorAll('#bq-chat [data-testid=\"bot\"]');"
        " return m.length > n && m[m.length - 1].querySelector(sel) !== null; }",
        arg=[before, done_selector], timeout=60_000)
    return _last_answer(page)


def test_why_question_shows_the_reason_with_its_citation(page):
    page.get_by_role("button", name="公务接待费为什么增加").click()     # an example question, one click
    page.wait_for_selector("#bq-chat [data-testid='bot'] details", timeout=60_000)
    answer = _last_answer(page)
    assert "疫情" in answer.inner_text()
    assert answer.locator(".bq-value").inner_text() == "5.60"
    answer.locator("details summary").click()
    sources = answer.locator("details").inner_text()
    assert "三公" in sources and "第 26 页" in sources and "疫情结束后" in sources
    shot(page, "01-ask-why")


def test_share_question_shows_figure_and_formula_and_takes_feedback(page):
    answer = ask(page, "项目支出占总支出的比例是多少", ".bq-calc")
    assert answer.locator(".bq-value").inner_text() == "65.89"
    assert answer.locator(".bq-unit").inner_text() == "%"
    assert "5,008.06 ÷ 7,600.53 × 100% = 65.89%" in answer.locator(".bq-calc").inner_text()
    follow = ask(page, "那基本支出呢", ".bq-calc")                  # a follow-up keeps the context
    assert "34.11" in follow.inner_text()
    page.fill("#bq-comment textarea", "公式一目了然")
    page.locator("#bq-chat button[aria-label='赞'], #bq-chat button[aria-label='Like']").last.click()
    page.wait_for_function("document.querySelector('#bq-feedback-note').innerText.includes('已记录')")
    shot(page, "02-ask-share-followup")


def test_question_text_is_shown_not_run(page):
    answer = ask(page, "<img src=x onerror=alert(1)>三公经费是多少")
    assert "8.82" in answer.inner_text()
    assert page.locator("#bq-chat img[src='x']").count() == 0


def test_charts_name_their_source_tables(page):
    page.get_by_role("tab", name="图表").click()
    page.wait_for_selector("[data-chart='three'] .bq-bar", timeout=30_000)
    text = page.locator("#bq-chart-function").inner_text()
    assert "一般公共服务支出" in text and "表5" in text
    assert "表3" in page.locator("#bq-chart-split").inner_text()
    assert "表12" in page.locator("#bq-chart-projects").inner_text()
    three = page.locator("#bq-chart-three").inner_text()
    assert "上年 4.60" in three and "表8" in three
    shot(page, "03-charts")


def _open_staff(page):
    page.get_by_role("tab", name="核对").click()
    page.wait_for_selector("#bq-password input[type='password']")


def test_wrong_password_is_refused(page):
    _open_staff(page)
    page.fill("#bq-user input", STAFF_USER)
    page.fill("#bq-password input", "wrong")
    page.click("#bq-login-btn")
    page.wait_for_function("document.querySelector('#bq-login-note').innerText.includes('不正确')", timeout=30_000)
    assert not page.locator("#bq-workspace").is_visible()
    assert page.locator("#bq-claim textarea").count() == 0 or not page.locator("#bq-claim textarea").is_visible()
    shot(page, "04-staff-refused")


def test_staff_checks_a_claim_and_browses_tables(page):
    _open_staff(page)
    page.fill("#bq-user input", STAFF_USER)
    page.fill("#bq-password input", STAFF_PASSWORD)
    page.click("#bq-login-btn")
    page.wait_for_selector("#bq-workspace", state="visible", timeout=30_000)
    page.get_by_role("tab", name="表格").click()
    page.wait_for_function("document.body.innerText.includes('7,600.53')", timeout=30_000)
    shot(page, "05-staff-tables")
    page.get_by_role("tab", name="说法核对").click()
    page.fill("#bq-claim textarea", "2024年公务接待费5.6万元，比上年增长21.74%")
    page.click("#bq-claim-btn")
    page.wait_for_function("document.querySelector('#bq-claim-table').innerText.includes('✅')", timeout=60_000)
    table = page.locator("#bq-claim-table").inner_text()
    assert table.count("✅") >= 2 and "❌" not in table
    assert "✅" in page.locator("#bq-claim-note").inner_text()
    shot(page, "06-staff-claim")
    page.get_by_role("tab", name="一致性检查").click()
    page.click("#bq-audit-btn")
    page.wait_for_function("/发现|未安装/.test(document.querySelector('#bq-audit-note').innerText)", timeout=60_000)
    assert "未安装" not in page.locator("#bq-audit-note").inner_text()
    page.wait_for_function("document.querySelector('#bq-audit-table').innerText.includes('第')", timeout=30_000)
    shot(page, "07-staff-audit")


def test_staff_upload_is_ingested_while_the_chat_answers(page, tmp_path):
    from index.ingest import bundled_path
    upload = tmp_path / "惠州 测试副本.txt"
    upload.write_text(bundled_path().read_text(encoding="utf-8") + "\n（测试副本）\n", encoding="utf-8")
    _open_staff(page)
    page.fill("#bq-user input", STAFF_USER)
    page.fill("#bq-password input", STAFF_PASSWORD)
    page.click("#bq-login-btn")
    page.wait_for_selector("#bq-workspace", state="visible", timeout=30_000)
    page.set_input_files("#bq-upload input[type='file']", str(upload))
    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_function("document.querySelector('#bq-jobs').innerText.includes('正在解析')", timeout=30_000)
    shot(page, "08-staff-upload-progress")
    page.get_by_role("tab", name="问答").click()                    # the chat answers meanwhile
    answer = ask(page, "三公经费是多少")
    assert "8.82" in answer.inner_text()
    page.get_by_role("tab", name="核对").click()
    page.wait_for_function("document.querySelector('#bq-jobs').innerText.includes('导入完成')", timeout=180_000)
    assert "惠州-测试副本" in page.locator("#bq-jobs").inner_text()
    page.wait_for_selector("#bq-doc", state="visible", timeout=30_000)  # two documents now: the picker shows
    shot(page, "09-staff-upload-done")
