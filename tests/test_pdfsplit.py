"""Reading a PDF's pages in two processes (index._pdfsplit) gives the document read in one."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from index import _pdfsplit
from index.ingest import read_checked
from index.sandbox import read_isolated

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FILE = CORPUS / "shanghai-putuo-wanli-2025.pdf"          # 31 pages, tables running over pages


@pytest.fixture(scope="module")
def single():
    if not FILE.exists():
        pytest.skip("corpus missing")
    assert not _pdfsplit.ENABLED                           # in-process reading: one process
    return read_checked([FILE])


def test_the_worker_splits_and_reads_the_same_document(single, monkeypatch):
    monkeypatch.delenv("BUDGETQA_READ_PROCESSES", raising=False)
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: no split")
    assert _pdfsplit.split_point(31) is None               # only the sandbox worker forks
    assert read_isolated([FILE], None) == single


def test_a_failed_helper_leaves_the_pages_to_the_worker(single, monkeypatch):
    monkeypatch.setattr(_pdfsplit, "ENABLED", True)
    monkeypatch.setattr(_pdfsplit, "_run", lambda *a: os._exit(3))    # the helper dies at once
    assert read_checked([FILE]) == single


def test_one_process_when_asked(monkeypatch):
    monkeypatch.setattr(_pdfsplit, "ENABLED", True)
    monkeypatch.setenv("BUDGETQA_READ_PROCESSES", "1")
    assert _pdfsplit.split_point(200) is None
    monkeypatch.delenv("BUDGETQA_READ_PROCESSES")
    assert _pdfsplit.split_point(_pdfsplit.MIN_PAGES - 1) is None
