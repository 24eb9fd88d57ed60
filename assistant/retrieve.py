"""Narrative retrieval: BM25 over jieba tokens, the Chroma vector index, fused by reciprocal rank.

BM25 is computed here over the jieba tokens stored with each chunk (see index/tokens.py; llama-index's
BM25Retriever scores Chinese 0); questions are cut against the index's own vocabulary. Vectors come from
the store's Chroma collection (none when it is lost or damaged: BM25 alone, a warning logged once). `hybrid` fuses both rankings (RRF, k=60). Narrative chunks only by default.
"""
from __future__ import annotations

import logging
import math
from collections import Counter

from index.chunks import Chunk
from index.errors import VectorIndexError
from index.tokens import jieba_tokens, vocabulary_tokens

_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        logging.getLogger("budgetqa").warning(message)


class BM25:
    def __init__(self, docs: list[list[str]], k1: float = 1.5, b: float = 0.75):
        self.k1, self.b = k1, b
        self.tf = [Counter(d) for d in docs]
        self.len = [len(d) for d in docs]
        self.avg = sum(self.len) / len(docs) if docs else 0
        df = Counter(t for d in docs for t in set(d))
        n = len(docs)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}

    def scores(self, query: list[str]) -> list[float]:
        out = []
        for tf, dl in zip(self.tf, self.len):
            s = 0.0
            for t in query:
                if t in tf:
                    f = tf[t]
                    s += self.idf[t] * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * dl / (self.avg or 1)))
            out.append(s)
        return out


class Retriever:
    """Search one document's chunks."""

    def __init__(self, store, doc_id: str, kind: str | None = "narrative", words: tuple[str, ...] = ()):
        self.store, self.doc, self.kind = store, doc_id, kind
        self.chunks: list[Chunk] = store.chunks(doc_id, kind)
        self.by_id = {c.id: c for c in self.chunks}
        self.words = words
        self._bm25: BM25 | None = None
        self.vocabulary: set[str] = set()

    def _index(self) -> BM25:
        if self._bm25 is None:
            docs = [list(c.tokens) or jieba_tokens(f"{c.source} {c.text}", self.words) for c in self.chunks]
            self._bm25 = BM25(docs)
            self.vocabulary = set(self._bm25.idf)
        return self._bm25

    def bm25(self, query: str, k: int = 5) -> list[tuple[Chunk, float]]:
        if not self.chunks:
            return []
        index = self._index()
        scores = index.scores(vocabulary_tokens(query, self.vocabulary))
        ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
        return [(self.chunks[i], scores[i]) for i in ranked[:k] if scores[i] > 0]

    def vector(self, query: str, k: int = 5) -> list[tuple[Chunk, float]]:
        try:
            hits = self.store.vector_search(self.doc, query, k, kind=self.kind)
        except VectorIndexError as e:       # lost or damaged chroma/: BM25 alone; `budgetqa reindex` mends it
            _warn_once(str(e))
            return []
        return [(self.by_id[i], s) for i, s in hits if i in self.by_id]

    def hybrid(self, query: str, k: int = 5, depth: int = 20) -> list[tuple[Chunk, float]]:
        fused: dict[str, float] = {}
        for ranking in (self.bm25(query, depth), self.vector(query, depth)):
            for rank, (c, _) in enumerate(ranking):
                fused[c.id] = fused.get(c.id, 0.0) + 1.0 / (60 + rank + 1)
        best = sorted(fused.items(), key=lambda kv: -kv[1])[:k]
        return [(self.by_id[i], s) for i, s in best]
