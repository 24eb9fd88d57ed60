"""jieba with its dictionary loaded by first character cuts exactly as with the whole dictionary."""
from __future__ import annotations

import jieba

from index import _jiebadict
from index.ingest import bundled_path


def _cut(lazy, text, words, added):
    new = [w for w in words if w not in added]
    lazy.ensure({w[0] for w in new} | set(text))
    for w in new:
        lazy.tk.add_word(w, freq=200000)
        added.add(w)
    return lazy.tk.lcut_for_search(text)


def test_lazy_dictionary_cuts_as_the_full_one(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = _jiebadict.tokenizer(jieba)               # no cache yet: the full dictionary, and the cache written
    assert first._index is None and (tmp_path / "budgetqa" / "jieba-buckets.bin").exists()
    lazy = _jiebadict.tokenizer(jieba)
    assert lazy._index is not None and not lazy.tk.FREQ
    full = _jiebadict.Lazy(jieba.Tokenizer())
    full.tk.initialize()
    assert lazy.tk.total == full.tk.total
    text = bundled_path().read_text(encoding="utf-8")
    paras = [p for p in text.split("\n") if p.strip()]
    docs = [(paras[:150], ("公务接待费", "一般公共服务支出", "机关运行经费")),
            (paras[150:400] + ["ABC 2024年 12.5% 新冠肺炎疫情 陈列布展 OCR识别", "鑫淼犇 龘靐"],
             ("数据要素", "公务接待费", "政务云平台运维"))]
    added_lazy: set[str] = set()
    added_full: set[str] = set()
    for paragraphs, words in docs:          # two documents in turn: buckets loaded later, words added between
        for p in paragraphs:
            assert _cut(lazy, p, words, added_lazy) == _cut(full, p, words, added_full), p
    assert len(lazy.tk.FREQ) < len(full.tk.FREQ)


def test_damaged_cache_falls_back_to_the_full_dictionary(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "budgetqa").mkdir()
    (tmp_path / "budgetqa" / "jieba-buckets.bin").write_bytes(b"BQJIEBA1\xff\xff")
    t = _jiebadict.tokenizer(jieba)
    assert t._index is None and t.tk.lcut_for_search("公务接待费增加") == jieba.Tokenizer().lcut_for_search("公务接待费增加")
