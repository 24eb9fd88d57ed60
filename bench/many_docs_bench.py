"""Benchmark: question latency with 30 documents loaded (document choice, cross-year, store-wide ranking).

    PYTHONPATH=. .venv/bin/python bench/many_docs_bench.py [--store DIR] [--docs 30] [--repeat 5]

Ingests the corpus documents of ../shared/corpus/ and a few small ones of ../shared/corpus/wide/ into the store
(a fresh temporary one unless --store names one to reuse), then adds copies of them under other ids and earlier
years until --docs documents are loaded (the corpus has no 30 small documents; a copy costs what a real
document costs at question time: its own rows, its own Chroma collection). Then it times each question once
in a first pass over a freshly opened store (each document's rows and context are read on first use, in
question order) and --repeat times warm, and prints the milliseconds. Not a test: nothing is asserted.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from assistant.api import Assistant
from index.chunks import document_chunks
from index.ingest import ingest
from index.models import normalize_ws, page_of
from index.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FILES = [["jiangsu-procuratorate-2018.pdf"], ["jiangsu-procuratorate-2019.pdf"], ["shanghai-putuo-wanli-2024.pdf"],
         ["shanghai-putuo-wanli-2025.pdf"], ["shanghai-putuo-commerce-2025.pdf"], ["jiangsu-high-court-2019.pdf"],
         ["huizhou-data-bureau-2024.txt"], ["wide/shanghai-data-2026.pdf"], ["wide/suzhou-transport-2026.pdf"],
         ["wide/wuxi-development-reform-2025.pdf"], ["wide/shenzhen-police-2026.pdf"],
         ["wide/changchun-petition-2026.pdf"], ["wide/hangzhou-police-2026.pdf"], ["wide/huzhou-finance-2026.pdf"]]
QUESTIONS = [
    ("one document, named by department and year", "省检察院2019年公务接待费是多少"),
    ("one document, department only (its latest)", "苏州市交通运输局的培训费是多少"),
    ("cross-year difference (two documents)", "省检察院2019年公务接待费比2018年减少了多少"),
    ("one department over all its years", "万里街道这几年的培训费分别是多少"),
    ("store-wide ranking (latest of each department)", "哪个部门公务接待费最多"),
    ("store-wide total", "这几个部门机关运行经费合计是多少"),
]


def clone(store: Store, source: str, new_id: str, year: int) -> None:
    parsed = store.load(source)
    doc = replace(parsed.document, id=new_id, year=year, hashes=tuple(f"{h}:{new_id}" for h in parsed.document.hashes))
    copy = replace(parsed, document=doc, facts=tuple(replace(f, doc=new_id) for f in parsed.facts))
    norm = [normalize_ws(t) for t in copy.page_texts]
    store.add(copy, document_chunks(copy, lambda q, s: page_of(q, norm, s.pages, normalized=True)))


def fill(store: Store, want: int) -> None:
    for files in FILES:
        if len(store.documents()) >= want:
            return
        t0 = time.perf_counter()
        r = ingest(store, [CORPUS / f for f in files])
        print(f"ingest {r.doc}: {time.perf_counter() - t0:.1f} s{' (unchanged)' if r.unchanged else ''}", flush=True)
    originals = [d for d in store.documents() if ":" not in "".join(d.hashes)]
    i = 0
    while len(store.documents()) < want:
        src = originals[i % len(originals)]
        k = i // len(originals) + 1
        new_id = f"{src.id}-copy{k}"
        if all(d.id != new_id for d in store.documents()):
            clone(store, src.id, new_id, (src.year or 2020) - 5 * k)
        i += 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path)
    ap.add_argument("--docs", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    folder = a.store or Path(tempfile.mkdtemp(prefix="bq-many-"))
    store = Store(folder)
    fill(store, a.docs)
    print(f"store {folder}: {len(store.documents())} documents")
    store.close()
    cold = Assistant(Store(folder), use_env_llm=False)      # as a fresh process: nothing read yet
    first = {}
    for _, q in QUESTIONS:                       # the first pass, in order, reads and builds what it needs
        t0 = time.perf_counter()
        cold.ask(q)
        first[q] = (time.perf_counter() - t0) * 1000
    warm = cold
    print(f"{'question':<52} first ms  warm p50 ms  max ms  answer")
    for what, q in QUESTIONS:
        c = first[q]
        times = []
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            ans = warm.ask(q)
            times.append((time.perf_counter() - t0) * 1000)
        shown = f"{ans.value} {ans.unit or ''}" if ans.answerable else "refused"
        print(f"{what:<52} {c:8.1f} {statistics.median(times):11.1f} {max(times):8.1f}  {shown} "
              f"({len({x.doc for x in ans.citations})} docs cited)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
