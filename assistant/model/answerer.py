"""The optional LLM path: a model rewrites the offline answer's text, using tools, under the number guard.

- `LLMAnswerer.answer` runs the conversation: system prompt, question with the offline answer as reference,
  up to `max_rounds` rounds of tool calls on a `ToolBox`, then the model's text. It never becomes the
  source of `value`, `unit`, `calculation` or `citations`: those stay the offline answer's, and only the
  `answer` text is replaced (mode "llm") — if the guard (`assistant.model.guard`) finds every figure of the
  text in what the model was shown. Otherwise, and on a timeout, an HTTP or connection error, a bad
  response, a second malformed tool call or too many rounds, the offline answer comes back unchanged with
  `extra["llm_fallback"] = "<kind>: <why>"`.
- `from_env` builds the answerer for the configured model (`adapter.settings_from_env`), or None.

Prompts and tool descriptions are data: prompts/llm.yaml, rendered by Jinja2 with StrictUndefined.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, Mapping, Protocol

import jinja2
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from index.errors import BudgetQAError

from ..answer import Answer
from .adapter import PROVIDERS, ChatModel, ModelError, ToolCall, _short, settings_from_env
from .guard import Evidence, Figure, unsupported_numbers

MAX_TOOL_ROUNDS = 4
MAX_TOOL_RESULT_CHARS = 6000


def from_env(environ: Mapping[str, str] | None = None) -> "LLMAnswerer | None":
    """An answerer for the configured model, or None when no model is configured (answer offline)."""
    settings = settings_from_env(environ)
    if settings is None:
        return None
    model = PROVIDERS[settings.provider](settings)
    return LLMAnswerer(model, max_tool_chars=max(1000, min(MAX_TOOL_RESULT_CHARS, settings.context_window // 4)))


# --- prompts and tools ---------------------------------------------------------------------------

class Prompts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    system: str
    user: str
    tool_error: str
    tools: list[dict]

    def render(self, name: str, **context: Any) -> str:
        env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
        return env.from_string(getattr(self, name)).render(**context).strip()

    @property
    def tool_names(self) -> list[str]:
        return [t["function"]["name"] for t in self.tools]


@lru_cache(maxsize=1)
def load_prompts() -> Prompts:
    text = resources.files("assistant.model.prompts").joinpath("llm.yaml").read_text(encoding="utf-8")
    return Prompts.model_validate(yaml.safe_load(text))


class ToolBox(Protocol):
    """What the model may look up; implemented by the assistant over one document."""

    def find_facts(self, query: str, limit: int = 8) -> list[dict]: ...
    def calculate(self, op: str, operands: list[str], unit: str | None = None) -> dict: ...
    def search_text(self, query: str, k: int = 5) -> list[dict]: ...


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class _FindFacts(_Args):
    query: str = Field(min_length=1)
    limit: int = Field(8, ge=1)


class _Calculate(_Args):
    op: Literal["sum", "difference", "ratio", "share", "growth", "convert"]
    operands: list[str] = Field(min_length=1, max_length=50)
    unit: str | None = None

    @model_validator(mode="after")
    def _arity(self) -> "_Calculate":
        wanted = {"sum": None, "convert": 1}.get(self.op, 2)
        if wanted is not None and len(self.operands) != wanted:
            raise ValueError(f"{self.op} takes {wanted} operand{'s' if wanted > 1 else ''}, "
                             f"got {len(self.operands)}")
        if self.op == "convert" and not self.unit:
            raise ValueError("convert needs `unit` (元, 万元 or 亿元)")
        return self


class _SearchText(_Args):
    query: str = Field(min_length=1)
    k: int = Field(5, ge=1)


_TOOL_ARGS: dict[str, type[_Args]] = {"find_facts": _FindFacts, "calculate": _Calculate, "search_text": _SearchText}


# --- the answerer ------------------------------------------------------------------------------------

class _GiveUp(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


class LLMAnswerer:
    def __init__(self, model: ChatModel, *, max_rounds: int = MAX_TOOL_ROUNDS,
                 max_tool_chars: int = MAX_TOOL_RESULT_CHARS, prompts: Prompts | None = None):
        self.model = model
        self.max_rounds = max_rounds
        self.max_tool_chars = max_tool_chars
        self.prompts = prompts or load_prompts()

    def answer(self, question: str, offline: Answer, tools: ToolBox) -> Answer:
        """The offline answer with its text rewritten by the model (mode "llm"), or the offline answer
        itself with extra["llm_fallback"] saying why not."""
        trace: dict[str, Any] = {"model": self.model.name, "rounds": 0, "tool_calls": []}
        if not offline.answerable:
            return _fallback(offline, "not_answerable", "the document does not disclose this; nothing to rewrite",
                             trace)
        evidence = Evidence()
        evidence.add_answer(offline)
        try:
            text = _clean(self._converse(question, offline, tools, evidence, trace))
        except (ModelError, _GiveUp) as e:
            return _fallback(offline, e.kind, str(e), trace)
        if not text:
            return _fallback(offline, "empty_answer", "the model's final answer was empty", trace)
        bad = unsupported_numbers(text, evidence)
        if bad:
            trace["unsupported"] = [f.text for f in bad]
            return _fallback(offline, "unsupported_numbers", "figures not found in the tool results or the "
                             f"evidence: {', '.join(f.text for f in bad)}", trace)
        return replace(offline, answer=text, mode="llm", extra={**offline.extra, "llm": trace})

    def _converse(self, question: str, offline: Answer, tools: ToolBox, evidence: Evidence,
                  trace: dict) -> str:
        p = self.prompts
        messages = [
            {"role": "system", "content": p.render("system", tool_names=p.tool_names, max_rounds=self.max_rounds)},
            {"role": "user", "content": p.render("user", question=question, offline=_reference(offline))},
        ]
        mistakes = 0
        for round_ in range(self.max_rounds + 1):
            offered = p.tools if round_ < self.max_rounds else []
            turn = self.model.chat(messages, offered)
            if not turn.tool_calls:
                return turn.content
            if not offered:
                raise _GiveUp("too_many_rounds", f"the model still called tools after {self.max_rounds} rounds")
            trace["rounds"] += 1
            messages.append({"role": "assistant", "content": turn.content or None, "tool_calls": [
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.raw_arguments}}
                for c in turn.tool_calls]})
            errors = []
            for call in turn.tool_calls:
                result, error = self._run(call, tools, evidence)
                trace["tool_calls"].append({"name": call.name, "arguments": call.raw_arguments, "error": error})
                if error:
                    errors.append(f"{call.name}: {error}")
                    content = p.render("tool_error", tool=call.name, error=error)
                else:
                    content = json.dumps(result, ensure_ascii=False, default=str)
                messages.append({"role": "tool", "tool_call_id": call.id, "content": content})
            if errors:
                mistakes += 1
                if mistakes > 1:
                    raise _GiveUp("malformed_tool_call", "invalid tool call again after one correction: "
                                  + "; ".join(errors))
        raise AssertionError("unreachable")  # pragma: no cover

    def _run(self, call: ToolCall, tools: ToolBox, evidence: Evidence) -> tuple[Any, str | None]:
        """Run one tool call: (result as sent to the model, None) or (None, the model's mistake)."""
        if call.error:
            return None, call.error
        schema = _TOOL_ARGS.get(call.name)
        if schema is None:
            return None, f"no tool named {call.name!r}; the tools are {', '.join(_TOOL_ARGS)}"
        try:
            args = schema.model_validate(call.arguments)
        except ValidationError as e:
            return None, "; ".join(f"{'.'.join(map(str, err['loc'])) or 'arguments'}: {err['msg']}"
                                   for err in e.errors(include_url=False))
        try:
            if isinstance(args, _FindFacts):
                result = tools.find_facts(args.query, limit=min(args.limit, 20))
            elif isinstance(args, _SearchText):
                result = tools.search_text(args.query, k=min(args.k, 10))
            else:
                invented = [o for o in args.operands if (f := _literal(o)) and not evidence.supports(f)]
                if invented:
                    return None, (f"operands {', '.join(invented)} are not figures from a tool result; "
                                  "pass fact ids from find_facts")
                result = tools.calculate(args.op, list(args.operands), unit=args.unit)
        except (BudgetQAError, ValueError, ArithmeticError, LookupError) as e:   # the tool refused the input
            return None, _short(str(e)) or type(e).__name__
        result = _fit(result, self.max_tool_chars)
        evidence.add_tool_result(call.name, result)
        return result, None


def _reference(offline: Answer) -> dict:
    return {"answer": offline.answer, "answerable": offline.answerable, "value": offline.value,
            "unit": offline.unit, "calculation": offline.calculation,
            "citations": [c.to_dict() for c in offline.citations]}


def _fallback(offline: Answer, kind: str, why: str, trace: dict) -> Answer:
    return replace(offline, mode="offline", extra={**offline.extra, "llm_fallback": f"{kind}: {why}", "llm": trace})


def _fit(result: Any, max_chars: int) -> Any:
    """Drop trailing items of a list result until its JSON fits in `max_chars` (the model's context)."""
    if isinstance(result, list):
        result = list(result)
        while len(result) > 1 and len(json.dumps(result, ensure_ascii=False, default=str)) > max_chars:
            result.pop()
    return result


_THINK = re.compile(r"<think>.*?</think>", re.S)


def _clean(text: str) -> str:
    return _THINK.sub("", text or "").strip()


_LITERAL = re.compile(r"\s*[-−]?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>亿元|万元|元|%)?\s*")


def _literal(operand: str) -> Figure | None:
    """A `calculate` operand written as a number ("5,008.06", "5.6万元"), not as a fact id."""
    m = _LITERAL.fullmatch(operand)
    if not m:
        return None
    try:
        return Figure(operand, abs(Decimal(m.group("num").replace(",", ""))), m.group("unit"), 0)
    except InvalidOperation:
        return None
