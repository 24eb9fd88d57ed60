"""Reader benchmark: the whole `budgetqa ingest` process vs a bare pdfplumber pass over the same file.

The bare pass opens the PDF and, for every page, calls `page.extract_text()` and `page.find_tables()` and
extracts each table: the least any reader of text and ruled tables has to do. Both run as fresh processes
(interpreter start-up and imports included on both sides), each ingest into a fresh store, in turn
(ingest, bare, ingest, bare …) so that a change in the machine's load hits both sides alike.

    PYTHONPATH=$PWD python bench/reader_bench.py ../shared/corpus/jiangsu-procuratorate-2019.pdf [more.pdf …]
    PYTHONPATH=$PWD python bench/reader_bench.py --repeat 5 FILE     # 5 pairs per file

Prints one line per file: pages, the median wall seconds of each side, the median of the pair-by-pair wall
ratios (target ≤ 1.5), the same for CPU seconds (user + system, worker and its helper included), and the
load average before the file. The ingest side uses two cores, the bare pass one: the worker reads while the
main process loads chromadb and jieba (index/warmup.py), and from `index._pdfsplit.MIN_PAGES` pages on a
forked helper reads the second half of the pages (`BUDGETQA_READ_PROCESSES=1` turns that off, to compare one
reading process with the bare pass). On a busy machine the wall ratio drifts towards the CPU ratio. Not a
test: timings depend on the machine and its load.

Where the ingest's time goes (issue 8, measured on changchun-petition-2026.pdf, 21 pages, bare ≈ 3.2 s CPU):
the reading itself is the bare pass plus ≈ 0.3 s (our own table logic is under 2 % of it); the main process
costs ≈ 1.4 s for chromadb's import and client, ≈ 0.6 s for Chroma's add (Rust, holds the GIL), ≈ 0.25 s
for the n-gram embeddings and ≈ 0.2 s for jieba (dictionary buckets of the text's characters, and the cuts).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_BARE = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    n = 0
    for page in pdf.pages:
        page.extract_text()
        for t in page.find_tables():
            t.extract()
        n += 1
        page.close()
print(n)
"""


def _run(cmd: list[str], env: dict) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process and its children, standard output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{res.stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, res.stdout.strip()


def bench(path: Path, repeat: int = 1) -> dict:
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(Path(__file__).resolve().parents[1]))}
    ingest, bare, pages = [], [], 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="reader-bench-") as store:
            ingest.append(_run([sys.executable, "-m", "assistant.cli", "ingest", str(path), "--store", store], env))
        bare.append(_run([sys.executable, "-c", _BARE, str(path)], env))
        pages = int(bare[-1][2].splitlines()[-1])
    med = statistics.median
    return {"pages": pages, "ingest": med(w for w, _, _ in ingest), "bare": med(w for w, _, _ in bare),
            "ratio": med(a[0] / b[0] for a, b in zip(ingest, bare)),
            "cpu_ratio": med(a[1] / b[1] for a, b in zip(ingest, bare))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=1, help="pairs of runs per file; medians are printed")
    a = ap.parse_args(argv)
    print(f"{'file':40} {'pages':>5} {'ingest s':>9} {'bare s':>8} {'ratio':>6} {'cpu ratio':>9} {'load':>5}")
    for f in a.files:
        load = os.getloadavg()[0]
        r = bench(f, a.repeat)
        print(f"{f.name:40} {r['pages']:5d} {r['ingest']:9.2f} {r['bare']:8.2f} {r['ratio']:6.2f} "
              f"{r['cpu_ratio']:9.2f} {load:5.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
