"""The vectors written without llama-index are the ones llama-index would write (real Chroma in tmp_path)."""
from __future__ import annotations

import struct

from index.chunks import Chunk
from index.ingest import bundled_path, ingest
from index.store import Store
from index.vectors import VECTOR_KINDS


def _get(col):
    got = col.get(include=["metadatas", "documents", "embeddings"])
    order = sorted(range(len(got["ids"])), key=lambda i: got["ids"][i])
    return ([got["ids"][i] for i in order], [got["metadatas"][i] for i in order],
            [got["documents"][i] for i in order], [list(got["embeddings"][i]) for i in order])


def test_records_match_llama_index_chroma_vector_store(tmp_path):
    from llama_index.core.schema import TextNode
    from llama_index.core.vector_stores.utils import metadata_dict_to_node
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from index.embedding import CharNGramEmbedding
    s = Store(tmp_path / "s")
    ingest(s, [bundled_path()], isolate=False)
    doc = s.documents()[0].id
    chunks = [c for c in s.chunks(doc) if c.kind in VECTOR_KINDS]      # (table cells have no vectors)
    chunks.append(Chunk(id=f"{doc}:x", doc=doc, kind="narrative", text="“三公”经费 5.60万元\n说明", source="",
                        section="s1", page=None))
    with s.writing():
        ours = s.chroma.get_collection(s._build_collection(chunks))
    theirs = s.chroma.get_or_create_collection("bq_llama_reference", metadata={"hnsw:space": "cosine"})
    embeddings = CharNGramEmbedding()._get_text_embeddings([c.text for c in chunks])
    nodes = []
    for c, emb in zip(chunks, embeddings):          # how index/vectors.py wrote them through llama-index
        node = TextNode(id_=c.id, text=c.text, embedding=emb,
                        metadata={"doc": c.doc, "kind": c.kind, "source": c.source, "section": c.section,
                                  "page": c.page})
        node.excluded_embed_metadata_keys = list(node.metadata)
        node.excluded_llm_metadata_keys = ["doc", "kind"]
        nodes.append(node)
    ChromaVectorStore(chroma_collection=theirs).add(nodes)
    a, b = _get(ours), _get(theirs)
    assert a[0] == b[0] and a[2] == b[2]
    assert a[1] == b[1]                               # metadata, _node_content JSON included, byte for byte
    assert all(struct.pack("512f", *x) == struct.pack("512f", *y) for x, y in zip(a[3], b[3]))
    node = metadata_dict_to_node(a[1][0], text=a[2][0])    # llama-index reads our records back as its nodes
    assert node.node_id == a[0][0] and node.text == a[2][0] and node.excluded_llm_metadata_keys == ["doc", "kind"]
    assert (ours.metadata or {}).get("hnsw:space") == "cosine"


def test_batch_embedding_is_the_single_one_bit_for_bit():
    from index._ngram import embed_text, embed_texts
    texts = ["", "x", "abc 12.5 中文", "表6 一般公共预算基本支出情况表｜商品和服务支出 › 公务接待费 [30217]｜预算：5.60万元",
             "公务接待费 公务接待费 公务接待费 增加 0.3 万元。", bundled_path().read_text(encoding="utf-8")[:3000]]
    for dim in (512, 64):
        got, want = embed_texts(texts, dim), [embed_text(t, dim) for t in texts]
        assert [struct.pack(f"{dim}d", *v) for v in got] == [struct.pack(f"{dim}d", *v) for v in want]
