"""What the web app shows, as strings and rows: answers, sources, claim checks, audit findings, tables.

Pure functions, no Gradio: every piece of text that comes from a person or a document is escaped here
(`esc`) before it goes into HTML, so the app never trusts a question, a quote or a table label. The
Chatbot's own sanitiser is a second line of defence, not the first.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from ..answer import Answer

CSS = """
.bq-figure {font-size: 1.9em; font-weight: 700; line-height: 1.2; margin: 0 0 .3em 0;}
.bq-figure .bq-unit {font-size: .6em; font-weight: 600; margin-left: .2em; opacity: .8;}
.bq-calc {padding: .35em .6em; border-left: 3px solid #3b82f6; background: rgba(59,130,246,.08); margin: .4em 0;}
.bq-note {padding: .3em .6em; border-left: 3px solid #f59e0b; background: rgba(245,158,11,.08); margin: .4em 0;}
.bq-sources blockquote {margin: .2em 0 .5em 0; padding-left: .6em; border-left: 3px solid #9ca3af;}
"""

STATUS_MARK = {"match": "✅ 一致", "mismatch": "❌ 不一致", "not_found": "❓ 未找到"}
SEVERITY_MARK = {"error": "❌ 错误", "rounding": "≈ 尾差", "info": "ℹ️ 提示"}


def esc(text: object) -> str:
    """Escape anything for HTML (None becomes an empty string)."""
    return "" if text is None else html.escape(str(text), quote=True)


def md_text(text: str) -> str:
    """Markdown from an untrusted source (the assistant's answer, which quotes documents and may echo the
    question): no raw HTML, no images, no links. `<`, `[` and `]` are escaped so Markdown's own emphasis,
    quotes and lists still render, but `![x](http://…)` is shown as text and never fetched."""
    return _end_lists((text or "").replace("&", "&amp;").replace("<", "&lt;").translate(_LINK_MARKS))


_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")


def _end_lists(text: str) -> str:
    """A blank line between a list and an unindented line right after it: Markdown would otherwise read that
    line as the continuation of the last item (an abstention's advice shown inside its last suggestion)."""
    out, in_list = [], False
    for line in text.split("\n"):
        if not line.strip():
            in_list = False
        elif _LIST_ITEM.match(line):
            in_list = True
        elif in_list and line[:1] not in " \t":
            out.append("")
            in_list = False
        out.append(line)
    return "\n".join(out)


_LINK_MARKS = str.maketrans({"[": "&#91;", "]": "&#93;"})
_MD_MARKS = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-.!|~$:"})   # one pass: HTML too


def user_message(question: str) -> str:
    """A person's question as it appears in the chat: shown literally, never interpreted as HTML/Markdown
    (every character Markdown gives a meaning to is written as an entity)."""
    return (question or "").translate(_MD_MARKS)


def figure_html(ans: Answer) -> str:
    if not ans.answerable or ans.value is None:
        return ""
    unit = f'<span class="bq-unit">{esc(ans.unit)}</span>' if ans.unit else ""
    return f'<div class="bq-figure"><span class="bq-value">{esc(ans.value)}</span>{unit}</div>'


def english(ans: Answer) -> bool:
    """The answer is written in English (an English question): the app's own labels follow it."""
    return (ans.understood or "").startswith("Understood") or any(
        w in (ans.answer or "") for w in ("**Sources**", "**Working**"))


def calculation_html(ans: Answer) -> str:
    if not ans.calculation:
        return ""
    label = "🧮 <b>Working</b>: " if english(ans) else "🧮 <b>计算过程</b>："
    return f'<div class="bq-calc">{label}<code>{esc(ans.calculation)}</code></div>'


def sources_html(ans: Answer) -> str:
    if not ans.citations:
        return ""
    en = english(ans)
    items = []
    for c in ans.citations:
        section = (f"<br><small>{esc(c.section)}</small>" if c.section and c.section != c.source else "")
        page = f"p. {esc(c.page)}" if en else f"第 {esc(c.page)} 页"
        items.append(f"<li><b>{esc(c.source)}</b> · {page}{section}"
                     f"<blockquote>{esc(c.quote)}</blockquote></li>")
    summary = f"📎 Sources ({len(ans.citations)})" if en else f"📎 出处（{len(ans.citations)}）"
    return (f'<details class="bq-sources"><summary>{summary}</summary>'
            f'<ol>{"".join(items)}</ol></details>')


_WORKING = ("**计算**", "**Working**")
_SOURCES = ("**出处**", "**Sources**")


def body_text(ans: Answer) -> str:
    """The answer's text without the working and sources paragraphs the app shows in its own way."""
    drop = (_WORKING if ans.calculation else ()) + (_SOURCES if ans.citations else ())
    if not drop:
        return ans.answer or ""
    return "\n\n".join(p for p in (ans.answer or "").split("\n\n") if not p.lstrip().startswith(drop))


def note_html(ans: Answer) -> str:
    """The answer's remark on how it was reached (the model read the question otherwise), shown as such."""
    return f'<div class="bq-note">ℹ️ <small>{esc(ans.note)}</small></div>' if ans.note else ""


def render_answer(ans: Answer) -> str:
    """The whole assistant message: figure and unit first, then the text, the working and the sources, the note
    (how the answer was reached, when there is one) and the "理解为" line last."""
    parts = [figure_html(ans), md_text(body_text(ans)), calculation_html(ans), sources_html(ans), note_html(ans),
             f'<div class="bq-understood"><small>{esc(ans.understood)}</small></div>' if ans.understood else ""]
    return "\n\n".join(p for p in parts if p)


_SENTENCE = re.compile(r"(?<=[。；！？\n])")


def stream_answer(ans: Answer, steps: int = 8) -> Iterator[str]:
    """Successive, growing versions of `render_answer(ans)`: the figure, then the text sentence by sentence,
    then everything. Each is well-formed (HTML pieces are never cut)."""
    head = figure_html(ans)
    if head:
        yield head
    pieces = [p for p in _SENTENCE.split(body_text(ans)) if p]
    if len(pieces) > 1:
        per = max(1, len(pieces) // steps)
        for i in range(per, len(pieces), per):
            yield "\n\n".join(p for p in (head, md_text("".join(pieces[:i]))) if p)
    yield render_answer(ans)


def error_message(text: str) -> str:
    return f"⚠️ {esc(text)}"


# -- documents -------------------------------------------------------------------------------------
def doc_label(doc) -> str:
    year = f"{doc.year}年" if doc.year else ""
    return f"{doc.department or doc.id} {year}{doc.kind or ''}（{doc.id}）"


def documents_rows(docs: Iterable) -> list[list]:
    return [[d.id, d.department, d.year or "", d.kind, d.pages, "、".join(d.source_files)] for d in docs]


DOCUMENT_HEADERS = ["文档编号", "部门", "年度", "类型", "页数", "来源文件"]


# -- claim checks and audit findings ---------------------------------------------------------------
CLAIM_HEADERS = ["数字", "结果", "对应项目", "文件中的数字", "出处", "说明"]


def claim_rows(checks: Iterable) -> list[list[str]]:
    rows = []
    for c in checks:
        expected = c.expected or ""
        rows.append([c.figure, STATUS_MARK.get(c.status, c.status), c.subject or "", expected, c.source or "",
                     c.note or ""])
    return rows


def claim_summary(checks: list) -> str:
    if not checks:
        return "这句话里没有找到可核对的数字。"
    n = {s: sum(1 for c in checks if c.status == s) for s in STATUS_MARK}
    return f"共 {len(checks)} 个数字：✅ {n['match']} 个一致，❌ {n['mismatch']} 个不一致，❓ {n['not_found']} 个未找到。"


FINDING_HEADERS = ["级别", "检查", "说明", "应为", "实为", "差额", "出处", "原文"]


def finding_rows(findings: Iterable) -> list[list[str]]:
    rows = []
    for f in findings:
        evidence = tuple(f.evidence or ())
        where = "；".join(dict.fromkeys(f"{e.source} 第{e.page}页" for e in evidence))
        quotes = " ／ ".join(dict.fromkeys(e.quote for e in evidence if e.quote))
        rows.append([SEVERITY_MARK.get(f.severity, f.severity), f.check, f.message, _s(f.expected), _s(f.actual),
                     _s(f.difference), where, quotes if len(quotes) <= 300 else quotes[:299] + "…"])
    return rows


def _s(v) -> str:
    return "" if v is None else str(v)


# -- tables ----------------------------------------------------------------------------------------
def table_grid(parsed, table_id: str) -> tuple[list[str], list[list[str]]]:
    """A parsed table as headers and rows (one row per table row, one column per table column, with page)."""
    table = parsed.table(table_id)
    if table is None:
        return [], []
    rows: dict[int, dict] = {}
    for f in parsed.facts:
        if f.table != table_id:
            continue
        key = (f.side, f.row_index) if f.side else f.row_index
        r = rows.setdefault(key, {"page": f.page, "code": f.code or "", "label": f.row, "level": f.level,
                                  "side": f.side, "cells": {}})
        r["cells"][f.column] = f.value
    columns = list(table.columns)
    has_side = any(r["side"] for r in rows.values())
    headers = ["页码", *(["收/支"] if has_side else []), "编码", "项目", *columns]
    out = []
    for r in rows.values():          # document order
        label = "　" * max(0, r["level"]) + r["label"]
        cells = [_fmt(r["cells"].get(c)) for c in columns]
        out.append([str(r["page"]), *([r["side"]] if has_side else []), r["code"], label, *cells])
    return headers, out


def _fmt(v) -> str:
    return "" if v is None else f"{v:,f}"
