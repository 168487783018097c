"""One piece of work in a forked process while the caller goes on with the rest.

A cold `derive` spends most of its time after `import sympy` in two independent parts: the
walkthrough (derive, verify, code, templates) and the properties of f. The machine has more
than one core, and SymPy holds the GIL, so the properties run in a child process made by
fork (which starts with everything already imported) and come back as JSON through a pipe.

Where fork is missing or unsafe (no os.fork, other threads running), or the child fails in
any way, the work simply runs in this process: the result is the same, only later.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from typing import Any


class Pending:
    """The result of `work`, computed in a child process if one could be started."""

    def __init__(self, work: Callable[[], Any], *, fork: bool = True) -> None:
        """fork=False: no child; result() does the work in this process."""
        self._work = work
        self._pid: int | None = None
        self._read: int | None = None
        if fork and hasattr(os, "fork") and threading.active_count() == 1:
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without running the parent's exit code
            status = 1
            try:
                os.close(read)
                payload = json.dumps(self._work()).encode("utf-8")
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> Any:
        if self._pid is None:
            return self._work()
        with os.fdopen(self._read, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if status == 0:
            try:
                return json.loads(payload)
            except ValueError:
                pass
        return self._work()  # the child failed: do the work here

    def cancel(self) -> None:
        """Stop and reap a child whose result is no longer wanted."""
        if self._pid is None:
            return
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        os.close(self._read)
        self._pid = None

    def __enter__(self) -> Pending:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()
