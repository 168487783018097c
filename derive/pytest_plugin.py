"""The pytest plugin: `pytest docs/` checks every chain of every `*.derive` file.

Registered through the `pytest11` entry point. One test item per chain; a failure shows
the chain's numbered lines with the failing one marked, both sides and the
counterexample, and no Python traceback. A thin shell over `derive.check`, like the CLI.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

SUFFIX = ".derive"
ENTRY_POINT = "derive"  # the name under [project.entry-points.pytest11]


def pytest_plugin_registered(plugin, plugin_name: str, manager) -> None:
    # Named with `-p derive.pytest_plugin` while derive is installed, this module would be
    # registered a second time by the pytest11 entry point, which pytest refuses with an
    # error: block the entry point's name, this module is already there.
    if plugin is sys.modules[__name__] and plugin_name != ENTRY_POINT:
        manager.set_blocked(ENTRY_POINT)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("derive", "checking .derive files")
    group.addoption("--derive-strict", action="store_true", default=False,
                    help="fail chains with steps only checked numerically or undecided")
    group.addoption("--derive-timeout", type=float, default=None, metavar="SECONDS",
                    help="seconds each step may take before it is undecided (default 2)")
    parser.addini("derive_timeout", "seconds each .derive step may take (default 2)",
                  default="2")


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.suffix == SUFFIX:
        return DeriveFile.from_parent(parent, path=file_path)
    return None


class DeriveFileError(Exception):
    """A .derive file that cannot be read or parsed: shown as `path:line:col: message`."""


class ChainFailed(Exception):
    """A chain with a step that does not pass; the message is the whole report."""


class DeriveFile(pytest.File):
    def collect(self):
        from derive.check.chains import FileProblemError
        from derive.check.runner import parse_file

        try:
            chains = parse_file(str(self.path))
        except FileProblemError as error:
            raise DeriveFileError(error.problem.one_line()) from None
        for chain in chains:
            yield ChainItem.from_parent(self, name=chain.name, chain=chain)

    # pytest's own Collector narrows Node.repr_failure to (excinfo); this follows Collector.
    def repr_failure(  # type: ignore[override]
            self, excinfo: pytest.ExceptionInfo[BaseException]) -> str | TerminalRepr:
        if isinstance(excinfo.value, DeriveFileError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class ChainItem(pytest.Item):
    def __init__(self, *, chain, **kwargs) -> None:
        super().__init__(**kwargs)
        self.chain = chain

    def runtest(self) -> None:
        from derive.check.report import chain_failure, passes
        from derive.check.runner import check_chain

        config = self.config
        timeout = config.getoption("derive_timeout") or float(config.getini("derive_timeout"))
        strict = config.getoption("derive_strict")
        result = check_chain(self.chain, timeout=timeout)
        failing = [step for step in result.steps if not passes(step, strict=strict)]
        if failing:
            raise ChainFailed(chain_failure(result, failing))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ChainFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        # pytest counts lines from 0 here and shows them from 1
        title = self.chain.title or "chain"
        return self.path, self.chain.line - 1, f"{self.path.name}:{self.chain.line}: {title}"
