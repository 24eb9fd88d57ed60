"""Bounded loopback load test of the web app through its public API (`/ask`), with gradio_client.

    python scripts/load_test.py                       # start `app.py` on a free port with a fresh store
    python scripts/load_test.py --url http://127.0.0.1:7860/ --users 4,8,16 --questions 5

When it starts the app itself it first reports the seconds from the run command to the first answer.
Then, for each user count, that many clients ask `--questions` questions each at the same time; it reports
errors and latency (median, p95, max) and the answers per second. Loopback only; not a unit test.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ("公务接待费为什么增加", "项目支出占总支出的比例是多少", "三公经费是多少", "什么是基本支出",
             "机关运行经费是多少", "基本支出占总支出的比例", "公务用车运行维护费为什么减少", "收入预算是多少")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_answer(url: str, proc: subprocess.Popen | None, timeout: float) -> float:
    """Poll until an ask through gradio_client succeeds; returns the seconds it took."""
    from gradio_client import Client
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"app exited with status {proc.returncode}")
        try:
            ans = Client(url, verbose=False).predict("三公经费是多少", "", api_name="/ask")
            if ans.get("value"):
                return time.monotonic() - start
        except Exception:
            time.sleep(0.25)
    raise SystemExit(f"no answer from {url} within {timeout:.0f} s")


def run_level(url: str, users: int, per_user: int) -> dict:
    from gradio_client import Client
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(users)

    def user(n: int) -> None:
        try:
            client = Client(url, verbose=False)
        except Exception as e:
            with lock:
                errors.append(f"connect: {e}")
            barrier.abort()
            return
        try:
            barrier.wait(timeout=120)
        except threading.BrokenBarrierError:
            pass
        for i in range(per_user):
            q = QUESTIONS[(n + i) % len(QUESTIONS)]
            t0 = time.monotonic()
            try:
                ans = client.predict(q, "", api_name="/ask")
                ok = isinstance(ans, dict) and ans.get("answer")
                with lock:
                    latencies.append(time.monotonic() - t0)
                    if not ok:
                        errors.append(f"empty answer to {q}")
            except Exception as e:
                with lock:
                    errors.append(f"{q}: {type(e).__name__}: {e}")
        client.close()

    t0 = time.monotonic()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    lat = sorted(latencies)
    return {"users": users, "asked": users * per_user, "answered": len(lat) - sum(e.startswith("empty") for e in errors),
            "errors": errors, "wall": wall,
            "median": statistics.median(lat) if lat else float("nan"),
            "p95": lat[min(len(lat) - 1, int(len(lat) * 0.95))] if lat else float("nan"),
            "max": lat[-1] if lat else float("nan")}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="an app already running; default: start app.py on a free port")
    p.add_argument("--store", help="store folder for the app this script starts (default: a fresh temporary one)")
    p.add_argument("--users", default="1,4,8,16", help="comma-separated concurrent user counts (default 1,4,8,16)")
    p.add_argument("--questions", type=int, default=5, help="questions per user (default 5)")
    p.add_argument("--timeout", type=float, default=180, help="seconds to wait for the first answer")
    a = p.parse_args()
    levels = [int(x) for x in a.users.split(",") if x.strip()]
    if any(n < 1 or n > 64 for n in levels) or not 1 <= a.questions <= 50:
        p.error("users must be 1..64 and questions 1..50 (a bounded test)")

    proc, tmp = None, None
    url = a.url
    if url is None:
        tmp = tempfile.TemporaryDirectory(prefix="budgetqa-load-")
        store = a.store or str(Path(tmp.name) / "store")
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        env = {**os.environ, "BUDGETQA_STORE": store, "GRADIO_ANALYTICS_ENABLED": "False"}
        cmd = [sys.executable, str(ROOT / "app.py"), "--port", str(port)]
        print(f"$ {' '.join(cmd)}  (store {store})", flush=True)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        secs = first_answer(url, proc, a.timeout)
        if proc is not None:
            print(f"first answer {secs:.1f} s after the run command", flush=True)
        print(f"{'users':>5} {'asked':>6} {'ok':>5} {'errors':>6} {'median s':>9} {'p95 s':>7} {'max s':>7} {'ans/s':>6}")
        for n in levels:
            r = run_level(url, n, a.questions)
            print(f"{r['users']:>5} {r['asked']:>6} {r['answered']:>5} {len(r['errors']):>6} {r['median']:>9.2f} "
                  f"{r['p95']:>7.2f} {r['max']:>7.2f} {r['answered'] / r['wall']:>6.1f}", flush=True)
            for e in r["errors"][:5]:
                print(f"      error: {e}")
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
