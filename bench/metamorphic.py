"""Metamorphic questions over a store: answers known by construction from each document's own facts (issue 9).

    python bench/metamorphic.py [--store DIR] [--docs a,b] [--per-family 20] [--seed 0]
                                [--failures FAMILY] [--json out.json]

For every document (or those of `--docs`), `eval.metamorphic.cases` builds positive families (a unique label
asked plainly, with the department's name, after a preamble: must answer the stored figure) and negative
ones (a foreign label, another year, another unit, an undisclosed measure, an unknown qualifier, a person:
must refuse). Each is asked of the offline assistant with the document fixed. Prints one Markdown table of
right / wrong figure / refused per family and document, then the overall rates; `--failures FAMILY` (or
`all`) lists the wrong answers of that family. Deterministic for a seed; bounded by `--per-family`.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run(store, docs: list[str] | None = None, per_family: int = 20, seed: int = 0, bot=None):
    """[(case, outcome, answer)] for the store's documents (all, or `docs`)."""
    from assistant.api import Assistant
    from eval.metamorphic import cases, score
    bot = bot or Assistant(store, use_env_llm=False)
    every = [d.id for d in store.documents()]
    parsed = {d: store.load(d) for d in every}
    out = []
    for doc in docs or every:
        others = [p for k, p in parsed.items() if k != doc]
        for case in cases(parsed[doc], others, per_family, seed):
            try:
                a = bot.ask(case.question, doc=doc)
                outcome = score(case, a.answerable, a.value, a.unit)
            except Exception as e:        # noqa: BLE001 - a crash is reported, not hidden
                a, outcome = None, f"error: {type(e).__name__}: {e}"
            out.append((case, outcome, a))
    return out


def table(results) -> str:
    from eval.metamorphic import FAMILIES
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for case, outcome, _ in results:
        i = {"right": 0, "wrong": 1}.get(outcome, 2)
        for key in ((case.doc, case.family), ("ALL", case.family)):
            cells[key][i] += 1
    docs = sorted({c.doc for c, _, _ in results}) + ["ALL"]
    fams = [f for f in FAMILIES if any(k[1] == f for k in cells)]
    lines = ["| document | " + " | ".join(fams) + " |", "|---|" + "---|" * len(fams)]
    for d in docs:
        row = []
        for f in fams:
            r, w, n = cells.get((d, f), [0, 0, 0])
            total = r + w + n
            row.append("" if not total else f"{r}/{w}/{n}")
        lines.append(f"| {d} | " + " | ".join(row) + " |")
    lines.append("")
    lines.append("cells: right/wrong figure/refused (negatives have no right: refused is right)")
    lines.append("")
    lines.append("| family | n | right | wrong figure | refused |")
    lines.append("|---|---|---|---|---|")
    for f in fams:
        r, w, n = cells[("ALL", f)]
        t = r + w + n
        lines.append(f"| {f} | {t} | {100 * r / t:.1f}% | {100 * w / t:.1f}% | {100 * n / t:.1f}% |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, help="store folder (documents already ingested)")
    ap.add_argument("--docs", default="", help="comma-separated document ids (default: all)")
    ap.add_argument("--per-family", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--failures", default="", help="a family name (or 'all') whose wrong answers to list")
    ap.add_argument("--json", type=Path, help="write every case and outcome here")
    a = ap.parse_args(argv)
    from index.store import Store
    store = Store(a.store)
    t0 = time.perf_counter()
    results = run(store, [d for d in a.docs.split(",") if d] or None, a.per_family, a.seed)
    print(table(results))
    print(f"\n{len(results)} questions in {time.perf_counter() - t0:.0f} s")
    if a.failures:
        print()
        for case, outcome, ans in results:
            if a.failures in ("all", case.family) and outcome != "right" and (case.positive or outcome != "refused"):
                got = (f"{ans.value} {ans.unit}" if ans.answerable else "refused") if ans is not None else outcome
                src = ans.citations[0].source if ans is not None and ans.citations else ""
                want = f" want {case.value} {case.unit}" if case.positive else ""
                print(f"- [{case.doc}] {case.family}: {case.question} → {got}{want} ({src})")
    if a.json:
        a.json.write_text(json.dumps([{"doc": c.doc, "family": c.family, "question": c.question, "outcome": o,
                                       "value": getattr(x, "value", None), "unit": getattr(x, "unit", None),
                                       "want": c.value} for c, o, x in results], ensure_ascii=False, indent=1),
                          encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
