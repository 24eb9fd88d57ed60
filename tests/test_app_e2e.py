"""The web app in a real browser: `python app.py` on 127.0.0.1 with a fresh store, driven through Debian's
headless Chromium by Playwright. Screenshots of each screen go to tests/screenshots/ (gitignored)."""
from __future__ import annotations

import pytest

from tests._app_process import CHROMIUM, NO_CHROMIUM, STAFF_PASSWORD, STAFF_USER, app_process, ask, shot
from tests._app_process import last_answer as _last_answer

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    with app_process(tmp_path_factory.mktemp("app"), staff=True) as app:
        yield app.url


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
