"""The app under hostile use (issue 11): bounded questions, a fuzzy matcher that gives the same answers as the
plain scan it replaced, uploads only for a logged-in staff session, a login lockout, user text never rendered
as HTML or images, one log line for a person's mistake, and the JSON endpoint `/api/ask`.

The server tests run the real app (FastAPI + Gradio on 127.0.0.1, in a thread) over the bundled document;
timing is measured in bench/load.py, never asserted here."""
from __future__ import annotations

import random

import pytest

from assistant.understand import Mention
from assistant.wordcuts import another_word
from tests._app_process import CHROMIUM, NO_CHROMIUM, STAFF_PASSWORD, STAFF_USER, chromium


def _fuzzy_by_scan(index, q: str) -> list[Mention]:
    """The matcher as it was: every name against every place of the question (the reference)."""
    best = None
    for cand in index.candidates:
        n = len(cand.key)
        if n < 4:
            continue
        for i in range(0, len(q) - n + 1):
            window = q[i:i + n]
            miss = sum(1 for a, b in zip(window, cand.key) if a != b)
            if (miss == 1 and window[0] == cand.key[0] or miss == 1 and window[-1] == cand.key[-1]) and \
                    not another_word(window, cand.key):
                s = (n - 1) * 0.9
                if best is None or s > best[0]:
                    best = (s, i, i + n, cand)
    return [Mention(best[1], best[2], best[0], [best[3]])] if best else []


def _typo_questions(index, rng: random.Random, n: int) -> list[str]:
    names = [c.key for c in index.candidates if len(c.key) >= 4]
    noise = "的是多少请问今年预算支出为什么增加一共经费"
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 3)):
            key = list(rng.choice(names))
            for _ in range(rng.choice((0, 1, 1, 2))):       # 0, 1 or 2 wrong characters
                key[rng.randrange(len(key))] = rng.choice(noise)
            parts.append("".join(key))
            parts.append("".join(rng.choice(noise) for _ in range(rng.randint(0, 4))))
        out.append("".join(parts))
    return out


def test_fuzzy_matcher_finds_what_the_full_scan_found(bundled_store):
    from assistant.api import Assistant
    bot = Assistant(bundled_store)
    index = bot.context(bundled_store.documents()[0].id).index
    rng = random.Random(11)
    questions = _typo_questions(index, rng, 300) + ["公务接侍费是多少", "住房公基金", "", "公务", "x" * 50]
    found = 0
    for q in questions:
        want, got = _fuzzy_by_scan(index, q), index.fuzzy(q)
        assert [(m.start, m.end, m.score, m.candidates[0].key) for m in got] == \
               [(m.start, m.end, m.score, m.candidates[0].key) for m in want], q
        found += bool(want)
    assert found > 100                                   # the sample does exercise the matcher


def test_long_question_is_refused_with_one_clear_line(bundled_store):
    from assistant.api import MAX_QUESTION_CHARS, Assistant
    bot = Assistant(bundled_store)
    ans = bot.ask("三公经费是多少" + "啊" * 100_000)
    assert not ans.answerable and ans.value is None and "问题太长" in ans.answer and "500" in ans.answer
    assert len(ans.question) <= MAX_QUESTION_CHARS + 1
    assert bot.ask(("三公经费是多少" + " " * 600)).value == "8.82"   # only what is asked counts, not spaces
    assert bot.ask("请问" * 246 + "三公经费是多少").value == "8.82"    # 499 characters: answered


# -- the served app --------------------------------------------------------------------------------
STAFF_EVENTS = {      # staff event -> inputs (States are not sent); each must be refused without a login
    "do_upload": [None, "x", ], "do_confirm": [], "do_cancel": [], "do_remove": [None, "huizhou-data-bureau-2024"],
    "do_audit": [None], "do_check": [None, "2024年公务接待费5.6万元"], "do_check_1": [None, "公务接待费5.6万元"],
    "lambda_2": [], "tick": [None], "show_table": [None, None], "lambda_1": [None],
    "do_logout": [], "do_login": [STAFF_USER, "wrong", None], "do_login_1": ["", "", None],
}
PUBLIC_EVENTS = {"respond", "respond_1", "respond_2", "respond_3", "respond_4", "respond_5", "lambda", "on_like",
                 "ask", "on_doc_change", "lambda_3",
                 # the 对比 tab and the chat's ambiguity buttons (public: they only read documents)
                 "show", "go", "go_1", "go_2", "go_3", "go_4", "go_5", "run", "lambda_4"}


@pytest.fixture(scope="module")
def staff_app(bundled_store):
    import os

    import app
    saved = {k: os.environ.get(k) for k in ("BUDGETQA_STAFF_USER", "BUDGETQA_STAFF_PASSWORD")}
    os.environ.update(BUDGETQA_STAFF_USER=STAFF_USER, BUDGETQA_STAFF_PASSWORD=STAFF_PASSWORD)
    try:
        running = app.serve(bundled_store)
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    yield running
    running.close()


def _call(url: str, name: str, data: list, timeout: float = 60) -> tuple[str, str]:
    """Call a Gradio event by name over plain HTTP (as anyone can): (last event kind, its data)."""
    import httpx
    r = httpx.post(f"{url}gradio_api/call/{name}", json={"data": data}, timeout=timeout)
    if r.status_code != 200:
        return f"http {r.status_code}", r.text
    text = httpx.get(f"{url}gradio_api/call/{name}/{r.json()['event_id']}", timeout=timeout).text
    events = [b for b in text.split("\n\n") if b.strip()]
    kind, _, payload = events[-1].partition("\n")
    return kind.removeprefix("event: ").strip(), payload.removeprefix("data: ")


def test_every_event_is_classified(staff_app):
    names = {d["api_name"] for d in staff_app.demo.config["dependencies"] if d.get("api_name")}
    js_only = {d["api_name"] for d in staff_app.demo.config["dependencies"] if d.get("js") and d["api_name"].startswith("js_fn")}
    assert names - js_only == set(STAFF_EVENTS) | PUBLIC_EVENTS    # a new event must be added to a list here


@pytest.mark.parametrize("name", sorted(STAFF_EVENTS))
def test_staff_events_refuse_a_caller_who_is_not_logged_in(staff_app, name):
    import json
    kind, payload = _call(staff_app.url, name, STAFF_EVENTS[name])
    if kind == "error":
        message = json.loads(payload)["error"] or ""
        assert "请先登录" in message, message
        return
    assert kind == "complete", (kind, payload)
    out = json.loads(payload)
    text = json.dumps(out, ensure_ascii=False)
    # what comes back is only "stay as you are" or "logged out": no document, table, feedback or token
    assert "7600.53" not in text and "7,600.53" not in text and "公务接待费" not in text and "huizhou" not in text
    # (States stay on the server: they come back as None)
    if name.startswith("do_login"):
        assert out[0] is None and ("不正确" in out[1] or "锁定" in out[1])
        assert out[5] is None and out[6] == ""                             # no token handed out


def test_gradio_client_does_not_even_offer_the_private_events(staff_app):
    from gradio_client import Client
    client = Client(staff_app.url, verbose=False, download_files=False)
    with pytest.raises(ValueError):
        client.predict(None, "x", api_name="/do_check")
    assert set(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == {"/ask"}


def _upload(url: str, cookie: str | None = None, size: int = 1000, headers: dict | None = None):
    import httpx
    cookies = {"bq_staff": cookie} if cookie else None
    files = {"files": ("a.pdf", b"%PDF-1.4\n" + b"0" * size, "application/pdf")}
    return httpx.post(f"{url}gradio_api/upload", files=files, cookies=cookies, headers=headers, timeout=60)


def test_upload_route_is_closed_to_anonymous_callers(staff_app):
    r = _upload(staff_app.url)
    assert r.status_code == 403 and "登录" in r.text
    assert _upload(staff_app.url, cookie="guessed-token").status_code == 403
    sessions = staff_app.demo.bq_sessions
    token = sessions.issue()                      # what a successful login hands the browser
    ok = _upload(staff_app.url, cookie=token)
    assert ok.status_code == 200, ok.text
    from pathlib import Path
    saved = Path(ok.json()[0])
    sessions.revoke(token)                        # logged out: closed again
    assert _upload(staff_app.url, cookie=token).status_code == 403
    saved.unlink(missing_ok=True)


def test_upload_route_refuses_a_request_bigger_than_the_limit(staff_app):
    import socket
    from urllib.parse import urlsplit

    from assistant.web.staff_jobs import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES
    token = staff_app.demo.bq_sessions.issue()
    limit = MAX_UPLOAD_FILES * MAX_UPLOAD_BYTES + 65536
    u = urlsplit(staff_app.url)
    with socket.create_connection((u.hostname, u.port), timeout=30) as s:     # the header alone: nothing is read
        s.sendall((f"POST /gradio_api/upload HTTP/1.1\r\nHost: {u.netloc}\r\nCookie: bq_staff={token}\r\n"
                   f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {limit + 1}\r\n\r\n").encode())
        head = s.recv(4096).decode("utf-8", "replace")
    assert head.startswith("HTTP/1.1 413")
    assert _upload(staff_app.url, cookie=token, size=100).status_code == 200      # a normal one still passes
    staff_app.demo.bq_sessions.revoke(token)


def test_upload_route_is_closed_when_the_workspace_is_off(bundled_store, monkeypatch, tmp_path):
    import app
    monkeypatch.delenv("BUDGETQA_STAFF_USER", raising=False)
    monkeypatch.delenv("BUDGETQA_STAFF_PASSWORD", raising=False)
    monkeypatch.setenv("BUDGETQA_STAFF_FILE", str(tmp_path / "none.toml"))
    running = app.serve(bundled_store)
    try:
        token = running.demo.bq_sessions.issue()   # even a token is worthless with the workspace off
        assert _upload(running.url).status_code == 403
        assert _upload(running.url, cookie=token).status_code == 403
    finally:
        running.close()


def test_login_is_locked_after_repeated_failures():
    from assistant.web.staff_jobs import LoginLimiter
    lim = LoginLimiter(attempts=5, lock_seconds=60)
    keys = LoginLimiter.keys("10.0.0.1", "staff")
    for _ in range(4):
        lim.failed(keys)
    assert lim.locked_for(keys) == 0
    lim.failed(keys)
    assert 59 < lim.locked_for(keys) <= 60
    assert lim.locked_for(LoginLimiter.keys("10.0.0.2", "staff")) > 0      # the name is locked everywhere
    assert lim.locked_for(LoginLimiter.keys("10.0.0.1", "other")) > 0      # and the address for every name
    assert lim.locked_for(LoginLimiter.keys("10.0.0.2", "other")) == 0
    other = LoginLimiter.keys("10.0.0.3", "x")
    lim.failed(other)
    lim.succeeded(other)                                                   # a success forgets earlier failures
    for _ in range(4):
        lim.failed(other)
    assert lim.locked_for(other) == 0


def test_login_over_http_meets_the_lockout(staff_app):
    import json
    notes = []
    for _ in range(6):        # the address may already carry failures from the other tests here
        kind, payload = _call(staff_app.url, "do_login", ["lockme", "wrong", None])
        notes.append(json.loads(payload)[1])
    assert "锁定" in notes[-1] and "分钟后再试" in notes[-1]
    assert sum("不正确" in n for n in notes) <= 5
    # the address is locked too (every caller here is 127.0.0.1): the right password is refused meanwhile
    kind, payload = _call(staff_app.url, "do_login", [STAFF_USER, STAFF_PASSWORD, None])
    out = json.loads(payload)
    assert "锁定" in out[1] and out[6] == ""


# -- /api/ask ----------------------------------------------------------------------------------------
def _api(url: str, body, raw: bytes | None = None):
    import httpx
    if raw is not None:
        return httpx.post(f"{url}api/ask", content=raw, headers={"content-type": "application/json"}, timeout=60)
    return httpx.post(f"{url}api/ask", json=body, timeout=60)


def test_api_ask_returns_the_answer_object(staff_app):
    r = _api(staff_app.url, {"question": "项目支出占总支出的比例是多少"})
    assert r.status_code == 200
    ans = r.json()
    assert ans["value"] == "65.89" and ans["unit"] == "%" and ans["answerable"] is True
    assert ans["calculation"] == "5,008.06 ÷ 7,600.53 × 100% = 65.89%" and ans["citations"]
    follow = _api(staff_app.url, {"question": "那基本支出呢", "history": ["项目支出占总支出的比例是多少"]}).json()
    assert follow["value"] == "34.11"
    same = _api(staff_app.url, {"question": "那基本支出呢", "history": [ans], "doc": "huizhou-data-bureau-2024"})
    assert same.json()["value"] == "34.11"


@pytest.mark.parametrize("body, raw, status, words", [
    ({"question": "三公经费是多少", "doc": "no-such-doc"}, None, 400, "没有文档"),
    (None, b"{not json", 400, "JSON"),
    ({"q": "x"}, None, 400, "question"),
    ({"question": "x", "history": "x"}, None, 400, "history"),
    (None, b'{"question": "' + b"a" * 300_000 + b'"}', 413, "太大"),
])
def test_api_ask_refuses_bad_requests_with_one_line(staff_app, body, raw, status, words):
    r = _api(staff_app.url, body, raw)
    assert r.status_code == status and words in r.json()["error"] and "\n" not in r.json()["error"]


def test_api_ask_caps_the_question(staff_app):
    ans = _api(staff_app.url, {"question": "三公经费" * 1000}).json()
    assert ans["answerable"] is False and "问题太长" in ans["answer"]


def test_user_errors_are_one_log_line_not_a_traceback(staff_app, capfd, caplog):
    import logging

    from gradio_client import Client
    from gradio_client.exceptions import AppError
    caplog.set_level(logging.INFO, logger="budgetqa.app")
    client = Client(staff_app.url, verbose=False, download_files=False)
    with pytest.raises(AppError, match="没有文档"):
        client.predict("三公经费是多少", "no-such-doc", api_name="/ask")
    _api(staff_app.url, {"question": "三公经费是多少", "doc": "no-such-doc"})
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    lines = [r for r in caplog.records if "no-such-doc" in r.getMessage()]
    assert len(lines) >= 2 and all(r.exc_info is None for r in lines)


def test_a_bug_is_still_logged_with_its_traceback(caplog):
    import logging

    from assistant.web.chat import ask_once

    class Broken:
        def ask(self, *a, **k):
            raise KeyError("bug")

    caplog.set_level(logging.INFO, logger="budgetqa.app")
    ans, problem = ask_once(Broken(), "三公经费是多少", None, [])
    assert ans is None and "出错" in problem
    assert any(r.exc_info for r in caplog.records)


# -- the real app process: temporary files, and what the browser fetches ------------------------------
@pytest.fixture(scope="module")
def app_process(tmp_path_factory):
    """`python app.py` with staff credentials, its TMPDIR in a folder of the test (with a stale folder a
    dead process left there)."""
    from tests._app_process import app_process as start
    tmp = tmp_path_factory.mktemp("app-process")
    (tmp / "tmp").mkdir()
    stale = tmp / "tmp" / "budgetqa-app-999999999"
    (stale / "abc").mkdir(parents=True)
    (stale / "abc" / "left-behind.pdf").write_bytes(b"%PDF")
    with start(tmp, staff=True, env={"TMPDIR": str(tmp / "tmp")}) as app:
        yield {"url": app.url, "proc": app.proc, "tmp": tmp / "tmp", "stale": stale, "log": app.log}


def test_gradio_uploads_live_in_a_folder_removed_at_exit(app_process):
    import json
    from pathlib import Path
    folder = app_process["tmp"] / f"budgetqa-app-{app_process['proc'].pid}"
    assert folder.is_dir() and not app_process["stale"].exists()       # a dead process's folder is cleared
    kind, payload = _call(app_process["url"], "do_login", [STAFF_USER, STAFF_PASSWORD, None])
    token = json.loads(payload)[6]                                     # what the browser keeps as its cookie
    assert kind == "complete" and len(token) > 20
    r = _upload(app_process["url"], cookie=token)
    assert r.status_code == 200
    saved = Path(r.json()[0])
    assert saved.exists() and folder in saved.parents
    app_process["proc"].terminate()
    assert app_process["proc"].wait(timeout=30) == 0
    assert not folder.exists()


def test_markdown_images_and_html_in_a_question_are_not_fetched(tmp_path):
    """In a real browser: a question with a Markdown image and raw HTML pointing at a local server; the
    server must see no request, the chat shows the text literally."""
    import http.server
    import threading

    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)

    import app
    from index.ingest import bundled_path, ingest
    from index.store import Store
    hits = []

    class Canary(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *a):
            pass

    canary = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    threading.Thread(target=canary.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{canary.server_address[1]}"
    store = Store(tmp_path / "store")
    ingest(store, [bundled_path()])
    running = app.serve(store)
    question = (f"![x]({base}/md.png) <img src=\"{base}/raw.png\"> [点我]({base}/link) "
                f"<a href=\"{base}/a\">a</a> 三公经费是多少")
    try:
        with chromium() as b:
            page = b.new_page()
            page.goto(running.url)
            page.wait_for_selector("#bq-question textarea", timeout=60_000)
            page.fill("#bq-question textarea", question)
            page.click("#bq-send")
            page.wait_for_selector("#bq-chat [data-testid='bot'] details", timeout=60_000)
            page.wait_for_timeout(1000)
            user = page.locator("#bq-chat [data-testid='user']").last
            assert "![x](" in user.inner_text() and "<img" in user.inner_text()     # shown as typed
            assert page.locator("#bq-chat img").count() == 0
            assert page.locator(f"#bq-chat a[href^='{base}']").count() == 0
            assert "8.82" in page.locator("#bq-chat [data-testid='bot']").last.inner_text()
    finally:
        running.close()
        canary.shutdown()
    assert hits == []


def test_an_upload_whose_id_exists_waits_for_a_confirmation(tmp_path, corpus):
    """Needs the store's id-clash refusal (`index.errors.IdClash`, `ingest(..., replace=True)`)."""
    import time

    from index import errors
    if not hasattr(errors, "IdClash"):
        pytest.skip("this store replaces an existing id silently (IdClash not available yet)")
    from index.ingest import bundled_path, ingest
    from index.store import Store

    from assistant.web.staff_jobs import Ingestor, save_upload
    store = Store(tmp_path / "store")
    first = ingest(store, [bundled_path()], "budget").department
    ingestor = Ingestor(store)

    def wait(job):
        deadline = time.monotonic() + 300
        while job.state in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.1)
        return job

    try:
        other = save_upload(store.path, corpus / "shanghai-putuo-wanli-2024.pdf", "budget.pdf")
        job = wait(ingestor.submit([other], ["budget.pdf"], "budget"))
        assert job.state == "clash" and "budget" in job.message and other.exists()    # nothing replaced yet
        assert "确认替换" in job.line()
        assert store.resolve("budget").department == first
        new = wait(ingestor.confirm(job.id))
        assert new.state == "done", new.message
        store.forget("budget")
        assert store.resolve("budget").department != first
    finally:
        ingestor.close()
