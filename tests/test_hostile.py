"""Issue 11, store/ingest/CLI side: the hostile catalogue. Each case is a real command (or the function the
app calls) on a generated file or a damaged store; each must give one clear line, lose nothing, take bounded
time, and never put a wrong figure in the store.

Cases needing another user (a file the reader may not read, a read-only store) run the CLI as `nobody`
through setpriv when the tests run as root, and are skipped when neither works.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import pytest

from index.errors import IdClash, InputError
from index.ingest import bundled_path, ingest, read_checked
from index.store import Store
from tests._pdfbuild import FONT, assemble, pdf

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BUNDLED = "huizhou-data-bureau-2024"


def run(*args, store=None, stdin: bytes | str | None = None, env=None, user: str | None = None, timeout=120):
    e = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    if store is not None:
        e["BUDGETQA_STORE"] = str(store)
    cmd = [sys.executable, "-m", "assistant.cli", *map(str, args)]
    if user:
        cmd = ["setpriv", "--reuid", user, "--regid", user, "--clear-groups", *cmd]
    data = stdin.encode() if isinstance(stdin, str) else stdin
    start = time.monotonic()
    r = subprocess.run(cmd, input=data, capture_output=True, env=e, timeout=timeout, cwd=ROOT)
    r.elapsed = time.monotonic() - start
    r.out, r.err = r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
    return r


def one_line(r, *words, code=1):
    assert r.returncode == code, (r.returncode, r.out, r.err)
    assert "Traceback" not in r.err, r.err
    assert len(r.err.strip().splitlines()) == 1, r.err
    for w in words:
        assert w in r.err, r.err
    return r.err


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A store holding the bundled document (copied per test: tests damage it)."""
    s = tmp_path_factory.mktemp("seed") / "store"
    assert run("docs", store=s).returncode == 0
    return s


@pytest.fixture
def store(seeded, tmp_path):
    dst = tmp_path / "store"
    shutil.copytree(seeded, dst)
    return dst


def bundled_text() -> str:
    return bundled_path().read_text(encoding="utf-8")


def mini(tmp_path: Path, name: str) -> Path:
    """A small budget text export (the bundled one up to 表2), made unique by its name: cheap to ingest."""
    text = bundled_text()
    p = tmp_path / name
    p.write_text(text[:text.index("\n表2\n")] + f"\n本文件编号：{name}。\n", encoding="utf-8")
    return p


def variant(tmp_path: Path, name: str, old="[30217]公务接待费 5.60", new="[30217]公务接待费 5.70") -> Path:
    text = bundled_text()
    assert old in text
    p = tmp_path / name
    p.write_text(text.replace(old, new), encoding="utf-8")
    return p


# ---------------------------------------------------------------- a hand-made PDF (tests/_pdfbuild.py)

def football_pdf() -> bytes:
    """A ruled table of football scores: figures in a grid, no budget vocabulary."""
    teams = [("Red Lions", 12, 3), ("Blue Sharks", 9, 7), ("Green Owls", 4, 11), ("Total", 25, 21)]
    ops = [b"BT /F1 14 Tf 72 780 Td (League table 2024, goals for and against) Tj ET", b"0.5 w"]
    top, h, xs = 740, 24, (72, 272, 372, 472)
    for i in range(len(teams) + 2):
        ops.append(b"%d %d m %d %d l S" % (xs[0], top - i * h, xs[-1], top - i * h))
    for x in xs:
        ops.append(b"%d %d m %d %d l S" % (x, top, x, top - (len(teams) + 1) * h))
    cells = [("Team", "For", "Against")] + [(t, f"{f}.00", f"{a}.00") for t, f, a in teams]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            ops.append(b"BT /F1 10 Tf %d %d Td (%s) Tj ET" % (xs[c] + 4, top - r * h - 16, text.encode()))
    return pdf([b"\n".join(ops)])


# ---------------------------------------------------------------- 1. ids never reused silently


def test_id_clash_is_refused_naming_the_document_and_replace_works(store, tmp_path):
    other = variant(tmp_path, "other.txt")
    r = run("ingest", other, "--name", BUNDLED, store=store)
    one_line(r, BUNDLED, "惠州市政务服务数据管理局", "2024", "huizhou-data-bureau-2024.txt", "--replace")
    same_stem = variant(tmp_path, f"{BUNDLED}.txt")          # a file whose stem is an existing id
    one_line(run("ingest", same_stem, store=store), "--replace")
    r = run("facts", "30217", "--json", store=store)
    assert [f["value"] for f in json.loads(r.out)] == ["5.60"]      # nothing replaced
    r = run("ingest", same_stem, "--replace", store=store)
    assert r.returncode == 0, r.err
    assert [f["value"] for f in json.loads(run("facts", "30217", "--json", store=store).out)] == ["5.70"]


def test_id_clash_function_for_the_app(tmp_path):
    s = Store(tmp_path / "s")
    first = ingest(s, [mini(tmp_path, "a.txt")], name="doc", isolate=False)
    with pytest.raises(IdClash) as err:
        ingest(s, [mini(tmp_path, "b.txt")], name="doc", isolate=False)
    assert err.value.existing.id == "doc" and err.value.existing.source_files == ("a.txt",)
    r = ingest(s, [mini(tmp_path, "b.txt")], name="doc", replace=True, isolate=False)
    assert r.facts == first.facts and s.documents()[0].source_files == ("b.txt",)


def test_same_file_twice_is_refused(store, tmp_path):
    f = variant(tmp_path, "a.txt")
    one_line(run("ingest", f, f, "--name", "n", store=store), "重复", "duplicate input files")
    copy = tmp_path / "b.txt"
    shutil.copy(f, copy)
    one_line(run("ingest", f, copy, "--name", "n", store=store), "重复", "a.txt")


def test_unchanged_reingest_rebuilds_missing_vectors(store):
    shutil.rmtree(store / "chroma")
    r = run("ingest", bundled_path(), store=store)
    assert r.returncode == 0 and "未变化" in r.out and "重建" in r.out, (r.out, r.err)
    s = Store(store)
    assert s.has_vectors(BUNDLED) and s.vector_search(BUNDLED, "公务接待费增加的原因", k=3)
    r = run("ingest", bundled_path(), store=store)
    assert "重建" not in r.out and "未变化" in r.out


# ---------------------------------------------------------------- 2. one writer at a time


def test_two_ingest_processes_at_once_both_succeed(store, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), BUDGETQA_STORE=str(store))
    for round_ in range(3):
        files = [mini(tmp_path, f"r{round_}{k}.txt") for k in "ab"]
        procs = [subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest", str(f)], env=env, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for f in files]
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err.decode()
            assert b"Traceback" not in err
    s = Store(store)
    docs = [d.id for d in s.documents()]
    assert len(docs) == 7
    assert all(s.has_vectors(d) for d in docs)
    assert len(s.chroma.list_collections()) == 7              # no orphan left, none dropped mid-write


def test_writer_lock_waits_then_says_who_holds_it(tmp_path):
    from index.errors import StoreError
    from index.locking import WriterLock
    holder = WriterLock(tmp_path)
    with holder:
        start = time.monotonic()
        with pytest.raises(StoreError, match="占用"):
            with WriterLock(tmp_path, timeout=0.5):
                pass
        assert 0.4 < time.monotonic() - start < 3
    with WriterLock(tmp_path, timeout=0.5):          # released: free again
        pass


def test_threads_searching_a_fresh_store_at_once(seeded, tmp_path):
    dst = tmp_path / "store"
    shutil.copytree(seeded, dst)
    code = f"""
import threading
from index.store import Store
s = Store({str(dst)!r})
errors = []
def ask():
    try:
        assert s.vector_search({BUNDLED!r}, "公务接待费增加的原因", k=3)
    except Exception as e:
        errors.append(repr(e))
ts = [threading.Thread(target=ask) for _ in range(8)]
[t.start() for t in ts]
[t.join() for t in ts]
print(errors)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 0 and r.stdout.strip() == "[]", (r.stdout, r.stderr)


# ---------------------------------------------------------------- 3. bounds on input files


def _huge_pages(tmp_path):
    p = tmp_path / "huge.pdf"
    p.write_bytes(pdf([b"BT /F1 12 Tf 72 700 Td (page) Tj ET"] * 100_000))
    return p, "100000", "300 页上限"


def _liar_count(tmp_path):
    """100,000 pages but a page tree claiming 3: the walk stops after 301 leaves."""
    p = tmp_path / "liar.pdf"
    data = pdf([b"BT /F1 12 Tf 72 700 Td (page) Tj ET"] * 100_000)
    p.write_bytes(data.replace(b"] /Count 100000 >>", b"] /Count 3     >>", 1))
    return p, "300 页上限"


def _inflation_bomb(tmp_path):
    c = zlib.compressobj(1)
    zeros = b"\0" * (1 << 20)
    body = b"".join(c.compress(zeros) for _ in range(1024)) + c.flush()      # inflates to 1 GiB
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>", stream, FONT,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources 4 0 R >>"]
    p = tmp_path / "bomb.pdf"
    p.write_bytes(assemble(objs))
    return p, "MB"


def _rectangles(tmp_path):
    content = b"0.1 w\n" + b"".join(b"%d %d 1 1 re\n" % (i % 50, i % 80) for i in range(400_000)) + b"f\n"
    p = tmp_path / "rects.pdf"
    p.write_bytes(pdf([content], flate=True))
    return p, "绘图对象"


def _big_text(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text(bundled_text() * 140, encoding="utf-8")             # 5.5 MB
    return p, "5 MB"


def _repeated_tables(tmp_path):
    p = tmp_path / "twice.txt"
    p.write_text(bundled_text() * 3, encoding="utf-8")              # what the 1 MB export was: copies
    return p, "出现了不止一次"


def _football_pdf(tmp_path):
    p = tmp_path / "league.pdf"
    p.write_bytes(football_pdf())
    return p, "不是部门预算"


def _football_text(tmp_path):
    p = tmp_path / "league.txt"
    p.write_text("2024 足球联赛积分表\n\n表1\n各队进球情况表\n单位：万元\n球队 进球 失球\n红狮队 12.00 3.00\n"
                 "蓝鲨队 9.00 7.00\n合计 21.00 10.00\n", encoding="utf-8")
    return p, "不是部门预算"


@pytest.mark.parametrize("make", [_huge_pages, _inflation_bomb, _rectangles, _big_text,
                                  _repeated_tables, _football_pdf, _football_text],
                         ids=lambda f: f.__name__.strip("_"))
def test_hostile_file_is_refused_in_bounded_time(make, tmp_path):
    path, *words = make(tmp_path)
    r = run("ingest", path, store=tmp_path / "s")
    one_line(r, path.name, *words)
    assert r.elapsed < 30, r.elapsed
    assert Store(tmp_path / "s").documents() == []


def test_worker_time_limit_stops_a_slow_read(tmp_path):
    """Whatever the cheap checks miss, the worker's clock stops (here: an ordinary file, a 1 s limit)."""
    src = CORPUS / "shanghai-putuo-commerce-2025.pdf"
    if not src.is_file():
        pytest.skip("corpus missing")
    r = run("ingest", src, store=tmp_path / "s", env={"BUDGETQA_READ_TIMEOUT": "1"})
    one_line(r, "超过 1 秒")


def test_worker_memory_limit(tmp_path):
    r = run("ingest", bundled_path(), "--name", "m", store=tmp_path / "s", env={"BUDGETQA_READ_MEMORY_MB": "20"})
    one_line(r, "内存")


# ---------------------------------------------------------------- 4. one line, never a traceback


def test_store_pointing_at_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    one_line(run("docs", "--store", f), "是一个文件")


def test_store_from_an_older_version_is_migrated(store):
    db = sqlite3.connect(store / "budgetqa.sqlite")
    with db:
        db.execute("ALTER TABLE documents DROP COLUMN unreadable")
        db.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
    db.close()
    r = run("docs", "--json", store=store)
    assert r.returncode == 0, r.err
    assert json.loads(r.out)[0]["unreadable_pages"] == []
    db = sqlite3.connect(store / "budgetqa.sqlite")
    assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("3",)


def test_store_of_an_unknown_version_is_one_line(store):
    db = sqlite3.connect(store / "budgetqa.sqlite")
    with db:
        db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    db.close()
    one_line(run("docs", store=store), "格式版本是 99")


def _delete_chroma(store: Path) -> None:
    shutil.rmtree(store / "chroma")


def _damage_chroma(store: Path) -> None:
    for f in (store / "chroma").rglob("*"):
        if f.is_file():
            f.write_bytes(b"\x00garbage" * 100)


@pytest.mark.parametrize("damage", [_delete_chroma, _damage_chroma], ids=["deleted", "damaged"])
def test_lost_vector_index_degrades_and_reindex_mends(store, damage):
    damage(store)
    r = run("ask", "-", "--json", store=store, stdin="公务接待费是多少\n公务接待费为什么增加\n")
    assert r.returncode == 0 and "Traceback" not in r.err, r.err
    table, why = [json.loads(x) for x in r.out.splitlines()]
    assert table["value"] == "5.60" and why["answerable"] is True and "疫情" in why["answer"]
    assert len(r.err.strip().splitlines()) <= 1                 # at most one warning line, saying what to do
    from assistant.retrieve import Retriever
    from index.errors import VectorIndexError
    s = Store(store)
    with pytest.raises(VectorIndexError, match="budgetqa reindex"):
        s.vector_search(BUNDLED, "公务接待费增加的原因", k=3)
    retriever = Retriever(s, BUNDLED)
    assert retriever.vector("公务接待费增加的原因") == [] and retriever.hybrid("公务接待费增加的原因")  # BM25 alone
    s.close()
    from chromadb.api.shared_system_client import SharedSystemClient
    SharedSystemClient.clear_system_cache()       # this process's client saw the damaged folder: start afresh
    r = run("reindex", store=store)
    assert r.returncode == 0 and BUNDLED in r.out, r.err
    s = Store(store)
    assert s.has_vectors(BUNDLED) and s.vector_search(BUNDLED, "公务接待费增加的原因", k=3)


def test_repeated_table_number_in_a_text_export(tmp_path):
    text = bundled_text()
    start = text.index("表3\n")
    end = text.index("表4\n")
    p = tmp_path / "dup.txt"
    p.write_text(text[:end] + text[start:end] + text[end:], encoding="utf-8")
    one_line(run("ingest", p, store=tmp_path / "s"), "表3", "出现了不止一次")


# -- as another user: a file the reader may not read, a store the reader may not write

def _as_other_user() -> str | None:
    if os.geteuid() != 0:
        return ""
    return "65534" if shutil.which("setpriv") else None


@pytest.fixture
def shared_dir():
    d = Path(tempfile.mkdtemp(prefix="bq-hostile-", dir="/tmp"))
    d.chmod(0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def test_unreadable_file(shared_dir):
    user = _as_other_user()
    if user is None:
        pytest.skip("running as root without setpriv")
    f = shared_dir / "secret.txt"
    shutil.copy(bundled_path(), f)
    f.chmod(0o000 if not user else 0o600)
    store = shared_dir / "s"
    store.mkdir(mode=0o777)
    store.chmod(0o777)
    r = run("ingest", f, store=store, user=user or None, env={"HOME": str(store)})
    one_line(r, "无法读取", "权限")


def test_read_only_store_answers_tables_and_refuses_writes(seeded, shared_dir):
    user = _as_other_user()
    if user is None:
        pytest.skip("running as root without setpriv")
    store = shared_dir / "ro"
    shutil.copytree(seeded, store)
    for p in [store, *store.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    home = shared_dir / "home"
    home.mkdir(mode=0o777)
    home.chmod(0o777)
    env = {"HOME": str(home)}
    try:
        r = run("ask", "-", "--json", store=store, user=user or None, env=env,
                stdin="公务接待费是多少\n公务接待费为什么增加\n")
        assert r.returncode == 0 and "Traceback" not in r.err, r.err
        table, why = [json.loads(x) for x in r.out.splitlines()]
        assert table["value"] == "5.60" and why["answerable"] is True
        one_line(run("ingest", CORPUS / "huizhou-data-bureau-2024.txt", "--name", "x", store=store,
                     user=user or None, env=env), "不可写")
        one_line(run("reindex", store=store, user=user or None, env=env), "不可写")
    finally:
        for p in [store, *store.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)


# ---------------------------------------------------------------- 5. no silent wrong data


def test_pdf_with_one_corrupted_page_is_reported(tmp_path):
    src = CORPUS / "shanghai-putuo-commerce-2025.pdf"
    if not src.is_file():
        pytest.skip("corpus missing")
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    with src.open("rb") as fh:
        page = list(PDFPage.create_pages(PDFDocument(PDFParser(fh))))[4]
        ref = page.attrs["Contents"]
        objid = (ref[0] if isinstance(ref, list) else ref).objid
    data = bytearray(src.read_bytes())
    import re
    at = data.index(b"stream", re.search(rb"(?<!\d)%d 0 obj" % objid, data).end()) + len(b"stream")
    at += 2 if data[at:at + 2] == b"\r\n" else 1
    data[at:at + 64] = b"U" * 64                              # the page's compressed stream is garbage now
    bad = tmp_path / "damaged.pdf"
    bad.write_bytes(bytes(data))
    store = tmp_path / "s"
    r = run("ingest", bad, store=store)
    assert r.returncode == 0, r.err
    assert "unreadable_pages=5" in r.out
    doc = json.loads(run("docs", "--json", store=store).out)[0]
    assert doc["unreadable_pages"] == [5]
    assert {"id", "department", "year", "kind", "unit", "pages", "source_files"} <= set(doc)


def test_nul_and_invalid_bytes_in_a_text_export(tmp_path):
    raw = bundled_path().read_bytes()
    raw = raw.replace("[30217]公务接待费 5.60".encode(), "[30217]公务接待费\x00 5.60".encode())
    reception = "[30216]培训费".encode()
    assert reception in raw
    raw = raw.replace(reception, reception[:-1] + b"\xff", 1)     # a broken byte inside one row's label
    p = tmp_path / "bytes.txt"
    p.write_bytes(raw)
    clean = read_checked([bundled_path()])
    pages = tuple(sorted({f.page for f in clean.facts if f.code in ("30216", "30217")}))
    parsed = read_checked([p])
    values = {(f.code, f.column): f.value for f in parsed.facts}
    assert str(values[("30217", "预算")]) == "5.60"              # the NUL cost nothing
    assert not any(f.code == "30216" for f in parsed.facts)     # the damaged row: dropped, not guessed
    assert parsed.document.unreadable_pages == pages            # and reported: the pages of both rows
    r = run("ingest", p, store=tmp_path / "s")
    assert r.returncode == 0 and f"unreadable_pages={','.join(map(str, pages))}" in r.out, (r.out, r.err)


def test_text_export_in_gb18030_still_reads(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes(bundled_text().encode("gb18030"))
    parsed = read_checked([p])
    assert len(parsed.facts) == 929 and parsed.document.unreadable_pages == ()


# ---------------------------------------------------------------- 6. the CLI batch


def test_batch_pairs_every_line_under_a_strict_locale(store, tmp_path):
    other = variant(tmp_path, "second.txt")
    assert run("ingest", other, "--name", "second", store=store).returncode == 0
    lines = ["三公经费是多少".encode(), b"", b"\xff\xfe broken", "公务接待费\x00是多少".encode(),
             "项目支出占总支出的比例是多少".encode()]
    r = run("ask", "-", "--json", store=store, stdin=b"\n".join(lines) + b"\n",
            env={"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONUTF8": "0"})
    out = [json.loads(x) for x in r.out.splitlines()]
    assert len(out) == len(lines), r.out
    assert "Traceback" not in r.err
    assert r.returncode == 1                                # some lines failed; the batch went on
    assert "error" in out[1] and out[1]["question"] == ""
    assert "无效字节" in out[2]["error"] and "无效字节" in out[3]["error"]
    # two documents and no --doc: an ambiguous question is an error line, not the end of the batch
    assert all(("error" in o) or ("answer" in o) for o in out)
    assert "error" in out[0] or out[0]["value"] is not None
    r = run("ask", "-", "--json", "--doc", BUNDLED, store=store, stdin="三公经费是多少\n")
    assert r.returncode == 0 and json.loads(r.out)["value"] == "8.82"
