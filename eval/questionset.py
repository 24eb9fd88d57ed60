"""Evaluation question files (JSON Lines, ../shared/CONTRACT.md): one `Question` per line, validated strictly.

The contract's fields (`id`, `question`, `kind`, `answerable`, `value`, `unit`, `tolerance`, `keywords`,
`sources`, `document`, `documents` — several document ids or file names, `["*"]` for every loaded document, for a
question that spans documents) plus the extras this project's files use: `page` (where the gold answer is printed,
1-based, one page or several), `evidence` (an exact phrase of the passage that answers a why/definition/
narrative question, for the retrieval metrics), `note` (how an ambiguous gold was set) and `tags`
(`english`, `colloquial`, `misspelt`, `injection`, … reported as their own accuracy rows). Any other field is
an error: a typo in a gold answer must not pass silently.
"""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from index.errors import InputError
from index.models import LABEL_UNITS, UNITS

KINDS = ("lookup", "arithmetic", "why", "definition", "list", "narrative", "unanswerable", "compound")


def _decimal(text: str, what: str) -> str:
    try:
        Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{what} {text!r} is not a decimal number") from None
    return text


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    question: str
    kind: Literal["lookup", "arithmetic", "why", "definition", "list", "narrative", "unanswerable", "compound"]
    answerable: bool = True
    value: str | None = None
    unit: str | None = None
    tolerance: str | None = None
    keywords: list[list[str]] = []
    sources: list[str] = []
    document: str | None = None
    documents: list[str] | None = None
    # extras of this project's question files
    page: int | list[int] | None = None
    evidence: str | None = None
    note: str | None = None
    tags: list[str] = []
    split: Literal["dev", "heldout"] | None = None

    @field_validator("value")
    @classmethod
    def _value(cls, v: str | None) -> str | None:
        return None if v is None else _decimal(v, "value")

    @field_validator("tolerance")
    @classmethod
    def _tolerance(cls, v: str | None) -> str | None:
        return None if v is None else _decimal(v, "tolerance")

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str | None) -> str | None:
        if v is not None and v not in UNITS + LABEL_UNITS:
            raise ValueError(f"unit {v!r} is not one of {', '.join(UNITS + LABEL_UNITS)}")
        return v

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, v: list[list[str]]) -> list[list[str]]:
        if any(not group or not all(alt.strip() for alt in group) for group in v):
            raise ValueError("every keyword group needs at least one non-empty alternative")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> "Question":
        if self.kind == "unanswerable" and self.answerable:
            raise ValueError("kind 'unanswerable' needs \"answerable\": false")
        if not self.answerable and (self.value is not None or self.keywords):
            raise ValueError("an unanswerable question has no gold value or keywords")
        if self.value is not None and self.unit is None:
            raise ValueError("a gold value needs its unit")
        if self.documents is not None:
            if self.document is not None:
                raise ValueError("give either \"document\" or \"documents\", not both")
            if not self.documents or any(not d.strip() for d in self.documents) or \
                    ("*" in self.documents and len(self.documents) > 1):
                raise ValueError("\"documents\" lists document ids or file names, or is [\"*\"]")
        return self

    @property
    def pages(self) -> list[int]:
        if self.page is None:
            return []
        return [self.page] if isinstance(self.page, int) else list(self.page)


def load_questions(path: Path | str) -> list[Question]:
    """Read and validate a question file; errors name the file, the line and the field."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: 题集文件不存在；请检查路径（题集在 eval/questions/ 下）")
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            q = Question.model_validate(json.loads(line))
        except json.JSONDecodeError as e:
            raise InputError(f"{path.name} 第 {n} 行不是合法的 JSON（{e.msg}）；每行应是一个题目对象") from e
        except ValidationError as e:
            problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or 'question'}: {err['msg']}"
                                 for err in e.errors())
            raise InputError(f"{path.name} 第 {n} 行格式不对（{problems}）；格式见 CONTRACT.md 的评测题集一节") from e
        if q.id in seen:
            raise InputError(f"{path.name} 第 {n} 行的 id {q.id!r} 与第 {seen[q.id]} 行重复；每题 id 须唯一")
        seen[q.id] = n
        questions.append(q)
    if not questions:
        raise InputError(f"{path.name}: 题集是空的；每行写一个题目对象")
    return questions
