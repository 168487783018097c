"""Work in a forked process while the caller goes on with the rest.

A cold `derive` spends its time in parts that do not depend on each other: importing SymPy
and building the walkthrough, finding the properties of f, importing matplotlib and drawing
the plot. The machine has more than one core, and Python holds one lock per process, so a
part runs in a child process made by fork and its answer comes back as JSON through a pipe
(or pickled, for SymPy objects: the child is this process's own fork, so nothing foreign is
ever unpickled).

A child can also start before its input exists: `prepare` runs at once (an import, say),
and the work waits for the job the parent sends later.

Where fork is missing or unsafe (no os.fork, other threads running), or the child fails in
any way, the work simply runs in this process: the result is the same, only later.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import threading
from collections.abc import Callable
from typing import Any

_NO_JOB = object()


def _read_message(pipe) -> bytes | None:
    """One length-prefixed message, or None at end of file. The length, not the end of file,
    says where a job ends: a child forked later holds a copy of the pipe's writing end, and
    the end of file would only come when that child exits."""
    header = pipe.read(8)
    if len(header) < 8:
        return None
    size = int.from_bytes(header, "big")
    data = pipe.read(size)
    return data if len(data) == size else None


class Pending:
    """The result of `work`, computed in a child process if one could be started.

    takes_job=False: the child computes work() at once. takes_job=True: the child runs
    prepare() at once, then waits for send(job) and computes work(job).
    """

    def __init__(self, work: Callable[..., Any], *, fork: bool = True, takes_job: bool = False,
                 prepare: Callable[[], None] | None = None, pickled: bool = False) -> None:
        """fork=False: no child; result() does the work in this process. pickled: the answer
        comes back pickled (SymPy expressions), not as JSON."""
        self._work = work
        self._pickled = pickled
        self._takes_job = takes_job
        self._job: Any = _NO_JOB
        self._pid: int | None = None
        self._read: int | None = None
        self._job_write: int | None = None
        if fork and hasattr(os, "fork") and threading.active_count() == 1:
            self._start(prepare)

    def _start(self, prepare: Callable[[], None] | None) -> None:
        from derive.process.supervisor import die_with_parent

        read, write = os.pipe()
        job_read, job_write = os.pipe() if self._takes_job else (None, None)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without running the parent's exit code
            status = 1
            try:
                die_with_parent(parent)  # never outlive the run, even one killed by SIGKILL
                os.close(read)
                if job_write is not None:
                    os.close(job_write)
                if prepare is not None:
                    prepare()
                if job_read is None:
                    answer = self._work()
                else:
                    with os.fdopen(job_read, "rb") as pipe:
                        data = _read_message(pipe)
                    if data is None:  # the parent closed without a job: nothing to do
                        os._exit(0)
                    answer = self._work(pickle.loads(data))  # our parent's own job
                payload = pickle.dumps(answer) if self._pickled \
                    else json.dumps(answer).encode("utf-8")
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        if job_read is not None:
            os.close(job_read)
        self._pid, self._read, self._job_write = pid, read, job_write

    def send(self, job: Any) -> None:
        """The job a takes_job child waits for (kept for result() if there is no child)."""
        self._job = job
        if self._job_write is None:
            return
        fd, self._job_write = self._job_write, None
        payload = pickle.dumps(job)
        data = memoryview(len(payload).to_bytes(8, "big") + payload)
        try:
            while data:
                data = data[os.write(fd, data):]
        except OSError:  # the child is gone: result() will do the work here
            pass
        finally:
            os.close(fd)

    def _compute(self) -> Any:
        return self._work(self._job) if self._takes_job else self._work()

    def result(self, *, timeout: float | None = None,
               late: Callable[[], Any] | None = None) -> Any:
        """The work's result. timeout (seconds) with late: if the child has not answered by
        then, it is stopped and late() is the result (a bounded run's partial answer)."""
        if self._pid is None:
            return self._compute()
        assert self._read is not None  # a child was forked, so its pipe is open
        if timeout is not None and late is not None:
            import select

            ready, _, _ = select.select([self._read], [], [], max(0.0, timeout))
            if not ready:
                self.cancel()
                return late()
        with os.fdopen(self._read, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if status == 0:
            try:
                # our own fork's answer (pickled): written by this program, not read from outside
                return pickle.loads(payload) if self._pickled else json.loads(payload)
            except (ValueError, pickle.UnpicklingError, EOFError):
                pass
        return self._compute()  # the child failed: do the work here

    def cancel(self) -> None:
        """Stop and reap a child whose result is no longer wanted."""
        if self._job_write is not None:
            os.close(self._job_write)
            self._job_write = None
        if self._pid is None:
            return
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        if self._read is not None:
            os.close(self._read)
            self._read = None
        self._pid = None

    def __enter__(self) -> Pending:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()
