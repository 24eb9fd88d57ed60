"""The console script as a user runs it: exit codes, one-line errors, JSON shapes of the contract."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def run(*args, stdin: str | None = None, store=None):
    env = dict(os.environ)
    if store:
        env["BUDGETQA_STORE"] = str(store)
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True,
                          input=stdin, env=env, timeout=300)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = tmp_path_factory.mktemp("cli") / "store"
    r = run("docs", store=s)          # an empty store is seeded with the bundled document
    assert r.returncode == 0 and "huizhou-data-bureau-2024" in r.stdout
    return s


def test_ingest_prints_one_line_and_is_noop_twice(store):
    from index.ingest import bundled_path
    r = run("ingest", str(bundled_path()), store=store)
    assert r.returncode == 0
    assert r.stdout.count("\n") == 1 and "facts=929" in r.stdout and "未变化" in r.stdout


def test_ask_json_contract(store):
    r = run("ask", "项目支出占总支出的比例是多少", "--json", store=store)
    assert r.returncode == 0, r.stderr
    a = json.loads(r.stdout)
    assert set(a) == {"question", "answer", "answerable", "value", "unit", "calculation", "citations", "mode",
                      "understood"}
    assert a["understood"].startswith("理解为：占比")
    assert (a["value"], a["unit"], a["mode"]) == ("65.89", "%", "offline")
    assert a["calculation"] == "5,008.06 ÷ 7,600.53 × 100% = 65.89%"
    assert {"doc", "source", "section", "page", "quote"} <= set(a["citations"][0])


def test_ask_batch_jsonl_in_order(store):
    r = run("ask", "-", "--json", stdin="三公经费是多少\n\n公务接待费为什么增加\n2030年预算是多少\n", store=store)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    # every input line gets one output line, a blank one included (issue 11: line-by-line pairing)
    assert [x["question"] for x in lines] == ["三公经费是多少", "", "公务接待费为什么增加", "2030年预算是多少"]
    assert lines[0]["value"] == "8.82" and lines[3]["answerable"] is False and "error" in lines[1]


def test_facts_and_docs_json(store):
    r = run("facts", "30217", "--json", store=store)
    facts = json.loads(r.stdout)
    assert facts == [{"doc": "huizhou-data-bureau-2024", "table": "表6 一般公共预算基本支出情况表（按经济分类科目）",
                      "row": "公务接待费", "code": "30217", "path": ["商品和服务支出"], "column": "预算",
                      "value": "5.60", "unit": "万元", "page": 14, "level": 2, "is_total": False, "side": None,
                      "entity": None, "measure": "total"}]
    docs = json.loads(run("docs", "--json", store=store).stdout)
    assert docs[0]["department"] == "惠州市政务服务数据管理局" and docs[0]["year"] == 2024


def test_fact_json_names_its_unit_and_measure():
    """A per-unit row's fact carries its unit (单位) and its column's measure; the contract's fields stay."""
    from decimal import Decimal

    from index.models import Fact
    from index.store import fact_dict
    f = Fact(doc="d", table="表9", row="甲局", code=None, path=(), level=0, column="2025年·公务接待费",
             value=Decimal("5.00"), unit="万元", page=3, raw="甲局 2025年 5.00", entity="甲局", measure="previous")
    d = fact_dict(f, {"表9": "表9 三公经费表"})
    assert {k: d[k] for k in ("doc", "table", "row", "code", "path", "column", "value", "unit", "page")} == {
        "doc": "d", "table": "表9 三公经费表", "row": "甲局", "code": None, "path": [], "column": "2025年·公务接待费",
        "value": "5.00", "unit": "万元", "page": 3}
    assert (d["entity"], d["measure"]) == ("甲局", "previous")


@pytest.mark.parametrize("args,code,msg", [
    (("ask",), 2, "question"),
    (("frobnicate",), 2, "invalid choice"),
    (("ingest", "/nonexistent/x.pdf"), 1, "文件不存在"),
    (("ask", "公务接待费", "--doc", "nope"), 1, "没有文档"),
])
def test_errors_are_one_clear_line(store, args, code, msg):
    r = run(*args, store=store)
    assert r.returncode == code
    assert msg in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_facts_and_audit_without_doc_span_every_document(tmp_path):
    from conftest import CORPUS
    pdf = CORPUS / "shanghai-putuo-commerce-2025.pdf"
    if not pdf.exists():
        pytest.skip("corpus not present")
    s = tmp_path / "two"
    assert run("docs", store=s).returncode == 0                       # seeded with the bundled document
    assert run("ingest", str(pdf), store=s).returncode == 0
    r = run("facts", "公务接待费", "--json", store=s)
    assert r.returncode == 0, r.stderr
    assert {f["doc"] for f in json.loads(r.stdout)} == {"huizhou-data-bureau-2024", "shanghai-putuo-commerce-2025"}
    r = run("audit", "--json", store=s)
    assert r.returncode == 0, r.stderr
    assert all("doc" in f for f in json.loads(r.stdout))
