"""The Chroma records llama-index's `ChromaVectorStore.add` writes for our `TextNode`s, built without
importing llama-index (over a second of every ingest's start-up, for a few dicts).

`node_records(chunks)` gives (ids, metadatas, documents) exactly as `ChromaVectorStore.add` would for
`TextNode(id_=c.id, text=c.text, metadata={doc, kind, source, section, page})` with every metadata key
excluded from the embedding and `doc`, `kind` from the LLM: the chunk's metadata at the top level (None as
""), the node serialised without its text and embedding under `_node_content` (so llama-index's
`metadata_dict_to_node` rebuilds the node, as from a collection it wrote itself), `_node_type` and the three
ref-doc keys. tests/test_store.py checks the records against llama-index's own for the installed version.

Does not handle: other node types, relationships, a `ref_doc_id` (our nodes have none).
"""
from __future__ import annotations

import json

from .chunks import Chunk

_LLM_EXCLUDED = ["doc", "kind"]


def chunk_metadata(c: Chunk) -> dict:
    return {"doc": c.doc, "kind": c.kind, "source": c.source, "section": c.section, "page": c.page}


def _node_content(c: Chunk, metadata: dict) -> str:
    # the field order of TextNode.model_dump(mode="json") (llama-index 0.14), text removed, embedding None
    return json.dumps({"id_": c.id, "embedding": None, "metadata": metadata,
                       "excluded_embed_metadata_keys": list(metadata),
                       "excluded_llm_metadata_keys": list(_LLM_EXCLUDED), "relationships": {},
                       "metadata_template": "{key}: {value}", "metadata_separator": "\n", "text": "",
                       "mimetype": "text/plain", "start_char_idx": None, "end_char_idx": None,
                       "text_template": "{metadata_str}\n\n{content}", "class_name": "TextNode"},
                      ensure_ascii=False)


def node_records(chunks: list[Chunk]) -> tuple[list[str], list[dict], list[str]]:
    ids, metadatas, documents = [], [], []
    for c in chunks:
        metadata = chunk_metadata(c)
        record = dict(metadata)
        record["_node_content"] = _node_content(c, metadata)
        record["_node_type"] = "TextNode"
        record["document_id"] = record["doc_id"] = record["ref_doc_id"] = "None"
        metadatas.append({k: ("" if v is None else v) for k, v in record.items()})
        ids.append(c.id)
        documents.append(c.text)
    return ids, metadatas, documents
