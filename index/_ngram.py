"""The hashed character n-gram embedding itself, in plain Python (no llama-index import: answering a
question from a cold process must not pay for it). `index.embedding` wraps it for llama-index."""
from __future__ import annotations

import math
import re
import zlib
from operator import mul

DEFAULT_SIGNATURE = "charngram-v1-512"   # what CharNGramEmbedding() reports; known without building it

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


def embed_texts(texts: list[str], dim: int = 512) -> list[list[float]]:
    """`[embed_text(t, dim) for t in texts]`, the same floats bit for bit (the same operations in the same
    order), faster: each distinct n-gram is hashed once per call (a document's fact sentences share their
    table titles and row paths)."""
    slots: dict[str, tuple[int, bool, float]] = {}
    out = []
    log = math.log
    for text in texts:
        vec = [0.0] * dim
        for gram, c in ngram_features(text).items():
            slot = slots.get(gram)
            if slot is None:
                h = zlib.crc32(gram.encode("utf-8"))
                slot = slots[gram] = (h % dim, bool((h >> 16) & 1), 0.5 if len(gram) == 1 else 1.0)
            weight = (1.0 + log(c)) * slot[2]
            vec[slot[0]] += weight if slot[1] else -weight
        norm = math.sqrt(sum(map(mul, vec, vec))) or 1.0
        out.append([v / norm for v in vec])
    return out
