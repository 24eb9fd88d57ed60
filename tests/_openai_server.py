"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol, from a script.

Used to test the OpenAI-compatible adapter without a model or the network:

    with ScriptedOpenAIServer([tool_call_turn(("call_1", "find_facts", '{"query": "公务接待费"}')),
                               text_turn("公务接待费为5.60万元。")]) as server:
        model = OpenAILikeModel(base_url=server.base_url, model="fake", timeout=2, max_retries=0)
        ...
        server.requests[1]["messages"][-1]["role"] == "tool"

Each POST to /v1/chat/completions consumes the next scripted step and records the parsed request body in
`server.requests`. A step is a response body (see `text_turn`, `tool_call_turn`), an `HTTPError(status,
body)`, or a `Hang(seconds)` that answers only after the client has given up. When the script runs out the
server answers 500 with a message saying so. It does not handle streaming.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class HTTPError:
    status: int
    body: Any = None          # JSON body (dict) or raw text


@dataclass(frozen=True)
class Hang:
    seconds: float            # wait this long (or until the server stops) before answering
    then: Any = None          # what to answer afterwards (default: a text turn "too late")


def text_turn(content: str, model: str = "fake-model") -> dict:
    """A final assistant message."""
    return _completion({"role": "assistant", "content": content}, "stop", model)


def tool_call_turn(*calls: tuple[str, str, str], content: str | None = None, model: str = "fake-model") -> dict:
    """An assistant message calling tools: each call is (id, function name, arguments as a JSON *string*)."""
    tool_calls = [{"id": cid, "type": "function", "function": {"name": name, "arguments": arguments}}
                  for cid, name, arguments in calls]
    return _completion({"role": "assistant", "content": content, "tool_calls": tool_calls}, "tool_calls", model)


def _completion(message: dict, finish_reason: str, model: str) -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


class ScriptedOpenAIServer:
    """Serve `script` in order on a free port of 127.0.0.1; use as a context manager."""

    def __init__(self, script: list[Any]):
        self.script = list(script)
        self.requests: list[dict] = []      # parsed JSON bodies of chat-completion requests, in order
        self.headers: list[dict] = []       # their HTTP headers
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> "ScriptedOpenAIServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):   # keep test output quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._send(404, {"error": {"message": f"no route {self.path}"}})
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._send(400, {"error": {"message": "request body is not JSON"}})
                with server._lock:
                    server.requests.append(body)
                    server.headers.append(dict(self.headers))
                    step = server.script.pop(0) if server.script else HTTPError(
                        500, {"error": {"message": "scripted server: script exhausted"}})
                if isinstance(step, Hang):
                    server._stop.wait(step.seconds)
                    step = step.then if step.then is not None else text_turn("too late")
                if isinstance(step, HTTPError):
                    return self._send(step.status, step.body)
                return self._send(200, step)

            def _send(self, status: int, body: Any):
                data = (json.dumps(body, ensure_ascii=False) if not isinstance(body, str) else body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):   # the client gave up (timeout)
                    pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="scripted-openai", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        assert self._httpd is not None and self._thread is not None
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
