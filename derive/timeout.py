"""Time limits for the symbolic stages: SIGALRM in the main thread, nothing elsewhere.

SymPy cannot be interrupted cooperatively, so a stage that runs too long is stopped by a
signal handler raising `Timeout`. `Timeout` derives from BaseException so that SymPy's own
`except Exception:` blocks do not swallow it, and the timer repeats every few milliseconds
until the stage is left, in case a bare `except:` does. A timer someone else had armed
(pytest-timeout, an outer caller) is re-armed with what was left of it afterwards.

`attempt(..., cpu=True)` counts the process's own CPU time instead (ITIMER_PROF, SIGPROF):
the work done, not the wall time, which a busy machine stretches several times over. The
verifier bounds its checks that way, so that a limit far above the work a check needs
stays far above it under load (derive.verify).
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
# signal.signal converts handlers to and from enums, and for a Python handler that costs a
# caught exception (~8 us a call, most of an attempt); attempt runs for every line derive
# check parses and every verifier stage. The C function takes and gives the same values
# (SIG_DFL as 0 rather than Handlers.SIG_DFL, which is equal).
# CPython's private `_signal`; another Python keeps the public function.
try:
    from _signal import signal as _c_signal  # type: ignore[import-not-found]  # no stub
except ImportError:  # pragma: no cover - not CPython
    _c_signal = signal.signal
_set_handler: Callable[[int, object], object] = _c_signal

_REPEAT = 0.01  # seconds between repeated alarms if a handler-raised Timeout was swallowed


class Timeout(BaseException):
    """Raised inside a stage whose time is up."""


def can_interrupt() -> bool:
    """Signals reach only the main thread, and setitimer exists only on POSIX."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@dataclass
class Outcome(Generic[T]):
    value: T | None = None
    timed_out: bool = False
    error: str = ""


class _Alarm:
    def __init__(self) -> None:
        self.active = False

    def __call__(self, signum, frame) -> None:  # the SIGALRM handler
        if self.active and not _in_finalizer(frame):
            raise Timeout


# Code that Python runs from object deallocation: a weakref callback (WeakSet and
# WeakValueDictionary clean-ups) or a finalizer. An exception raised there is ignored.
_DEALLOCATION_FILES = ("_weakrefset.py", "weakref.py", "unraisableexception.py")


def _in_finalizer(frame) -> bool:
    """True inside a __del__, a weakref callback or an unraisable-exception hook: an
    exception raised there is only reported as "ignored" and lost. The repeating alarm tries
    again in a few milliseconds, when the stage's own code is running."""
    while frame is not None:
        code = frame.f_code
        if (code.co_name == "__del__" or "unraisable" in code.co_name
                or code.co_filename.endswith(_DEALLOCATION_FILES)):
            return True
        frame = frame.f_back
    return False


class _QuietLostTimeouts:
    """An unraisable hook for the length of a stage. A Timeout raised where Python ignores
    exceptions (a callback no frame test recognises) is dropped silently, since the repeating
    alarm raises it again; anything else goes to the hook that was there before."""

    def __init__(self, previous) -> None:
        self.previous = previous

    def __call__(self, unraisable) -> None:
        if isinstance(unraisable.exc_value, Timeout):
            return
        self.previous(unraisable)


def attempt(stage: Callable[[], T], seconds: float, *, cpu: bool = False) -> Outcome[T]:
    """Run stage() for at most `seconds` (when this thread can be interrupted): seconds of
    wall time, or with cpu=True seconds of this process's CPU time.

    An exception from the stage is reported in `error`, not raised: a stage that cannot
    decide simply leaves the question to the next one.
    """
    if seconds <= 0:
        return Outcome(timed_out=True)
    if not can_interrupt():
        return _run(stage)
    which, signum = (signal.ITIMER_PROF, signal.SIGPROF) if cpu else (
        signal.ITIMER_REAL, signal.SIGALRM)
    clock = time.process_time if cpu else time.monotonic
    alarm = _Alarm()
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _QuietLostTimeouts(previous_hook)
    previous_handler = _set_handler(signum, alarm)
    start = clock()
    previous_delay, previous_interval = signal.setitimer(which, 0)
    limit = min(seconds, previous_delay) if previous_delay > 0 else seconds
    outcome: Outcome[T] = Outcome(timed_out=True)
    try:
        # Two levels: the alarm can fire on any bytecode until `active` is False, including
        # in the inner finally itself. Only the outer handler runs once the alarm is quiet,
        # so no Timeout can leave this function (it did, now and then, from the old single
        # try's `except Timeout` and `finally`).
        try:
            try:
                alarm.active = True
                signal.setitimer(which, limit, _REPEAT)
                outcome = _run(stage)
            finally:
                alarm.active = False
        except Timeout:
            outcome = Outcome(timed_out=True)
    finally:
        signal.setitimer(which, 0)
        sys.unraisablehook = previous_hook
        # None: the previous handler was not set from Python; the default is the best guess.
        _set_handler(signum, previous_handler if previous_handler is not None else signal.SIG_DFL)
        if previous_delay > 0:
            # The outer timer keeps its own deadline; if it has passed, fire it at once.
            left = max(previous_delay - (clock() - start), 1e-6)
            signal.setitimer(which, left, previous_interval)
    return outcome


def _run(stage: Callable[[], T]) -> Outcome[T]:
    try:
        return Outcome(value=stage())
    except Timeout:
        raise
    except TimeoutError:  # a stage that watches the clock itself gave up
        return Outcome(timed_out=True)
    except Exception as exc:  # any failure of a stage means "not decided here"
        return Outcome(error=f"{type(exc).__name__}: {exc}")
