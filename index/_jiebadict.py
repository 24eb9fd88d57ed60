"""jieba's dictionary loaded by first character, only for the characters the texts cut so far contain.

jieba looks up, while it cuts a text, only pieces of that text (get_DAG, calc, the search mode's 2- and
3-grams, the HMM's test of unknown runs): the answer for a piece depends only on the dictionary's words
that begin with the piece's first character. So a tokenizer that holds the words beginning with every
character of the text cuts it exactly as jieba's full dictionary does, and loading a budget document's
characters (a few hundred) takes a third of the dictionary and a fraction of the time of jieba's own
cache (500 000 entries, over a second of every ingest).

`tokenizer()` gives a `jieba.Tokenizer` plus `ensure(chars)`, which must be called with every character of
a text before it is cut and with the first character of a word before `add_word` (so no word added by hand
is later overwritten by a bucket loaded after it; jieba's `total` is the full dictionary's from the start).
The buckets are a file in the user's cache folder (~/.cache/budgetqa, or $XDG_CACHE_HOME/budgetqa), built
once from jieba's own fully loaded dictionary and keyed by jieba's version and its dictionary file; when it
cannot be built or read, the full dictionary is used (the same tokens, the old cost).

Does not handle: a user dictionary (`jieba.load_userdict`) or a non-default jieba dictionary.
"""
from __future__ import annotations

import array
import json
import os
import sys
import tempfile
import threading
from pathlib import Path

MAGIC = b"BQJIEBA1"


class Lazy:
    """A `jieba.Tokenizer` (`.tk`) whose dictionary is filled bucket by bucket (`ensure`)."""

    def __init__(self, tk, blob: bytes | None = None, index: dict | None = None):
        self.tk, self._blob, self._index = tk, blob, index
        self._loaded: set[str] = set()
        self._lock = threading.Lock()

    def ensure(self, chars) -> None:
        if self._index is None:           # the full dictionary
            return
        with self._lock:
            for c in set(chars) - self._loaded:
                entry = self._index.get(c)
                if entry is not None:
                    off, nbytes, n = entry
                    keys = self._blob[off:off + nbytes].decode("utf-8").split("\n")
                    freqs = array.array("q")
                    freqs.frombytes(self._blob[off + nbytes:off + nbytes + 8 * n])
                    if len(keys) != n or len(freqs) != n:
                        raise ValueError("damaged jieba bucket file")
                    self.tk.FREQ.update(zip(keys, freqs))
                self._loaded.add(c)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "budgetqa"


def _key(jieba) -> str:
    d = Path(jieba.__file__).with_name("dict.txt")
    st = d.stat()
    return f"jieba-{jieba.__version__}-{st.st_size}-{st.st_mtime_ns}-{sys.byteorder}"


def _read(path: Path, key: str):
    blob = path.read_bytes()
    if not blob.startswith(MAGIC):
        raise ValueError("not a bucket file")
    size = int.from_bytes(blob[8:16], "little")
    head = json.loads(blob[16:16 + size].decode("utf-8"))
    if head.get("key") != key:
        raise ValueError("stale bucket file")
    base = 16 + size
    return blob, {c: (base + e[0], e[1], e[2]) for c, e in head["index"].items()}, int(head["total"])


def _write(path: Path, key: str, freq: dict, total: int) -> None:
    buckets: dict[str, list[str]] = {}
    for k in freq:
        if not k or "\n" in k:
            raise ValueError("a word that cannot be stored")
        buckets.setdefault(k[0], []).append(k)
    body, index = bytearray(), {}
    for c, keys in buckets.items():
        text = "\n".join(keys).encode("utf-8")
        index[c] = (len(body), len(text), len(keys))
        body += text
        body += array.array("q", (freq[k] for k in keys)).tobytes()
    head = json.dumps({"key": key, "total": total, "index": index}, ensure_ascii=False).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".jieba-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + len(head).to_bytes(8, "little") + head + bytes(body))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def tokenizer(jieba) -> Lazy:
    """The lazily filled tokenizer, or (first use, or no usable cache) the fully loaded one."""
    try:
        key = _key(jieba)
        path = _cache_dir() / "jieba-buckets.bin"
        blob, index, total = _read(path, key)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        full = jieba.Tokenizer()
        full.initialize()
        try:
            _write(_cache_dir() / "jieba-buckets.bin", _key(jieba), full.FREQ, full.total)
        except (OSError, ValueError, AttributeError):
            pass                          # the next process tries again; this one has the full dictionary
        return Lazy(full)
    tk = jieba.Tokenizer()
    tk.total, tk.initialized = total, True
    return Lazy(tk, blob, index)
