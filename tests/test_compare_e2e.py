"""The 对比 tab and cross-document chat in a real browser: `python app.py` on 127.0.0.1 over a store holding
万里街道 2024 and 2025, 区商务委 2025 and the two Jiangsu 2019 bodies; Debian's headless Chromium through
Playwright. Screenshots go to tests/screenshots/ (gitignored)."""
from __future__ import annotations

import pytest

from tests._app_process import CHROMIUM, NO_CHROMIUM, app_process, ask, shot

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
FILES = ("shanghai-putuo-wanli-2024.pdf", "shanghai-putuo-wanli-2025.pdf", "shanghai-putuo-commerce-2025.pdf",
         "jiangsu-procuratorate-2019.pdf", "jiangsu-high-court-2019.pdf")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, corpus):
    from index.ingest import ingest
    from index.store import Store
    tmp = tmp_path_factory.mktemp("compare-app")
    store = Store(tmp / "store")
    for name in FILES:
        ingest(store, [corpus / name])
    store.close()
    with app_process(tmp) as app:
        yield app.url


def _compare(page, *labels: str):
    page.get_by_role("tab", name="对比").click()
    box = page.locator("#bq-compare-docs")
    box.wait_for()
    for text in labels:
        box.get_by_label(text, exact=False).check()
    page.click("#bq-compare-go")
    page.wait_for_selector("#bq-compare-table table[data-compare='table']", timeout=60_000)
    return page.locator("#bq-compare-table").inner_text()


def test_compare_two_years_of_one_department_with_trend(page):
    table = _compare(page, "shanghai-putuo-wanli-2024", "shanghai-putuo-wanli-2025")
    # 财务收支预算总表: 2024 p10 156,211,123 元, 2025 p9 189,767,551 元 → 万元, difference 3,355.64
    assert "15,621.11" in table and "18,976.76" in table and "+3,355.64" in table
    # 三公 table: 47.91 → 37.91 万元 (2024 p31, 2025 p29); 机关运行经费 443.18 → 464.64
    assert "47.91" in table and "37.91" in table and "-10.00" in table and "+21.46" in table
    assert page.locator("[data-chart='compare']").count() == 1
    trend = page.locator("#bq-compare-trend").inner_text()
    assert "2024年" in trend and "2025年" in trend and "逐年变化" in trend
    shot(page, "08-compare-two-years")


def test_compare_two_departments(page):
    table = _compare(page, "shanghai-putuo-wanli-2025", "shanghai-putuo-commerce-2025")
    assert "464.64" in table and "171.01" in table            # 机关运行经费: 万里 p29, 商务委 p21
    assert "37,151.47" in table                               # 商务委 收入总计 371,514,655.00 元 (p9)
    assert page.locator("#bq-compare-trend [data-chart='trend']").count() == 0
    shot(page, "09-compare-two-departments")


def test_chat_answers_across_years_with_both_documents(page):
    answer = ask(page, "万里街道2025年财政拨款收入比2024年增长了百分之几")
    text = answer.inner_text()
    assert "21.48" in text
    assert "2024年预算" in text and "2025年预算" in text
    shot(page, "10-chat-across-years")


def test_ambiguous_question_offers_one_button_per_document(page):
    before = page.locator("#bq-chat [data-testid='bot']").count()
    page.fill("#bq-question textarea", "2019年培训费是多少")       # two bodies have a 2019 budget
    page.click("#bq-send")
    page.wait_for_selector("#bq-candidate-0:visible", timeout=60_000)
    assert page.locator("#bq-chat [data-testid='bot']").count() > before
    names = page.locator("#bq-candidates").inner_text()
    assert "江苏省人民检察院2019年预算" in names and "江苏省高级人民法院2019年预算" in names
    shot(page, "11-chat-ambiguous-buttons")
    page.get_by_role("button", name="江苏省高级人民法院2019年预算").click()
    page.wait_for_function("document.querySelector('#bq-chat').innerText.includes('（江苏省高级人民法院2019年预算）')",
                           timeout=60_000)
    page.wait_for_function("document.querySelectorAll('#bq-chat [data-testid=\"bot\"]').length >= 2", timeout=60_000)
    shot(page, "12-chat-reasked-in-chosen-document")
