"""Work in a forked child: the same result as in process, and the same result when the child
cannot deliver one."""

from __future__ import annotations

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


def test_parallel_properties_are_the_properties():
    target = pipeline.resolve("sigmoid")
    serial = pipeline.produce(pipeline.Request(target, ("md", "json"), None, plot=False))
    parallel = pipeline.produce(pipeline.Request(target, ("md", "json"), None, plot=False,
                                                 parallel=True))
    assert parallel.texts == serial.texts
    assert "max slope" in serial.texts["json"]
