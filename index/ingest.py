"""Ingest files into the store: pick the reader, name the document, skip what is unchanged, audit nothing.

`ingest(store, paths, name)` reads one document (several files with a name form one document), builds
its chunks and adds it atomically. Re-ingesting files whose content hashes are already stored is a no-op.
`ensure_bundled(store)` ingests the bundled seed document into an empty store.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .chunks import document_chunks
from .errors import InputError
from .models import ParsedDocument, normalize_ws, page_of
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

    def line(self) -> str:
        state = "（未变化，跳过）" if self.unchanged else ""
        return (f"{self.doc}\t{self.department}\t{self.year or '-'}\tpages={self.pages}\ttables={self.tables}\t"
                f"facts={self.facts}\tchunks={self.chunks}{state}")


def bundled_path() -> Path:
    return Path(str(resources.files("index.data").joinpath(BUNDLED)))


def doc_id_for(paths: list[Path], name: str | None) -> str:
    base = name or paths[0].stem
    slug = re.sub(r"[^\w\u4e00-\u9fff.-]+", "-", base).strip("-")
    return slug or "document"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    head = path.read_bytes()[:4096]
    return b"\x00" not in head


def ingest(store: Store, paths: list[Path], name: str | None = None) -> IngestResult:
    paths = [Path(p) for p in paths]
    for p in paths:
        _check_file(p)
    hashes = tuple(file_hash(p) for p in paths)
    existing = store.find_by_hashes(hashes)
    if existing is not None:
        parsed = store.load(existing.id)
        return IngestResult(existing.id, existing.department, existing.year, existing.pages, len(parsed.tables),
                            len(parsed.facts), len(store.chunks(existing.id)), unchanged=True)
    parsed = read_document(paths, name)
    norm = [normalize_ws(t) for t in parsed.page_texts]      # once, not once per chunk
    chunks = document_chunks(parsed, lambda q, s: page_of(q, norm, s.pages, normalized=True))
    store.add(parsed, chunks)
    d = parsed.document
    return IngestResult(d.id, d.department, d.year, d.pages, len(parsed.tables), len(parsed.facts), len(chunks))


def ensure_bundled(store: Store) -> None:
    """Ingest the bundled document when the store is empty (so a fresh machine can answer at once), and
    re-read it when it was read by an older version of the reader."""
    docs = store.documents()
    path = bundled_path()
    if not docs:
        ingest(store, [path])
        return
    h = file_hash(path)
    for d in docs:
        if d.hashes == (h,) and store.find_by_hashes((h,)) is None:
            ingest(store, [path])
