"""The default embedding: deterministic, offline, suited to Chinese.

Character 1–3-grams (CJK runs) and whole tokens (ASCII words, numbers) are hashed into a fixed number of
dimensions with signed feature hashing, weighted by a sublinear term frequency, and L2-normalised. No model,
no download, identical on every machine. It sits behind llama-index's `BaseEmbedding`, so a real model
(any llama-index embedding) can replace it; the store records which one built it.
"""
from __future__ import annotations

from llama_index.core.base.embeddings.base import BaseEmbedding

from ._ngram import embed_text

class CharNGramEmbedding(BaseEmbedding):
    """Hashed character n-gram embedding (offline, deterministic)."""

    dim: int = 512

    @classmethod
    def class_name(cls) -> str:
        return "CharNGramEmbedding"

    @property
    def signature(self) -> str:
        return f"charngram-v1-{self.dim}"     # DEFAULT_SIGNATURE for the default dim

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
