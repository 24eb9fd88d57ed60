"""Load benchmark of the web app on loopback: latency, errors and throughput for concurrent users, with and
without an ingest running at the same time, through the JSON endpoint (`POST /api/ask`) and the Gradio API
(`/ask` through gradio_client); and the app's resident memory.

    python bench/load.py                          # starts app.py on a free 127.0.0.1 port, temp store
    python bench/load.py --users 1,10,50 --questions 5 --api json,gradio --ingest both
    python bench/load.py --url http://127.0.0.1:7860/ --ingest no   # an app already running (no RSS, no ingest)

Each level: N users start together (a barrier), each asks `--questions` questions one after another (a
rotation of table, ratio and reason questions, naming the bundled document). Printed per level: asked, ok,
errors, p50/p95/max seconds, answers per second, and the app's own CPU milliseconds per answer (which
does not depend on what else the machine runs; on a shared machine it shows what the latency would be
alone), and the CPU milliseconds this client spent per request (it shares the machine with the app). The
JSON client is a raw asyncio HTTP/1.1 keep-alive connection per user (`--client httpx` for the library);
every latency is one request from sending it to having read its whole response. "ingest" levels run while a separate process ingests a
corpus PDF into the same store, over and over (a one-byte variant each time, so it is never "unchanged"),
at the same lowered priority as the app's own ingest worker. RSS is read from /proc after start-up and
the first answer, and its peak (VmHWM) at the end. Bounded: loopback only, per-request timeout, a total
deadline, every process it starts is stopped at the end. Not a unit test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DOC = "huizhou-data-bureau-2024"
QUESTIONS = ("公务接待费为什么增加", "项目支出占总支出的比例是多少", "三公经费是多少", "什么是基本支出",
             "机关运行经费是多少", "基本支出占总支出的比例", "公务用车运行维护费为什么减少", "收入预算是多少")
TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid: int, field: str = "VmRSS") -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process so far (from /proc): the app's own cost, whatever else runs."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


# -- clients ---------------------------------------------------------------------------------------
def _ok(ans) -> bool:
    return isinstance(ans, dict) and bool(ans.get("answer")) and "error" not in ans


class RawHTTP:
    """One keep-alive HTTP/1.1 connection on asyncio streams: a client that costs well under a millisecond of
    CPU per request, so the numbers are the server's. Sends a request, reads the whole response (status line,
    headers, a Content-Length or chunked body) before the caller stops the clock."""

    def __init__(self, url: str):
        u = urlsplit(url)
        self.host, self.port, self.base = u.hostname, u.port or 80, u.path.rstrip("/")
        self.reader = self.writer = None

    async def post_json(self, path: str, payload: dict) -> tuple[int, bytes]:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        head = (f"POST {self.base}/{path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode("latin-1")
        if self.writer is None:          # connecting is part of the first request's time, as for any client
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(head + body)
        await self.writer.drain()
        status_line, *lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        headers = {}
        for line in lines:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            data = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                data += await self.reader.readexactly(size)
                await self.reader.readexactly(2)
            await self.reader.readuntil(b"\r\n")
        else:
            raise ValueError(f"response without a length (HTTP {status})")
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None


def run_json(url: str, users: int, per_user: int, client: str = "raw") -> tuple[list[float], list[str], float]:
    """N users on the JSON endpoint, each on its own keep-alive connection (`raw`, or `httpx` for comparison).
    Each latency is one request's full time: sending it until its whole response body has been read."""
    async def main():
        latencies, errors = [], []
        start = asyncio.Event()
        if client == "httpx":
            import httpx
            limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
            hx = httpx.AsyncClient(base_url=url, timeout=TIMEOUT, limits=limits)

        async def user(n: int):
            conn = RawHTTP(url) if client == "raw" else None
            await start.wait()
            try:
                for i in range(per_user):
                    q = QUESTIONS[(n + i) % len(QUESTIONS)]
                    t0 = time.monotonic()
                    try:
                        if conn is not None:
                            status, data = await asyncio.wait_for(conn.post_json("api/ask", {"question": q, "doc": DOC}),
                                                                  TIMEOUT)
                        else:
                            r = await hx.post("api/ask", json={"question": q, "doc": DOC})
                            status, data = r.status_code, r.content
                        latencies.append(time.monotonic() - t0)
                        if status != 200 or not _ok(json.loads(data)):
                            errors.append(f"{q}: HTTP {status} {data[:120].decode('utf-8', 'replace')}")
                    except Exception as e:
                        errors.append(f"{q}: {type(e).__name__}: {e}")
                        if conn is not None:
                            await conn.close()
            finally:
                if conn is not None:
                    await conn.close()
        tasks = [asyncio.create_task(user(n)) for n in range(users)]
        await asyncio.sleep(0.05)
        t0 = time.monotonic()
        start.set()
        await asyncio.gather(*tasks)
        wall = time.monotonic() - t0
        if client == "httpx":
            await hx.aclose()
        return latencies, errors, wall

    return asyncio.run(main())


def run_gradio(url: str, users: int, per_user: int) -> tuple[list[float], list[str], float]:
    from gradio_client import Client
    latencies, errors, lock = [], [], threading.Lock()
    clients = []
    for _ in range(users):                 # connecting (config, API info) is set-up, not measured
        clients.append(Client(url, verbose=False, download_files=False))
    barrier = threading.Barrier(users + 1)

    def user(n: int) -> None:
        barrier.wait(timeout=120)
        for i in range(per_user):
            q = QUESTIONS[(n + i) % len(QUESTIONS)]
            t0 = time.monotonic()
            try:
                ans = clients[n].predict(q, DOC, api_name="/ask")
                with lock:
                    latencies.append(time.monotonic() - t0)
                    if not _ok(ans):
                        errors.append(f"{q}: bad answer {str(ans)[:120]}")
            except Exception as e:
                with lock:
                    errors.append(f"{q}: {type(e).__name__}: {str(e)[:160]}")

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for t in threads:
        t.start()
    barrier.wait(timeout=120)
    t0 = time.monotonic()
    for t in threads:
        t.join(timeout=TIMEOUT * per_user)
    wall = time.monotonic() - t0
    for c in clients:
        try:
            c.close()
        except Exception:
            pass
    return latencies, errors, wall


# -- a concurrent ingest ---------------------------------------------------------------------------
class IngestLoop:
    """Ingests a PDF into the store again and again in a separate, lower-priority process until stopped."""

    def __init__(self, store: str, pdf: Path, work: Path):
        self.store, self.pdf, self.work = store, pdf, work
        self.proc: subprocess.Popen | None = None
        self.runs, self.failures, self.last_error = 0, 0, ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        data = self.pdf.read_bytes()
        while not self._stop.is_set():
            self.runs += 1
            copy = self.work / f"bench-ingest-{self.runs}.pdf"
            copy.write_bytes(data + f"\n%bench {self.runs} {time.time()}\n".encode())   # a new hash each time
            cmd = [sys.executable, "-m", "assistant.cli", "ingest", str(copy), "--store", self.store,
                   "--name", f"bench-ingest-{self.runs}"]
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                         preexec_fn=lambda: os.nice(10))
            _, err = self.proc.communicate()
            if self.proc.returncode not in (0, -15) and not self._stop.is_set():
                self.failures += 1
                self.last_error = (err or b"").decode("utf-8", "replace").strip().splitlines()[-1:]
            copy.unlink(missing_ok=True)

    def __enter__(self):
        self._thread.start()
        time.sleep(1.0)                    # past the process start-up, into parsing
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
        self._thread.join(timeout=30)


# -- the app ---------------------------------------------------------------------------------------
def start_app(store: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "BUDGETQA_STORE": store, "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONPATH": str(ROOT)}
    for k in ("BUDGETQA_STAFF_USER", "BUDGETQA_STAFF_PASSWORD", "BUDGETQA_LLM_BASE_URL", "BUDGETQA_LLM_MODEL"):
        env.pop(k, None)
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}/"


def first_answer(url: str, proc: subprocess.Popen | None, timeout: float) -> float:
    import httpx
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"app exited with status {proc.returncode}")
        try:
            r = httpx.post(url + "api/ask", json={"question": "三公经费是多少", "doc": DOC}, timeout=10)
            if r.status_code == 200 and r.json().get("value"):
                return time.monotonic() - t0
        except Exception:
            pass
        time.sleep(0.25)
    raise SystemExit(f"no answer from {url} within {timeout:.0f} s")


def report(api: str, ingest: bool, users: int, per_user: int, result, cpu: float | None = None,
           client_cpu: float | None = None) -> None:
    lat, errors, wall = result
    lat = sorted(lat)
    ok = len(lat) - sum(1 for e in errors if "bad answer" in e or "HTTP" in e)

    def pct(p):
        return lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))] if lat else float("nan")
    print(f"{api:>6} {'yes' if ingest else 'no':>6} {users:>5} {users * per_user:>6} {ok:>5} {len(errors):>6} "
          f"{statistics.median(lat) if lat else float('nan'):>7.2f} {pct(95):>7.2f} {pct(100):>7.2f} "
          f"{ok / wall if wall else 0:>7.1f} {cpu * 1000 / max(1, ok) if cpu is not None else float('nan'):>9.1f}"
          f" {client_cpu * 1000 / max(1, len(lat)) if client_cpu is not None else float('nan'):>9.1f}",
          flush=True)
    for e in errors[:3]:
        print(f"       error: {e}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="an app already running (default: start app.py on a free port)")
    p.add_argument("--users", default="1,10,50", help="comma-separated concurrent user counts (default 1,10,50)")
    p.add_argument("--questions", type=int, default=5, help="questions per user (default 5)")
    p.add_argument("--api", default="json,gradio", help="json, gradio or both (default json,gradio)")
    p.add_argument("--client", choices=("raw", "httpx"), default="raw",
                   help="JSON client: raw asyncio HTTP/1.1 keep-alive (default, light) or httpx (heavier)")
    p.add_argument("--ingest", choices=("no", "yes", "both"), default="both", help="run levels during an ingest")
    p.add_argument("--pdf", default=str(CORPUS / "jiangsu-procuratorate-2019.pdf"), help="PDF the ingest reads")
    p.add_argument("--deadline", type=float, default=900, help="stop starting new levels after this many seconds")
    a = p.parse_args()
    levels = [int(x) for x in a.users.split(",") if x.strip()]
    apis = [x.strip() for x in a.api.split(",") if x.strip()]
    if any(not 1 <= n <= 100 for n in levels) or not 1 <= a.questions <= 20 or not set(apis) <= {"json", "gradio"}:
        p.error("users 1..100, questions 1..20, api json/gradio (a bounded benchmark)")
    ingest_modes = {"no": [False], "yes": [True], "both": [False, True]}[a.ingest]
    if a.url and True in ingest_modes:
        p.error("--ingest needs the app this script starts (it writes to that store)")
    if True in ingest_modes and not Path(a.pdf).exists():
        p.error(f"{a.pdf} not found (give --pdf, or --ingest no)")

    t_start = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="budgetqa-load-"))
    proc, url, store = None, a.url, str(tmp / "store")
    try:
        if url is None:
            proc, url = start_app(store, tmp / "app.log")
            print(f"app: {sys.executable} app.py on {url} (store {store})", flush=True)
        secs = first_answer(url, proc, 240)
        if proc is not None:
            print(f"first answer {secs:.1f} s after start; RSS {rss_kb(proc.pid) // 1024} MB "
                  "(bundled document loaded, one answer given)", flush=True)
        print(f"{'api':>6} {'ingest':>6} {'users':>5} {'asked':>6} {'ok':>5} {'errors':>6} {'p50 s':>7} {'p95 s':>7} "
              f"{'max s':>7} {'ans/s':>7} {'cpu ms/a':>9} {'client ms':>9}")
        for ingest in ingest_modes:
            for api in apis:
                for n in levels:
                    if time.monotonic() - t_start > a.deadline:
                        print("deadline reached: remaining levels skipped")
                        return 0
                    run = functools.partial(run_json, client=a.client) if api == "json" else run_gradio
                    pid = proc.pid if proc is not None else None
                    with IngestLoop(store, Path(a.pdf), tmp) if ingest else contextlib.nullcontext() as loop:
                        c0, k0 = cpu_seconds(pid), time.process_time()
                        result = run(url, n, a.questions)
                        c1, k1 = cpu_seconds(pid), time.process_time()
                    report(api, ingest, n, a.questions, result, c1 - c0 if c0 is not None else None, k1 - k0)
                    if loop is not None and loop.failures:
                        print(f"       ingest: {loop.runs} started, {loop.failures} failed: {loop.last_error}")
        if proc is not None:
            print(f"app RSS at the end {rss_kb(proc.pid) // 1024} MB, peak {rss_kb(proc.pid, 'VmHWM') // 1024} MB")
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
