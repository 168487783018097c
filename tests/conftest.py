"""Shared fixtures: the sigmoid walkthrough, built and verified once per session."""

from __future__ import annotations

import os
import tempfile

import pytest


def pytest_configure(config):
    """Compiled templates go to a cache of this run's own (derive.render.template_cache), not to the
    user's home folder; xdist workers inherit the controller's."""
    if "DERIVE_TEST_CACHE" not in os.environ:
        os.environ["DERIVE_TEST_CACHE"] = os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(
            prefix="derive-test-cache-")


@pytest.fixture(scope="session")
def sigmoid():
    from derive import pipeline

    return pipeline.derive(pipeline.resolve("sigmoid"))


@pytest.fixture(scope="session")
def sigmoid_view(sigmoid):
    # The building blocks produce() makes every document's view from.
    from derive.render.view import build_view, json_document

    view = build_view(sigmoid)
    view["json"] = json_document(view)
    return view


def pytest_terminal_summary(terminalreporter):
    """Show the soundness corpus figures (right/wrong steps and their verdicts) after a run."""
    from soundness_corpus import terminal_summary

    terminal_summary(terminalreporter)


def pytest_addoption(parser):
    parser.addoption("--document-pngs", metavar="DIR", default=None,
                     help="also write the first page of every compiled document as a PNG into "
                          "DIR, for a person to look at (tests/test_documents.py)")
