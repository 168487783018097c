"""What `derive check` reads and what it finds: chains of claimed equalities, and verdicts.

A `Chain` is a starting expression followed by steps, each claimed equal to the line
before it. The parsers (`derive_format`, `documents`) build chains; the runner turns each
into a `ChainResult`. Results hold only strings, enums and frozen dataclasses, so they
cross process boundaries (`-j N`) unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy

from derive.model import Status, Verdict

if TYPE_CHECKING:
    from derive.check.diagnosis import Feedback
    from derive.check.equations import Following
    from derive.check.hypotheses import Hypothesis

# A chain that cannot be understood (a LaTeX row the translator cannot read, a relation
# other than =) is not a step verdict: it is reported per chain, never as a pass.
SKIPPED = "skipped"


@dataclass(frozen=True)
class ChainLine:
    """One line of a chain: the start (number 0) or step `number`, as written."""

    number: int  # 0 for the starting expression, then 1, 2, ... for the steps
    line: int  # 1-based line in the original file
    text: str  # the expression as written, without `=` and justification
    justification: str = ""
    expr: sympy.Expr | None = None  # parsed; may hold pending derivatives
    # how this line follows from the one before: "=" is checked; any other relation
    # (\approx, \le, ...) is reported as not checked, and the = steps around it are checked
    relation: str = "="
    # may a step about unknown functions (f, g, y(x)) fail on a concrete instance? Not when
    # the chain also uses a function the document defined (which may be another example's)
    instances: bool = True
    # letters (y, u, v) taken as unknown functions of x only because the chain applies d/dx
    # to them: a step fails only when it is false for them as constants too
    dependent: tuple[str, ...] = ()
    # the hypotheses the text states for the step ending here (derive.check.hypotheses:
    # "for $x > 0$" before the chain, `, x \ne 0` beside a row), and the symbols they
    # replace (the document's x -> a positive x) in both lines of the step
    hypotheses: tuple[Hypothesis, ...] = ()
    assumed: tuple[tuple[sympy.Symbol, sympy.Symbol], ...] = ()


@dataclass(frozen=True)
class Chain:
    path: str
    line: int  # where the chain starts
    title: str
    lines: tuple[ChainLine, ...]  # lines[0] is the start, the rest are steps
    source: tuple[tuple[int, str], ...]  # (line number, text) of the chain in the file
    skipped: str = ""  # why the chain cannot be checked; empty when it can
    cell: int = 0  # in a notebook: the Markdown cell (from 1); line numbers count in it
    by_directive: bool = False  # skipped because the author asked (`derive: skip`)
    # the one-parameter functions defined where the chain stands, as (name, parameter,
    # body): feedback writes a body back by its name (derive.check.names)
    names: tuple[tuple[str, sympy.Symbol, sympy.Expr], ...] = ()
    # in a notebook: (line in the cell, line in the notebook's JSON file) for the chain's
    # lines (derive.check.positions), so that a report can name a line editors open
    file_lines: tuple[tuple[int, int], ...] = ()

    @property
    def steps(self) -> tuple[ChainLine, ...]:
        return self.lines[1:]

    @property
    def unchecked(self) -> tuple[ChainLine, ...]:
        """Lines that follow by a relation other than =: reported as not checked."""
        return tuple(line for line in self.steps if line.relation != "=")

    def location(self, line: int) -> str:
        """`path:line`; in a notebook `path:57: cell 3, line 4` (57: the line of the JSON
        file that holds line 4 of cell 3, which editors open), or `path:cell 3:line 4` when
        the file's layout does not say."""
        if self.cell:
            in_file = self.file_line(line)
            if in_file:
                return f"{self.path}:{in_file}: cell {self.cell}, line {line}"
            return f"{self.path}:cell {self.cell}:line {line}"
        return f"{self.path}:{line}"

    def file_line(self, line: int) -> int:
        """The line of the file that holds `line` (0 in a notebook whose layout does not say)."""
        if not self.cell:
            return line
        return dict(self.file_lines).get(line, 0)

    @property
    def name(self) -> str:
        """A name unique within its file, for test ids and reports."""
        return f"{self.title} (line {self.line})" if self.title else f"chain at line {self.line}"


@dataclass(frozen=True)
class StepResult:
    number: int
    line: int
    from_line: int  # the line this step is claimed to follow from
    justification: str
    left: str  # the previous line as written
    right: str  # this line as written
    verdict: Verdict
    seconds: float = 0.0
    # for a failed step that differentiates: the derivative, and a mistake proved to give the step
    feedback: Feedback | None = None

    @property
    def status(self) -> Status:
        return self.verdict.status

    def describe(self) -> str:
        """`step 2 (add and subtract one)`: how reports name the step."""
        why = f" ({self.justification})" if self.justification else ""
        return f"step {self.number}{why}"


@dataclass(frozen=True)
class ChainResult:
    chain: Chain
    steps: tuple[StepResult, ...]
    # an equation row (implicit differentiation): how it stands to the equation row before
    # it (derive.check.equations); None for a chain of identities or a first equation
    follows: Following | None = None

    @property
    def skipped(self) -> str:
        return self.chain.skipped


@dataclass(frozen=True)
class FileProblem:
    """A file that could not be read or parsed: `path:line:col: message`, exit 2."""

    path: str
    message: str
    line: int = 0  # 0 when the problem is the whole file (missing, binary, too large)
    column: int = 0

    def location(self) -> str:
        if not self.line:
            return self.path
        if not self.column:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"

    def one_line(self) -> str:
        # a message from deep inside (SymPy) may span lines; the report is one line each
        return f"{self.location()}: {' '.join(self.message.splitlines())}"


class FileProblemError(Exception):
    """Raised by the parsers; carries the `FileProblem` to report."""

    def __init__(self, problem: FileProblem) -> None:
        super().__init__(problem.one_line())
        self.problem = problem


@dataclass(frozen=True)
class FileResult:
    path: str
    chains: tuple[ChainResult, ...] = ()
    problem: FileProblem | None = None
    skipped: str = ""  # a `derive: skip file` directive: why, and where
