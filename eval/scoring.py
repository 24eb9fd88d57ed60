"""The contract's scoring rules, applied to one answer object (a dict, as `Answer.to_dict()` gives it).

Rules (each applies only when the question or the answer gives it something to check):
- `value`: the answer's value matches the gold within `tolerance` (default 0.005, 0.01 for %), after
  converting between 元, 万元 and 亿元. An answer stated in a coarser unit than the gold (万元 for a gold in
  元) may also be off by its own rounding to 2 decimals (18,976.76 万元 for 189,767,551 元) when that rounding
  is under 0.1% of the figure. Counts in 个 and 项 compare with each other; an answer without a unit is
  compared as if in the gold's unit.
- `keywords`: for each group, one alternative appears in the answer text (case, width and whitespace
  ignored).
- `citation`: for an answerable question with `sources`, at least one citation's source or section contains
  one of them ("表1" does not match "表12").
- `quotes`: every citation's quote is verbatim in the document (whitespace ignored, see `normalize_ws`).
- `refusal`: the answer's `answerable` equals the gold's.

Besides correctness, each score says whether the answer is a **wrong figure** (../shared/CONTRACT.md): it
answers (`answerable` true) a question whose gold is unanswerable, or answers a question with a gold value
with a value that differs from it (or with no value at all). A refusal is never a wrong figure.

A question is correct when every applicable rule passes. Nothing here knows about the assistant or the store.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from index.models import normalize_ws

from .questionset import Question

MONEY = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
_SAME_UNITS = ({"个", "项"},)
DEFAULT_TOLERANCE = Decimal("0.005")
PERCENT_TOLERANCE = Decimal("0.01")
RELATIVE_SLACK_CAP = Decimal("0.001")     # the coarser unit's rounding may be at most 0.1% of the figure
_NUMBER = re.compile(r"[-−]?\d+(?:\.\d+)?")


def parse_number(text: str | int | float | None) -> Decimal | None:
    """`"7,600.53"`, `"5.60万元"`, `"65.89%"`, `"-0.28"` → Decimal; None when there is no number."""
    if text is None:
        return None
    s = unicodedata.normalize("NFKC", str(text)).replace(",", "").replace(" ", "")
    m = _NUMBER.search(s)
    if not m:
        return None
    try:
        return Decimal(m.group(0).replace("−", "-"))
    except InvalidOperation:
        return None


def tolerance_for(q: Question) -> Decimal:
    if q.tolerance is not None:
        return Decimal(q.tolerance)
    return PERCENT_TOLERANCE if q.unit == "%" else DEFAULT_TOLERANCE


def value_matches(gold: str, gold_unit: str | None, value, unit: str | None,
                  tolerance: Decimal | None = None) -> bool:
    """Does an answer's (value, unit) state the gold figure?"""
    want = parse_number(gold)
    got = parse_number(value)
    if want is None or got is None:
        return False
    tol = tolerance if tolerance is not None else (PERCENT_TOLERANCE if gold_unit == "%" else DEFAULT_TOLERANCE)
    unit = unit or None
    if unit is None or gold_unit is None or unit == gold_unit:
        return abs(got - want) <= tol
    if unit in MONEY and gold_unit in MONEY:
        ratio = MONEY[unit] / MONEY[gold_unit]
        slack = DEFAULT_TOLERANCE * ratio if ratio > 1 else Decimal(0)
        if slack > abs(want) * RELATIVE_SLACK_CAP:     # "0.00 亿元" does not state 5.60 万元
            slack = Decimal(0)
        return abs(got * ratio - want) <= max(tol, slack)
    if any(unit in group and gold_unit in group for group in _SAME_UNITS):
        return abs(got - want) <= tol
    return False


def is_wrong_figure(q: Question, answer: dict) -> bool:
    """An undisclosed question answered, or a gold figure answered with another figure (or none)."""
    if not answer.get("answerable"):
        return False
    if not q.answerable:
        return True
    if q.value is None:
        return False
    return not value_matches(q.value, q.unit, answer.get("value"), answer.get("unit"), tolerance_for(q))


def _norm(text: str) -> str:
    return normalize_ws(text or "").lower().replace("*", "").replace("`", "")


def missing_keyword_groups(groups: list[list[str]], text: str) -> list[list[str]]:
    """The groups none of whose alternatives appears in the text."""
    t = _norm(text)
    return [g for g in groups if not any(_norm(alt) in t for alt in g)]


def source_matches(sources: list[str], citation: dict) -> bool:
    """A citation is right when its source or section contains one of the gold sources."""
    # whitespace kept as one space here: "表6 2026年…" is 表6, not 表62026 (the digit rule needs the boundary)
    hay = re.sub(r"\s+", " ", _norm_keep_space(f"{citation.get('source') or ''} {citation.get('section') or ''}"))
    squeezed = hay.replace(" ", "")
    for s in sources:
        needle = _norm(s)
        if not needle:
            continue
        if needle[-1].isdigit():
            if re.search(r"\s?".join(map(re.escape, needle)) + r"(?!\d)", hay):
                return True
        elif needle in squeezed:
            return True
    return False


def _norm_keep_space(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower().replace("*", "").replace("`", "")


def quote_verbatim(quote: str | None, document_norm: str) -> bool:
    """`document_norm` is `normalize_ws` of the document's concatenated page texts."""
    q = normalize_ws(quote or "")
    return bool(q) and q in document_norm


@dataclass
class Score:
    id: str
    kind: str
    tags: list[str]
    correct: bool
    checks: dict[str, bool] = field(default_factory=dict)     # rule -> passed (applicable rules only)
    why: list[str] = field(default_factory=list)              # a line per failed rule
    citations: int = 0
    citations_right: int = 0
    quotes: int = 0
    quotes_verbatim: int = 0
    error: str | None = None
    wrong_figure: bool = False                                # answered with a figure the gold does not have
    doc: str | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "tags": self.tags, "correct": self.correct,
                "wrong_figure": self.wrong_figure, "doc": self.doc,
                "checks": self.checks, "why": self.why, "citations": self.citations,
                "citations_right": self.citations_right, "quotes": self.quotes,
                "quotes_verbatim": self.quotes_verbatim, "error": self.error}


def score_answer(q: Question, answer: dict | None, document_norm: str | None = None,
                 doc_id: str | None = None, error: str | None = None) -> Score:
    """Score one answer object against its question.

    `document_norm` (normalised text of the document) enables the quote rule; `doc_id` makes a citation of
    another document wrong. `answer` None (the assistant failed) scores as wrong with `error` recorded.
    """
    s = Score(id=q.id, kind=q.kind, tags=list(q.tags), correct=False, error=error, doc=doc_id or q.document)
    if answer is None:       # every applicable rule fails, so rates share their denominators across systems
        s.why.append(f"no answer: {error or 'unknown error'}")
        s.checks = {"answered": False, "refusal": False}
        if q.value is not None:
            s.checks["value"] = False
        if q.keywords:
            s.checks["keywords"] = False
        if q.sources and q.answerable:
            s.checks["citation"] = False
        return s
    answered = bool(answer.get("answerable"))
    s.checks["refusal"] = answered == q.answerable
    if not s.checks["refusal"]:
        s.why.append("answered what is not disclosed" if answered else "refused an answerable question")

    if q.value is not None:
        ok = value_matches(q.value, q.unit, answer.get("value"), answer.get("unit"), tolerance_for(q))
        s.checks["value"] = ok
        if not ok:
            s.why.append(f"value {answer.get('value')} {answer.get('unit') or ''}, want {q.value} {q.unit}".strip())
    s.wrong_figure = is_wrong_figure(q, answer)

    if q.keywords:
        missing = missing_keyword_groups(q.keywords, answer.get("answer") or "")
        s.checks["keywords"] = not missing
        if missing:
            s.why.append("missing keywords: " + " ; ".join("/".join(g) for g in missing))

    citations = [c for c in (answer.get("citations") or []) if isinstance(c, dict)]
    s.citations = len(citations)
    right = [c for c in citations if source_matches(q.sources, c) and (not doc_id or not c.get("doc")
                                                                      or c.get("doc") == doc_id)]
    s.citations_right = len(right) if q.sources else 0
    if q.sources and q.answerable:
        s.checks["citation"] = bool(right)
        if not right:
            got = "; ".join(str(c.get("source")) for c in citations) or "none"
            s.why.append(f"no citation of {'/'.join(q.sources)} (cited: {got})")

    if citations and document_norm is not None:
        verbatim = [c for c in citations if quote_verbatim(c.get("quote"), document_norm)]
        s.quotes = len(citations)
        s.quotes_verbatim = len(verbatim)
        s.checks["quotes"] = len(verbatim) == len(citations)
        if not s.checks["quotes"]:
            bad = next(c for c in citations if c not in verbatim)
            s.why.append(f"quote not in the document: {str(bad.get('quote'))[:60]!r}")

    s.correct = all(s.checks.values())
    return s


def score_documents(s: Score, answer: dict | None, allowed: tuple[str, ...]) -> Score:
    """A cross-document question's extra rule: an answered one cites at least two of the allowed documents and
    no other."""
    if answer is None or not answer.get("answerable"):
        return s
    docs = {c.get("doc") for c in answer.get("citations") or [] if isinstance(c, dict)}
    ok = len(docs) >= 2 and docs <= set(allowed)
    s.checks["documents"] = ok
    if not ok:
        s.why.append(f"cited documents {sorted(d for d in docs if d)}, want two or more of {list(allowed)[:6]}")
    s.correct = all(s.checks.values())
    return s
