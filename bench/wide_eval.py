"""Accuracy and wrong-figure rate on the wide question sets, dev and held-back parts reported apart.

    python bench/wide_eval.py [--store DIR] [--sets 'eval/questions/wide-*.jsonl'] [--json out.json]
                              [--split heldout|dev|all] [--failures]

Ingests each set's document from ../shared/corpus (or ../shared/corpus/wide; a `<doc>-*.pdf` pair is one
document under the name `<doc>`) into the store (kept between runs: unchanged files are not re-read), runs
every question through the offline assistant and scores it by the contract's rules. Prints one Markdown
row per document and split: accuracy, wrong-figure rate, refusals. `--split heldout` prints only the
held-back part's figures and never its failures (so tuning does not look at them); `--failures` lists the
dev part's wrong answers.
"""
from __future__ import annotations

import argparse
import glob
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_files(doc: str) -> list[Path]:
    for folder in (CORPUS / "wide", CORPUS):
        one = folder / f"{doc}.pdf"
        if one.exists():
            return [one]
        parts = sorted(folder.glob(f"{doc}-*.pdf"))
        if parts:
            return sorted(parts, key=lambda p: ("tables" in p.name, p.name))   # narrative first
    return []


def ensure(store, doc: str) -> str | None:
    """The stored id of `doc`, ingesting it first; None (with a line on stderr) when it cannot be read."""
    from index.errors import BudgetQAError
    from index.ingest import bundled_path, ingest
    files = [bundled_path()] if doc.startswith("huizhou-data-bureau") else corpus_files(doc)
    if not files:
        print(f"wide_eval: no corpus file for {doc}", file=sys.stderr)
        return None
    try:
        return ingest(store, files, doc if len(files) > 1 else None).doc
    except BudgetQAError as e:
        print(f"wide_eval: {doc}: {e}", file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default=None, help="store folder (default: a temporary one)")
    ap.add_argument("--sets", default=str(ROOT / "eval" / "questions" / "wide-*.jsonl"))
    ap.add_argument("--split", choices=("all", "dev", "heldout"), default="all")
    ap.add_argument("--json", type=Path, help="write the per-document figures here")
    ap.add_argument("--failures", action="store_true", help="list the dev part's wrong answers")
    a = ap.parse_args(argv)

    from assistant.api import Assistant
    from eval.questionset import load_questions
    from eval.scoring import score_answer
    from index.models import normalize_ws
    from index.store import Store

    store = Store(a.store or tempfile.mkdtemp(prefix="bq-wide-"))
    bot = Assistant(store, use_env_llm=False)
    rows: dict[tuple[str, str], dict] = {}
    kinds: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    failures: list[str] = []
    for path in sorted(glob.glob(a.sets)):
        questions = load_questions(path)
        doc_ref = next((q.document for q in questions if q.document), None)
        doc = ensure(store, doc_ref) if doc_ref else None
        if doc is None:
            rows[(Path(path).stem, "all")] = {"error": "document not ingested"}
            continue
        text = normalize_ws("\n".join(store.load(doc).page_texts))
        for q in questions:
            split = q.split or "dev"
            if a.split != "all" and split != a.split:
                continue
            try:
                ans, err = bot.ask(q.question, doc=doc).to_dict(), None
            except Exception as e:        # scored wrong, the run goes on
                ans, err = None, f"{type(e).__name__}: {e}"
            s = score_answer(q, ans, text, doc, err)
            for key in ((doc_ref, split), ("ALL", split)):
                r = rows.setdefault(key, {"n": 0, "right": 0, "wrong_figure": 0, "refused": 0})
                r["n"] += 1
                r["right"] += int(s.correct)
                r["wrong_figure"] += int(bool(s.wrong_figure))
                r["refused"] += int(ans is not None and not ans.get("answerable"))
            k = kinds[(q.kind, split)]
            k[0] += 1
            k[1] += int(s.correct)
            k[2] += int(bool(s.wrong_figure))
            if a.failures and split == "dev" and not s.correct:
                failures.append(f"{'[WRONG FIGURE] ' if s.wrong_figure else ''}{q.id} {q.question} — {'; '.join(s.why)}")

    pct = lambda x, n: f"{100 * x / n:.1f}%" if n else "-"      # noqa: E731
    print("| document | split | questions | accuracy | wrong figures | refused |")
    print("|---|---|---|---|---|---|")
    for (doc, split), r in sorted(rows.items(), key=lambda kv: (kv[0][0] == "ALL", kv[0])):
        if "error" in r:
            print(f"| {doc} | - | - | {r['error']} | | |")
            continue
        print(f"| {doc} | {split} | {r['n']} | {pct(r['right'], r['n'])} ({r['right']}) | "
              f"{pct(r['wrong_figure'], r['n'])} ({r['wrong_figure']}) | {r['refused']} |")
    print("\n| kind | split | questions | accuracy | wrong figures |\n|---|---|---|---|---|")
    for (kind, split), (n, right, wf) in sorted(kinds.items()):
        print(f"| {kind} | {split} | {n} | {pct(right, n)} | {pct(wf, n)} |")
    if failures:
        print(f"\nDev answers wrong ({len(failures)}):")
        for f in failures:
            print(f"- {f}")
    if a.json:
        a.json.write_text(json.dumps({f"{d}|{s}": r for (d, s), r in rows.items()}, ensure_ascii=False, indent=1),
                          encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
