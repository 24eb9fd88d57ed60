"""One offline assistant over real corpus documents, for the slow tests on documents beyond the bundled one.

`wide_assistant(tmp_path_factory, docs)` ingests each named document (a file of ../shared/corpus/wide or
../shared/corpus; a `<doc>-narrative.pdf` + `<doc>-tables.pdf` pair is one document) into the store named by
BUDGETQA_WIDE_STORE (reused between runs: unchanged files are not read again) or into a fresh one. With
`tolerate`, a document the reader refuses (its time limit on a loaded machine) is recorded in `bot.unread`
and its cases skip; otherwise the refusal fails the test.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


# the mark of a test that reads ../shared/corpus/wide
needs_wide = pytest.mark.skipif(not (CORPUS / "wide").is_dir(), reason="../shared/corpus/wide is not here")


def corpus_files(doc: str) -> list[Path]:
    for folder in (CORPUS / "wide", CORPUS):
        one = folder / f"{doc}.pdf"
        if one.exists():
            return [one]
        parts = sorted(folder.glob(f"{doc}-*.pdf"), key=lambda p: ("tables" in p.name, p.name))   # narrative first
        if parts:
            return parts
    raise FileNotFoundError(f"no corpus file for {doc}")


def wide_assistant(tmp_path_factory, docs, tolerate: bool = False):
    from assistant.api import Assistant
    from index.errors import InputError
    from index.ingest import ingest
    from index.store import Store
    store = Store(os.environ.get("BUDGETQA_WIDE_STORE") or tmp_path_factory.mktemp("wide"))
    unread = {}
    for doc in docs:
        files = corpus_files(doc)
        try:
            ingest(store, files, doc if len(files) > 1 else None)
        except InputError as e:
            if not tolerate:
                raise
            unread[doc] = str(e)
    bot = Assistant(store, use_env_llm=False)
    bot.unread = unread
    return bot


def assert_value(a, value):
    """`a` gives `value` (as printed), or abstains when `value` is None."""
    if value is None:
        assert not a.answerable, a.answer
    else:
        assert a.answerable and a.value == value, a.answer
