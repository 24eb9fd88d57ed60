"""The store on disk: real SQLite and a real persistent Chroma collection in tmp_path."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from index.errors import IdClash, InputError, StoreError
from index.ingest import bundled_path, ingest
from index.store import Store


def test_ingest_is_idempotent_and_persistent(tmp_path):
    s = Store(tmp_path / "s")
    r1 = ingest(s, [bundled_path()])
    assert (r1.tables, r1.facts, r1.unchanged) == (12, 929, False) and r1.chunks > 929
    r2 = ingest(s, [bundled_path()])
    assert r2.unchanged and r2.facts == 929
    s.close()
    s2 = Store(tmp_path / "s")            # reopened from disk
    assert [d.id for d in s2.documents()] == ["huizhou-data-bureau-2024"]
    hits = s2.vector_search("huizhou-data-bureau-2024", "公务接待费增加的原因", k=5, kind="narrative")
    assert hits and all(h[0].startswith("huizhou-data-bureau-2024:") for h in hits)
    assert len(s2.chroma.list_collections()) == 1


def test_schema_version_mismatch_is_refused(tmp_path):
    s = Store(tmp_path / "s")
    with s.db:
        s.db.execute("UPDATE meta SET value='0' WHERE key='schema_version'")
    s.close()
    with pytest.raises(StoreError, match="重新导入"):
        Store(tmp_path / "s")


def test_store_from_an_older_version_is_refused(tmp_path):
    (tmp_path / "s").mkdir()
    db = sqlite3.connect(tmp_path / "s" / "budgetqa.sqlite")
    db.execute("CREATE TABLE facts (x)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="旧版本"):
        Store(tmp_path / "s")


def test_embedding_mismatch_is_refused(tmp_path):
    from index.embedding import CharNGramEmbedding
    Store(tmp_path / "s").close()
    with pytest.raises(StoreError, match="嵌入模型"):
        Store(tmp_path / "s", embed_model=CharNGramEmbedding(dim=256))


@pytest.mark.parametrize("content,match", [(b"", "空的"), (b"%PDF-1.4\n" + b"0" * 50, "PDF"),
                                           ("从前有座山。".encode(), "不像一份部门预算")])
def test_bad_input_leaves_store_unchanged(tmp_path, content, match):
    s = Store(tmp_path / "s")
    ingest(s, [bundled_path()])
    before = s.size_bytes()
    f = tmp_path / ("bad.pdf" if content.startswith(b"%PDF") else "bad.txt")
    f.write_bytes(content)
    with pytest.raises(InputError, match=match):
        ingest(s, [f])
    assert [d.id for d in s.documents()] == ["huizhou-data-bureau-2024"]
    assert len(s.load("huizhou-data-bureau-2024").facts) == 929
    assert s.size_bytes() <= before + 1_000_000


def test_killed_ingest_leaves_no_half_document(tmp_path):
    """Kill the process after the vectors are written but before the SQLite commit."""
    store = tmp_path / "s"
    code = textwrap.dedent(f"""
        import os, signal
        from index.store import Store
        from index.ingest import ingest, bundled_path
        s = Store({str(store)!r})
        orig = s._insert
        def killed(*a, **k):
            orig(*a, **k)
            os.kill(os.getpid(), signal.SIGKILL)   # inside the transaction, before commit
        s._insert = killed
        ingest(s, [bundled_path()])
    """)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert p.returncode == -signal.SIGKILL
    s = Store(store)
    assert s.documents() == []
    assert s.chroma.list_collections() == []          # the orphan collection was dropped on open
    r = ingest(s, [bundled_path()])
    assert r.facts == 929 and not r.unchanged


def test_replace_changed_document(tmp_path):
    s = Store(tmp_path / "s")
    src = bundled_path().read_text(encoding="utf-8")
    f = tmp_path / "huizhou-data-bureau-2024.txt"
    f.write_text(src, encoding="utf-8")
    ingest(s, [f])
    f.write_text(src.replace("[30217]公务接待费 5.60", "[30217]公务接待费 5.70"), encoding="utf-8")
    with pytest.raises(IdClash, match="--replace"):     # a changed file never replaces silently (issue 11)
        ingest(s, [f])
    r = ingest(s, [f], replace=True)
    assert not r.unchanged
    v = [x.value for x in s.load(r.doc).facts if x.code == "30217"]
    assert [str(x) for x in v] == ["5.70"]
    assert len(s.documents()) == 1 and len(s.chroma.list_collections()) == 1
