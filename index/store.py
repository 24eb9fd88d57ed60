"""The store: facts, tables, sections, change facts and page texts in SQLite; retrieval chunks in a
persistent ChromaDB collection (one per document) through llama-index's `ChromaVectorStore`.

Atomicity: a document's vectors go into a fresh collection first, then every row of the document is written
in one SQLite transaction that also records the collection's name. A process killed before the commit
leaves only an unreferenced collection, which the next open deletes; readers never see half a document.
The schema version and the embedding's signature are recorded; an older schema is migrated in place
(columns added, nothing lost), a newer one or another embedding is refused with a message that says what to do.

Writers (add, remove, reindex) hold the store's `WriterLock` (index/locking.py), and collections not named by
any document are dropped only while holding it, so no process drops a collection another is still writing.
The vector side (the Chroma client, collections, `reindex`, `vector_search`) is index/vectors.py, mixed in.
"""
from __future__ import annotations

import json
import os
import sqlite3
from decimal import Decimal
from pathlib import Path

from .chunks import Chunk
from .errors import NotFound, StoreError
from .locking import WriterLock
from .models import (PARSER_VERSION, SCHEMA_VERSION, ChangeFact, Document, Fact, ParsedDocument, Section, Table)
from .models import CountFact, StockFact
from .vectors import VectorIndex

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, department TEXT, year INTEGER, kind TEXT,
  unit TEXT, source_files TEXT, hashes TEXT, pages INTEGER, collection TEXT, ingested_at TEXT, parser INTEGER,
  unreadable TEXT DEFAULT '[]',
  kind_detail TEXT DEFAULT '', units TEXT DEFAULT '[]', tables_unreadable INTEGER DEFAULT 0);
CREATE TABLE IF NOT EXISTS tables (doc TEXT, id TEXT, title TEXT, unit TEXT, columns TEXT, pages TEXT,
  note TEXT, ord INTEGER,
  role TEXT DEFAULT 'other', printed TEXT DEFAULT '', per_unit INTEGER DEFAULT 0,
  PRIMARY KEY (doc, id));
CREATE TABLE IF NOT EXISTS facts (doc TEXT, tbl TEXT, row TEXT, code TEXT, path TEXT, level INTEGER,
  col TEXT, value TEXT, unit TEXT, page INTEGER, raw TEXT, row_index INTEGER, is_total INTEGER, side TEXT,
  parent_code TEXT, ord INTEGER,
  entity TEXT DEFAULT '', measure TEXT DEFAULT '');
CREATE INDEX IF NOT EXISTS facts_doc ON facts (doc, ord);
CREATE TABLE IF NOT EXISTS sections (doc TEXT, id TEXT, heading TEXT, text TEXT, pages TEXT, ord INTEGER);
CREATE TABLE IF NOT EXISTS changes (doc TEXT, subject TEXT, value TEXT, unit TEXT, delta TEXT, percent TEXT,
  reason TEXT, quote TEXT, section TEXT, page INTEGER, ord INTEGER,
  base TEXT);
CREATE TABLE IF NOT EXISTS counts (doc TEXT, subject TEXT, value TEXT, unit TEXT, as_of TEXT, quote TEXT,
  section TEXT, page INTEGER, ord INTEGER);
CREATE TABLE IF NOT EXISTS stocks (doc TEXT, subject TEXT, value TEXT, unit TEXT, as_of TEXT, quote TEXT,
  section TEXT, page INTEGER, ord INTEGER);
CREATE TABLE IF NOT EXISTS pages (doc TEXT, page INTEGER, text TEXT, PRIMARY KEY (doc, page));
CREATE TABLE IF NOT EXISTS chunks (doc TEXT, id TEXT, kind TEXT, text TEXT, source TEXT, section TEXT,
  page INTEGER, meta TEXT, ord INTEGER, tokens TEXT);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc, ord);
CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT DEFAULT CURRENT_TIMESTAMP,
  doc TEXT, question TEXT, answer TEXT, rating INTEGER, comment TEXT);
"""
_DOC_TABLES = ("tables", "facts", "sections", "changes", "pages", "chunks",
               "counts", "stocks")
# schema N -> N+1: statements that bring an older store up to date without losing anything
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: ("ALTER TABLE documents ADD COLUMN unreadable TEXT DEFAULT '[]'",      # issue 11: unreadable pages
        # issue 8: the document header and table roles, units per fact (older documents keep the defaults)
        "ALTER TABLE documents ADD COLUMN kind_detail TEXT DEFAULT ''",
        "ALTER TABLE documents ADD COLUMN units TEXT DEFAULT '[]'",
        "ALTER TABLE documents ADD COLUMN tables_unreadable INTEGER DEFAULT 0",
        "ALTER TABLE tables ADD COLUMN role TEXT DEFAULT 'other'",
        "ALTER TABLE tables ADD COLUMN printed TEXT DEFAULT ''",
        "ALTER TABLE tables ADD COLUMN per_unit INTEGER DEFAULT 0",
        "ALTER TABLE facts ADD COLUMN entity TEXT DEFAULT ''",
        "ALTER TABLE facts ADD COLUMN measure TEXT DEFAULT ''",
        "ALTER TABLE changes ADD COLUMN base TEXT"),    # issue 8: a change against a printed base
}


def default_store_dir() -> Path:
    env = os.environ.get("BUDGETQA_STORE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "budgetqa"


def _d(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class Store(VectorIndex):
    """One folder: `budgetqa.sqlite` and `chroma/`."""

    def __init__(self, path: Path | str, embed_model=None):
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"--store {self.path} 是一个文件，不是文件夹；请指定一个文件夹（不存在会自动创建）")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"无法创建存储文件夹 {self.path}（{e.strerror}）；请用 --store 指定可写的文件夹") from e
        self.lock = WriterLock(self.path)
        self.read_only = False
        self._embed_model = embed_model
        if embed_model is None:
            from ._ngram import DEFAULT_SIGNATURE   # known without importing llama-index (a second of start-up)
            self.embedding = DEFAULT_SIGNATURE
        else:
            from .embedding import embedding_signature
            self.embedding = embedding_signature(embed_model)
        try:
            self.db = self._connect()
            self._check_version()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"存储 {self.path} 无法打开（{e}）；请删除该文件夹后重新导入，或用 --store 指定新文件夹") from e
        self._chroma = None
        self._unswept = False            # opened ahead (open_chroma), orphans not yet swept
        self._chroma_error: str | None = None
        self._cache: dict[str, ParsedDocument] = {}

    @property
    def embed_model(self):
        if self._embed_model is None:
            from .embedding import CharNGramEmbedding
            self._embed_model = CharNGramEmbedding()
        return self._embed_model

    # -- opening and version -----------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        file = self.path / "budgetqa.sqlite"
        if not os.access(self.path, os.W_OK) or (file.exists() and not os.access(file, os.W_OK)):
            if not file.exists():
                raise StoreError(f"存储文件夹 {self.path} 不可写，也还没有数据；请用 --store 指定可写的文件夹")
            self.read_only = True        # answering works; writing says what to do (WriterLock)
            db = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False,
                                 timeout=30)
            try:
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:     # a WAL database without a writable -shm: read it as a snapshot
                db.close()
                db = sqlite3.connect(f"{file.resolve().as_uri()}?immutable=1", uri=True, check_same_thread=False)
            return db
        db = sqlite3.connect(file, check_same_thread=False, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def _check_version(self) -> None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables and tables:
            raise StoreError(f"存储 {self.path} 来自旧版本，无法读取；请删除该文件夹（或换一个 --store）后重新导入文档")
        if self.read_only and "meta" not in tables:
            raise StoreError(f"存储 {self.path} 不可写，也还没有数据；请用 --store 指定可写的文件夹")
        if not self.read_only:
            self.db.executescript(_SCHEMA)
        meta = dict(self.db.execute("SELECT key, value FROM meta"))
        if not meta:
            with self.db:
                self.db.executemany("INSERT INTO meta VALUES (?, ?)",
                                    [("schema_version", str(SCHEMA_VERSION)), ("embedding", self.embedding)])
            return
        version = meta.get("schema_version") or "?"
        if version.isdigit() and int(version) < SCHEMA_VERSION and all(
                v in _MIGRATIONS for v in range(int(version), SCHEMA_VERSION)):
            if self.read_only:
                raise StoreError(f"存储 {self.path} 的格式版本是 {version}，需要升级到 {SCHEMA_VERSION}，但文件夹不可写；"
                                 "请给该文件夹写权限后再运行一次（升级不会丢失数据）")
            self._migrate(int(version))
        elif version != str(SCHEMA_VERSION):
            raise StoreError(f"存储 {self.path} 的格式版本是 {version}，本程序需要 {SCHEMA_VERSION}；"
                             "请删除该文件夹（或换一个 --store）后重新导入文档")
        if meta.get("embedding") != self.embedding:
            raise StoreError(f"存储 {self.path} 由嵌入模型 {meta.get('embedding')} 建立，当前为 {self.embedding}；"
                             "请换回原模型，或删除该文件夹后重新导入")

    def _migrate(self, version: int) -> None:
        """Bring an older schema up to date in one transaction, under the writer lock."""
        with self.lock, self.db:
            current = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
            if current == str(SCHEMA_VERSION):       # another process migrated it while we waited
                return
            for v in range(version, SCHEMA_VERSION):
                for stmt in _MIGRATIONS[v]:
                    parts = stmt.split()        # ALTER TABLE <table> ADD COLUMN <name> …: skip a column already there
                    if parts[:2] == ["ALTER", "TABLE"] and parts[3:5] == ["ADD", "COLUMN"] and parts[5] in {
                            r[1] for r in self.db.execute(f"PRAGMA table_info({parts[2]})")}:
                        continue
                    self.db.execute(stmt)
            self.db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    def writing(self) -> WriterLock:
        """The store's writer lock (re-entrant): hold it around anything that writes the store."""
        return self.lock

    # -- writing -----------------------------------------------------------------------------------
    def find_by_hashes(self, hashes: tuple[str, ...]) -> Document | None:
        """The document read from exactly these files by the current reader (an older reading doesn't count)."""
        current = {r[0] for r in self.db.execute("SELECT id FROM documents WHERE parser=?", (PARSER_VERSION,))}
        for doc in self.documents():
            if tuple(doc.hashes) == tuple(hashes) and doc.id in current:
                return doc
        return None

    def existing(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents() if d.id == doc_id), None)

    def add(self, parsed: ParsedDocument, chunks: list[Chunk]) -> None:
        """Add (or replace) a document atomically, holding the writer lock. Callers decide about replacing
        (index.ingest.ingest refuses an id clash unless asked to replace)."""
        with self.lock:
            self.drop_orphans()
            collection = self._build_collection(chunks)
            doc = parsed.document
            old = self.db.execute("SELECT collection FROM documents WHERE id=?", (doc.id,)).fetchone()
            with self.db:
                self._delete_rows(doc.id)
                self._insert(parsed, chunks, collection)
            self._cache.pop(doc.id, None)
            if old and old[0]:
                self._delete_collection(old[0])

    def _insert(self, parsed: ParsedDocument, chunks: list[Chunk], collection: str) -> None:
        d = parsed.document
        ex = self.db.execute
        ex("INSERT INTO documents (id, department, year, kind, unit, source_files, hashes, pages, collection, "
           "ingested_at, parser, unreadable) VALUES (?,?,?,?,?,?,?,?,?,datetime('now'),?,?)",
           (d.id, d.department, d.year, d.kind, d.unit, json.dumps(d.source_files, ensure_ascii=False),
            json.dumps(d.hashes), d.pages, collection, PARSER_VERSION, json.dumps(list(d.unreadable_pages))))
        # header fields (schema 3, readers): kept apart from the row above so other additions merge cleanly
        ex("UPDATE documents SET kind_detail=?, units=?, tables_unreadable=? WHERE id=?",
           (d.kind_detail, json.dumps(d.units, ensure_ascii=False), int(d.tables_unreadable), d.id))
        self.db.executemany("INSERT INTO tables (doc, id, title, unit, columns, pages, note, ord, "
                            "role, printed, per_unit) VALUES (?,?,?,?,?,?,?,?,?,?,?)", [
            (d.id, t.id, t.title, t.unit, json.dumps(t.columns, ensure_ascii=False), json.dumps(t.pages), t.note, i,
             t.role, t.printed, int(t.per_unit))
            for i, t in enumerate(parsed.tables)])
        self.db.executemany("INSERT INTO facts (doc, tbl, row, code, path, level, col, value, unit, page, raw, "
                            "row_index, is_total, side, parent_code, ord, "
                            "entity, measure) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
            (d.id, f.table, f.row, f.code, json.dumps(f.path, ensure_ascii=False), f.level, f.column, str(f.value),
             f.unit, f.page, f.raw, f.row_index, int(f.is_total), f.side, f.parent_code, i,
             f.entity, f.measure)
            for i, f in enumerate(parsed.facts)])
        self.db.executemany("INSERT INTO sections VALUES (?,?,?,?,?,?)", [
            (d.id, s.id, json.dumps(s.heading, ensure_ascii=False), s.text, json.dumps(s.pages), i)
            for i, s in enumerate(parsed.sections)])
        self.db.executemany("INSERT INTO changes VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [
            (d.id, c.subject, _s(c.value), c.unit, _s(c.delta), _s(c.percent), c.reason, c.quote, c.section,
             c.page, i, _s(c.base)) for i, c in enumerate(parsed.changes)])
        for table, items in (("counts", parsed.counts), ("stocks", parsed.stocks)):      # index.statements
            self.db.executemany(f"INSERT INTO {table} VALUES (?,?,?,?,?,?,?,?,?)", [
                (d.id, c.subject, str(c.value), c.unit, c.as_of, c.quote, c.section, c.page, i)
                for i, c in enumerate(items)])
        self.db.executemany("INSERT INTO pages VALUES (?,?,?)",
                            [(d.id, i + 1, t) for i, t in enumerate(parsed.page_texts)])
        self.db.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?)", [
            (d.id, c.id, c.kind, c.text, c.source, c.section, c.page, c.meta, i,
             json.dumps(c.tokens, ensure_ascii=False) if c.tokens else None) for i, c in enumerate(chunks)])

    def _delete_rows(self, doc_id: str) -> None:
        self.db.execute("DELETE FROM documents WHERE id=?", (doc_id,))
        for t in _DOC_TABLES:
            self.db.execute(f"DELETE FROM {t} WHERE doc=?", (doc_id,))

    def remove(self, doc_id: str) -> None:
        with self.lock:
            row = self.db.execute("SELECT collection FROM documents WHERE id=?", (doc_id,)).fetchone()
            if not row:
                raise NotFound(f"存储中没有文档 {doc_id}；用 `budgetqa docs` 查看已有文档")
            with self.db:
                self._delete_rows(doc_id)
            self._cache.pop(doc_id, None)
            self._delete_collection(row[0])

    # -- reading -----------------------------------------------------------------------------------
    def documents(self) -> list[Document]:
        rows = self.db.execute("SELECT id, department, year, kind, unit, source_files, hashes, pages, unreadable, "
                               "kind_detail, units, tables_unreadable "
                               "FROM documents ORDER BY ingested_at, id").fetchall()
        return [Document(id=r[0], department=r[1], year=r[2], kind=r[3], unit=r[4],
                         source_files=tuple(json.loads(r[5])), hashes=tuple(json.loads(r[6])), pages=r[7],
                         unreadable_pages=tuple(json.loads(r[8] or "[]")),
                         kind_detail=r[9] or "", units=tuple(json.loads(r[10] or "[]")),
                         tables_unreadable=bool(r[11]))
                for r in rows]

    def resolve(self, ref: str | None) -> Document:
        """A document by id or by the file name it was ingested from; the only one when ref is None."""
        docs = self.documents()
        if not docs:
            raise NotFound("存储中还没有文档；先用 `budgetqa ingest 文件` 导入")
        if ref is None:
            if len(docs) == 1:
                return docs[0]
            raise NotFound("存储中有多份文档，请用 --doc 指定：" + "、".join(d.id for d in docs))
        for d in docs:
            if ref == d.id or ref in d.source_files or Path(ref).name in d.source_files:
                return d
        raise NotFound(f"存储中没有文档 {ref}；可用的有：" + "、".join(d.id for d in docs))

    def load(self, doc_id: str) -> ParsedDocument:
        """Everything of one document, read once and kept in memory."""
        if doc_id in self._cache:
            return self._cache[doc_id]
        doc = next((d for d in self.documents() if d.id == doc_id), None)
        if doc is None:
            raise NotFound(f"存储中没有文档 {doc_id}")
        q = lambda sql: self.db.execute(sql, (doc_id,)).fetchall()  # noqa: E731
        tables = tuple(Table(id=r[0], title=r[1], unit=r[2], columns=tuple(json.loads(r[3])),
                             pages=tuple(json.loads(r[4])), note=r[5],
                             role=r[6] or "other", printed=r[7] or "", per_unit=bool(r[8]))
                       for r in q("SELECT id, title, unit, columns, pages, note, "
                                  "role, printed, per_unit FROM tables WHERE doc=? ORDER BY ord"))
        facts = tuple(Fact(doc=doc_id, table=r[0], row=r[1], code=r[2], path=tuple(json.loads(r[3])), level=r[4],
                           column=r[5], value=Decimal(r[6]), unit=r[7], page=r[8], raw=r[9], row_index=r[10],
                           is_total=bool(r[11]), side=r[12], parent_code=r[13],
                           entity=r[14] or "", measure=r[15] or "")
                      for r in q("SELECT tbl, row, code, path, level, col, value, unit, page, raw, row_index, "
                                 "is_total, side, parent_code, "
                                 "entity, measure FROM facts WHERE doc=? ORDER BY ord"))
        sections = tuple(Section(id=r[0], heading=tuple(json.loads(r[1])), text=r[2], pages=tuple(json.loads(r[3])))
                         for r in q("SELECT id, heading, text, pages FROM sections WHERE doc=? ORDER BY ord"))
        changes = tuple(ChangeFact(subject=r[0], value=_d(r[1]), unit=r[2], delta=_d(r[3]), percent=_d(r[4]),
                                   reason=r[5], quote=r[6], section=r[7], page=r[8], base=_d(r[9]))
                        for r in q("SELECT subject, value, unit, delta, percent, reason, quote, section, page, base "
                                   "FROM changes WHERE doc=? ORDER BY ord"))
        stated = {t: tuple(cls(subject=r[0], value=Decimal(r[1]), unit=r[2], as_of=r[3], quote=r[4], section=r[5],
                               page=r[6])
                           for r in q(f"SELECT subject, value, unit, as_of, quote, section, page FROM {t} "
                                      "WHERE doc=? ORDER BY ord"))
                  for t, cls in (("counts", CountFact), ("stocks", StockFact))}
        pages = tuple(r[0] for r in q("SELECT text FROM pages WHERE doc=? ORDER BY page"))
        parsed = ParsedDocument(document=doc, tables=tables, facts=facts, sections=sections, changes=changes,
                                page_texts=pages, counts=stated["counts"], stocks=stated["stocks"])
        self._cache[doc_id] = parsed
        return parsed

    def forget(self, doc_id: str) -> None:
        """Drop the in-memory copy of a document (another connection may have rewritten it)."""
        self._cache.pop(doc_id, None)

    def chunks(self, doc_id: str, kind: str | None = None) -> list[Chunk]:
        sql = "SELECT id, doc, kind, text, source, section, page, meta, tokens FROM chunks WHERE doc=?"
        args: tuple = (doc_id,)
        if kind:
            sql += " AND kind=?"
            args += (kind,)
        return [Chunk(*r[:8], tokens=tuple(json.loads(r[8])) if r[8] else ())
                for r in self.db.execute(sql + " ORDER BY ord", args)]

    # -- feedback ----------------------------------------------------------------------------------
    def add_feedback(self, doc: str, question: str, answer: str, rating: int, comment: str = "") -> None:
        with self.db:
            self.db.execute("INSERT INTO feedback (doc, question, answer, rating, comment) VALUES (?,?,?,?,?)",
                            (doc, question, answer, rating, comment))

    def feedback(self) -> list[dict]:
        cur = self.db.execute("SELECT id, at, doc, question, answer, rating, comment FROM feedback ORDER BY id DESC")
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r)) for r in cur]

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())

    def close(self) -> None:
        self.db.close()


def fact_dict(f: Fact, titles: dict[str, str]) -> dict:
    """A fact as `facts --json` prints it (CONTRACT fields, then level, is_total, side, and the unit (单位) of a
    per-unit row and the column's measure, each null when there is none)."""
    return {"doc": f.doc, "table": titles.get(f.table, f.table), "row": f.row, "code": f.code, "path": list(f.path),
            "column": f.column, "value": str(f.value), "unit": f.unit, "page": f.page, "level": f.level,
            "is_total": f.is_total, "side": f.side or None, "entity": f.entity or None, "measure": f.measure or None}
