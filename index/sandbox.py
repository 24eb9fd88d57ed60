"""Read a document in a separate worker process under time and memory limits.

`read_isolated(paths, name)` runs `python -m index.sandbox` (a fresh interpreter: nothing of the caller's state
is copied, no main module is re-imported), hands it the paths, and gets the `ParsedDocument` back pickled
on its standard output. The worker sets `RLIMIT_AS` (address space, `BUDGETQA_READ_MEMORY_MB`, default 2048)
and `RLIMIT_CPU` on itself before importing any reader; the caller waits at most `BUDGETQA_READ_TIMEOUT`
seconds (default 180) and then kills it. Whatever goes wrong in the worker comes back as one `InputError`
line: a file too complex to read in the time, one that needs more memory, a reader crash. The worker may
fork one helper that reads the second half of a longer PDF's pages under the same limits (index._pdfsplit).

Does not handle: limits on systems without `resource` (non-POSIX): the file is then read in-process.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from .errors import BudgetQAError, InputError

_ROOT = str(Path(__file__).resolve().parents[1])


def limits() -> tuple[int, int]:
    """(memory in MB, wall-clock seconds) for one read."""
    def num(key: str, default: int) -> int:
        try:
            return max(1, int(os.environ.get(key, default)))
        except ValueError:
            return default
    return num("BUDGETQA_READ_MEMORY_MB", 2048), num("BUDGETQA_READ_TIMEOUT", 180)


def read_isolated(paths: list[Path], name: str | None):
    memory, timeout = limits()
    names = "、".join(Path(p).name for p in paths)
    env = dict(os.environ)
    env["PYTHONPATH"] = _ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    payload = pickle.dumps({"paths": [str(p) for p in paths], "name": name, "memory": memory, "cpu": timeout})
    proc = subprocess.Popen([sys.executable, "-m", "index.sandbox"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        out, err = proc.communicate(payload, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise InputError(f"{names} 读取超过 {timeout} 秒仍未完成，已停止：文件过于复杂或已损坏；"
                         "请只导入部门预算公开部分，或重新导出该文件") from None
    try:
        kind, value = pickle.loads(out) if out else ("crash", None)
    except Exception:
        kind, value = "crash", None
    if kind == "ok":
        return value
    if kind == "error":
        raise InputError(value)
    last = (err or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
    if "MemoryError" in last[0] or proc.returncode in (-9,):
        raise InputError(f"{names} 读取时需要的内存超过 {memory} MB 上限，已停止：文件过于复杂或已损坏；"
                         "请只导入部门预算公开部分，或重新导出该文件")
    raise InputError(f"{names} 读取失败（读取进程异常退出：{last[0][:120]}）；请重新导出该文件后再导入")


def _out_of_memory(e: BaseException) -> bool:
    """A library that cannot be loaded or a mapping refused under the memory cap is the cap, not a bug
    ("failed to map segment", "Cannot allocate memory")."""
    text = str(e).lower()
    return "map segment" in text or "cannot allocate" in text or getattr(e, "errno", None) == 12


def _worker() -> int:
    job = pickle.loads(sys.stdin.buffer.read())
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)                                # any print from a library goes to stderr, not into the result
    try:
        import resource
        mem = job["memory"] * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_CPU, (job["cpu"], job["cpu"] + 5))
    except (ImportError, ValueError, OSError):
        pass
    names = "、".join(Path(p).name for p in job["paths"])
    try:
        from . import _pdfsplit
        _pdfsplit.ENABLED = True                 # this process is single-threaded and under the limits
        from .ingest import read_checked
        result = ("ok", read_checked([Path(p) for p in job["paths"]], job["name"]))
    except BudgetQAError as e:
        result = ("error", str(e))
    except (MemoryError, ImportError, OSError) as e:
        if not isinstance(e, MemoryError) and not _out_of_memory(e):
            result = ("error", f"{names} 无法读取（内部错误 {type(e).__name__}: {str(e)[:120]}）；"
                               "请重新导出该文件，或把文件报告给维护者")
            out.write(pickle.dumps(result))
            out.flush()
            return 0
        result = ("error", f"{names} 读取时需要的内存超过 {job['memory']} MB 上限，已停止：文件过于复杂或已损坏；"
                           "请只导入部门预算公开部分，或重新导出该文件")
    except RecursionError:
        result = ("error", f"{names} 结构嵌套过深，无法读取：文件已损坏或被恶意构造；请重新导出该文件")
    except Exception as e:                       # a reader bug on this file: one line, the file named
        result = ("error", f"{names} 无法读取（内部错误 {type(e).__name__}: {str(e)[:120]}）；"
                           "请重新导出该文件，或把文件报告给维护者")
    out.write(pickle.dumps(result))
    out.flush()
    return 0


def _exit(code: int) -> None:
    """Leave without tearing the interpreter down: the result is written and flushed, the worker holds
    nothing that needs closing, and freeing a document's worth of pdfminer objects one by one would keep the
    caller waiting (it waits for this process to end)."""
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    _exit(_worker())
