"""A bounded run (the command's: pipeline.Request.deadline) writes its documents: a child
still at work near the deadline is stopped, and the documents say so in words, rather than
the bound ending the run with nothing written."""

from __future__ import annotations

import os
import time

import pytest

from derive import pipeline
from derive.analysis import in_terms_of_f

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the children need fork")


@pytest.mark.parametrize("text", ["softsign", "x*sigmoid(x)"])
def test_a_search_that_outlasts_the_runs_bound_is_stopped_and_said_so(monkeypatch, text):
    """The worker's wait for the f'-in-terms-of-f search child ends SEARCH_RESERVE before the
    deadline: the document shows no form in f and does not say that none exists; it says
    the search was stopped by its time limit, the seconds it was given."""
    monkeypatch.setattr(in_terms_of_f, "search_here",
                        lambda *a: time.sleep(60))  # the forked child never answers
    start = time.monotonic()
    produced = pipeline.produce(pipeline.Request(
        pipeline.resolve(text), ("md",), None, plot=False, parallel=True,
        deadline=start + pipeline.SEARCH_RESERVE + 1.0))
    assert time.monotonic() - start < 30
    md = produced.texts["md"]
    assert "## Result" in md
    said = md.split("in the function's own value was stopped by its time limit of ", 1)
    assert len(said) == 2, "the cut-off is not said"
    seconds = float(said[1].split(" s ", 1)[0])
    assert 0.1 <= seconds <= 30
    assert produced.derivation.in_terms_of_f is None


def test_a_search_that_answers_in_time_is_the_search(monkeypatch):
    """With a deadline far off, the bounded wait gives the child's own outcome."""
    unbounded = pipeline.produce(pipeline.Request(
        pipeline.resolve("softsign"), ("md",), None, plot=False, parallel=True))
    bounded = pipeline.produce(pipeline.Request(
        pipeline.resolve("softsign"), ("md",), None, plot=False, parallel=True,
        deadline=time.monotonic() + 600))
    assert bounded.texts == unbounded.texts
    assert bounded.derivation.in_terms_of_f is not None


def test_a_search_cut_by_the_deadline_is_not_remembered_for_the_next_run(monkeypatch):
    """The cut-off belonged to that run (the clock, how busy the machine was): the next run
    of the same f makes its own search and finds the form."""
    with monkeypatch.context() as patched:
        patched.setattr(in_terms_of_f, "search_here", lambda *a: time.sleep(60))
        cut = pipeline.produce(pipeline.Request(
            pipeline.resolve("swish"), ("md",), None, plot=False, parallel=True,
            deadline=time.monotonic() + pipeline.SEARCH_RESERVE + 1.0))
    assert cut.derivation.in_terms_of_f is None
    again = pipeline.produce(pipeline.Request(  # in process: no child's answer to replace it
        pipeline.resolve("x*sigmoid(x)"), ("md",), None, plot=False))
    assert again.derivation.in_terms_of_f is not None


def test_a_code_measurement_that_outlasts_the_runs_bound_is_stopped_and_said_so(monkeypatch):
    """The worker's wait for the measurement child (derive.process.accuracy_child) ends
    RESERVE before the deadline: the code is written, and its docstring promises no region
    and says why (3**(x**3)/(1 + x) measured for 8 s of CPU at --timeout 0.2, bound 7 s)."""
    from derive.analysis import codegen, codegen_accuracy
    from derive.process import accuracy_child

    if not codegen_accuracy.measurable():
        pytest.skip("no NumPy: nothing is measured")
    monkeypatch.setattr(codegen, "_measured", lambda *a: time.sleep(60))  # the child's too
    start = time.monotonic()
    produced = pipeline.produce(pipeline.Request(
        pipeline.resolve("gelu_tanh"), ("md", "py"), None, plot=False, parallel=True,
        deadline=start + accuracy_child.RESERVE + 2.0))
    assert time.monotonic() - start < 30
    code = " ".join(produced.texts["py"].split())
    assert codegen_accuracy.UNFINISHED in code
    assert "Measured against mpmath" not in code
    assert codegen_accuracy.UNFINISHED in " ".join(produced.texts["md"].split())
    compile(produced.texts["py"], "gelu_tanh.py", "exec")  # still a module
