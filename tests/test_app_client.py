"""The app's public API through gradio_client: a real server on 127.0.0.1 (in a thread), the `/ask` endpoint
returning the contract's answer object."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def served(bundled_store):
    import app
    running = app.serve(bundled_store)
    try:
        yield running.url
    finally:
        running.close()


@pytest.fixture(scope="module")
def client(served):
    from gradio_client import Client
    return Client(served, verbose=False, download_files=False)


def test_ask_returns_the_answer_object(client):
    ans = client.predict("项目支出占总支出的比例是多少", "", api_name="/ask")
    assert ans["answerable"] is True and ans["value"] == "65.89" and ans["unit"] == "%"
    assert ans["calculation"] == "5,008.06 ÷ 7,600.53 × 100% = 65.89%"
    assert {"question", "answer", "answerable", "value", "unit", "calculation", "citations", "mode"} <= set(ans)


def test_ask_cites_the_reason(client):
    ans = client.predict("公务接待费为什么增加", "huizhou-data-bureau-2024", api_name="/ask")
    assert "疫情" in ans["answer"]
    assert any("三公" in c["source"] and c["page"] == 26 for c in ans["citations"])


def test_unknown_document_is_a_clear_error(client):
    from gradio_client.exceptions import AppError
    with pytest.raises(AppError, match="没有文档"):
        client.predict("三公经费是多少", "no-such-doc", api_name="/ask")


def test_only_ask_is_public(client):
    info = client.view_api(print_info=False, return_format="dict")
    assert set(info["named_endpoints"]) == {"/ask"}
