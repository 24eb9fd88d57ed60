"""`budgetqa eval`: run a question file through the assistant (and the naive RAG baseline), score, report, gate.

Each question is asked of the document named by `--doc` (which overrides), else by its own `document` field,
else of the store's only document. A question with `documents` (several, or `["*"]` for all loaded) is asked
without a document, as a user would; its quotes are checked against those documents' text and its citations
must come from them, at least two of them when it is answered. A document that is not in the store is ingested when the reference is the
bundled document or a path to an existing file (absolute, or relative to the working folder or to the
question file); otherwise the run stops before asking anything, with a message that says what to ingest.
All questions run in one process through one `Assistant`; latency is measured around `ask()` alone.

Returns the exit status: 0, or 1 when the assistant's accuracy is below the file's gate or its wrong-figure
rate above it (eval/gate.json).
"""
from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

from index.errors import NotFound
from index.models import normalize_ws

from .questionset import Question, load_questions
from .report import render_markdown, summarize, write_report
from .retrieval import retrieval_metrics
from .scoring import score_answer, score_documents

GATE_FILE = Path(__file__).with_name("gate.json")


def _gate_entry(questions_path: Path, gate_file: Path | None = None):
    path = gate_file or GATE_FILE
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get(Path(questions_path).name, {})


def load_gate(questions_path: Path, gate_file: Path | None = None) -> float:
    """The minimum accuracy recorded for this question file (by file name); 0.0 when none is recorded."""
    entry = _gate_entry(questions_path, gate_file)
    return float(entry.get("min_accuracy", 0.0) if isinstance(entry, dict) else entry or 0.0)


def load_wrong_figure_gate(questions_path: Path, gate_file: Path | None = None) -> float:
    """The highest wrong-figure rate allowed for this question file; 1.0 (no limit) when none is recorded."""
    entry = _gate_entry(questions_path, gate_file)
    return float(entry.get("max_wrong_figure", 1.0)) if isinstance(entry, dict) else 1.0


def _default_assistant(store):
    from assistant.api import Assistant
    return Assistant(store)


def _find_file(ref: str, base: Path) -> Path | None:
    """A file to ingest for a document reference: a path that exists, or the bundled document's id or name."""
    from index.ingest import bundled_path
    bundled = bundled_path()
    if ref in (bundled.stem, bundled.name):
        return bundled
    for p in (Path(ref), base / ref):
        if p.is_file():
            return p
    return None


def resolve_documents(store, questions: list[Question], doc: str | None, questions_path: Path) -> dict[str, str]:
    """Question id -> document id; ingests documents given as file paths; one error listing what is missing."""
    from index.ingest import ingest
    cache: dict[str | None, str] = {}
    missing: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for q in questions:
        for ref in [r for r in (q.documents or []) if r != "*"]:
            if ref not in cache:
                try:
                    cache[ref] = store.resolve(ref).id
                except NotFound:
                    path = _find_file(ref, questions_path.parent)
                    if path is None:
                        missing.setdefault(ref, []).append(q.id)
                        continue
                    cache[ref] = ingest(store, [path]).doc
        if q.documents is not None:
            continue
        ref = doc or q.document
        if ref not in cache:
            try:
                cache[ref] = store.resolve(ref).id
            except NotFound:
                path = _find_file(ref, questions_path.parent) if ref else None
                if path is None:
                    missing.setdefault(ref or "(none given)", []).append(q.id)
                    continue
                cache[ref] = ingest(store, [path]).doc
        out[q.id] = cache[ref]
    if missing:
        have = "、".join(d.id for d in store.documents()) or "（空）"
        what = "；".join(f"{ref}（{', '.join(ids[:3])}{' …' if len(ids) > 3 else ''}）" for ref, ids in missing.items())
        raise NotFound(f"题集 {questions_path.name} 要求的文档不在存储中：{what}。存储里有：{have}。"
                       "请先用 `budgetqa ingest 文件` 导入（文件名即文档 id，如 corpus/jiangsu-procuratorate-2019.pdf），"
                       "或用 --doc 指定文档")
    return out


def documents_of(store, questions: list[Question], cache_ids: dict[str, str] | None = None) -> dict[str, tuple]:
    """Question id -> the document ids a cross-document question spans (after `resolve_documents`)."""
    every = tuple(d.id for d in store.documents())
    out = {}
    for q in questions:
        if q.documents is not None:
            out[q.id] = every if q.documents == ["*"] else tuple(store.resolve(r).id for r in q.documents)
    return out


def _ask_all(bot, questions: list[Question], doc_of: dict[str, str]):
    """(answer dict or None, error or None, latency ms) per question, in order."""
    results = []
    for q in questions:
        t0 = time.perf_counter()
        try:
            ans = bot.ask(q.question, doc=doc_of.get(q.id))
            ms = (time.perf_counter() - t0) * 1000
            results.append((ans.to_dict(), None, ms))
        except Exception as e:     # one failing question must not hide the others' scores
            ms = (time.perf_counter() - t0) * 1000
            frames = traceback.extract_tb(e.__traceback__)
            where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
            err = f"{type(e).__name__}: {e}{where}"
            results.append((None, err, ms))
    return results


class _BaselineRouter:
    """One NaiveRAG per document, built on first use."""

    def __init__(self, store):
        from .baseline import NaiveRAG
        self._make = lambda doc: NaiveRAG(store, doc)
        self._bots: dict[str, object] = {}

    def ask(self, question: str, doc: str | None = None):
        if doc not in self._bots:
            self._bots[doc] = self._make(doc)
        return self._bots[doc].ask(question)


def evaluate(store, questions_path: Path | str, doc: str | None = None, baseline: bool = True,
             assistant_factory=None, retriever_cls=None, gate_file: Path | None = None, retrieval: bool = True):
    """Run and score everything; returns (result dict for the reports, assistant answer dicts)."""
    questions_path = Path(questions_path)
    questions = load_questions(questions_path)
    doc_of = resolve_documents(store, questions, doc, questions_path)
    spans = documents_of(store, questions)
    doc_norm = {d: normalize_ws("\n".join(store.load(d).page_texts))
                for d in set(doc_of.values()) | {d for ids in spans.values() for d in ids}}

    def norm(q):
        return "\n".join(doc_norm[d] for d in spans[q.id]) if q.id in spans else doc_norm[doc_of[q.id]]

    def score(q, a, err):
        s = score_answer(q, a, norm(q), doc_of.get(q.id), err)
        return score_documents(s, a, spans[q.id]) if q.id in spans else s

    bot = (assistant_factory or _default_assistant)(store)
    answers = _ask_all(bot, questions, doc_of)
    scores = [score(q, a, err) for q, (a, err, _) in zip(questions, answers)]
    result = {"questions_file": questions_path.name, "documents": sorted(doc_norm),
              "mode": next((a.get("mode") for a, _, _ in answers if a), None),
              "assistant": summarize(scores, [ms for _, _, ms in answers])}

    base_answers = base_scores = None
    if baseline:
        base_answers = _ask_all(_BaselineRouter(store), questions, doc_of)
        base_scores = [score(q, a, err) for q, (a, err, _) in zip(questions, base_answers)]
        result["baseline"] = summarize(base_scores, [ms for _, _, ms in base_answers])

    single = [q for q in questions if q.id in doc_of]
    result["retrieval"] = (retrieval_metrics(store, single, doc_of, retriever_cls) if retrieval
                           else {"skipped": "not asked for", "methods": {}, "scored": 0, "no_gold": []})
    gate = load_gate(questions_path, gate_file)
    wf_gate = load_wrong_figure_gate(questions_path, gate_file)
    wf = result["assistant"]["wrong_figures"]["rate"] or 0.0
    result["gate"] = {"min_accuracy": gate, "max_wrong_figure": wf_gate,
                      "passed": (result["assistant"]["accuracy"] or 0.0) >= gate and wf <= wf_gate}
    result["questions"] = []
    for i, q in enumerate(questions):
        entry = {"id": q.id, "kind": q.kind, "question": q.question,
                 "document": doc_of.get(q.id) or "+".join(spans[q.id]),
                 "gold": q.model_dump(exclude_none=True, exclude={"id", "question", "kind", "document"}),
                 "assistant": {**scores[i].to_dict(), "latency_ms": round(answers[i][2], 1),
                               "answer": answers[i][0]}}
        if base_scores is not None:
            entry["baseline"] = {**base_scores[i].to_dict(), "answer": base_answers[i][0]}
        result["questions"].append(entry)
    responses = [{"id": q.id, **(a or {"question": q.question, "error": err})}
                 for q, (a, err, _) in zip(questions, answers)]
    return result, responses


def run_eval(store, questions_path: Path | str, doc: str | None = None, report: Path | str | None = None,
             responses: Path | str | None = None, baseline: bool = True, *, assistant_factory=None,
             retriever_cls=None, gate_file: Path | None = None, retrieval: bool = True, out=None) -> int:
    """Evaluate, write the reports, print the Markdown summary; exit status 0, or 1 below the gate."""
    out = out or sys.stdout
    result, answer_dicts = evaluate(store, questions_path, doc, baseline, assistant_factory, retriever_cls,
                                    gate_file, retrieval)
    if responses:
        rpath = Path(responses)
        rpath.parent.mkdir(parents=True, exist_ok=True)
        rpath.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answer_dicts), encoding="utf-8")
    written = write_report(result, Path(report)) if report else []
    print(render_markdown(result, failures_limit=20), file=out, end="")
    for p in written:
        print(f"report written: {p}", file=out)
    if not result["gate"]["passed"]:
        print(f"budgetqa: accuracy {result['assistant']['accuracy']} (gate ≥ {result['gate']['min_accuracy']}), "
              f"wrong-figure rate {result['assistant']['wrong_figures']['rate']} (gate ≤ "
              f"{result['gate']['max_wrong_figure']}) for {result['questions_file']}: below the gate "
              "(eval/gate.json)", file=sys.stderr)
        return 1
    return 0
