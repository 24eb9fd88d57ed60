"""Benchmark: answer latency over a question set in one process (offline mode).

    .venv/bin/python bench/ask_bench.py [QUESTIONS.jsonl ...]

Ingests the bundled document into a fresh store, warms up with one question, then times every question of
each file (those with a "document" other than the bundled one are skipped unless that document is in the
store) and prints p50/p95/max in milliseconds.
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from assistant.api import Assistant
from index.ingest import bundled_path, ingest
from index.store import Store

ROOT = Path(__file__).resolve().parents[1]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    files = [Path(a) for a in sys.argv[1:]] or [ROOT / "eval" / "questions" / "huizhou-2024.jsonl"]
    store = Store(tempfile.mkdtemp())
    doc = ingest(store, [bundled_path()]).doc
    bot = Assistant(store, use_env_llm=False)
    bot.ask("公务接待费为什么增加")
    times = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            q = json.loads(line)
            if q.get("document") not in (None, doc):
                continue
            t = time.perf_counter()
            bot.ask(q["question"])
            times.append((time.perf_counter() - t) * 1000)
    print(f"questions={len(times)} p50={statistics.median(times):.1f}ms p95={pct(times, 95):.1f}ms "
          f"max={max(times):.1f}ms")


if __name__ == "__main__":
    main()
