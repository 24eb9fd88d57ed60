"""Ingest files into the store: pick the reader, name the document, skip what is unchanged, audit nothing.

`ingest(store, paths, name, replace=False)` reads one document (several files with a name form one
document), builds its chunks and adds it atomically under the store's writer lock. Re-ingesting files whose
content hashes are already stored is a no-op (after checking the document's vectors exist; missing ones are
rebuilt). An id that already names a different document raises `IdClash` (carrying the existing
`Document`) unless `replace=True`; the same file given twice is refused.

Reading runs in a worker process under time and memory limits (index/sandbox.py) after cheap checks
(index/limits.py); `read_checked` is what the worker runs: those checks, the reader, then the checks on what
was read (a repeated table number, no budget vocabulary, pages that could not be read).
`ensure_bundled(store)` ingests the bundled seed document into an empty store (in-process: it is ours).
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, replace as _replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .chunks import document_chunks
from .errors import IdClash, InputError
from .models import ParsedDocument, normalize_ws, page_of

if TYPE_CHECKING:                     # the worker process (index/sandbox.py) imports this module: not the store
    from .store import Store

MAX_BYTES = 200 * 1024 * 1024
BUNDLED = "huizhou-data-bureau-2024.txt"


@dataclass(frozen=True)
class IngestResult:
    doc: str
    department: str
    year: int | None
    pages: int
    tables: int
    facts: int
    chunks: int
    unchanged: bool = False
    unreadable_pages: tuple[int, ...] = ()
    reindexed: bool = False          # unchanged, but its vectors were missing and have been rebuilt

    def line(self) -> str:
        state = "（未变化，跳过）" if self.unchanged else ""
        if self.reindexed:
            state = "（未变化；向量索引缺失，已重建）"
        bad = ""
        if self.unreadable_pages:
            bad = (f"\tunreadable_pages={','.join(map(str, self.unreadable_pages))}"
                   "（这些页无法完整读取，其中的数字未导入；请核对原文件）")
        return (f"{self.doc}\t{self.department}\t{self.year or '-'}\tpages={self.pages}\ttables={self.tables}\t"
                f"facts={self.facts}\tchunks={self.chunks}{state}{bad}")


def bundled_path() -> Path:
    return Path(str(resources.files("index.data").joinpath(BUNDLED)))


def doc_id_for(paths: list[Path], name: str | None) -> str:
    base = name or paths[0].stem
    slug = re.sub(r"[^\w\u4e00-\u9fff.-]+", "-", base).strip("-")
    return slug or "document"


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: 文件不存在；请检查路径")
    if path.is_dir():
        raise InputError(f"{path}: 是文件夹，不是文件；请给出 PDF 或文本文件")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path.name}: 文件是空的；请导入含部门预算表和说明的 PDF 或文本导出")
    if size > MAX_BYTES:
        raise InputError(f"{path.name}: 文件超过 {MAX_BYTES // 1024 // 1024} MB；请拆分后再导入")
    try:
        with path.open("rb") as fh:
            fh.read(1)
    except OSError as e:
        raise InputError(f"{path}: 无法读取（{e.strerror}）；请检查文件权限后重试") from e


def _is_pdf(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(1024).lstrip().startswith(b"%PDF")


def read_document(paths: list[Path], name: str | None = None) -> ParsedDocument:
    """Parse files into one document (no store involved)."""
    for p in paths:
        _check_file(p)
    doc_id = doc_id_for(paths, name)
    pdfs = [p for p in paths if _is_pdf(p)]
    if pdfs and len(pdfs) != len(paths):
        raise InputError("不能把 PDF 和文本文件合成一份文档；请分别导入")
    if len(paths) > 1 and not name:
        raise InputError("多个文件合成一份文档时需要 --name 名称；或者分别导入每个文件")
    if pdfs:
        from .pdf import read_pdf
        return _with_statements(read_pdf(paths, doc_id, name))
    if len(paths) > 1:
        raise InputError("文本导出一次只能导入一个文件")
    if paths[0].suffix.lower() not in (".txt", ".text", ".md", "") and not _looks_text(paths[0]):
        raise InputError(f"{paths[0].name}: 既不是 PDF 也不是文本文件；请导入部门预算的 PDF 或文本导出")
    from .textexport import read_text_export
    return _with_statements(read_text_export(paths[0], doc_id))


def _with_statements(parsed: ParsedDocument) -> ParsedDocument:
    """The stated counts and stocks of the narrative (index.statements), whichever reader read it."""
    from dataclasses import replace

    from .statements import extract_statements
    counts, stocks = extract_statements(parsed.sections, list(enumerate(parsed.page_texts, 1)))
    return replace(parsed, counts=counts, stocks=stocks)


def _looks_text(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(4096)
    return b"\x00" not in head


def read_checked(paths: list[Path], name: str | None = None) -> ParsedDocument:
    """What the worker process runs: the cheap checks, the reader, the checks on its result."""
    from . import limits
    paths = [Path(p) for p in paths]
    for p in paths:
        _check_file(p)
    if all(_is_pdf(p) for p in paths):
        unreadable, offset = [], 0
        checks = [limits.check_pdf(p) for p in paths]
        total = sum(c.pages for c in checks)
        if total > limits.MAX_PAGES:
            raise InputError(f"{'、'.join(p.name for p in paths)} 共 {total} 页，超过 {limits.MAX_PAGES} 页上限："
                             "请只导入部门预算公开部分")
        for c in checks:
            unreadable += [offset + n for n in c.unreadable]
            offset += c.pages
        parsed = read_document(paths, name)
        d = parsed.document
        pages = tuple(sorted({*unreadable, *d.unreadable_pages}))
        parsed = _replace(parsed, document=_replace(d, unreadable_pages=pages))
    elif len(paths) == 1 and not any(_is_pdf(p) for p in paths):
        parsed = _read_text(paths[0], name)
    else:
        parsed = read_document(paths, name)          # refuses mixed or several text files with its own message
    _check_result(parsed, paths)
    return parsed


def _read_text(path: Path, name: str | None) -> ParsedDocument:
    from .limits import check_text
    from .textinput import damaged_pages, decode_export, drop_damaged
    check_text(path)
    if path.suffix.lower() not in (".txt", ".text", ".md", "") and not _looks_text(path):
        return read_document([path], name)           # refused there with the reader's own message
    raw = path.read_bytes()
    decoded = decode_export(raw)
    from .textexport import read_text_export
    parsed = read_text_export(path, doc_id_for([path], name), text=decoded.text)
    d = parsed.document
    pages = damaged_pages(decoded.marked) if decoded.damaged_lines else ()
    parsed = drop_damaged(parsed)
    return _replace(parsed, document=_replace(d, hashes=(hashlib.sha256(raw).hexdigest(),),
                                              unreadable_pages=tuple(sorted({*pages, *d.unreadable_pages}))))


# a budget disclosure always speaks of these; a ruled table of anything else (scores, timetables) does not
BUDGET_WORDS = ("预算", "决算", "支出", "收入", "财政", "拨款", "经费", "资金", "结转", "项目")
MIN_BUDGET_WORDS = 3


def _check_result(parsed: ParsedDocument, paths: list[Path]) -> None:
    names = "、".join(p.name for p in paths)
    text = "".join(parsed.page_texts) + "".join(t.title for t in parsed.tables)
    found = [w for w in BUDGET_WORDS if w in text]
    if len(found) < MIN_BUDGET_WORDS:
        raise InputError(f"{names} 里几乎没有预算用语（预算、支出、收入、财政拨款…），看起来不是部门预算公开文件；"
                         "请导入部门预算或决算公开文件")
    repeated = [tid for tid, n in Counter(t.id for t in parsed.tables).items() if n > 1]
    if repeated:
        raise InputError(f"{names} 里 {'、'.join(repeated[:5])} 出现了不止一次：文件可能是几份文档拼接而成；"
                         "请把每份部门预算分别导入")


def _refuse_duplicates(paths: list[Path], hashes: tuple[str, ...]) -> None:
    seen: dict[str, Path] = {}
    for p, h in zip(paths, hashes):
        if h in seen:
            same = "是同一个文件" if seen[h].resolve() == p.resolve() else f"与 {seen[h].name} 内容相同"
            raise InputError(f"输入文件重复（duplicate input files）：{p.name} {same}；每个文件只需给出一次")
        seen[h] = p


def _clash(store: Store, doc_id: str, hashes: tuple[str, ...], replace: bool) -> None:
    old = store.existing(doc_id)
    if old is None or replace or tuple(old.hashes) == tuple(hashes):
        return
    what = " ".join(x for x in (old.department or "未知部门", f"{old.year}年" if old.year else "", old.kind) if x)
    raise IdClash(f"文档名 {doc_id} 已被另一份文档使用：{what}（来自 {'、'.join(old.source_files)}）；"
                  "要替换它请加 --replace，或用 --name 另取一个名字", old)


def _unchanged(store: Store, hashes: tuple[str, ...]) -> IngestResult | None:
    existing = store.find_by_hashes(hashes)
    if existing is None:
        return None
    rebuilt = False
    if not store.has_vectors(existing.id):
        store.reindex(existing.id)
        rebuilt = True
    parsed = store.load(existing.id)
    return IngestResult(existing.id, existing.department, existing.year, existing.pages, len(parsed.tables),
                        len(parsed.facts), len(store.chunks(existing.id)), unchanged=True,
                        unreadable_pages=existing.unreadable_pages, reindexed=rebuilt)


def ingest(store: Store, paths: list[Path], name: str | None = None, replace: bool = False,
           isolate: bool = True) -> IngestResult:
    """Read and add one document. Raises `IdClash` (an `InputError` with `.existing`) when the id names a
    different stored document and `replace` is false; `InputError` for a file that cannot be read."""
    from . import warmup
    warmup.settle()                                  # one left running by an earlier failed reading
    paths = [Path(p) for p in paths]
    for p in paths:
        _check_file(p)
    hashes = tuple(file_hash(p) for p in paths)
    _refuse_duplicates(paths, hashes)
    doc_id = doc_id_for(paths, name)
    done = _unchanged(store, hashes)
    if done is not None:
        return done
    _clash(store, doc_id, hashes, replace)           # before the (slow) reading; again under the lock
    if isolate:
        from .sandbox import read_isolated
        warm = warmup.start(store)                   # the caller's start-up, on the core the worker leaves
        parsed = read_isolated(paths, name)
        warmup.join(warm)
    else:
        parsed = read_checked(paths, name)
    norm = [normalize_ws(t) for t in parsed.page_texts]      # once, not once per chunk
    chunks = document_chunks(parsed, lambda q, s: page_of(q, norm, s.pages, normalized=True))
    with store.writing():
        done = _unchanged(store, hashes)             # another process stored the same files meanwhile
        if done is not None:
            return done
        _clash(store, doc_id, hashes, replace)
        store.add(parsed, chunks)
    d = parsed.document
    return IngestResult(d.id, d.department, d.year, d.pages, len(parsed.tables), len(parsed.facts), len(chunks),
                        unreadable_pages=d.unreadable_pages)


def ensure_bundled(store: Store) -> None:
    """Ingest the bundled document when the store is empty (so a fresh machine can answer at once), and
    re-read it when it was read by an older version of the reader."""
    docs = store.documents()
    path = bundled_path()
    if not docs:
        ingest(store, [path], isolate=False)
        return
    h = file_hash(path)
    for d in docs:
        if d.hashes == (h,) and store.find_by_hashes((h,)) is None:
            ingest(store, [path], isolate=False)
