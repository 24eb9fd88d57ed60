"""Narrative retrieval: BM25 over jieba tokens, the Chroma vector index, fused by reciprocal rank.

llama-index's BM25Retriever scores Chinese text 0 (it ignores `tokenizer=`), so BM25 is computed here over
jieba tokens, with the document's own labels added to jieba's dictionary. Vectors come from the store's
Chroma collection. `hybrid` fuses both rankings (RRF, k=60). Only narrative chunks are searched by default.
"""
from __future__ import annotations

import math
import re
import threading
from collections import Counter

from index.chunks import Chunk

_jieba_lock = threading.Lock()
_jieba_words: set[str] = set()
_STOP = set("的 了 是 在 和 与 及 或 等 为 对 把 被 这 那 吗 呢 吧 啊 哪 什么 多少 怎么 为什么 请问 一下 我 你 它 其 中 之 "
            "年 元 万元 ， 。 、 ？ ！ ： ； （ ） “ ” 《 》".split())


def tokenize(text: str, words: tuple[str, ...] = ()) -> list[str]:
    import jieba
    with _jieba_lock:
        if not _jieba_words:
            jieba.setLogLevel(60)
        for w in words:
            if w not in _jieba_words:
                jieba.add_word(w, freq=200000)
                _jieba_words.add(w)
    toks = []
    for t in jieba.lcut_for_search(text):
        t = t.strip().lower()
        if not t or t in _STOP or re.fullmatch(r"[\W_]+", t):
            continue
        toks.append(t)
    return toks


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

    def _index(self) -> BM25:
        if self._bm25 is None:
            self._bm25 = BM25([tokenize(f"{c.source} {c.text}", self.words) for c in self.chunks])
        return self._bm25

    def bm25(self, query: str, k: int = 5) -> list[tuple[Chunk, float]]:
        if not self.chunks:
            return []
        scores = self._index().scores(tokenize(query, self.words))
        ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
        return [(self.chunks[i], scores[i]) for i in ranked[:k] if scores[i] > 0]

    def vector(self, query: str, k: int = 5) -> list[tuple[Chunk, float]]:
        hits = self.store.vector_search(self.doc, query, k, kind=self.kind)
        return [(self.by_id[i], s) for i, s in hits if i in self.by_id]

    def hybrid(self, query: str, k: int = 5, depth: int = 20) -> list[tuple[Chunk, float]]:
        fused: dict[str, float] = {}
        for ranking in (self.bm25(query, depth), self.vector(query, depth)):
            for rank, (c, _) in enumerate(ranking):
                fused[c.id] = fused.get(c.id, 0.0) + 1.0 / (60 + rank + 1)
        best = sorted(fused.items(), key=lambda kv: -kv[1])[:k]
        return [(self.by_id[i], s) for i, s in best]
