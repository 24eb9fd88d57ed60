"""The model side's connection: one narrow chat interface to any OpenAI-compatible server, and its settings.

Configured by environment (`settings_from_env`): BUDGETQA_LLM_BASE_URL and BUDGETQA_LLM_MODEL switch it on;
BUDGETQA_LLM_API_KEY (default "none"), BUDGETQA_LLM_CONTEXT_WINDOW (default 32768), BUDGETQA_LLM_TIMEOUT
(seconds per request, default 30) and BUDGETQA_LLM_PROVIDER (a name in `PROVIDERS`, default "openai-like")
tune it. Unset, the assistant answers offline.

- `ChatModel` is the one narrow model interface: OpenAI-format message dicts and tool specs in, a `ChatTurn`
  out. `OpenAILikeModel` speaks to any OpenAI-compatible server through llama-index's `OpenAILike` (passed
  explicitly; llama-index's global `Settings` are never used). `ScriptedModel` is the fake for tests.
- Every failure to get a readable reply is a `ModelError` with a `kind` (timeout, http, connection,
  bad_response, script); what to do about it is the caller's business (`answerer`, `plan`: fall back offline).

Not here: what is asked of the model (`answerer` rewrites an answer's text, `plan` proposes a plan).
"""
from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable, Mapping, Protocol

from index.errors import BudgetQAError

DEFAULT_PROVIDER = "openai-like"
DEFAULT_API_KEY = "none"
DEFAULT_CONTEXT_WINDOW = 32768
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 1


class LLMConfigError(BudgetQAError):
    """The BUDGETQA_LLM_* environment variables cannot be used as they are."""


class ModelError(BudgetQAError):
    """The model could not answer this time. `kind`: timeout, http, connection, bad_response, script."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


# --- the model interface -------------------------------------------------------------------------

@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict                 # parsed; {} when `error` is set
    raw_arguments: str = "{}"       # as the model sent them (echoed back in the conversation)
    error: str | None = None        # why the arguments could not be read

    @classmethod
    def parse(cls, id: str, name: str, raw: str | dict | None) -> "ToolCall":
        """Read a call's arguments strictly (no repair of broken JSON: a malformed call goes back to the model)."""
        if isinstance(raw, dict):
            return cls(id, name, raw, json.dumps(raw, ensure_ascii=False, default=str))
        raw = raw or "{}"
        try:
            args = json.loads(raw, parse_float=Decimal)
        except ValueError as e:
            return cls(id, name, {}, raw, f"arguments are not valid JSON ({e})")
        if not isinstance(args, dict):
            return cls(id, name, {}, raw, "arguments must be a JSON object")
        return cls(id, name, args, raw)


@dataclass(frozen=True)
class ChatTurn:
    content: str = ""
    tool_calls: tuple[ToolCall, ...] = ()


class ChatModel(Protocol):
    name: str

    def chat(self, messages: list[dict], tools: list[dict]) -> ChatTurn:
        """One completion. `messages` and `tools` are in OpenAI chat-completions format; no tools: answer.
        Raises ModelError when the model cannot be reached or its response cannot be read."""
        ...


class OpenAILikeModel:
    """Any OpenAI-compatible chat-completions server (vLLM, llama.cpp, Ollama, LM Studio, hosted APIs)."""

    def __init__(self, base_url: str, model: str, *, api_key: str = DEFAULT_API_KEY,
                 context_window: int = DEFAULT_CONTEXT_WINDOW, timeout: float = DEFAULT_TIMEOUT,
                 max_retries: int = DEFAULT_MAX_RETRIES, temperature: float = 0.1):
        from llama_index.core.callbacks import CallbackManager      # imported here: the offline path
        from llama_index.llms.openai_like import OpenAILike         # never pays for llama-index/openai

        self.name = model
        self.timeout = timeout
        self.llm = OpenAILike(
            model=model, api_base=base_url, api_key=api_key or DEFAULT_API_KEY,
            is_chat_model=True, is_function_calling_model=True, context_window=context_window,
            timeout=timeout, max_retries=max_retries, temperature=temperature,
            callback_manager=CallbackManager([]),
        )

    @classmethod
    def from_settings(cls, s: "LLMSettings") -> "OpenAILikeModel":
        return cls(s.base_url, s.model, api_key=s.api_key, context_window=s.context_window,
                   timeout=s.timeout, max_retries=s.max_retries)

    def chat(self, messages: list[dict], tools: list[dict]) -> ChatTurn:
        import openai

        history = [_to_chat_message(m) for m in messages]
        kwargs = {"tools": tools, "tool_choice": "auto"} if tools else {}
        try:
            response = self.llm.chat(history, **kwargs)
        except openai.APITimeoutError as e:
            raise ModelError("timeout", f"no answer within {self.timeout:g} s (BUDGETQA_LLM_TIMEOUT)") from e
        except openai.APIStatusError as e:
            raise ModelError("http", f"the model server answered HTTP {e.status_code}: {_short(e.message)}") from e
        except openai.APIConnectionError as e:
            raise ModelError("connection", f"cannot reach the model server ({_short(str(e))}); "
                                           "check BUDGETQA_LLM_BASE_URL") from e
        except (openai.OpenAIError, AttributeError, TypeError, KeyError, IndexError, ValueError) as e:
            raise ModelError("bad_response", f"unreadable response from the model server: {_short(str(e))}") from e
        return _from_chat_response(response)


def _to_chat_message(m: dict):
    from llama_index.core.base.llms.types import ChatMessage, TextBlock, ToolCallBlock

    role, content = m["role"], m.get("content") or ""
    if role == "assistant" and m.get("tool_calls"):
        blocks: list = [TextBlock(text=content)] if content else []
        blocks += [ToolCallBlock(tool_call_id=c["id"], tool_name=c["function"]["name"],
                                 tool_kwargs=c["function"]["arguments"]) for c in m["tool_calls"]]
        return ChatMessage(role=role, blocks=blocks)
    if role == "tool":
        return ChatMessage(role=role, content=content, additional_kwargs={"tool_call_id": m["tool_call_id"]})
    return ChatMessage(role=role, content=content)


def _from_chat_response(response) -> ChatTurn:
    # The tool-call blocks are read directly, not with llm.get_tool_calls_from_response: that one repairs
    # or silently empties malformed arguments (parse_partial_json), and a malformed call must be seen.
    from llama_index.core.base.llms.types import TextBlock, ToolCallBlock

    blocks = response.message.blocks
    text = "".join(b.text for b in blocks if isinstance(b, TextBlock))
    calls = tuple(ToolCall.parse(b.tool_call_id or f"call_{i}", b.tool_name, b.tool_kwargs)
                  for i, b in enumerate(b for b in blocks if isinstance(b, ToolCallBlock)))
    return ChatTurn(text, calls)


class ScriptedModel:
    """A scripted fake: answers with `turns` in order (a ChatTurn, a str for a final text, or an exception
    to raise) and records every call's messages and tools in `calls`."""

    name = "scripted"

    def __init__(self, turns: Iterable[ChatTurn | str | BaseException]):
        self.turns = list(turns)
        self.calls: list[tuple[list[dict], list[dict]]] = []

    def chat(self, messages: list[dict], tools: list[dict]) -> ChatTurn:
        self.calls.append((copy.deepcopy(messages), list(tools)))
        if not self.turns:
            raise ModelError("script", "scripted model: no turns left")
        turn = self.turns.pop(0)
        if isinstance(turn, BaseException):
            raise turn
        return ChatTurn(turn) if isinstance(turn, str) else turn


# --- configuration -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LLMSettings:
    base_url: str
    model: str
    api_key: str = DEFAULT_API_KEY
    context_window: int = DEFAULT_CONTEXT_WINDOW
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    provider: str = DEFAULT_PROVIDER


PROVIDERS: dict[str, Callable[[LLMSettings], ChatModel]] = {
    "openai-like": OpenAILikeModel.from_settings,
}


def settings_from_env(environ: Mapping[str, str] | None = None) -> LLMSettings | None:
    """The LLM settings, or None when BUDGETQA_LLM_BASE_URL and BUDGETQA_LLM_MODEL are both unset."""
    env = os.environ if environ is None else environ
    get = lambda k: (env.get(k) or "").strip()                          # noqa: E731
    base_url, model = get("BUDGETQA_LLM_BASE_URL"), get("BUDGETQA_LLM_MODEL")
    if not base_url and not model:
        return None
    if not base_url or not model:
        missing = "BUDGETQA_LLM_MODEL" if base_url else "BUDGETQA_LLM_BASE_URL"
        raise LLMConfigError(f"设置了 BUDGETQA_LLM_{'BASE_URL' if base_url else 'MODEL'} 但没有设置 {missing}："
                             "两者都设置才启用大模型，都不设置则离线回答")
    provider = get("BUDGETQA_LLM_PROVIDER") or DEFAULT_PROVIDER
    if provider not in PROVIDERS:
        raise LLMConfigError(f"BUDGETQA_LLM_PROVIDER={provider!r} 不可用，可选：{', '.join(sorted(PROVIDERS))}")
    return LLMSettings(
        base_url=base_url, model=model, api_key=get("BUDGETQA_LLM_API_KEY") or DEFAULT_API_KEY,
        context_window=_positive("BUDGETQA_LLM_CONTEXT_WINDOW", get("BUDGETQA_LLM_CONTEXT_WINDOW"),
                                 DEFAULT_CONTEXT_WINDOW, int),
        timeout=_positive("BUDGETQA_LLM_TIMEOUT", get("BUDGETQA_LLM_TIMEOUT"), DEFAULT_TIMEOUT, float),
        provider=provider,
    )


def _positive(name: str, text: str, default, kind):
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not value > 0 or value != value or value == float("inf"):
        raise LLMConfigError(f"{name}={text!r} 不是正{'整' if kind is int else ''}数，"
                             f"请改正或删除（默认 {default}）")
    return value



def _short(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
