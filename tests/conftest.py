"""Test set-up: no network beyond loopback, no writes to the home folder or the working directory.

- Every test gets `BUDGETQA_STORE` and `HOME` pointed into its own tmp_path.
- Sockets may connect only to loopback (a kill switch, like pydantic-ai's ALLOW_MODEL_REQUESTS).
- `bundled_store` is one store per session with the bundled document ingested (read-only by convention).
- `browser` (Debian's headless Chromium, one per module) and `page` (a fresh page on the module's own
  `app_url` fixture) for the tests that drive the real app; helpers in tests/_app_process.py.
"""
from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ["NO_PROXY"] = "127.0.0.1,localhost"
os.environ["no_proxy"] = "127.0.0.1,localhost"
for _k in ("BUDGETQA_LLM_BASE_URL", "BUDGETQA_LLM_MODEL", "BUDGETQA_LLM_API_KEY", "OPENAI_API_KEY"):
    os.environ.pop(_k, None)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and self.family in (socket.AF_INET, socket.AF_INET6):
        try:
            ok = ipaddress.ip_address(host).is_loopback
        except ValueError:
            ok = host == "localhost"
        if not ok:
            raise OSError(f"network disabled in tests: connect to {host!r} refused")
    return _real_connect(self, address)


socket.socket.connect = _loopback_only


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETQA_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir(exist_ok=True)
    yield


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory):
    from index.ingest import bundled_path, ingest
    from index.store import Store
    store = Store(tmp_path_factory.mktemp("bundled") / "store")
    ingest(store, [bundled_path()])
    return store


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.exists():
        pytest.skip("../shared/corpus not present")
    return CORPUS


@pytest.fixture(scope="module")
def browser():
    from tests._app_process import chromium
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, app_url):
    """A fresh page on the app at `app_url`, which the requesting module defines (e.g. with `app_process`)."""
    from tests._app_process import chat_page
    with chat_page(browser, app_url) as p:
        yield p
