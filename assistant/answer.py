"""The answer object of the contract (`ask --json`): what every answering path returns.

`Answer.to_dict()` gives exactly the JSON of ../shared/CONTRACT.md; `Citation.quote` must be an exact
substring of the document's text after whitespace is normalised (see `index.models.normalize_ws`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from index.models import UNITS


@dataclass(frozen=True)
class Citation:
    doc: str
    source: str            # table title ("表8 …") or section heading path
    section: str | None    # heading path, or None for a table cell
    page: int
    quote: str

    def to_dict(self) -> dict:
        return {"doc": self.doc, "source": self.source, "section": self.section, "page": self.page,
                "quote": self.quote}


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str                       # Markdown, in the question's language
    answerable: bool
    value: str | None = None          # principal figure as stated ("65.89", "5.60", "56000")
    unit: str | None = None           # 万元, 元, 亿元, %, 个, 项, 台, 辆, 人, 平方米 (the JSON's); 倍, 分 (as unit_label)
    calculation: str | None = None    # "5,008.06 ÷ 7,600.53 × 100% = 65.89%"
    citations: tuple[Citation, ...] = ()
    mode: str = "offline"
    doc: str | None = None            # document answered from (not in the contract's JSON)
    intent: str = ""                  # what was recognised (for follow-ups and debugging)
    subject: str | None = None        # the thing asked about, for follow-ups ("那去年呢？")
    extra: dict = field(default_factory=dict, compare=False)
    understood: str | None = None     # "理解为：取数｜公务接待费｜表8 …" (how the question was read)
    suggestions: tuple[dict, ...] = field(default=(), compare=False)  # answerable False (not hashed: dicts): closest things found, {text, value, unit, citation}
    note: str | None = None           # a remark on how the answer was reached (the model read it otherwise)

    def to_dict(self) -> dict:
        d = {"question": self.question, "answer": self.answer, "answerable": self.answerable,
             "value": self.value, "unit": self.unit if self.unit in UNITS else None, "calculation": self.calculation,
             "citations": [c.to_dict() for c in self.citations], "mode": self.mode,
             "understood": self.understood or ""}
        if self.unit and self.unit not in UNITS:
            d["unit_label"] = self.unit          # 倍, 分: not a contract unit; the figure is dimensionless
        if self.note:
            d["note"] = self.note
        if not self.answerable:
            d["suggestions"] = [{**s, "citation": s["citation"].to_dict() if isinstance(s.get("citation"), Citation)
                                 else s.get("citation")} for s in self.suggestions]
        return d
