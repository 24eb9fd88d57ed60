"""`run_eval` end to end with a scripted assistant on a tiny question file; the retrieval metrics on a scripted
retriever; the naive RAG baseline on the bundled store."""
from __future__ import annotations

import io
import json
import sys
import types

import pytest

from assistant.answer import Answer, Citation
from eval.questionset import Question
from eval.retrieval import retrieval_metrics
from eval.runner import run_eval
from index.errors import NotFound

DOC = "huizhou-data-bureau-2024"
T8 = "表8 财政拨款安排的行政经费及“三公”经费预算表"
WHY = "第三部分 2024年部门预算情况说明 › 二、“三公”经费安排情况"
QUESTIONS = [
    {"id": "q1", "question": "公务接待费是多少？", "kind": "lookup", "value": "5.60", "unit": "万元",
     "sources": ["表8", "表6"], "document": DOC, "page": 16},
    {"id": "q2", "question": "项目支出占总支出的比例是多少？", "kind": "arithmetic", "value": "65.89", "unit": "%",
     "sources": ["表3", "表5"], "page": 8},
    {"id": "q3", "question": "公务接待费为什么增加？", "kind": "why", "keywords": [["疫情"], ["预算偏低", "偏低"]],
     "sources": ["三公"], "evidence": "疫情结束后，接待工作量增加", "tags": ["why-tag"]},
    {"id": "q4", "question": "2025年预算是多少？", "kind": "unanswerable", "answerable": False},
    {"id": "q5", "question": "这个问题让助手出错", "kind": "lookup", "value": "1", "unit": "万元", "sources": ["表1"]},
]


class ScriptedAssistant:
    """Answers q1 and q3 right, q2 with a wrong figure, refuses q4, fails on q5."""

    def __init__(self, store):
        self.store = store

    def ask(self, question: str, doc: str | None = None) -> Answer:
        assert doc == DOC
        if question.startswith("公务接待费是"):
            return Answer(question, "公务接待费为 **5.60万元**。", True, "5.60", "万元",
                          citations=(Citation(doc, T8, None, 16, "（三）公务接待费支出 5.60 5.60 0.00 0.00"),))
        if question.startswith("项目支出"):
            return Answer(question, "151.77%", True, "151.77", "%", "7,600.53 ÷ 5,008.06 × 100% = 151.77%",
                          citations=(Citation(doc, "表3 支出总体情况表", None, 8, "合计 7,600.53 2,592.47 5,008.06"),))
        if question.startswith("公务接待费为什么"):
            return Answer(question, "主要原因是疫情结束后，接待工作量增加，2023年当年的预算偏低。", True,
                          citations=(Citation(doc, WHY, WHY, 26, "疫情结束后，接待工作量增加，2023年当年的预算偏低"),))
        if question.startswith("2025"):
            return Answer(question, "文件未披露2025年的数据。", False)
        raise RuntimeError("scripted failure")


@pytest.fixture
def qfile(tmp_path):
    p = tmp_path / "tiny.jsonl"
    p.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS), encoding="utf-8")
    return p


@pytest.fixture
def scripted(monkeypatch):
    fake_api = types.ModuleType("assistant.api")
    fake_api.Assistant = ScriptedAssistant
    monkeypatch.setitem(sys.modules, "assistant.api", fake_api)
    fake_retrieve = types.ModuleType("assistant.retrieve")
    fake_retrieve.Retriever = FirstNarrativeRetriever
    monkeypatch.setitem(sys.modules, "assistant.retrieve", fake_retrieve)


class FirstNarrativeRetriever:
    """bm25 ranks the gold chunk second, vector never finds it, hybrid ranks it first."""

    def __init__(self, store, doc_id):
        self.chunks = store.chunks(doc_id, "narrative")

    def _ranked(self, query, k, gold_at):
        gold = [c for c in self.chunks if "疫情结束后" in c.text]
        rest = [c for c in self.chunks if c not in gold]
        ranked = rest[:gold_at] + gold[:1] + rest[gold_at:] if gold_at is not None else rest
        return [(c, 1.0 / (i + 1)) for i, c in enumerate(ranked[:k])]

    def bm25(self, query, k):
        return self._ranked(query, k, 1)

    def vector(self, query, k):
        return self._ranked(query, k, None)

    def hybrid(self, query, k):
        return self._ranked(query, k, 0)


def test_run_eval_reports_and_responses(bundled_store, qfile, tmp_path, scripted):
    out = io.StringIO()
    report = tmp_path / "out" / "report.md"
    responses = tmp_path / "out" / "responses.jsonl"
    code = run_eval(bundled_store, qfile, doc=None, report=report, responses=responses, baseline=False, out=out)
    assert code == 0
    md = report.read_text(encoding="utf-8")
    assert out.getvalue().startswith("# BudgetQA evaluation: tiny.jsonl")
    assert "| accuracy | 60.0% (3/5) |" in md
    assert "| lookup | 2 | 50.0% (1/2) [50.0%] |" in md and "| why-tag | 1 | 100.0% (1/1) |" in md
    assert "**q2** (arithmetic)" in md and "value 151.77 %, want 65.89 %" in md
    assert "RuntimeError: scripted failure" in md
    assert "| bm25 | 1 | 0.0% | 100.0% | 100.0% | 0.500 |" in md
    assert "| vector | 1 | 0.0% | 0.0% | 0.0% | 0.000 |" in md

    js = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    a = js["assistant"]
    assert (a["n"], a["correct"], a["accuracy"]) == (5, 3, 0.6)
    assert a["figures"] == {"n": 3, "right": 1, "rate": 0.3333}
    assert a["citations"]["right"] == 3 and a["citations"]["n"] == 4
    assert a["quotes"] == {"n": 3, "verbatim": 3, "rate": 1.0}
    assert a["refusals"]["right"] == 4 and a["unanswerable_refused"]["right"] == 1
    assert a["errors"] == 1 and a["latency_ms"]["p50"] is not None
    assert "baseline" not in js and js["gate"] == {"min_accuracy": 0.0, "max_wrong_figure": 1.0, "passed": True}
    assert js["retrieval"]["methods"]["hybrid"]["mrr"] == 1.0
    assert [q["id"] for q in js["questions"]] == ["q1", "q2", "q3", "q4", "q5"]

    lines = [json.loads(x) for x in responses.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["q1", "q2", "q3", "q4", "q5"]
    assert lines[0]["value"] == "5.60" and lines[0]["citations"][0]["page"] == 16
    assert lines[3]["answerable"] is False and "error" in lines[4]


def test_json_report_path_and_gate(bundled_store, qfile, tmp_path, scripted):
    gate = tmp_path / "gate.json"
    gate.write_text(json.dumps({"tiny.jsonl": {"min_accuracy": 0.9}}), encoding="utf-8")
    report = tmp_path / "r.json"
    code = run_eval(bundled_store, qfile, report=report, baseline=False, gate_file=gate, out=io.StringIO())
    assert code == 1
    assert json.loads(report.read_text(encoding="utf-8"))["gate"] == {"min_accuracy": 0.9, "max_wrong_figure": 1.0, "passed": False}
    assert not (tmp_path / "r.md").exists()


def test_missing_document_is_a_clear_error(bundled_store, tmp_path, scripted):
    p = tmp_path / "js.jsonl"
    p.write_text(json.dumps({"id": "j1", "question": "基本支出是多少", "kind": "lookup",
                             "document": "jiangsu-procuratorate-2019"}) + "\n", encoding="utf-8")
    with pytest.raises(NotFound, match="jiangsu-procuratorate-2019.*budgetqa ingest"):
        run_eval(bundled_store, p, baseline=False, out=io.StringIO())


def test_retrieval_metrics_evidence_from_keywords(bundled_store):
    q = Question(id="w", question="公务接待费为什么增加", kind="why", keywords=[["疫情"], ["偏低"]])
    m = retrieval_metrics(bundled_store, [q], {"w": DOC}, FirstNarrativeRetriever)
    assert m["scored"] == 1 and m["methods"]["bm25"]["recall@1"] == 0.0 and m["methods"]["bm25"]["recall@3"] == 1.0
    no_gold = Question(id="n", question="x", kind="narrative", evidence="文档里没有的话")
    assert retrieval_metrics(bundled_store, [no_gold], {"n": DOC}, FirstNarrativeRetriever)["no_gold"] == ["n"]


def test_baseline_answers_a_lookup_on_the_bundled_store(bundled_store):
    from eval.baseline import NaiveRAG, first_value
    from eval.scoring import score_answer
    from index.models import normalize_ws
    assert first_value("比上年减少2,082.35万元") == ("2082.35", "万元")
    assert first_value("20101 人大事务") == (None, None)
    rag = NaiveRAG(bundled_store, DOC)
    a = rag.ask("2024年本部门机关运行经费安排多少？")
    assert (a.value, a.unit) == ("1272.04", "万元")
    assert a.citations[0].source == "chunk" and a.citations[0].page == 27
    q = Question(id="b", question=a.question, kind="lookup", value="1272.04", unit="万元", sources=["表8"])
    doc_norm = normalize_ws("\n".join(bundled_store.load(DOC).page_texts))
    s = score_answer(q, a.to_dict(), doc_norm, DOC)
    assert s.checks["value"] and s.checks["quotes"] and not s.checks["citation"]
