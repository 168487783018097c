"""Work in a forked child: the same result as in process, and the same result when the child
cannot deliver one."""

from __future__ import annotations

import json
import os

import pytest

from derive import pipeline
from derive.background import Pending

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX-only")


def test_the_child_computes_and_the_parent_receives():
    parent = os.getpid()
    pending = Pending(lambda: {"pid_differs": os.getpid() != parent, "values": [1, "two"]})
    assert pending.result() == {"pid_differs": True, "values": [1, "two"]}


def test_a_failing_child_leaves_the_work_to_the_parent():
    calls = []

    def work():
        calls.append(os.getpid())
        if os.getpid() != parent:
            raise RuntimeError("the child breaks")
        return "done here"

    parent = os.getpid()
    assert Pending(work).result() == "done here"
    assert calls == [parent]  # the child's call happened in its own memory


def test_an_unwanted_child_is_stopped_and_reaped():
    import time

    pending = Pending(lambda: time.sleep(30))
    pid = pending._pid
    assert pid is not None
    with pending:
        pass
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@pytest.mark.parametrize("text", ["sigmoid", "a*tanh(x)"])
def test_properties_started_early_are_the_properties(text):
    from derive.cold_start import start_properties

    target = pipeline.resolve(text, var="x")
    serial = pipeline.produce(pipeline.Request(target, ("md", "json"), None, plot=False))
    early = start_properties(text, var="x", timeout=2.0)
    assert early._pid is not None  # really in a child
    parallel = pipeline.produce(pipeline.Request(target, ("md", "json"), None, plot=False,
                                                 properties=early))
    assert parallel.texts == serial.texts
    assert json.loads(serial.texts["json"])["properties"]  # something was found to compare
