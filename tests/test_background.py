"""Work in a forked child: the same result as in process, and the same result when the child
cannot deliver one."""

from __future__ import annotations

import json
import os

import pytest

from derive import pipeline
from derive.process.background import Pending

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
def test_parallel_properties_are_the_properties(text):
    target = pipeline.resolve(text, var="x")
    serial = pipeline.produce(pipeline.Request(target, ("md", "json"), None, plot=False))
    parallel = pipeline.produce(pipeline.Request(target, ("md", "json"), None, plot=False,
                                                 parallel=True))
    assert parallel.texts == serial.texts
    assert json.loads(serial.texts["json"])["properties"]  # something was found to compare


def test_a_child_made_ready_early_takes_its_job_later():
    parent = os.getpid()
    pending = Pending(lambda job: {"sum": sum(job), "in_child": os.getpid() != parent},
                      takes_job=True, prepare=lambda: None)
    assert pending._pid is not None
    pending.send([1, 2, 3])
    assert pending.result() == {"sum": 6, "in_child": True}


def test_a_child_whose_preparation_fails_leaves_the_job_to_the_parent():
    def prepare():
        raise RuntimeError("no matplotlib here")

    pending = Pending(lambda job: job * 2, takes_job=True, prepare=prepare)
    pending.send(21)
    assert pending.result() == 42


def test_a_child_never_sent_its_job_is_stopped_and_reaped():
    pending = Pending(lambda job: job, takes_job=True)
    pid = pending._pid
    with pending:
        pass
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_the_drawer_draws_the_pictures_the_process_draws(tmp_path):
    from derive.process.cold_start import start_drawer

    target = pipeline.resolve("tanh")
    derivation = pipeline.derive(target)
    here, drawing = pipeline.start_plot(target, derivation)
    pipeline.write_plot(here, drawing, tmp_path / "here")
    drawer = start_drawer()
    assert drawer._pid is not None
    plot, drawing = pipeline.start_plot(target, derivation, drawer=drawer)
    assert plot == here
    written = pipeline.write_plot(plot, drawing, tmp_path / "child")
    assert [p.name for p in written] == ["tanh.png", "tanh-plot.pdf"]
    for path in written:
        assert path.read_bytes() == (tmp_path / "here" / path.name).read_bytes()


def test_a_job_arrives_while_a_later_child_holds_a_copy_of_its_pipe():
    import time

    drawer = Pending(lambda job: job + 1, takes_job=True)
    later = Pending(lambda: time.sleep(30))  # forked after: inherits the job pipe's writing end
    try:
        start = time.monotonic()
        drawer.send(41)
        assert drawer.result() == 42
        assert time.monotonic() - start < 10  # it did not wait for the later child to exit
    finally:
        later.cancel()


def test_a_child_that_does_not_answer_in_time_is_stopped_and_late_answers():
    import time

    pending = Pending(lambda: time.sleep(30))
    pid = pending._pid
    start = time.monotonic()
    assert pending.result(timeout=0.3, late=lambda: "late") == "late"
    assert time.monotonic() - start < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # stopped and reaped
    assert Pending(lambda: "on time").result(timeout=60, late=lambda: "late") == "on time"


@pytest.mark.parametrize("text", ["gelu_tanh", "x*sin(1/x)"])
def test_the_code_is_measured_in_a_child_and_says_what_the_process_would(text, tmp_path):
    """derive.process.accuracy_child: the docstring's promise (gelu_tanh's names a region) is
    the measurement codegen makes in process, made in the child begun with f."""
    from derive.analysis import codegen

    measured_in = tmp_path / "measured-in"
    measured = codegen._measured

    def spy(*job):
        with open(measured_in, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return measured(*job)

    target = pipeline.resolve(text, var="x")
    serial = pipeline.produce(pipeline.Request(target, ("md", "py"), None, plot=False))
    import unittest.mock

    with unittest.mock.patch.object(codegen, "_measured", spy):
        measured_in.write_text("")
        parallel = pipeline.produce(pipeline.Request(target, ("md", "py"), None, plot=False,
                                                     parallel=True))
    assert parallel.texts == serial.texts
    pids = measured_in.read_text().split()
    assert len(pids) == 1 and int(pids[0]) != os.getpid()  # measured once, in the child


def test_no_search_child_where_the_walkthrough_writes_the_form_itself(monkeypatch, tmp_path):
    """The sigmoid 1/(1 + e^-x): the reciprocal strategy writes f' = f(1 - f) and asks no
    search, so none is started (pipeline._reciprocal_form); the documents are the same."""
    from derive.analysis import in_terms_of_f

    searched = tmp_path / "searched"
    here = in_terms_of_f.search_here

    def spy(*a):
        searched.write_text("searched")
        return here(*a)

    target = pipeline.resolve("sigmoid")
    serial = pipeline.produce(pipeline.Request(target, ("md",), None, plot=False))
    monkeypatch.setattr(in_terms_of_f, "search_here", spy)
    parallel = pipeline.produce(pipeline.Request(target, ("md",), None, plot=False,
                                                 parallel=True))
    assert parallel.texts == serial.texts
    assert not searched.exists()
    assert parallel.derivation.in_terms_of_f is not None
    x = target.definition.variable
    assert not pipeline._reciprocal_form(1 / (x**2 + 1), x)  # its f' is no f(1 - a f)
