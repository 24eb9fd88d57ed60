"""The web app without a browser: importing starts nothing, the staff workspace is off without credentials,
uploads cannot escape the store, everything shown is escaped, and the charts carry the document's figures."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation

ROOT = Path(__file__).resolve().parents[1]


def test_importing_app_builds_and_starts_nothing(tmp_path):
    code = ("import sys, threading, app; "
            "heavy = [m for m in ('gradio', 'chromadb', 'assistant.api', 'index.store') if m in sys.modules]; "
            "print(__import__('json').dumps({'heavy': heavy, 'threads': threading.active_count(), "
            "'main': callable(app.main), 'build': callable(app.build_app)}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout.strip().splitlines()[-1])
    assert info == {"heavy": [], "threads": 1, "main": True, "build": True}
    assert not (tmp_path / "store").exists()          # BUDGETQA_STORE points here: nothing was created


def test_staff_workspace_is_off_without_credentials(bundled_store, monkeypatch, tmp_path):
    monkeypatch.delenv("BUDGETQA_STAFF_USER", raising=False)
    monkeypatch.delenv("BUDGETQA_STAFF_PASSWORD", raising=False)
    monkeypatch.setenv("BUDGETQA_STAFF_FILE", str(tmp_path / "missing.toml"))
    import app
    demo = app.build_app(bundled_store)
    props = [c.get("props", {}) for c in demo.config["components"]]
    texts = " ".join(str(p.get("value", "")) for p in props)
    assert "核对工作区未开启" in texts and "BUDGETQA_STAFF_USER" in texts
    assert not any(p.get("type") == "password" for p in props)      # no login form at all
    assert "/ask" in {f"/{d['api_name']}" for d in demo.config["dependencies"] if d.get("api_name")}


def test_staff_credentials_from_env_or_file(monkeypatch, tmp_path):
    from assistant.web.staff_jobs import load_auth
    monkeypatch.delenv("BUDGETQA_STAFF_USER", raising=False)
    monkeypatch.delenv("BUDGETQA_STAFF_PASSWORD", raising=False)
    monkeypatch.setenv("BUDGETQA_STAFF_USER", "only-user")          # half a pair is not enough
    monkeypatch.setenv("BUDGETQA_STAFF_FILE", str(tmp_path / "staff.toml"))
    assert not load_auth().enabled
    (tmp_path / "staff.toml").write_text('user = "审核员"\npassword = "s3cret"\n', encoding="utf-8")
    auth = load_auth()
    assert auth.enabled and auth.check("审核员", "s3cret")
    assert not auth.check("审核员", "s3cret ") and not auth.check("审核员", "") and not auth.check("x", "s3cret")
    (tmp_path / "staff.toml").write_text("user = [broken", encoding="utf-8")
    assert not load_auth().enabled and "无法读取" in load_auth().problem
    monkeypatch.setenv("BUDGETQA_STAFF_PASSWORD", "pw")
    assert load_auth().check("only-user", "pw")


@pytest.mark.parametrize("name, content, problem", [
    ("tables.exe", b"MZ...", "只接受"),
    ("fake.pdf", b"<html>not a pdf</html>", "不是有效的 PDF"),
    ("gbk.txt", "预算".encode("gbk"), "UTF-8"),
    ("empty.txt", b"", "空的"),
])
def test_uploads_are_checked(tmp_path, name, content, problem):
    from assistant.web.staff_jobs import UploadRejected, save_upload
    src = tmp_path / "incoming"
    src.write_bytes(content)
    with pytest.raises(UploadRejected, match=problem):
        save_upload(tmp_path / "store", src, name)
    assert not list((tmp_path / "store").rglob("*.*"))


def test_uploads_stay_inside_the_store_under_their_own_name(tmp_path):
    from assistant.web.staff_jobs import display_name, save_upload
    src = tmp_path / "incoming"
    src.write_bytes(b"%PDF-1.4\n...")
    saved = save_upload(tmp_path / "store", src, "../../../etc/passwd.pdf")
    assert saved.parent.parent == (tmp_path / "store" / "uploads").resolve() and len(saved.parent.name) == 32
    assert saved.name == "passwd.pdf" and saved.read_bytes().startswith(b"%PDF")
    assert display_name("../../etc/上海 预算<script>.pdf") == "上海-预算-script"
    assert display_name("..\\..\\x.txt") == "x"


def test_upload_is_ingested_in_the_background_while_reading(tmp_path):
    from index.ingest import bundled_path
    from index.store import Store

    from assistant.web.staff_jobs import Ingestor, save_upload
    store = Store(tmp_path / "store")
    done = []
    ingestor = Ingestor(store, on_done=done.append)
    path = save_upload(store.path, bundled_path(), "惠州 2024.txt")
    job = ingestor.submit([path], ["惠州 2024.txt"], "惠州-2024")
    reads = 0
    while ingestor.active():                  # the reader's connection keeps working meanwhile
        assert all(d.id == "惠州-2024" for d in store.documents())
        reads += 1
        time.sleep(0.05)
    assert job.state == "done", job.message
    assert done == ["惠州-2024"] and reads > 0
    assert [d.id for d in store.documents()] == ["惠州-2024"]
    assert store.documents()[0].source_files == ("惠州-2024.txt",)         # the person's name, not a hash
    assert store.resolve("惠州-2024.txt").id == "惠州-2024"
    assert len(store.load("惠州-2024").tables) == 12
    assert "✅" in job.line() and "12 张表" in job.line()


def test_everything_shown_is_escaped():
    from assistant.web.render import render_answer, user_message
    ans = Answer("q", "说明<img src=x onerror=alert(1)>\n\n**出处**\n- 表1", True, "5.60", "万元<b>",
                 "1 <script> 2", (Citation("d", "表8 <i>x</i>", None, 16, "quote</blockquote><script>"),))
    out = render_answer(ans)
    assert "<img" not in out and "<script" not in out and "<i>" not in out and "万元<b>" not in out
    assert "&lt;img" in out and "quote&lt;/blockquote&gt;" in out
    assert out.count("出处") == 1                           # the answer's own source list gives way to <details>
    assert "<details" in out and '<span class="bq-value">5.60</span>' in out
    assert "&#60;script" in user_message("<script>alert(1)</script>") and "<" not in user_message("<b>*x*</b>")


def test_an_english_answer_gets_english_labels():
    from assistant.web.render import render_answer
    cite = (Citation("d", "表3 支出总体情况表", None, 8, "合计 7,600.53 2,592.47"),)
    en = Answer("q", "Basic expenditure is **34.11%**.\n\n**Working**: a\n\n**Sources**\n- 表3", True, "34.11", "%",
                "2,592.47 ÷ 7,600.53 × 100% = 34.11%", cite, understood="Understood as: share")
    out = render_answer(en)
    assert "Sources (1)" in out and "Working" in out and "p. 8" in out
    assert "出处" not in out and "计算过程" not in out and "第 8 页" not in out
    zh = render_answer(Answer("q", "占 **34.11%**。", True, "34.11", "%", "a ÷ b", cite, understood="理解为：占比"))
    assert "出处（1）" in zh and "计算过程" in zh and "第 8 页" in zh


def test_answer_streams_figure_first_then_whole():
    from assistant.web.render import render_answer, stream_answer
    ans = Answer("q", "第一句。第二句。第三句。", True, "65.89", "%", "a ÷ b = 65.89%")
    pieces = list(stream_answer(ans))
    assert "65.89" in pieces[0] and "第一句" not in pieces[0]
    assert pieces[-1] == render_answer(ans) and len(pieces) >= 3
    assert all(len(a) <= len(b) for a, b in zip(pieces, pieces[1:]))


def test_charts_of_the_bundled_document(bundled_store):
    from assistant.web import charts
    parsed = bundled_store.load(bundled_store.documents()[0].id)
    made = charts.all_charts(parsed)
    function = made["function"]
    assert function.source.startswith("表5 ") and function.bars[0].label == "一般公共服务支出"
    assert function.bars[0].value == Decimal("6936.96") and len(function.bars) == 4
    split = {b.label: b.value for b in made["split"].bars}
    assert split == {"基本支出": Decimal("2592.47"), "项目支出": Decimal("5008.06")}
    projects = made["projects"]
    assert projects.source.startswith("表12 ") and projects.bars[0].value == Decimal("1200.27")
    assert "共 21 个项目" in projects.note
    three = {b.label: (b.value, b.previous) for b in made["three"].bars}
    assert three["公务接待费"] == (Decimal("5.60"), Decimal("4.6"))
    assert three["“三公”经费合计"] == (Decimal("8.82"), Decimal("8.10"))
    assert "上年数由预算说明" in made["three"].source
    html = charts.render_chart(made["three"], "three")
    assert "上年 4.60 万元" in html and "表8" in html


def test_charts_say_when_the_document_lacks_them(bundled_store):
    from dataclasses import replace

    from assistant.web import charts
    parsed = bundled_store.load(bundled_store.documents()[0].id)
    bare = replace(parsed, tables=(), facts=(), changes=())
    assert all(c is None for c in charts.all_charts(bare).values())
    assert "本文件未提供" in charts.render_chart(None, "projects")


def test_table_grid_has_rows_columns_and_pages(bundled_store):
    from assistant.web.render import table_grid
    parsed = bundled_store.load(bundled_store.documents()[0].id)
    headers, rows = table_grid(parsed, "表8")
    assert headers[:3] == ["页码", "编码", "项目"] and headers[3] == "合计"
    assert rows[1][:4] == ["16", "", "“三公”经费", "8.82"]
    assert any("公务接待费" in r[2] and r[3] == "5.60" for r in rows)
