"""Tokens for BM25: jieba at ingest, the index's own vocabulary at question time.

llama-index's BM25Retriever scores Chinese text 0 (it ignores `tokenizer=`), so BM25 is done here. Chunks
are cut with jieba's search mode, with the document's own labels added to its dictionary, and the tokens
are stored with the chunks. A question is cut by matching against the stored vocabulary: BM25 scores only
terms that occur in the index, so this gives the terms jieba would and spares loading its dictionary
(over a second) when answering. At ingest jieba's dictionary is loaded only for the characters of the text
(index._jiebadict).
"""
from __future__ import annotations

import re
import threading

_lock = threading.Lock()
_added: dict[str, int] = {}     # words added to jieba's dictionary, with the count jieba's own dictionary gave
_tokenizer: list = []           # the one index._jiebadict.Lazy of this process
STOP = set("的 了 是 在 和 与 及 或 等 为 对 把 被 这 那 吗 呢 吧 啊 哪 什么 多少 怎么 为什么 请问 一下 我 你 它 其 中 之 "
           "年 元 万元 ， 。 、 ？ ！ ： ； （ ） “ ” 《 》".split())
_WORD = re.compile(r"[a-z]+|\d+(?:\.\d+)?")
_PUNCT = re.compile(r"[\W_]+")


def load_dictionary():
    """Our jieba tokenizer, quiet (index._jiebadict: its dictionary is filled by first character, for the
    characters of what is cut): made once, and ahead of time by index.warmup while the worker reads."""
    with _lock:
        if not _tokenizer:
            import jieba
            jieba.setLogLevel(60)
            from ._jiebadict import tokenizer
            _tokenizer.append(tokenizer(jieba))
        return _tokenizer[0]


def jieba_tokens(text: str, words: tuple[str, ...] = ()) -> list[str]:
    """Search-mode jieba tokens (the document's labels kept whole), stop words and punctuation dropped."""
    lazy = load_dictionary()
    with _lock:
        new = [w for w in words if w not in _added]
        lazy.ensure({w[0] for w in new if w} | set(text))     # before add_word: see index._jiebadict
        for w in new:
            _added[w] = lazy.tk.FREQ.get(w, 0)
            lazy.tk.add_word(w, freq=200000)
    return [t for t in (x.strip().lower() for x in lazy.tk.lcut_for_search(text)) if keep(t)]


def is_word(piece: str, least: int = 100) -> bool:
    """`piece` is a common word of jieba's dictionary: counted at least `least` times there (燃料 1241, 材料
    9137; not 积金 3, a rare entry). Its bucket is loaded on demand."""
    if not piece:
        return False
    lazy = load_dictionary()
    with _lock:
        lazy.ensure(set(piece[0]))
        # a document's label added for cutting (any document's, asked before) is no common word: the count is
        # jieba's own, so that what is a word does not depend on which documents this process has read
        count = _added[piece] if piece in _added else lazy.tk.FREQ.get(piece, 0)
    return count >= least


def keep(token: str) -> bool:
    return bool(token) and token not in STOP and not _PUNCT.fullmatch(token)


def vocabulary_tokens(text: str, vocabulary: set[str], longest: int = 12) -> list[str]:
    """Every vocabulary term found in the text (as jieba's search mode lists overlapping words)."""
    text = text.lower()
    out = _WORD.findall(text)
    covered = [False] * len(text)
    for i in range(len(text)):
        for n in range(2, longest + 1):
            piece = text[i:i + n]
            if len(piece) < n:
                break
            if piece in vocabulary and keep(piece) and not piece.isascii():
                out.append(piece)
                covered[i:i + n] = [True] * n
    # a single character counts only where no longer word covers it (as in jieba's cut)
    out += [ch for i, ch in enumerate(text) if not covered[i] and ch in vocabulary and keep(ch) and not ch.isascii()]
    return out
