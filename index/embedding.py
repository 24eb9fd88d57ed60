"""The default embedding: deterministic, offline, suited to Chinese.

Character 1–3-grams (CJK runs) and whole tokens (ASCII words, numbers) are hashed into a fixed number of
dimensions with signed feature hashing, weighted by a sublinear term frequency, and L2-normalised. No model,
no download, identical on every machine. It sits behind llama-index's `BaseEmbedding`, so a real model
(any llama-index embedding) can replace it; the store records which one built it.
"""
from __future__ import annotations

import math
import re
import zlib

from llama_index.core.base.embeddings.base import BaseEmbedding

_TOKEN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+(?:\.\d+)?")


def ngram_features(text: str, n_max: int = 3) -> dict[str, float]:
    counts: dict[str, float] = {}
    for tok in _TOKEN.findall(text):
        if tok[0] >= "\u4e00":
            for n in range(1, n_max + 1):
                for i in range(len(tok) - n + 1):
                    g = tok[i:i + n]
                    counts[g] = counts.get(g, 0.0) + 1.0
        else:
            t = tok.lower()
            counts[t] = counts.get(t, 0.0) + 1.0
    return counts


def embed_text(text: str, dim: int = 512) -> list[float]:
    vec = [0.0] * dim
    for gram, c in ngram_features(text).items():
        h = zlib.crc32(gram.encode("utf-8"))
        weight = (1.0 + math.log(c)) * (0.5 if len(gram) == 1 else 1.0)
        vec[h % dim] += weight if (h >> 16) & 1 else -weight
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return [v / norm for v in vec]


class CharNGramEmbedding(BaseEmbedding):
    """Hashed character n-gram embedding (offline, deterministic)."""

    dim: int = 512

    @classmethod
    def class_name(cls) -> str:
        return "CharNGramEmbedding"

    @property
    def signature(self) -> str:
        return f"charngram-v1-{self.dim}"

    def _get_query_embedding(self, query: str) -> list[float]:
        return embed_text(query, self.dim)

    def _get_text_embedding(self, text: str) -> list[float]:
        return embed_text(text, self.dim)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [embed_text(t, self.dim) for t in texts]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def embedding_signature(model: BaseEmbedding) -> str:
    return getattr(model, "signature", None) or f"{model.class_name()}:{getattr(model, 'model_name', '')}"
