"""Start-up work of the ingest path done while the worker process reads the file.

Reading runs in a worker process (index/sandbox.py) on one core while the caller only waits on a pipe. What
the caller needs right after the reading — chromadb and its client on the store's folder, jieba and its
dictionary — costs seconds of its own start-up, so
`start(store)` does it in a background thread during that wait, and the two cores work at once.

llama-index is not imported at all: the vectors are written with Chroma's own call (index._noderecords).

Safe by construction: the thread only imports modules, loads jieba's dictionary (jieba's own lock) and
opens the store's Chroma client (the store's client lock; nothing is written, no collection is touched, the
orphan sweep is left to the first real use). Whatever fails here is dropped: the same step runs again where
it is needed and fails there the normal way, as one line. The thread is a daemon, so a refused file still
exits at once; `join(thread)` waits for it (bounded) before the ingest goes on, and `settle()` (at the start
of the next ingest in the same process) for one left running by a failed reading.

Does not handle: speeding up a caller that has everything loaded already (the app after its first
ingest): then each step returns at once.
"""
from __future__ import annotations

import threading

JOIN_SECONDS = 120.0          # imports take seconds; a stuck one must not hang the ingest (it then redoes it)


def _jieba() -> None:
    from .tokens import load_dictionary
    load_dictionary()


def _warm(store) -> None:
    for step in (store.open_chroma, _jieba):
        try:
            step()
        except BaseException:        # noqa: BLE001  redone (and reported) where it is needed
            pass


_running: list[threading.Thread] = []


def settle() -> None:
    """Wait for a warm-up still running from an earlier ingest whose reading failed (it was left running so
    that the failure was reported at once): the caller's own imports never run alongside it."""
    while _running:
        join(_running.pop())


def running() -> bool:
    """A warm-up is still running (a refused file's: the process may end without waiting for it, but must end
    without tearing the interpreter down under the thread's imports — see assistant.cli)."""
    return any(t.is_alive() for t in _running)


def start(store) -> threading.Thread:
    settle()
    thread = threading.Thread(target=_warm, args=(store,), name="budgetqa-warmup", daemon=True)
    thread.start()
    _running.append(thread)
    return thread


def join(thread: threading.Thread | None) -> None:
    if thread is not None:
        thread.join(JOIN_SECONDS)
