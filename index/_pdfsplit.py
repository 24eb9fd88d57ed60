"""The second half of a PDF's pages read by a forked helper while the worker reads the first half.

What a page gives the reader before any table is placed (its text lines and ruled grids: index.pdf's
`_extract`) depends on that page alone, so the sandbox worker (index/sandbox.py) forks a helper that opens the
file again and extracts pages `start`… while the worker extracts the pages before; the worker then places
every page in order, as if it had read them all itself. The two cores of the machine read at once: the
whole ingest then takes less wall time than one pdfplumber pass over the file (which is single-process),
for a little more CPU time (the helper's own opening of the file).

Only the worker forks (`ENABLED`, set there: a single-threaded process under the read's memory and CPU
limits, which the helper inherits — each of the two processes is bounded by them), only files of at least
`MIN_PAGES` pages, on a machine with two cores or more, unless `BUDGETQA_READ_PROCESSES=1`. The helper dies
with the worker (PR_SET_PDEATHSIG, and it holds none of the worker's output pipes). When it fails in any
other way than the reader would refuse the file, the worker reads its pages itself: the same result.

Does not handle: more than two processes; systems without fork (the file is read in one process).
"""
from __future__ import annotations

import os
import pickle
import signal

from .errors import InputError

ENABLED = False
MIN_PAGES = 8


def split_point(pages: int) -> int | None:
    """Where the helper starts, or None to read the file in this process alone."""
    if (not ENABLED or pages < MIN_PAGES or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork")
            or os.environ.get("BUDGETQA_READ_PROCESSES", "").strip() == "1"):
        return None
    return pages // 2


class Helper:
    """A forked process extracting pages `start`… of `path` (page numbers from `number`) with `extract`."""

    def __init__(self, path, start: int, number: int, extract):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:                                       # the helper
            try:
                os.close(r)
                _run(path, start, number, extract, w)
            finally:
                os._exit(0)
        os.close(w)
        self.pid, self.fd = pid, r

    def results(self) -> list | None:
        """The helper's extracted pages in order, or None when it failed (read them here instead). A refusal
        the reader itself would raise (InputError, MemoryError, RecursionError) is raised here."""
        kind, value = "failed", None
        try:
            with os.fdopen(self.fd, "rb") as fh:
                self.fd = None
                data = fh.read()
            kind, value = pickle.loads(data)
        except Exception:                                  # noqa: BLE001  died, killed, cut short
            pass
        finally:
            self.close()
        if kind == "raise" and isinstance(value, (InputError, MemoryError, RecursionError)):
            raise value
        return value if kind == "ok" and isinstance(value, list) else None

    def close(self) -> None:
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = None
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = 0


def _run(path, start: int, number: int, extract, w: int) -> None:
    try:                                                   # die with the worker (Linux)
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)         # PR_SET_PDEATHSIG
    except Exception:                                      # noqa: BLE001  elsewhere: bounded by RLIMIT_CPU
        pass
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)
    os.dup2(null, 2)                                       # the caller waits for the worker's pipes only
    os.closerange(3, w)
    os.closerange(w + 1, 1 << 16)
    try:
        import pdfplumber
        out = []
        with pdfplumber.open(path) as pdf:
            for i, page in enumerate(pdf.pages[start:]):
                out.append(extract(page, number + i))
                page.close()
        result = ("ok", out)
    except (InputError, MemoryError, RecursionError) as e:
        result = ("raise", e)
    except BaseException:                                  # noqa: BLE001  the worker reads these pages itself
        result = ("failed", None)
    try:
        data = pickle.dumps(result)
    except Exception:                                      # noqa: BLE001
        data = pickle.dumps(("failed", None))
    view = memoryview(data)
    while view:
        view = view[os.write(w, view):]
