"""The time limit never surfaces as an "Exception ignored" report.

Python runs weakref callbacks and finalizers wherever an object dies, including inside a
stage; a Timeout raised there would be printed and lost (CI once failed on exactly that, in
WeakSet._remove). The alarm declines to raise in such frames, and a Timeout that is lost
anyway is dropped quietly while every other unraisable report still reaches the old hook.
"""

from __future__ import annotations

import sys
import weakref

import pytest

from derive.timeout import Timeout, _Alarm, attempt


def _frame_inside_weakset_remove():
    """The frame WeakSet's own clean-up callback (in _weakrefset.py) runs in."""

    class Thing:
        pass

    weak_set = weakref.WeakSet()
    thing = Thing()
    weak_set.add(thing)
    frames = []

    def tracer(frame, event, arg):
        if frame.f_code.co_name == "_remove" and frame.f_code.co_filename.endswith("_weakrefset.py"):
            frames.append(frame)

    sys.settrace(tracer)
    try:
        del thing
    finally:
        sys.settrace(None)
    assert len(weak_set) == 0
    return frames[0]


def _armed_alarm() -> _Alarm:
    alarm = _Alarm()
    alarm.active = True
    return alarm


def test_the_alarm_does_not_raise_inside_a_weakset_clean_up():
    _armed_alarm()(14, _frame_inside_weakset_remove())  # returns instead of raising


def test_the_alarm_raises_in_a_stages_own_code():
    with pytest.raises(Timeout):
        _armed_alarm()(14, sys._getframe())


def test_a_lost_timeout_is_dropped_and_other_reports_reach_the_old_hook():
    class RaisesTimeout:
        def __del__(self):
            raise Timeout

    class RaisesValueError:
        def __del__(self):
            raise ValueError("a real problem")

    def stage():
        RaisesTimeout()
        RaisesValueError()
        return "done"

    reports = []
    previous = sys.unraisablehook
    sys.unraisablehook = reports.append
    try:
        outcome = attempt(stage, 5.0)
        hook_after = sys.unraisablehook
    finally:
        sys.unraisablehook = previous
    assert hook_after == reports.append  # attempt() put the old hook back
    assert outcome.value == "done"
    assert [type(report.exc_value) for report in reports] == [ValueError]
