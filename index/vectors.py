"""The store's vector side: one persistent ChromaDB collection per document holding the records llama-index's
`ChromaVectorStore` writes for TextNodes (the narrative chunks, `VECTOR_KINDS`) carrying our own embeddings (index._noderecords builds them without
importing llama-index; `vector_store()` gives the llama-index view of a collection), searched directly with
Chroma's query.

`VectorIndex` is mixed into `index.store.Store`, whose SQLite rows name each document's collection; it
uses the store's `path`, `db`, `lock`, `read_only`, `embed_model`, `documents()` and `chunks()`.
- The Chroma client is created once per Store under a process-wide lock (concurrent first use crashes
  chromadb); `open_chroma()` opens it ahead of use (index.warmup) and leaves the orphan sweep to that use.
- Collections not named by any document are dropped only under the writer lock (no other writer is mid-way).
- A missing or damaged Chroma folder raises `VectorIndexError` from `vector_search` (retrieval then falls back
  to BM25); `reindex` rebuilds the vectors from the chunks stored in SQLite.

Does not handle: the SQLite side (documents, facts, chunks), the atomic add (index.store does both).
"""
from __future__ import annotations

import threading
import time
import uuid

from .chunks import Chunk
from .errors import NotFound, VectorIndexError

_CHROMA_LOCK = threading.Lock()          # chromadb's client must not be created by two threads at once
# the kinds of chunk retrieval looks up by meaning: a table cell is found by its label and code (SQLite, BM25),
# and its vectors cost three quarters of Chroma's add (0.55 s of a 21-page document) for no search that uses them
VECTOR_KINDS = ("narrative",)


class VectorIndex:
    """The Chroma half of a Store (see the module docstring for what it expects of the store; the store's
    constructor sets `_chroma` and `_unswept`)."""

    @property
    def chroma(self):
        """The Chroma client, created once (under a lock: concurrent first use crashes chromadb)."""
        if self._chroma is None or self._unswept:
            with _CHROMA_LOCK:
                if self._chroma is None:
                    self._chroma = self._open_chroma()
                    self._unswept = True
                if self._unswept:
                    self._unswept = False
                    if not self.read_only and self.lock.try_enter():   # no writer is mid-way: clean up
                        try:
                            self.drop_orphans()
                        except (KeyboardInterrupt, SystemExit):
                            raise
                        except BaseException:
                            pass
                        finally:
                            self.lock.__exit__(None, None, None)
        return self._chroma

    def open_chroma(self) -> None:
        """Open the client ahead of its first use (index.warmup), leaving the orphan sweep to that use."""
        if self._chroma is None and not self.read_only:
            with _CHROMA_LOCK:
                if self._chroma is None:
                    client = self._open_chroma()
                    self._unswept = True         # before the client is visible to the lock-free check
                    self._chroma = client

    def _open_chroma(self):
        import chromadb
        from chromadb.config import Settings
        try:
            return chromadb.PersistentClient(path=str(self.path / "chroma"),
                                             settings=Settings(anonymized_telemetry=False, allow_reset=False))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as e:           # chromadb's Rust side raises PanicException (a BaseException)
            raise VectorIndexError(self._vector_message(e)) from e

    def _vector_message(self, e: BaseException) -> str:
        return (f"存储 {self.path} 的向量索引（chroma/）缺失或损坏（{type(e).__name__}）；表格类问题照常回答，"
                "叙述类问题只用关键词检索；请运行 `budgetqa reindex` 重建向量索引")

    def drop_orphans(self) -> None:
        """Delete collections no document names; only under the writer lock (no other writer is mid-way)."""
        assert self.lock.held, "drop_orphans needs the writer lock"
        used = {r[0] for r in self.db.execute("SELECT collection FROM documents")}
        for col in self.chroma.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith("bq_") and name not in used:
                self._delete_collection(name)

    def vector_store(self, collection: str):
        from llama_index.vector_stores.chroma import ChromaVectorStore
        col = self.chroma.get_or_create_collection(collection, metadata={"hnsw:space": "cosine"})
        return ChromaVectorStore(chroma_collection=col)

    def _build_collection(self, chunks: list[Chunk]) -> str:
        """A fresh collection holding the chunks' vectors; its name. The records are those llama-index's
        `ChromaVectorStore` writes for our TextNodes (index._noderecords), added with Chroma's own call."""
        from ._noderecords import node_records
        chunks = [c for c in chunks if c.kind in VECTOR_KINDS]
        collection = f"bq_{uuid.uuid4().hex[:16]}"
        try:
            col = self.chroma.get_or_create_collection(collection, metadata={"hnsw:space": "cosine"})
        except VectorIndexError:
            raise
        except Exception as e:
            raise VectorIndexError(self._vector_message(e)) from e
        texts = [c.text for c in chunks]
        if self._embed_model is None:        # the default embedding, computed without importing llama-index
            from ._ngram import embed_texts
            embeddings = embed_texts(texts)
        else:   # the model's own batch method: llama-index's instrumented wrapper costs more than the model
            embeddings = self.embed_model._get_text_embeddings(texts)
        ids, metadatas, documents = node_records(chunks)
        for i in range(0, len(ids), 2000):
            col.add(ids=ids[i:i + 2000], embeddings=embeddings[i:i + 2000], metadatas=metadatas[i:i + 2000],
                    documents=documents[i:i + 2000])
        return collection

    def has_vectors(self, doc_id: str) -> bool:
        """Whether the document's collection exists and holds one vector per stored chunk."""
        row = self.db.execute("SELECT collection FROM documents WHERE id=?", (doc_id,)).fetchone()
        n = self.db.execute(f"SELECT count(*) FROM chunks WHERE doc=? AND kind IN ({','.join('?' * len(VECTOR_KINDS))})",
                            (doc_id, *VECTOR_KINDS)).fetchone()[0]
        try:
            return bool(row and row[0]) and self.chroma.get_collection(row[0]).count() == n
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:
            return False

    def reindex(self, doc_id: str | None = None) -> list[str]:
        """Rebuild the vector index of one document (or all) from the chunks stored in SQLite; the ids done.
        A Chroma folder that cannot be opened at all is moved aside (chroma.damaged-…) and every document
        is rebuilt."""
        with self.lock:
            docs = [d.id for d in self.documents()]
            if doc_id is not None and doc_id not in docs:
                raise NotFound(f"存储中没有文档 {doc_id}；用 `budgetqa docs` 查看已有文档")
            try:
                self.chroma.list_collections()
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException:
                self._chroma = None
                from chromadb.api.shared_system_client import SharedSystemClient
                SharedSystemClient.clear_system_cache()      # chromadb keeps the broken client per path
                folder = self.path / "chroma"
                if folder.exists():
                    folder.rename(self.path / f"chroma.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
                doc_id = None
            self.drop_orphans()
            done = []
            for d in ([doc_id] if doc_id else docs):
                collection = self._build_collection(self.chunks(d))
                old = self.db.execute("SELECT collection FROM documents WHERE id=?", (d,)).fetchone()
                with self.db:
                    self.db.execute("UPDATE documents SET collection=? WHERE id=?", (collection, d))
                if old and old[0]:
                    self._delete_collection(old[0])
                done.append(d)
            return done

    def _delete_collection(self, name: str) -> None:
        try:
            self.chroma.delete_collection(name)
        except Exception:   # already gone: nothing to clean
            pass

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
        try:
            col = self.chroma.get_collection(row[0])
            res = col.query(query_embeddings=[vector], n_results=k, where={"kind": kind} if kind else None,
                            include=["distances"])
        except VectorIndexError:
            raise
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as e:       # collection gone, folder damaged or unreadable
            raise VectorIndexError(self._vector_message(e)) from e
        ids, dists = res["ids"][0], res["distances"][0]
        return [(i, 1.0 - d) for i, d in zip(ids, dists)]
