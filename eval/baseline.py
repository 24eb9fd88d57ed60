"""The naive RAG baseline the assistant is measured against: what plain llama-index gives out of the box.

The document's page texts are cut by llama-index's `SentenceSplitter` (default settings, chunk_size=512),
embedded with the store's own embedding (passed explicitly: llama-index's `Settings` would fall back to
OpenAI), indexed in an in-memory `VectorStoreIndex`, and the top 3 chunks retrieved. The answer is the top
chunk's text; its value is the first number followed by a unit in that chunk; its one citation is that chunk
(source "chunk", the chunk text as quote). It never refuses and does no arithmetic.

Not handled: an LLM. TODO(llm): with BUDGETQA_LLM_BASE_URL set, pass the top-3 chunks to the same provider the
assistant uses (`llm=` explicitly) and parse value/unit from its reply, so both systems can be compared in
`llm` mode too.
"""
from __future__ import annotations

import re

from assistant.answer import Answer, Citation

TOP_K = 3
CHUNK_SIZE = 512
_VALUE = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)\s*(万元|亿元|元|%|个|项|台|辆|人(?![\u4e00-\u9fff])|平方米)")


def first_value(text: str) -> tuple[str | None, str | None]:
    """The first "number unit" in a text: ("7,600.53", "万元") → value without thousands separators."""
    m = _VALUE.search(text)
    if not m:
        return None, None
    return m.group(1).replace(",", ""), m.group(2)


class NaiveRAG:
    """Plain llama-index RAG over one stored document."""

    def __init__(self, store, doc_id: str, top_k: int = TOP_K):
        from llama_index.core import Document, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        self.doc_id = doc_id
        parsed = store.load(doc_id)
        docs = [Document(text=text, metadata={"page": i + 1})
                for i, text in enumerate(parsed.page_texts) if text.strip()]
        nodes = SentenceSplitter(chunk_size=CHUNK_SIZE).get_nodes_from_documents(docs)
        self.index = VectorStoreIndex(nodes, embed_model=store.embed_model)
        self.retriever = self.index.as_retriever(similarity_top_k=top_k)

    def ask(self, question: str, doc: str | None = None) -> Answer:
        hits = self.retriever.retrieve(question)
        if not hits:
            return Answer(question=question, answer="", answerable=False, doc=self.doc_id, intent="baseline")
        top = hits[0].node
        text = top.get_content()
        value, unit = first_value(text)
        cite = Citation(doc=self.doc_id, source="chunk", section=None, page=int(top.metadata.get("page", 0)),
                        quote=text)
        return Answer(question=question, answer=text, answerable=True, value=value, unit=unit,
                      citations=(cite,), doc=self.doc_id, intent="baseline")
