"""The pytest plugin: `pytest docs/` checks every chain of every `*.derive` file.

Registered through the `pytest11` entry point. One test item per chain; a failure shows
the chain's numbered lines with the failing one marked, both sides and the
counterexample, and no Python traceback. A thin shell over `derive.check`, like the CLI.

With the ini option `derive_documents = true`, `.md`, `.markdown`, `.tex` and `.ipynb`
files are collected too. A chain derive skips (it cannot read it, or a `derive: skip`
directive) is a skipped test with the reason; an undecided step passes with a warning
(both show in pytest's summary); `derive_strict = true` in the ini file fails them, as
`--derive-strict` does.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

SUFFIX = ".derive"
DOCUMENT_SUFFIXES = (".md", ".markdown", ".tex", ".ipynb")


class DeriveWarning(pytest.PytestWarning):
    """A step derive could not decide: not known to be wrong, not known to be right."""
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
    parser.addini("derive_strict", "fail chains with steps only checked numerically or "
                  "undecided, and skipped chains (as --derive-strict)", type="bool",
                  default=False)
    parser.addini("derive_documents", "also check the chains of .md, .markdown, .tex and "
                  ".ipynb documents", type="bool", default=False)


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    suffix = file_path.suffix.lower()
    if suffix == SUFFIX or (suffix in DOCUMENT_SUFFIXES
                            and parent.config.getini("derive_documents")):
        return DeriveFile.from_parent(parent, path=file_path)
    return None


def _strict(config: pytest.Config) -> bool:
    return bool(config.getoption("derive_strict") or config.getini("derive_strict"))


class DeriveFileError(Exception):
    """A .derive file that cannot be read or parsed: shown as `path:line:col: message`."""


class ChainFailed(Exception):
    """A chain with a step that does not pass; the message is the whole report."""


class DeriveFile(pytest.File):
    def collect(self):
        from derive.check.chains import FileProblemError
        from derive.check.documents import FileSkipped
        from derive.check.runner import parse_file

        try:
            chains = parse_file(str(self.path))
        except FileSkipped as skip:
            # an item marked skip, so that the summary names this file, not the plugin
            skipped = SkippedFile.from_parent(self, name="file", line=skip.line)
            skipped.add_marker(pytest.mark.skip(
                reason=f"line {skip.line}: file skipped: {skip.reason}"))
            yield skipped
            return
        except FileProblemError as error:
            raise DeriveFileError(error.problem.one_line()) from None
        from derive.check.equations import equation_of

        strict = _strict(self.config)
        equation = None  # the last equation row (implicit differentiation) before a chain
        for chain in chains:
            item = ChainItem.from_parent(self, name=chain.name, chain=chain,
                                         previous_equation=equation)
            if equation_of(chain) is not None:
                equation = chain
            if chain.skipped and (chain.by_directive or not strict):
                # a mark, so that the summary names the chain's own file (pytest folds
                # skips by mark per file, so the reason carries the line)
                item.add_marker(pytest.mark.skip(
                    reason=f"{_where(chain)}: chain skipped: {chain.skipped}"))
            yield item

    # pytest's own Collector narrows Node.repr_failure to (excinfo); this follows Collector.
    def repr_failure(  # type: ignore[override]
            self, excinfo: pytest.ExceptionInfo[BaseException]) -> str | TerminalRepr:
        if isinstance(excinfo.value, DeriveFileError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


def _where(chain) -> str:
    """`line 12`, or `cell 3, line 4` in a notebook."""
    return f"cell {chain.cell}, line {chain.line}" if chain.cell else f"line {chain.line}"


class SkippedFile(pytest.Item):
    """A file with a `derive: skip file` directive: one item, always skipped."""

    def __init__(self, *, line: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.line = line

    def runtest(self) -> None:  # never run: the item carries a skip mark
        raise AssertionError("a skipped file's item ran")

    def reportinfo(self):
        return self.path, self.line - 1, f"{self.path.name}:{self.line}: file skipped"


class ChainItem(pytest.Item):
    def __init__(self, *, chain, previous_equation=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.chain = chain
        # an equation row is checked to follow from the one before (derive.check.equations)
        self.previous_equation = previous_equation

    def runtest(self) -> None:
        from derive.check.report import chain_failure, passes
        from derive.check.runner import check_chain

        config = self.config
        timeout = config.getoption("derive_timeout") or float(config.getini("derive_timeout"))
        strict = _strict(config)
        if self.chain.skipped:  # under --derive-strict (otherwise the item is marked skip)
            raise ChainFailed(f"line {self.chain.line}: chain skipped: {self.chain.skipped}")
        result = check_chain(self.chain, timeout=timeout)
        failing = [step for step in result.steps if not passes(step, strict=strict)]
        if failing:
            raise ChainFailed(chain_failure(result, failing))
        from derive.check.equations import DOES_NOT_FOLLOW, NOT_CHECKED, equation_of, follows
        from derive.check.report import step_message
        from derive.model import Status

        following = (follows(self.previous_equation, self.chain, timeout=timeout)
                     if self.previous_equation is not None else None)
        if following is not None:
            stated = equation_of(self.chain)
            where = self.chain.location(stated[1].line if stated else self.chain.line)
            if following.status == DOES_NOT_FOLLOW:
                raise ChainFailed(f"{where}: {following.message()}")
            if following.status == NOT_CHECKED:
                self.warn(DeriveWarning(f"{where}: {following.message()}"))

        for step in result.steps:
            if step.status is Status.UNDECIDED:
                self.warn(DeriveWarning(f"{self.chain.location(step.line)}: "
                                        f"{step_message(step)}"))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ChainFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        # pytest counts lines from 0 here and shows them from 1
        title = self.chain.title or "chain"
        if self.chain.cell:  # a notebook: the line counts within the cell
            in_file = self.chain.file_line(self.chain.line)  # its line in the JSON file
            return (self.path, in_file - 1 if in_file else None,
                    f"{self.path.name}:cell {self.chain.cell}:line {self.chain.line}: {title}")
        return self.path, self.chain.line - 1, f"{self.path.name}:{self.chain.line}: {title}"
