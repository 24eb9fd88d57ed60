"""Reader benchmark: the whole `budgetqa ingest` process vs a bare pdfplumber pass over the same file.

The bare pass opens the PDF and, for every page, calls `page.extract_text()` and `page.find_tables()` and
extracts each table: the least any reader of text and ruled tables has to do. Both run as fresh processes
(interpreter start-up and imports included on both sides), each into a fresh store for ingest.

    PYTHONPATH=$PWD python bench/reader_bench.py ../shared/corpus/jiangsu-procuratorate-2019.pdf [more.pdf …]
    PYTHONPATH=$PWD python bench/reader_bench.py --repeat 3 FILE     # best of 3 for each side

Prints one line per file: pages, ingest seconds, bare seconds, ratio (target ≤ 1.5). Not a test: timings
depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import os
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


def _run(cmd: list[str], env: dict) -> tuple[float, str]:
    t = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t
    if res.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{res.stderr.strip()[-500:]}")
    return elapsed, res.stdout.strip()


def bench(path: Path, repeat: int = 1) -> tuple[int, float, float]:
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(Path(__file__).resolve().parents[1]))}
    ingest_times, bare_times, pages = [], [], 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="reader-bench-") as store:
            t, _ = _run([sys.executable, "-m", "assistant.cli", "ingest", str(path), "--store", store], env)
            ingest_times.append(t)
        t, out = _run([sys.executable, "-c", _BARE, str(path)], env)
        bare_times.append(t)
        pages = int(out.splitlines()[-1])
    return pages, min(ingest_times), min(bare_times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=1, help="runs per side; the best is kept")
    a = ap.parse_args(argv)
    print(f"{'file':40} {'pages':>5} {'ingest s':>9} {'bare s':>8} {'ratio':>6}")
    for f in a.files:
        pages, ingest, bare = bench(f, a.repeat)
        print(f"{f.name:40} {pages:5d} {ingest:9.2f} {bare:8.2f} {ingest / bare:6.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
