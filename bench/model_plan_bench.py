"""What the model's plan does to the answers, measured with in-process stand-in models (no network, no model).

    python bench/model_plan_bench.py --store DIR [--sets 'eval/questions/wide-*.jsonl'] [--split dev]

Runs each question of the sets' `--split` part (default dev) four ways and scores it by the contract's rules:
offline only; with a model that proposes the offline parse's own plan (`echo`: every answer must be the
offline one); with a model that proposes a random label and operation from the list it was given (`random`:
a careless model — the wrong-figure count must not rise, the answers it contradicts become abstentions);
with a model whose reply is never valid JSON (`broken`: every answer must be the offline one). Prints, per
way: questions, right, wrong figures, refused, answers differing from offline, and the time per question
spent outside the model (labels, review, the second resolution) at p50/p95.
"""
from __future__ import annotations

import argparse
import glob
import json
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


class Echo:
    """Proposes the offline plan it is handed by `EchoReview` before each question."""
    name = "echo"

    def __init__(self):
        self.parts: list = []

    def chat(self, messages, tools):
        from assistant.model.adapter import ChatTurn
        return ChatTurn(json.dumps({"parts": self.parts}, ensure_ascii=False))


class Random:
    name = "random"

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)

    def chat(self, messages, tools):
        from assistant.model.adapter import ChatTurn
        from assistant.model.plan import OPERATIONS
        user = messages[-1]["content"]
        subjects = json.loads(user.split("subjects: ", 1)[1].split("\n", 1)[0]) or ["-"]
        part = {"operation": self.rng.choice(OPERATIONS),
                "operands": [{"subject": self.rng.choice(subjects)} for _ in range(self.rng.choice((1, 1, 2)))]}
        return ChatTurn(json.dumps({"parts": [part]}, ensure_ascii=False))


class Broken:
    name = "broken"

    def chat(self, messages, tools):
        from assistant.model.adapter import ChatTurn
        return ChatTurn("好的，这个问题的答案是 5.60 万元。")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default=None)
    ap.add_argument("--sets", default=str(ROOT / "eval" / "questions" / "wide-*.jsonl"))
    ap.add_argument("--split", choices=("dev", "all"), default="dev")
    a = ap.parse_args(argv)

    from assistant.api import Assistant
    from assistant.model.plan import ModelPlanner, from_plan
    from assistant.model.review import PlanReview
    from eval.questionset import load_questions
    from eval.report import percentile
    from eval.scoring import score_answer
    from index.models import normalize_ws
    from index.store import Store
    from wide_eval import ensure

    logging.getLogger("budgetqa.model").setLevel(logging.ERROR)     # the broken way logs one line per question

    class EchoReview(PlanReview):
        def review(self, bot, raw, answers, plans, ctx, history):
            self.planner.model.parts = [from_plan(p).model_dump(mode="json", exclude_none=True) for p, _ in plans]
            return super().review(bot, raw, answers, plans, ctx, history)

    store = Store(a.store or tempfile.mkdtemp(prefix="bq-plan-"))
    ways = {"offline": Assistant(store, use_env_llm=False)}
    ways["echo"] = Assistant(store, use_env_llm=False, planner=EchoReview(ModelPlanner(Echo())))
    ways["random"] = Assistant(store, use_env_llm=False, planner=PlanReview(ModelPlanner(Random())))
    ways["broken"] = Assistant(store, use_env_llm=False, planner=PlanReview(ModelPlanner(Broken())))
    stats = {w: {"n": 0, "right": 0, "wrong_figure": 0, "refused": 0, "differ": 0, "ms": []} for w in ways}
    for path in sorted(glob.glob(a.sets)):
        questions = [q for q in load_questions(path) if a.split == "all" or (q.split or "dev") == "dev"]
        doc_ref = next((q.document for q in questions if q.document), None)
        doc = ensure(store, doc_ref) if doc_ref else None
        if doc is None:
            continue
        text = normalize_ws("\n".join(store.load(doc).page_texts))
        for q in questions:
            base = None
            for w, bot in ways.items():
                started = time.perf_counter()
                try:
                    ans, err = bot.ask(q.question, doc=doc).to_dict(), None
                except Exception as e:          # scored wrong, the run goes on
                    ans, err = None, f"{type(e).__name__}: {e}"
                s = stats[w]
                s["ms"].append(1000 * (time.perf_counter() - started))
                sc = score_answer(q, ans, text, doc, err)
                s["n"] += 1
                s["right"] += int(sc.correct)
                s["wrong_figure"] += int(bool(sc.wrong_figure))
                s["refused"] += int(ans is not None and not ans.get("answerable"))
                key = None if ans is None else (ans["answerable"], ans["value"], ans["unit"])
                base = key if w == "offline" else base
                s["differ"] += int(w != "offline" and key != base)
    print("| way | questions | right | wrong figures | refused | differ from offline | ms p50 | ms p95 |")
    print("|---|---|---|---|---|---|---|---|")
    for w, s in stats.items():
        print(f"| {w} | {s['n']} | {s['right']} | {s['wrong_figure']} | {s['refused']} | {s['differ']} | "
              f"{percentile(s['ms'], 50) or 0:.1f} | {percentile(s['ms'], 95) or 0:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
