"""Retrieval metrics: does the assistant's retriever put the passage that answers a question near the top?

For questions with gold evidence (kinds why, definition and narrative, and any question with an `evidence`
field) the gold chunks are the stored chunks whose text contains the `evidence` phrase, or, without one,
an alternative of every keyword group (whitespace ignored). For each method of
`assistant.retrieve.Retriever` (`bm25`, `vector`, `hybrid`) we report recall@1/3/5 (a gold chunk among the
top k) and MRR over the top 10. Questions whose evidence is in no chunk are counted, not scored.
"""
from __future__ import annotations

from index.models import normalize_ws

from .questionset import Question

EVIDENCE_KINDS = ("why", "definition", "narrative")
KS = (1, 3, 5)
MRR_DEPTH = 10
METHODS = ("bm25", "vector", "hybrid")


def has_evidence(q: Question) -> bool:
    return q.answerable and (q.evidence is not None or (q.kind in EVIDENCE_KINDS and bool(q.keywords)))


def gold_chunk_ids(q: Question, chunks) -> set[str]:
    """Ids of the chunks that hold the question's evidence."""
    if q.evidence is not None:
        needle = normalize_ws(q.evidence)
        return {c.id for c in chunks if needle in normalize_ws(c.text)}
    groups = [[normalize_ws(a) for a in g] for g in q.keywords]
    return {c.id for c in chunks
            if all(any(a in normalize_ws(c.text) for a in g) for g in groups)}


def _empty() -> dict:
    return {"n": 0, **{f"recall@{k}": 0.0 for k in KS}, "mrr": 0.0}


def retrieval_metrics(store, questions: list[Question], doc_of: dict[str, str], retriever_cls=None) -> dict:
    """{"methods": {method: {n, recall@1, recall@3, recall@5, mrr}}, "scored", "no_gold", "skipped"}.

    `doc_of` maps question id to document id; `retriever_cls` defaults to `assistant.retrieve.Retriever`
    (when it cannot be imported the metrics are skipped with the reason).
    """
    if retriever_cls is None:
        try:
            from assistant.retrieve import Retriever as retriever_cls
        except ImportError as e:
            return {"skipped": f"assistant.retrieve is not available ({e})", "methods": {}, "scored": 0,
                    "no_gold": []}
    chunks_of: dict[str, list] = {}
    retrievers: dict[str, object] = {}
    sums = {m: _empty() for m in METHODS}
    no_gold: list[str] = []
    per_question: list[dict] = []
    for q in questions:
        if not has_evidence(q):
            continue
        doc = doc_of[q.id]
        if doc not in chunks_of:
            chunks_of[doc] = store.chunks(doc)
            retrievers[doc] = retriever_cls(store, doc)
        gold = gold_chunk_ids(q, chunks_of[doc])
        if not gold:
            no_gold.append(q.id)
            continue
        row = {"id": q.id}
        for m in METHODS:
            fn = getattr(retrievers[doc], m, None)
            if fn is None:
                continue
            ranked = [c.id for c, _ in fn(q.question, MRR_DEPTH)]
            rank = next((i + 1 for i, cid in enumerate(ranked) if cid in gold), None)
            acc = sums[m]
            acc["n"] += 1
            for k in KS:
                acc[f"recall@{k}"] += 1.0 if rank is not None and rank <= k else 0.0
            acc["mrr"] += 1.0 / rank if rank else 0.0
            row[m] = rank
        per_question.append(row)
    methods = {}
    for m, acc in sums.items():
        if acc["n"]:
            methods[m] = {"n": acc["n"], **{key: round(v / acc["n"], 4) for key, v in acc.items() if key != "n"}}
    return {"methods": methods, "scored": len(per_question), "no_gold": no_gold, "ranks": per_question}
