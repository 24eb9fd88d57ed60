"""One writer at a time per store folder, across processes and threads: `fcntl.flock` on `write.lock`.

`WriterLock(folder)` is re-entrant within one object (ingest holds it while `Store.add` takes it again) and
exclusive between objects, threads and processes (each object opens its own file description, which is what
flock locks). Waiting is bounded: after `timeout` seconds (default 300, `BUDGETQA_LOCK_TIMEOUT`) a
`StoreError` says which process holds the lock and what to do. The holder's pid is written into the file for
that message only; the lock itself is the kernel's, released when the holder exits or is killed.

Does not handle: network file systems without flock semantics, non-POSIX systems.
"""
from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

from .errors import StoreError

LOCK_NAME = "write.lock"


def _timeout() -> float:
    try:
        return float(os.environ.get("BUDGETQA_LOCK_TIMEOUT", "300"))
    except ValueError:
        return 300.0


class WriterLock:
    def __init__(self, folder: Path, timeout: float | None = None):
        self.path = Path(folder) / LOCK_NAME
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0
        self._owner: int | None = None
        self._mutex = threading.RLock()     # threads sharing one Store take turns too

    @property
    def held(self) -> bool:
        return self._depth > 0 and self._owner == threading.get_ident()

    def __enter__(self) -> "WriterLock":
        self._mutex.acquire()
        try:
            if self._depth == 0:
                self._acquire()
                self._owner = threading.get_ident()
            self._depth += 1
        except BaseException:
            self._mutex.release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._depth -= 1
            if self._depth == 0 and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                os.close(self._fd)
                self._fd, self._owner = None, None
        finally:
            self._mutex.release()

    def try_enter(self) -> bool:
        """Take the lock only if it is free right now (then leave with __exit__); False otherwise."""
        saved, self.timeout = self.timeout, 0
        try:
            self.__enter__()
            return True
        except StoreError:
            return False
        finally:
            self.timeout = saved

    def _acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise StoreError(f"存储 {self.path.parent} 不可写（{e.strerror}）；导入、删除和重建索引需要写权限："
                             "请检查文件夹权限，或用 --store 指定可写的文件夹") from e
        timeout = _timeout() if self.timeout is None else self.timeout
        deadline = time.monotonic() + timeout
        delay = 0.02
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(fd)
                    os.close(fd)
                    raise StoreError(f"存储 {self.path.parent} 正被另一个写入进程{holder}占用，等待 {timeout:.0f} 秒后仍未释放；"
                                     "请等它完成后重试（或设置 BUDGETQA_LOCK_TIMEOUT 等得更久）") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.25)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except OSError:
            pass
        self._fd = fd


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return ""
    return f"（pid {pid}）" if pid.isdigit() else ""
