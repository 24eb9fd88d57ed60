"""The store: facts, tables, sections, change facts and page texts in SQLite; retrieval chunks in a
persistent ChromaDB collection (one per document) through llama-index's `ChromaVectorStore`.

Atomicity: a document's vectors go into a fresh collection first, then every row of the document is written
in one SQLite transaction that also records the collection's name. A process killed before the commit
leaves only an unreferenced collection, which the next open deletes; readers never see half a document.
The schema version and the embedding's signature are recorded; a mismatch is refused with a message that
says how to rebuild.
"""
from __future__ import annotations

import json
import os
import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path

from .chunks import Chunk
from .errors import NotFound, StoreError
from .models import (PARSER_VERSION, SCHEMA_VERSION, ChangeFact, Document, Fact, ParsedDocument, Section, Table)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, department TEXT, year INTEGER, kind TEXT,
  unit TEXT, source_files TEXT, hashes TEXT, pages INTEGER, collection TEXT, ingested_at TEXT, parser INTEGER,
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
  reason TEXT, quote TEXT, section TEXT, page INTEGER, ord INTEGER);
CREATE TABLE IF NOT EXISTS pages (doc TEXT, page INTEGER, text TEXT, PRIMARY KEY (doc, page));
CREATE TABLE IF NOT EXISTS chunks (doc TEXT, id TEXT, kind TEXT, text TEXT, source TEXT, section TEXT,
  page INTEGER, meta TEXT, ord INTEGER, tokens TEXT);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc, ord);
CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT DEFAULT CURRENT_TIMESTAMP,
  doc TEXT, question TEXT, answer TEXT, rating INTEGER, comment TEXT);
"""
_DOC_TABLES = ("tables", "facts", "sections", "changes", "pages", "chunks")


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


class Store:
    """One folder: `budgetqa.sqlite` and `chroma/`."""

    def __init__(self, path: Path | str, embed_model=None):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._embed_model = embed_model
        if embed_model is None:
            from ._ngram import DEFAULT_SIGNATURE   # known without importing llama-index (a second of start-up)
            self.embedding = DEFAULT_SIGNATURE
        else:
            from .embedding import embedding_signature
            self.embedding = embedding_signature(embed_model)
        try:
            self.db = sqlite3.connect(self.path / "budgetqa.sqlite", check_same_thread=False, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self._check_version()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"存储 {self.path} 无法打开（{e}）；请删除该文件夹后重新导入，或用 --store 指定新文件夹") from e
        self._chroma = None
        self._cache: dict[str, ParsedDocument] = {}

    @property
    def embed_model(self):
        if self._embed_model is None:
            from .embedding import CharNGramEmbedding
            self._embed_model = CharNGramEmbedding()
        return self._embed_model

    # -- version -----------------------------------------------------------------------------------
    def _check_version(self) -> None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables and tables:
            raise StoreError(f"存储 {self.path} 来自旧版本，无法读取；请删除该文件夹（或换一个 --store）后重新导入文档")
        self.db.executescript(_SCHEMA)
        meta = dict(self.db.execute("SELECT key, value FROM meta"))
        if not meta:
            with self.db:
                self.db.executemany("INSERT INTO meta VALUES (?, ?)",
                                    [("schema_version", str(SCHEMA_VERSION)), ("embedding", self.embedding)])
            return
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            raise StoreError(f"存储 {self.path} 的格式版本是 {meta.get('schema_version')}，本程序需要 {SCHEMA_VERSION}；"
                             "请删除该文件夹（或换一个 --store）后重新导入文档")
        if meta.get("embedding") != self.embedding:
            raise StoreError(f"存储 {self.path} 由嵌入模型 {meta.get('embedding')} 建立，当前为 {self.embedding}；"
                             "请换回原模型，或删除该文件夹后重新导入")

    # -- chroma ------------------------------------------------------------------------------------
    @property
    def chroma(self):
        if self._chroma is None:
            import chromadb
            from chromadb.config import Settings
            self._chroma = chromadb.PersistentClient(
                path=str(self.path / "chroma"),
                settings=Settings(anonymized_telemetry=False, allow_reset=False))
            self._drop_orphans()
        return self._chroma

    def _drop_orphans(self) -> None:
        used = {r[0] for r in self.db.execute("SELECT collection FROM documents")}
        for col in self._chroma.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith("bq_") and name not in used:
                self._chroma.delete_collection(name)

    def vector_store(self, collection: str):
        from llama_index.vector_stores.chroma import ChromaVectorStore
        col = self.chroma.get_or_create_collection(collection, metadata={"hnsw:space": "cosine"})
        return ChromaVectorStore(chroma_collection=col)

    # -- writing -----------------------------------------------------------------------------------
    def find_by_hashes(self, hashes: tuple[str, ...]) -> Document | None:
        """The document read from exactly these files by the current reader (an older reading doesn't count)."""
        current = {r[0] for r in self.db.execute("SELECT id FROM documents WHERE parser=?", (PARSER_VERSION,))}
        for doc in self.documents():
            if tuple(doc.hashes) == tuple(hashes) and doc.id in current:
                return doc
        return None

    def add(self, parsed: ParsedDocument, chunks: list[Chunk]) -> None:
        """Add (or replace) a document atomically."""
        from llama_index.core.schema import TextNode
        doc = parsed.document
        collection = f"bq_{uuid.uuid4().hex[:16]}"
        vs = self.vector_store(collection)
        nodes = []
        # the model's own batch method: llama-index's instrumented wrapper costs more than our embedding
        embeddings = self.embed_model._get_text_embeddings([c.text for c in chunks])
        for c, emb in zip(chunks, embeddings):
            node = TextNode(id_=c.id, text=c.text, embedding=emb,
                            metadata={"doc": c.doc, "kind": c.kind, "source": c.source,
                                      "section": c.section, "page": c.page})
            node.excluded_embed_metadata_keys = list(node.metadata)
            node.excluded_llm_metadata_keys = ["doc", "kind"]
            nodes.append(node)
        for i in range(0, len(nodes), 2000):
            vs.add(nodes[i:i + 2000])
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
           "ingested_at, parser) VALUES (?,?,?,?,?,?,?,?,?,datetime('now'),?)",
           (d.id, d.department, d.year, d.kind, d.unit, json.dumps(d.source_files, ensure_ascii=False),
            json.dumps(d.hashes), d.pages, collection, PARSER_VERSION))
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
        self.db.executemany("INSERT INTO changes VALUES (?,?,?,?,?,?,?,?,?,?,?)", [
            (d.id, c.subject, _s(c.value), c.unit, _s(c.delta), _s(c.percent), c.reason, c.quote, c.section,
             c.page, i) for i, c in enumerate(parsed.changes)])
        self.db.executemany("INSERT INTO pages VALUES (?,?,?)",
                            [(d.id, i + 1, t) for i, t in enumerate(parsed.page_texts)])
        self.db.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?)", [
            (d.id, c.id, c.kind, c.text, c.source, c.section, c.page, c.meta, i,
             json.dumps(c.tokens, ensure_ascii=False) if c.tokens else None) for i, c in enumerate(chunks)])

    def _delete_rows(self, doc_id: str) -> None:
        self.db.execute("DELETE FROM documents WHERE id=?", (doc_id,))
        for t in _DOC_TABLES:
            self.db.execute(f"DELETE FROM {t} WHERE doc=?", (doc_id,))

    def _delete_collection(self, name: str) -> None:
        try:
            self.chroma.delete_collection(name)
        except Exception:   # already gone: nothing to clean
            pass

    def remove(self, doc_id: str) -> None:
        row = self.db.execute("SELECT collection FROM documents WHERE id=?", (doc_id,)).fetchone()
        if not row:
            raise NotFound(f"存储中没有文档 {doc_id}；用 `budgetqa docs` 查看已有文档")
        with self.db:
            self._delete_rows(doc_id)
        self._cache.pop(doc_id, None)
        self._delete_collection(row[0])

    # -- reading -----------------------------------------------------------------------------------
    def documents(self) -> list[Document]:
        rows = self.db.execute("SELECT id, department, year, kind, unit, source_files, hashes, pages, "
                               "kind_detail, units, tables_unreadable "
                               "FROM documents ORDER BY ingested_at, id").fetchall()
        return [Document(id=r[0], department=r[1], year=r[2], kind=r[3], unit=r[4],
                         source_files=tuple(json.loads(r[5])), hashes=tuple(json.loads(r[6])), pages=r[7],
                         kind_detail=r[8] or "", units=tuple(json.loads(r[9] or "[]")),
                         tables_unreadable=bool(r[10]))
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
                                   reason=r[5], quote=r[6], section=r[7], page=r[8])
                        for r in q("SELECT subject, value, unit, delta, percent, reason, quote, section, page "
                                   "FROM changes WHERE doc=? ORDER BY ord"))
        pages = tuple(r[0] for r in q("SELECT text FROM pages WHERE doc=? ORDER BY page"))
        parsed = ParsedDocument(document=doc, tables=tables, facts=facts, sections=sections, changes=changes,
                                page_texts=pages)
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

    def vector_search(self, doc_id: str, query: str, k: int = 8, kind: str | None = None) -> list[tuple[str, float]]:
        """(chunk id, similarity) of the k nearest chunks of one document."""
        row = self.db.execute("SELECT collection FROM documents WHERE id=?", (doc_id,)).fetchone()
        if not row:
            raise NotFound(f"存储中没有文档 {doc_id}")
        if self._embed_model is None:        # the default embedding, computed without importing llama-index
            from ._ngram import embed_text
            vector = embed_text(query)
        else:
            vector = self.embed_model.get_query_embedding(query)
        # the collection written through ChromaVectorStore, queried directly (same ids, same metadata)
        col = self.chroma.get_collection(row[0])
        res = col.query(query_embeddings=[vector], n_results=k, where={"kind": kind} if kind else None,
                        include=["distances"])
        ids, dists = res["ids"][0], res["distances"][0]
        return [(i, 1.0 - d) for i, d in zip(ids, dists)]

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
    return {"doc": f.doc, "table": titles.get(f.table, f.table), "row": f.row, "code": f.code, "path": list(f.path),
            "column": f.column, "value": str(f.value), "unit": f.unit, "page": f.page, "level": f.level,
            "is_total": f.is_total, "side": f.side or None}
