"""What reading in a worker process costs on an ordinary ingest (issue 11): wall time of `ingest` with the
read isolated (the default) and in-process, each into a fresh store, for the bundled text export and one
corpus PDF. Run: PYTHONPATH=. python bench/isolation_bench.py [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from index.ingest import bundled_path, ingest
from index.store import Store

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    Store(tempfile.mkdtemp()).chroma                     # warm the imports once
    files = [bundled_path(), CORPUS / "shanghai-putuo-commerce-2025.pdf"]
    for f in files:
        if not f.is_file():
            continue
        row = {}
        for isolate in (False, True):
            times = []
            for _ in range(a.repeat):
                store = Store(tempfile.mkdtemp())
                t = time.perf_counter()
                ingest(store, [f], name="bench", isolate=isolate)
                times.append(time.perf_counter() - t)
                store.close()
            row[isolate] = statistics.median(times)
        print(f"{f.name}\tin-process {row[False]:.2f} s\tworker {row[True]:.2f} s\t"
              f"overhead {row[True] - row[False]:+.2f} s (median of {a.repeat})")


if __name__ == "__main__":
    main()
