"""Benchmark: answer latency over a question set in one process (offline mode).

    .venv/bin/python bench/ask_bench.py [QUESTIONS.jsonl ...]

Ingests the bundled document into a fresh store (and ../shared/corpus/DOC.pdf for a question file whose
questions name another document), warms up with one question per document, then times every question and
prints p50/p95/max in milliseconds, per file and overall.
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
    corpus = ROOT.parent / "shared" / "corpus"
    everything = []
    for f in files:
        times = []
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            q = json.loads(line)
            target = q.get("document") or doc
            if target not in {d.id for d in store.documents()}:
                if not (corpus / f"{target}.pdf").exists():
                    continue
                ingest(store, [corpus / f"{target}.pdf"])
                bot.ask("公务接待费为什么增加", doc=target)
            t = time.perf_counter()
            bot.ask(q["question"], doc=target)
            times.append((time.perf_counter() - t) * 1000)
        everything += times
        report(f.name, times)
    report("all", everything)


def report(name: str, times: list[float]) -> None:
    if times:
        print(f"{name}: questions={len(times)} p50={statistics.median(times):.1f}ms "
              f"p95={pct(times, 95):.1f}ms max={max(times):.1f}ms")


if __name__ == "__main__":
    main()
