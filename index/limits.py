"""Cheap checks on an input file before anything parses it, so a hostile file is refused in about a second.

- Text exports: a size cap (`MAX_TEXT_BYTES`, 5 MB; a department's export is 40–200 KB).
- PDFs: the page tree is walked from the trailer without building page objects, stopping after
  `MAX_PAGES` + 1 leaves (a 100,000-page file costs one xref read, not 100,000 page parses); each page's
  content streams are inflated incrementally and counted, never held whole: past `MAX_PAGE_CONTENT` for one
  page or `MAX_TOTAL_CONTENT` for the file the file is refused; so is a page with more than `MAX_PAGE_OPS`
  drawing operators (re, l, m, c, Tj, Do …: a page of 400,000 rectangles costs pdfplumber minutes). A page whose content stream cannot be
  inflated (damaged data) is returned as unreadable, so the reader reports it instead of reading it as empty.

Does not handle: filters other than FlateDecode are counted by their raw size (they cannot expand much
except LZW, which is rare); form XObjects' streams are counted once per file, not per use. What these
checks miss, the worker's time and memory limits (index/sandbox.py) still bound.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

MAX_TEXT_BYTES = 5 * 1024 * 1024
MAX_PAGES = 300                          # same as index.pdf.MAX_PAGES (kept there for the reader's own check)
MAX_PAGE_CONTENT = 6 * 1024 * 1024       # inflated content of one page; the corpus maximum is 1.5 MB
MAX_TOTAL_CONTENT = 64 * 1024 * 1024     # all pages and their XObjects; the corpus maximum is 11.4 MB
MAX_PAGE_OPS = 250_000                   # drawing operators on one page; the corpus maximum is 58,000
_CHUNK = 1 << 20
_OPS = re.compile(rb"(?<![A-Za-z])(?:re|l|m|c|v|y|Tj|TJ|Do)(?![A-Za-z])")


@dataclass(frozen=True)
class PdfCheck:
    pages: int
    content_bytes: int
    unreadable: tuple[int, ...]          # 1-based page numbers (within this file) that cannot be inflated


def check_text(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise InputError(f"{path.name}: 文本导出有 {size / 1024 / 1024:.1f} MB，超过 {MAX_TEXT_BYTES // 1024 // 1024} MB 上限"
                         "（一份部门预算的文本导出通常不到 1 MB）；请只导入一个部门的预算公开文本，或直接导入 PDF")


def check_pdf(path: Path) -> PdfCheck:
    """Page count and inflated content size of one PDF, without parsing any page's content."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, resolve1
    count = _pdfium_pages(path)
    if count is not None and count > MAX_PAGES:
        raise _too_many(path, count)
    with path.open("rb") as fh:
        try:
            doc = PDFDocument(PDFParser(fh))
            root = resolve1(doc.catalog.get("Pages"))
        except Exception as exc:
            from .pdf import _input_error
            raise _input_error(path, exc) from exc
        leaves = _leaves(root, path)
        total, unreadable, seen = 0, [], set()
        for number, page in enumerate(leaves, 1):
            size, ok, ops = 0, True, 0
            for stream in _streams(page, resolve1, PDFStream, seen):
                n, good, k = _inflated_size(stream, MAX_PAGE_CONTENT - size + 1)
                size, ok, ops = size + n, ok and good, ops + k
                if size > MAX_PAGE_CONTENT:
                    raise InputError(f"{path.name} 第 {number} 页的内容超过 {MAX_PAGE_CONTENT // 1024 // 1024} MB"
                                     "（正常的预算页不到 2 MB），可能是损坏或恶意构造的文件；请重新导出该 PDF")
                if ops > MAX_PAGE_OPS:
                    raise InputError(f"{path.name} 第 {number} 页有超过 {MAX_PAGE_OPS:,} 个绘图对象"
                                     "（正常的预算页不到 6 万个），可能是损坏或恶意构造的文件；请重新导出该 PDF")
            if not ok:
                unreadable.append(number)
            total += size
            if total > MAX_TOTAL_CONTENT:
                raise InputError(f"{path.name} 的页面内容解压后超过 {MAX_TOTAL_CONTENT // 1024 // 1024} MB，"
                                 "可能是损坏或恶意构造的文件；请只导入部门预算公开部分，或重新导出该 PDF")
    return PdfCheck(pages=len(leaves), content_bytes=total, unreadable=tuple(unreadable))


def _pdfium_pages(path: Path) -> int | None:
    """The page count as pdfium (C, already installed with pdfplumber) reads it: 0.2 s for 100,000 pages,
    where pdfminer needs seconds just to parse the page tree's Kids array. None when pdfium cannot open it
    (pdfminer then says what is wrong)."""
    try:
        import pypdfium2
        doc = pypdfium2.PdfDocument(str(path))
    except Exception:
        return None
    try:
        return len(doc)
    finally:
        doc.close()


def _leaves(root, path: Path) -> list[dict]:
    """Page dictionaries in order, at most MAX_PAGES (more: refused); cycles and junk nodes skipped."""
    from pdfminer.pdftypes import resolve1
    count = root.get("Count") if isinstance(root, dict) else None
    if isinstance(count, int) and count > MAX_PAGES:
        raise _too_many(path, count)
    out: list[dict] = []
    stack, seen = [root], set()
    while stack:
        node = resolve1(stack.pop())
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        kids = resolve1(node.get("Kids"))
        if isinstance(kids, list) and (node.get("Type") is None or getattr(node.get("Type"), "name", "") != "Page"):
            stack.extend(reversed(kids))
        else:
            out.append(node)
            if len(out) > MAX_PAGES:
                raise _too_many(path, None)
        if len(seen) > 20 * MAX_PAGES + 1000:      # a tree of intermediate nodes with no pages in it
            raise _too_many(path, None)
    return out


def _too_many(path: Path, count: int | None) -> InputError:
    n = f"共 {count} 页，" if count else ""
    return InputError(f"{path.name} {n}超过 {MAX_PAGES} 页上限：请只导入部门预算公开部分")


def _streams(page: dict, resolve1, stream_type, seen: set) -> list:
    """The page's content streams and its XObjects' streams (each stream once per file)."""
    out = []
    contents = resolve1(page.get("Contents"))
    items = contents if isinstance(contents, list) else [contents]
    resources = resolve1(page.get("Resources"))
    if isinstance(resources, dict):
        xobjects = resolve1(resources.get("XObject"))
        if isinstance(xobjects, dict):
            items += list(xobjects.values())
    for item in items:
        s = resolve1(item)
        if isinstance(s, stream_type) and id(s) not in seen:
            seen.add(id(s))
            out.append(s)
    return out


def _inflated_size(stream, budget: int) -> tuple[int, bool, int]:
    """Bytes the stream inflates to (stopping once past `budget`), whether it inflated cleanly, and how many
    drawing operators it holds (counted per 1 MB piece: an operator cut at a boundary may be missed)."""
    from pdfminer.pdftypes import resolve1
    filters = resolve1(stream.attrs.get("Filter"))
    names = [getattr(resolve1(f), "name", f) for f in (filters if isinstance(filters, list) else [filters])]
    raw = stream.rawdata if stream.rawdata is not None else b""
    if not names or names == [None] or names[0] not in ("FlateDecode", "Fl"):
        return len(raw), True, len(_OPS.findall(raw[:budget]))
    d = zlib.decompressobj()
    size, ops, data = 0, 0, raw
    try:
        while data and size <= budget:
            out = d.decompress(data, _CHUNK)
            size += len(out)
            ops += len(_OPS.findall(out))
            data = d.unconsumed_tail
    except zlib.error:
        return size, False, ops
    return size, True, ops
