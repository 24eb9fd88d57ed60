"""Chunks for retrieval: narrative split on Chinese punctuation, and one readable sentence per fact.

`SentenceSplitter` cuts amounts like "7,600.53" at the ASCII comma, so narrative is split here on 。！？；
and packed into chunks of a bounded size that never break a sentence. A fact becomes
"表6 一般公共预算基本支出情况表（按经济分类科目）｜商品和服务支出 › 公务接待费 [30217]｜预算：5.60万元".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Fact, ParsedDocument, Section, fmt_amount

MAX_CHARS = 240
_SENT = re.compile(r"[^。！？；\n]*[。！？；]?")


@dataclass(frozen=True)
class Chunk:
    id: str
    doc: str
    kind: str                 # "narrative" or "fact"
    text: str                 # what is embedded and shown
    source: str               # table title or section heading path
    section: str              # Section.id or Table.id
    page: int
    meta: str = ""            # extra: fact column, row path
    tokens: tuple[str, ...] = ()   # BM25 tokens (narrative chunks)


def sentences(text: str) -> list[str]:
    return [s for s in (m.group(0).strip() for m in _SENT.finditer(text)) if s]


def narrative_chunks(doc: str, section: Section, pages_of) -> list[Chunk]:
    out: list[Chunk] = []
    buf = ""
    heading = " › ".join(section.heading)
    for para in section.text.split("\n"):
        for sent in sentences(para):
            if buf and len(buf) + len(sent) > MAX_CHARS:
                out.append(buf)
                buf = ""
            buf += sent
        if buf and len(buf) > MAX_CHARS // 2:
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return [Chunk(id=f"{doc}:{section.id}:{i}", doc=doc, kind="narrative", text=t, source=heading,
                  section=section.id, page=pages_of(t, section)) for i, t in enumerate(out)]


def fact_sentence(f: Fact, title: str) -> str:
    path = " › ".join((*f.path, f.row))
    code = f" [{f.code}]" if f.code else ""
    side = f"{f.side}：" if f.side else ""
    return f"{title}｜{side}{path}{code}｜{f.column}：{fmt_amount(f.value)}{f.unit}"


def document_chunks(parsed: ParsedDocument, pages_of) -> list[Chunk]:
    from dataclasses import replace

    from .tokens import jieba_tokens
    doc = parsed.document.id
    titles = {t.id: t.title for t in parsed.tables}
    words = tuple(sorted({f.row for f in parsed.facts if 2 <= len(f.row) <= 12}))
    chunks = [replace(c, tokens=tuple(jieba_tokens(f"{c.source} {c.text}", words)))
              for s in parsed.sections for c in narrative_chunks(doc, s, pages_of)]
    for i, f in enumerate(parsed.facts):
        chunks.append(Chunk(id=f"{doc}:f{i}", doc=doc, kind="fact", text=fact_sentence(f, titles[f.table]),
                            source=titles[f.table], section=f.table, page=f.page, meta=f.column))
    return chunks
