"""The plan proposed by a model: the same plan as `assistant.plan`'s, as structured output, never a figure.

- `Labels` is the bounded list of the document's own names the model may use: subjects (row labels, column
  items, projects, narrative subjects — the `MAX_SUBJECTS` closest to the question by shared character
  pairs, those the offline parse found first), measures (column items), entities (the units the document
  breaks its money down by), years (the document's and the one before) and the document's id.
- `ProposedPlan` is the reply's schema (pydantic, `extra="forbid"` at every level): parts, each with an
  operation, operands (subject, measure, entity, year, document) and constraints (unit wanted, threshold
  direction, subjects excluded). There is no field for a value: a key that is not in the schema, a label
  that is not in `Labels` (a figure written as a subject included) or a year not offered is rejected.
- `ModelPlanner.propose` asks the model (plain JSON in the reply text, no `response_format`, no tools: what
  DeepSeek, Qwen, Ollama, vLLM and llama.cpp servers all do) and returns the validated plan, or raises
  `PlanRejected` with a `kind`: the adapter's (timeout, http, connection, bad_response), invalid_json or
  schema. The caller falls back to the offline plan.
- `to_plan` / `from_plan` convert a part to and from `assistant.plan.Plan` (the offline plan's dataclass),
  `mentions_for` gives the document's mentions of a part's labels, for the same resolver as offline.

Not here: deciding between the model's plan and the offline one (`review`).
"""
from __future__ import annotations

import json
import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

import jinja2
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from index.errors import BudgetQAError

from ..plan import OPERATION, Plan, Ref, leftover
from ..understand import Mention, match_form
from ..question_words import bigrams
from .adapter import ChatModel, ModelError

MAX_SUBJECTS = 40
MAX_MEASURES = 12
MAX_REPLY_CHARS = 20_000
OPERATIONS = tuple(sorted(set(OPERATION.values())))
UNITS = ("元", "万元", "亿元", "%", "个", "项", "台", "辆", "人", "平方米")
Operation = Literal[OPERATIONS]     # type: ignore[valid-type]


class PlanRejected(BudgetQAError):
    """The model's plan cannot be used. `kind`: timeout, http, connection, bad_response, invalid_json, schema."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


# --- the labels the model may use ----------------------------------------------------------------------

@dataclass(frozen=True)
class Labels:
    subjects: tuple[str, ...]
    measures: tuple[str, ...]
    entities: tuple[str, ...]
    years: tuple[int, ...]
    documents: tuple[str, ...]

    def as_prompt(self) -> dict[str, str]:
        return {k: json.dumps(list(getattr(self, k)), ensure_ascii=False)
                for k in ("subjects", "measures", "entities", "years", "documents")}


def candidate_labels(ctx, q: str, found: tuple[str, ...] = ()) -> Labels:
    """The document's names closest to the question `q` (match form); `found` (the offline parse's subjects)
    come first and always."""
    names, entities = _vocabulary(ctx)
    qb = bigrams(q)
    scored: dict[str, float] = {}
    for name, kb, _ in names:
        share = len(kb & qb) / len(kb)
        if share > 0 and share > scored.get(name, 0.0):
            scored[name] = share
    kinds = {name: kind for name, _, kind in reversed(names)}
    ranked = sorted(scored, key=lambda n: (-scored[n], len(n)))
    subjects = list(dict.fromkeys([n for n in found if n in kinds] + ranked))[:MAX_SUBJECTS]
    measures = [n for n in subjects if kinds.get(n) == "column"][:MAX_MEASURES]
    years = (ctx.doc.year, ctx.doc.year - 1) if ctx.doc.year else ()
    return Labels(tuple(subjects), tuple(measures), entities, years, (ctx.doc.id,))


_VOCABULARY: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _vocabulary(ctx) -> tuple[list[tuple[str, frozenset, str]], tuple[str, ...]]:
    """Per document (once): every nameable thing as (printed name, its character pairs, kind), and the
    units the document breaks its money down by, the department included."""
    from ..check import _units
    from ..understand import clean_label

    index = ctx.index
    got = _VOCABULARY.get(index)
    if got is None:
        names = [(c.name, frozenset(kb), c.kind) for c in index.candidates + index.narr_candidates
                 if (kb := bigrams(c.key))]
        units = _units(ctx)
        entities = {clean_label(fs[0].row) for fs in index.rows.values() if match_form(fs[0].row) in units}
        if ctx.doc.department:
            entities.add(ctx.doc.department)
        got = _VOCABULARY[index] = (names, tuple(sorted(entities)))
    return got


# --- the schema ----------------------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data):
        """An empty string or "null" is no label (small models write them for a field they leave empty); a
        null list or object is the empty one. Nothing else is repaired."""
        if not isinstance(data, dict):
            return data
        out = {}
        for k, v in data.items():
            if isinstance(v, str) and v.strip().lower() in ("", "null", "none"):
                v = None
            if v is None and k in ("constraints", "exclude", "operands"):
                continue
            out[k] = v
        return out


def _known(value, info: ValidationInfo, field: str):
    """A label must be one the model was given (a figure is never one)."""
    labels: Labels | None = (info.context or {}).get("labels")
    if value is None or labels is None:
        return value
    allowed = getattr(labels, field)
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of the {field} given")
    return value


class ProposedOperand(_Strict):
    subject: str = Field(min_length=1, max_length=200)
    measure: str | None = None
    entity: str | None = None
    year: int | None = Field(None, strict=False)
    document: str | None = None

    @field_validator("subject")
    @classmethod
    def _subject(cls, v, info):
        return _known(v, info, "subjects")

    @field_validator("measure")
    @classmethod
    def _measure(cls, v, info):
        return _known(v, info, "measures")

    @field_validator("entity")
    @classmethod
    def _entity(cls, v, info):
        return _known(v, info, "entities")

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, v, info):
        if isinstance(v, str) and re.fullmatch(r"(?:19|20)\d{2}年?", v.strip()):
            v = int(v.strip().rstrip("年"))
        if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
            raise ValueError("year must be one of the years given")
        return _known(v, info, "years")

    @field_validator("document")
    @classmethod
    def _document(cls, v, info):
        return _known(v, info, "documents")


class ProposedConstraints(_Strict):
    unit: Literal[UNITS] | None = None          # type: ignore[valid-type]
    threshold: Literal["above", "below"] | None = None
    exclude: tuple[str, ...] = ()

    @field_validator("exclude")
    @classmethod
    def _exclude(cls, v, info):
        return tuple(_known(x, info, "subjects") for x in v)


class ProposedPart(_Strict):
    operation: Operation
    operands: tuple[ProposedOperand, ...] = Field(default=(), max_length=6)
    constraints: ProposedConstraints = ProposedConstraints()


class ProposedPlan(_Strict):
    parts: tuple[ProposedPart, ...] = Field(min_length=1, max_length=6)


def read_reply(text: str, labels: Labels) -> ProposedPlan:
    """The model's reply text as a validated plan: reasoning (<think>) and a ```json fence are allowed
    around one JSON object; nothing is repaired."""
    text = re.sub(r"<think>.*?</think>", "", text or "", flags=re.S).strip()[:MAX_REPLY_CHARS]
    fence = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    body = fence.group(1).strip() if fence else text
    if not body.startswith("{") and "{" in body:
        body = body[body.find("{"):body.rfind("}") + 1]
    try:
        data = json.loads(body)
    except ValueError as e:
        raise PlanRejected("invalid_json", f"the reply is not one JSON object ({e})") from e
    if not isinstance(data, dict):
        raise PlanRejected("invalid_json", "the reply is JSON but not an object")
    try:
        return ProposedPlan.model_validate(data, context={"labels": labels})
    except ValidationError as e:
        raise PlanRejected("schema", "; ".join(
            f"{'.'.join(map(str, err['loc'])) or 'plan'}: {err['msg']}" for err in e.errors(include_url=False)[:3])) from e


# --- the proposer --------------------------------------------------------------------------------------

class PlanPrompts(_Strict):
    system: str
    user: str

    def render(self, name: str, **context) -> str:
        return _template(getattr(self, name)).render(**context).strip()


@lru_cache(maxsize=16)
def _template(text: str) -> jinja2.Template:
    """Compiled once: compiling is most of the time a question spends outside the model."""
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False).from_string(text)


@lru_cache(maxsize=1)
def load_plan_prompts() -> PlanPrompts:
    text = resources.files("assistant.model.prompts").joinpath("plan.yaml").read_text(encoding="utf-8")
    return PlanPrompts.model_validate(yaml.safe_load(text))


class ModelPlanner:
    """Asks a `ChatModel` for the plan of a question, given the document's labels."""

    def __init__(self, model: ChatModel, prompts: PlanPrompts | None = None):
        self.model = model
        self.prompts = prompts or load_plan_prompts()

    def messages(self, question: str, labels: Labels, previous: str | None = None) -> list[dict]:
        p = self.prompts
        return [{"role": "system", "content": p.render("system", operations=OPERATIONS, units=UNITS)},
                {"role": "user", "content": p.render("user", question=question, previous=previous,
                                                     labels=labels.as_prompt())}]

    def propose(self, question: str, labels: Labels, previous: str | None = None) -> ProposedPlan:
        try:
            turn = self.model.chat(self.messages(question, labels, previous), [])
        except ModelError as e:
            raise PlanRejected(e.kind, str(e)) from e
        if turn.tool_calls:
            raise PlanRejected("schema", "the model called a tool instead of replying with a plan")
        return read_reply(turn.content, labels)


# --- to and from the plan dataclasses --------------------------------------------------------------------

def _operation(part: ProposedPart, year: int | None) -> str:
    """A value of last year is the offline plan's `previous`."""
    last_year = year is not None and any(o.year == year - 1 for o in part.operands)
    return "previous" if part.operation == "value" and last_year else part.operation


def to_plan(part: ProposedPart, offline: Plan, index=None) -> Plan:
    """The part as a `Plan` over the offline plan's clause (its question and match form). What it explains is
    recomputed: the spans of its own labels in the question (found as the offline parse links a name, with
    `index.score`), the operation words and what the offline parse explained other than its subjects and
    entities (the department's name, filler); `leftover` is what is left, for the same coverage check."""
    q = offline.q
    operands, entity, spans = [], None, []

    def span_of(name: str) -> tuple[int, int]:
        key = match_form(name)
        at = q.find(key)
        if at >= 0:
            return at, at + len(key)
        if index is not None:
            score, a, b = index.score(key, q)
            if score > 0:
                return a, b
        return 0, 0

    for o in part.operands:
        span = span_of(o.subject)
        entity = entity or o.entity
        spans += [(*span, "subject")] + [(*span_of(x), "subject") for x in (o.measure, o.entity) if x]
        operands.append(Ref(subject=o.subject, kind="row", span=span, entity=o.entity, year=o.year or offline.year,
                            doc=o.document or offline.doc, measure=o.measure))
    spans += [(*span_of(x), "exclude") for x in part.constraints.exclude]
    spans += [s for s in offline.explained if s[2] not in ("subject", "entity")]
    spans = sorted(s for s in spans if s[1] > s[0])
    cons = tuple([("unit", part.constraints.unit)] if part.constraints.unit else []) + \
        tuple([("threshold", part.constraints.threshold)] if part.constraints.threshold else []) + \
        tuple(("exclude", match_form(x)) for x in part.constraints.exclude)
    op = _operation(part, offline.year)
    return Plan(question=offline.question, q=q, operation=op, operands=tuple(operands), entity=entity,
                year=offline.year, doc=offline.doc, constraints=cons, explained=tuple(spans),
                leftover=tuple(leftover(q, spans)), ops=(op,))


def from_plan(plan: Plan) -> ProposedPart:
    """The offline plan in the model's schema (unvalidated labels: the offline parse names them itself)."""
    ops = plan.operation if plan.operation in OPERATIONS else "value"
    return ProposedPart.model_construct(
        operation=ops, constraints=ProposedConstraints(),
        operands=tuple(ProposedOperand.model_construct(subject=r.subject, measure=r.measure, entity=r.entity,
                                                       year=r.year, document=r.doc) for r in plan.operands))


def reading(part: ProposedPart, department: str | None = None, year: int | None = None) -> tuple:
    """What a part asks, for comparison: (operation, subjects and measures, entity); the department itself
    is no entity."""
    names = frozenset(match_form(x) for o in part.operands for x in (o.subject, o.measure) if x)
    ents = {match_form(o.entity) for o in part.operands if o.entity} - {match_form(department or "")}
    return _operation(part, year), names, frozenset(ents)


def mentions_for(ctx, plan: Plan) -> list[Mention]:
    """The document's mentions of the plan's subjects, measures and entity (by their exact printed names),
    in the plan's order."""
    index = ctx.index
    pool = index.candidates + index.narr_candidates
    out: list[Mention] = []
    names = []
    for r in plan.operands:
        names += [(r.subject, r.span), *([(r.measure, None)] if r.measure else [])]
    if plan.entity:
        names.append((plan.entity, None))
    for name, span in dict.fromkeys(names):
        cands = sorted((c for c in pool if c.name == name), key=lambda c: c.kind == "narrative")
        if not cands:
            continue
        key = match_form(name)
        at = plan.q.find(key)
        a, b = span if span and span != (0, 0) else ((at, at + len(key)) if at >= 0 else (0, 0))
        out.append(Mention(a, b, float(len(key)), list(cands)))
    return out
