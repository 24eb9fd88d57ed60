"""Turn scores into metrics, and metrics into a Markdown report and a JSON report.

`summarize` gives one system's metrics (accuracy and the wrong-figure rate overall, per kind, per document
and per tag, figures, citations, quotes, refusals, latency p50/p95); `render_markdown` puts the assistant and the baseline side by side with the
retrieval metrics, the gate and the failures; `write_report` writes Markdown and JSON (a path ending in
.json gets only the JSON).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from .questionset import KINDS
from .scoring import Score


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


ANSWER_RULES = ("answered", "refusal", "value", "keywords")


def answer_only(s: Score) -> bool:
    """Correct on what the answer says (value, keywords, refusal), whatever it cites."""
    return all(ok for rule, ok in s.checks.items() if rule in ANSWER_RULES)


def _group(ss: list[Score]) -> dict:
    wrong = sum(s.wrong_figure for s in ss)
    refused = sum(1 for s in ss if "refused an answerable question" in s.why)
    return {"n": len(ss), "correct": sum(s.correct for s in ss), "accuracy": _rate(sum(s.correct for s in ss), len(ss)),
            "answer_only": _rate(sum(answer_only(s) for s in ss), len(ss)),
            "wrong_figures": wrong, "wrong_figure_rate": _rate(wrong, len(ss)), "refused_answerable": refused}


def summarize(scores: list[Score], latencies_ms: list[float]) -> dict:
    n = len(scores)
    correct = sum(s.correct for s in scores)
    kinds = list(KINDS) + sorted({s.kind for s in scores} - set(KINDS))
    by_kind = {kind: _group([s for s in scores if s.kind == kind]) for kind in kinds
               if any(s.kind == kind for s in scores)}
    by_document = {d: _group([s for s in scores if s.doc == d]) for d in sorted({s.doc or "–" for s in scores})}
    wrong = sum(s.wrong_figure for s in scores)
    by_tag = {}
    for tag in sorted({t for s in scores for t in s.tags}):
        ts = [s for s in scores if tag in s.tags]
        by_tag[tag] = {"n": len(ts), "correct": sum(s.correct for s in ts),
                       "accuracy": _rate(sum(s.correct for s in ts), len(ts))}

    def rule(name: str) -> dict:
        applicable = [s for s in scores if name in s.checks]
        right = sum(s.checks[name] for s in applicable)
        return {"n": len(applicable), "right": right, "rate": _rate(right, len(applicable))}

    quotes = sum(s.quotes for s in scores)
    verbatim = sum(s.quotes_verbatim for s in scores)
    cits = sum(s.citations for s in scores)
    cits_right = sum(s.citations_right for s in scores)
    refused_ok = [s for s in scores if s.kind == "unanswerable"]
    return {
        "n": n, "correct": correct, "accuracy": _rate(correct, n),
        "answer_only": {"n": n, "right": sum(answer_only(s) for s in scores),
                        "rate": _rate(sum(answer_only(s) for s in scores), n)},
        "wrong_figures": {"n": n, "wrong": wrong, "rate": _rate(wrong, n),
                          "ids": [s.id for s in scores if s.wrong_figure]},
        "by_kind": by_kind, "by_document": by_document, "by_tag": by_tag,
        "figures": rule("value"), "keywords": rule("keywords"), "citations": rule("citation"),
        "citation_precision": {"n": cits, "right": cits_right, "rate": _rate(cits_right, cits)},
        "quotes": {"n": quotes, "verbatim": verbatim, "rate": _rate(verbatim, quotes)},
        "refusals": rule("refusal"),
        "unanswerable_refused": {"n": len(refused_ok),
                                 "right": sum(s.checks.get("refusal", False) for s in refused_ok),
                                 "rate": _rate(sum(s.checks.get("refusal", False) for s in refused_ok),
                                               len(refused_ok))},
        "errors": sum(1 for s in scores if s.error),
        "latency_ms": {"p50": _round(percentile(latencies_ms, 50)), "p95": _round(percentile(latencies_ms, 95)),
                       "max": _round(max(latencies_ms) if latencies_ms else None)},
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.1f}%"


def _frac(d: dict, key: str = "right") -> str:
    if not d or not d.get("n"):
        return "–"
    return f"{_pct(d.get('rate', d.get('accuracy')))} ({d[key]}/{d['n']})"


def render_markdown(result: dict, failures_limit: int | None = None) -> str:
    """The report: summary, per kind, per tag, retrieval, gate, failures (all, or the first `failures_limit`)."""
    a = result["assistant"]
    b = result.get("baseline")
    cols = ["assistant"] + (["baseline (naive RAG)"] if b else [])
    lines = [f"# BudgetQA evaluation: {result['questions_file']}", "",
             f"{a['n']} questions; documents: {', '.join(result['documents'])}; mode: {result.get('mode') or '–'}",
             "", "| metric | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]

    def row(name: str, fn) -> None:
        cells = [fn(a)] + ([fn(b)] if b else [])
        lines.append(f"| {name} | " + " | ".join(cells) + " |")

    row("accuracy", lambda m: f"{_pct(m['accuracy'])} ({m['correct']}/{m['n']})")
    row("wrong figures (lower is better)", lambda m: _frac(m["wrong_figures"], "wrong"))
    row("answers right, citations ignored", lambda m: _frac(m["answer_only"]))
    row("figures right", lambda m: _frac(m["figures"]))
    row("keywords right", lambda m: _frac(m["keywords"]))
    row("citations right", lambda m: _frac(m["citations"]))
    row("citation precision", lambda m: _frac(m["citation_precision"]))
    row("quotes verbatim", lambda m: _frac(m["quotes"], "verbatim"))
    row("refusals right", lambda m: _frac(m["refusals"]))
    row("unanswerable refused", lambda m: _frac(m["unanswerable_refused"]))
    row("latency p50 / p95 (ms)", lambda m: f"{m['latency_ms']['p50']} / {m['latency_ms']['p95']}")
    row("errors", lambda m: str(m["errors"]))

    lines += ["", "## Accuracy per kind (in brackets: citations ignored)", "",
              "| kind | n | " + " | ".join(cols) + " | wrong figures |", "|---|---|" + "---|" * (len(cols) + 1)]

    def kind_cell(k: dict) -> str:
        return f"{_frac(k, 'correct')} [{_pct(k.get('answer_only'))}]" if k else "–"

    for kind, k in a["by_kind"].items():
        cells = [kind_cell(k)] + ([kind_cell(b["by_kind"].get(kind, {}))] if b else [])
        cells.append(f"{_pct(k.get('wrong_figure_rate'))} ({k.get('wrong_figures', 0)})")
        lines.append(f"| {kind} | {k['n']} | " + " | ".join(cells) + " |")
    lines += ["", "## Per document", "", "| document | n | accuracy | wrong figures | answerable refused |",
              "|---|---|---|---|---|"]
    for d, k in a.get("by_document", {}).items():
        lines.append(f"| {d} | {k['n']} | {_frac(k, 'correct')} | {_pct(k['wrong_figure_rate'])} "
                     f"({k['wrong_figures']}) | {k['refused_answerable']} |")
    if a["by_tag"]:
        lines += ["", "## Accuracy per tag", "", "| tag | n | " + " | ".join(cols) + " |",
                  "|---|---|" + "---|" * len(cols)]
        for tag, t in a["by_tag"].items():
            cells = [_frac(t, "correct")] + ([_frac(b["by_tag"].get(tag, {}), "correct")] if b else [])
            lines.append(f"| {tag} | {t['n']} | " + " | ".join(cells) + " |")

    r = result.get("retrieval") or {}
    lines += ["", "## Retrieval (gold evidence chunks)", ""]
    if r.get("skipped"):
        lines.append(f"Skipped: {r['skipped']}")
    elif r.get("methods"):
        lines += ["| method | n | recall@1 | recall@3 | recall@5 | MRR@10 |", "|---|---|---|---|---|---|"]
        for m, v in r["methods"].items():
            lines.append(f"| {m} | {v['n']} | {_pct(v['recall@1'])} | {_pct(v['recall@3'])} | "
                         f"{_pct(v['recall@5'])} | {v['mrr']:.3f} |")
        if r.get("no_gold"):
            lines.append(f"\nEvidence found in no chunk (not scored): {', '.join(r['no_gold'])}")
    else:
        lines.append("No question with gold evidence.")

    g = result.get("gate") or {}
    lines += ["", "## Gate", "",
              f"minimum accuracy {g.get('min_accuracy')}, maximum wrong-figure rate {g.get('max_wrong_figure')}: "
              + ("**passed**" if g.get("passed") else "**FAILED**")]

    failed = [q for q in result["questions"] if not q["assistant"]["correct"]]
    lines += ["", f"## Assistant failures ({len(failed)})", ""]
    shown = failed if failures_limit is None else failed[:failures_limit]
    for q in shown:
        why = "; ".join(q["assistant"]["why"]) or "—"
        mark = " **[wrong figure]**" if q["assistant"].get("wrong_figure") else ""
        lines.append(f"- **{q['id']}** ({q['kind']}){mark} {q['question']} — {why}")
    if len(shown) < len(failed):
        lines.append(f"- … {len(failed) - len(shown)} more in the full report")
    return "\n".join(lines) + "\n"


def write_report(result: dict, path: Path) -> list[Path]:
    """Write JSON to `path` if it ends in .json; otherwise Markdown to `path` and JSON beside it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    js = json.dumps(result, ensure_ascii=False, indent=2)
    if path.suffix.lower() == ".json":
        path.write_text(js, encoding="utf-8")
        return [path]
    path.write_text(render_markdown(result), encoding="utf-8")
    jpath = path.with_suffix(".json")
    jpath.write_text(js, encoding="utf-8")
    return [path, jpath]
