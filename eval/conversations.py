"""Conversation sets: multi-turn sequences asked through the same `history` the chat uses, each turn scored.

A file (e.g. `eval/questions/conversations.jsonl`) has one sequence per line:
`{"id", "document", "split"?, "turns": [{"question", "answerable", "value"?, "unit"?, "keywords"?,
"sources"?}, ...]}`. Every turn is asked with the answers of the earlier turns of its sequence as history
(what `assistant.web.chat` passes), and scored by the rules of `eval.scoring.score_answer`. A turn is a
`Question` (validated by its model) of kind "lookup" (or "unanswerable"), so gold values, keywords and sources mean what they mean
in a question file.

Reports: turns right, sequences entirely right, wrong figures — overall and per split (dev / heldout).
Does not run the plain-RAG baseline (it has no conversation state).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from index.errors import InputError
from index.models import normalize_ws

from .questionset import Question
from .scoring import score_answer


class Conversation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    document: str
    split: str | None = None
    note: str | None = None
    turns: list[dict]                 # each a question file's fields (no id/kind): validated as a `Question`

    def questions(self) -> list[Question]:
        return [Question.model_validate({**t, "id": f"{self.id}.{i + 1}", "document": self.document,
                                         "split": self.split,
                                         "kind": "lookup" if t.get("answerable", True) else "unanswerable"})
                for i, t in enumerate(self.turns)]


def is_conversation_file(path: Path | str) -> bool:
    """True when the file's first object has "turns" (a conversation set, not a question file)."""
    try:
        with Path(path).open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip() and not line.lstrip().startswith("//"):
                    return '"turns"' in line
    except OSError:
        return False
    return False


def load_conversations(path: Path | str) -> list[Conversation]:
    path = Path(path)
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            c = Conversation.model_validate(json.loads(line))
            c.questions()                       # the turns validate as questions too
        except (json.JSONDecodeError, ValidationError, ValueError) as e:
            raise InputError(f"{path.name} 第 {n} 行不是合法的对话（{str(e).splitlines()[0]}）") from e
        out.append(c)
    return out


@dataclass
class ConversationResult:
    turns: int = 0
    turns_right: int = 0
    wrong_figures: int = 0
    sequences: int = 0
    sequences_right: int = 0
    failures: list[str] = field(default_factory=list)     # never those of held-back sequences (see render)

    def add(self, other: "ConversationResult") -> None:
        for k in ("turns", "turns_right", "wrong_figures", "sequences", "sequences_right"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.failures += other.failures

    def line(self, label: str) -> str:
        pct = lambda a, b: f"{100 * a / b:.1f}% ({a}/{b})" if b else "-"   # noqa: E731
        return (f"| {label} | {pct(self.turns_right, self.turns)} | {pct(self.sequences_right, self.sequences)} | "
                f"{pct(self.wrong_figures, self.turns)} |")


def run_conversation(bot, store, conv: Conversation, doc_texts: dict[str, str]) -> ConversationResult:
    doc = store.resolve(conv.document).id
    if doc not in doc_texts:
        doc_texts[doc] = normalize_ws("\n".join(store.load(doc).page_texts))
    r = ConversationResult(sequences=1)
    history = []
    all_right = True
    for q in conv.questions():
        try:
            ans = bot.ask(q.question, doc=doc, history=list(history))
            a, err = ans.to_dict(), None
            history.append(ans)
        except Exception as e:               # one failing turn is scored wrong, the sequence goes on
            a, err = None, f"{type(e).__name__}: {e}"
        s = score_answer(q, a, doc_texts[doc], doc, err)
        r.turns += 1
        r.turns_right += int(s.correct)
        r.wrong_figures += int(bool(s.wrong_figure))
        if not s.correct:
            all_right = False
            r.failures.append(f"{q.id} {q.question} — {'; '.join(s.why)}")
    r.sequences_right = int(all_right)
    return r


def evaluate_conversations(store, path: Path | str, bot=None, split: str | None = None
                           ) -> dict[str, ConversationResult]:
    """Results by split ("all", and "dev" / "heldout" when the file marks them); `split` runs only that part."""
    if bot is None:
        from assistant.api import Assistant
        bot = Assistant(store, use_env_llm=False)
    texts: dict[str, str] = {}
    out: dict[str, ConversationResult] = {"all": ConversationResult()}
    for conv in load_conversations(path):
        if split and conv.split != split:
            continue
        r = run_conversation(bot, store, conv, texts)
        if conv.split == "heldout":
            r.failures = []             # a held-back part's failures are not shown, so they cannot be tuned to
        out["all"].add(r)
        if conv.split:
            out.setdefault(conv.split, ConversationResult()).add(r)
    return out


def render(results: dict[str, ConversationResult], name: str, failures_limit: int = 30) -> str:
    lines = [f"## Conversations: {name}", "", "| part | turns right | sequences right | wrong figures |",
             "|---|---|---|---|"]
    lines += [results[k].line(k) for k in ("all", "dev", "heldout") if k in results]
    fails = results["all"].failures
    if fails:
        lines += ["", f"Turns wrong, held-back sequences not listed ({len(fails)}):"] + [f"- {f}" for f in fails[:failures_limit]]
    return "\n".join(lines) + "\n"
