"""Benchmark: ingest time per document and per page, and the store's size, for every corpus file.

    .venv/bin/python bench/ingest_bench.py [CORPUS_DIR]

Each document is ingested into a fresh store in this process (imports already warm), three times; the
median is reported. Parsing alone is reported too. Not a test: figures depend on the machine.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from index.ingest import bundled_path, ingest, read_document
from index.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"


def documents() -> list[tuple[list[Path], str | None]]:
    docs: list[tuple[list[Path], str | None]] = [([bundled_path()], None)]
    pdfs = sorted(CORPUS.glob("*.pdf"))
    pair = [p for p in pdfs if "cppcc" in p.name]
    docs += [([p], None) for p in pdfs if p not in pair]
    if pair:
        docs.append((sorted(pair), "jiangsu-cppcc-2018"))
    return docs


def main() -> None:
    Store(tempfile.mkdtemp()).chroma          # warm the imports once
    print("| document | pages | tables | facts | parse s | ingest s (median of 3) | s/page | store MB |")
    print("|---|---|---|---|---|---|---|---|")
    for paths, name in documents():
        parse, full, size = [], [], 0
        for _ in range(3):
            t = time.perf_counter()
            read_document(paths, name)
            parse.append(time.perf_counter() - t)
            store = Store(tempfile.mkdtemp())
            t = time.perf_counter()
            r = ingest(store, paths, name)
            full.append(time.perf_counter() - t)
            size = store.size_bytes()
        med = statistics.median(full)
        label = name or paths[0].name
        print(f"| {label} | {r.pages} | {r.tables} | {r.facts} | {statistics.median(parse):.3f} | {med:.3f} | "
              f"{med / max(r.pages, 1):.3f} | {size / 1e6:.1f} |")


if __name__ == "__main__":
    main()
