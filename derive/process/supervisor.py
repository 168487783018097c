"""The `derive` command's last line of defence: a run ends within its wall-time bound, and
leaves no process behind, whatever happens inside it.

The command forks at its start, before SymPy is imported (a fork costs about a millisecond
then). The child, the worker, does the whole run; this process, the supervisor, only waits
for it with a deadline. The time limits inside the run (derive.timeout) stop a check that
takes too long, but a signal handler runs between bytecodes only, and one huge integer
operation, or a stage outside any limit, can outlast them. When the deadline passes, or on
Ctrl-C, SIGTERM or SIGHUP, the supervisor kills the worker and everything under it, removes
their temporary folders, prints one line and exits (1 for the deadline, 128 + the signal
otherwise). The worker writes files only at the very end, and tells the supervisor when it
starts (`committing`): from then on the supervisor waits for the writes to finish (a few
milliseconds) rather than leave half of them.

Linux makes the supervisor a child subreaper, so that whatever the worker started (the
plot's drawer, the properties' child, TeX) is re-parented to it when its parent dies, and
sets PR_SET_PDEATHSIG in every child derive forks (`die_with_parent`), so that killing the
supervisor with SIGKILL takes the whole tree with it. Elsewhere the run goes unsupervised.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import time
from collections.abc import Callable

from derive.errors import EXIT_FAILED, EXIT_INTERRUPTED

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
# How long the supervisor waits for files already being written, and for a worker told to
# stop, before it gives up on them.
COMMIT_GRACE = 30.0
_COMMITTING = b"w"
_status_fd: int | None = None  # the worker's end of the pipe to the supervisor
_deadline: float | None = None  # in the worker: when the supervisor stops it (monotonic)


# A first plot can wait for matplotlib to build its font cache (once per machine and
# version: tens of seconds on a busy machine). Cut short, it would be built again next time.
PLOT_ALLOWANCE = 60.0


def wall_bound(timeout: float, *, pdf: bool = False, plot: bool = False) -> float:
    """The documented bound on a whole `derive` run, in seconds: 5 s + 10 × --timeout, with
    PLOT_ALLOWANCE more when a plot is drawn and 2 × derive.render.pdf's per-build limit more
    with -f pdf (the article and the slides)."""
    bound = 5.0 + 10.0 * timeout
    if plot:
        bound += PLOT_ALLOWANCE
    if pdf:
        from derive.render.pdf import TIMEOUT

        bound += 2 * TIMEOUT
    return bound


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(option, value, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(parent: int) -> None:
    """In a child just forked from `parent`: be killed when the parent dies, even by SIGKILL.
    If the parent is already gone (it died between the fork and this call), leave now."""
    if _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) and os.getppid() != parent:
        os._exit(EXIT_FAILED)


def worker_deadline() -> float | None:
    """In a supervised worker: the time.monotonic() at which the supervisor's bound stops
    it, so that work with a budget of its own (the properties) can end before; None in any
    other process."""
    return _deadline


def committing() -> None:
    """Called by the worker just before it writes its files (see the module docstring)."""
    global _status_fd
    if _status_fd is None:
        return
    fd, _status_fd = _status_fd, None
    with contextlib.suppress(OSError):
        os.write(fd, _COMMITTING)
        os.close(fd)


class _Signalled(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _SignalCatcher:
    """Signals are recorded always, and raised only while the supervisor sleeps in select:
    nowhere else can one interrupt it halfway through reaping or cleaning up."""

    def __init__(self) -> None:
        self.armed = False
        self.received: int | None = None

    def __call__(self, signum: int, frame: object) -> None:
        if self.received is None:
            self.received = signum
        if self.armed:
            self.armed = False
            raise _Signalled(signum)

    def sleep(self, pid: int, pidfd: int | None, status_read: int, limit: float) -> str | None:
        """_ready(...), interrupted by the first stop signal (raised as _Signalled)."""
        if self.received is not None:
            raise _Signalled(self.received)
        self.armed = True
        try:
            return _ready(pid, pidfd, status_read, limit)
        finally:
            self.armed = False


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def supervise(work: Callable[[], int], bound: float, *, what: str) -> int:
    """Run work() in a forked worker and return its exit code, or stop it at `bound` seconds
    (then `what`, the bound's description, is in the one line printed). Without fork (or off
    Linux, where children cannot be made to die with their parent) work() runs here."""
    if not hasattr(os, "fork") or not _prctl(_PR_SET_CHILD_SUBREAPER, 1):
        return work()
    global _status_fd, _deadline
    start = time.monotonic() - _age()
    status_read, status_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    supervisor = os.getpid()
    pid = os.fork()
    if pid == 0:
        os.close(status_read)
        die_with_parent(supervisor)
        # Ctrl-C reaches the whole foreground group: the supervisor answers it for everyone.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _status_fd = status_write
        _deadline = start + bound
        code = EXIT_FAILED
        try:
            code = work()
        except SystemExit as leaving:
            code = leaving.code if isinstance(leaving.code, int) else EXIT_FAILED
        except BaseException:  # a bug: show it as Python would, rather than die in silence
            import traceback

            traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
            with contextlib.suppress(Exception):
                sys.stderr.flush()
            os._exit(code)
    os.close(status_write)
    return _wait(pid, status_read, start + bound, what)


def _wait(pid: int, status_read: int, deadline: float, what: str) -> int:
    catcher = _SignalCatcher()
    previous = {s: signal.signal(s, catcher) for s in _STOP_SIGNALS}
    committed = False
    stopped_by: int | None = None
    pidfd = _pidfd(pid)
    try:
        while True:
            now = time.monotonic()
            limit = COMMIT_GRACE if committed else deadline - now
            if limit <= 0:
                break
            try:
                if committed:  # the files are being written: let them be finished
                    ready = _ready(pid, pidfd, status_read, limit)
                else:
                    ready = catcher.sleep(pid, pidfd, status_read, limit)
            except _Signalled as signalled:
                stopped_by = signalled.signum
                break
            if committed and ready is None:
                break
            if ready == "exited":
                code = _reap(pid)
                _kill_the_rest()
                if catcher.received is not None:
                    return _report_signal(catcher.received)
                return code
            if ready == "committing":
                committed = True
                with contextlib.suppress(OSError):
                    os.read(status_read, 1)
                os.close(status_read)
                status_read = -1
        # The deadline passed, or a signal came: stop everything, then say so.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _reap(pid)
        _kill_the_rest()
        _remove_temporary_folders(pid)
        if stopped_by is not None:
            return _report_signal(stopped_by)
        print(f"derive: error: stopped after {what}; nothing was written", file=sys.stderr)
        return EXIT_FAILED
    finally:
        if pidfd is not None:
            os.close(pidfd)
        if status_read >= 0:
            os.close(status_read)
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)


def _age() -> float:
    """Seconds since this process started (the bound counts Python's own start-up too)."""
    try:
        with open("/proc/self/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime
        return max(0.0, time.clock_gettime(time.CLOCK_BOOTTIME) - started)
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)  # readable once the process has exited
    except (AttributeError, OSError):
        return None


def _ready(pid: int, pidfd: int | None, status_read: int, limit: float) -> str | None:
    """Wait at most `limit` seconds: "exited", "committing", or None (time is up)."""
    fds = [fd for fd in (pidfd, status_read) if fd is not None and fd >= 0]
    end = time.monotonic() + limit
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return None
        step = left if pidfd is not None else min(left, 0.02)
        readable, _, _ = select.select(fds, [], [], step)
        if pidfd is not None and pidfd in readable:
            return "exited"
        if status_read in readable:
            return "committing"
        if pidfd is None:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                _reaped[pid] = status  # _reap must not wait again
                return "exited"


_reaped: dict[int, int] = {}  # status of a worker reaped while polling (no pidfd)


def _reap(pid: int) -> int:
    """The worker's exit code (a crash by signal becomes one line and exit 1)."""
    if pid in _reaped:
        status = _reaped.pop(pid)
    else:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return EXIT_FAILED
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number != signal.SIGKILL:
            print(f"derive: error: the run died of signal {number} "
                  f"({signal.Signals(number).name})", file=sys.stderr)
        return EXIT_FAILED
    return os.waitstatus_to_exitcode(status)


def _kill_the_rest() -> None:
    """Kill and reap every process still under the supervisor: as a child subreaper it
    inherits whatever the worker left, and each one's children when that one dies."""
    while True:
        for child in _children():
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if not _children():
                # A child we cannot see (no /proc): wait for it rather than spin.
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(-1, 0)
            else:
                time.sleep(0.005)


def _children() -> list[int]:
    me = os.getpid()
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after it.
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == me:
            found.append(int(entry))
    return found


def _remove_temporary_folders(pid: int) -> None:
    """The TeX build folders of a worker killed before it could remove them."""
    from derive.render.pdf import remove_stale_build_folders

    remove_stale_build_folders()


def _report_signal(signum: int) -> int:
    if signum == signal.SIGINT:
        print("derive: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"derive: stopped by {signal.Signals(signum).name}", file=sys.stderr)
    return 128 + signum
