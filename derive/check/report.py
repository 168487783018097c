"""What `derive check` prints, and its exit code, decided here only.

Exit codes (a contract): 0 no step failed; 1 a step failed (with `--strict` also a step
only checked numerically, an undecided step, or a skipped chain); 2 a file could not be
read or parsed. A file problem wins over a failure: the check is then incomplete.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from derive.check.chains import SKIPPED, ChainLine, ChainResult, FileResult, StepResult
from derive.check.diagnosis import Feedback
from derive.check.equations import DOES_NOT_FOLLOW, FOLLOWED, NOT_CHECKED
from derive.errors import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK
from derive.model import Counterexample, Status

# What does not pass under --strict, besides a failed step.
STRICT_STATUSES = (Status.CHECKED, Status.UNDECIDED)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@dataclass(frozen=True)
class Summary:
    files: int
    chains: int
    steps: int
    statuses: Counter[Status]
    skipped: int  # chains
    unreadable: int  # files
    unchecked: int = 0  # relations other than = (\approx, \le ...), not checked
    files_skipped: int = 0  # by a `derive: skip file` directive
    # equation rows compared with the row before (derive.check.equations), by outcome
    equations: Counter[str] = field(default_factory=Counter)
    by_directive: int = 0  # of the skipped chains, those the author asked derive to skip

    @classmethod
    def of(cls, results: list[FileResult]) -> Summary:
        chains = [chain for result in results for chain in result.chains]
        steps = [step for chain in chains for step in chain.steps]
        return cls(len(results), len(chains), len(steps),
                   Counter(step.status for step in steps),
                   sum(1 for chain in chains if chain.skipped),
                   sum(1 for result in results if result.problem is not None),
                   sum(len(_unchecked(chain)) for chain in chains if not chain.skipped),
                   sum(1 for result in results if result.skipped),
                   Counter(chain.follows.status for chain in chains
                           if chain.follows is not None),
                   sum(1 for chain in chains if chain.skipped and chain.chain.by_directive))

    def line(self) -> str:
        """`3 files, 4 chains, 17 steps: 15 proved, 1 checked, 1 failed, 0 undecided`."""
        counts = ", ".join(f"{self.statuses[status]} {status.value}" for status in Status)
        text = (f"{plural(self.files, 'file')}, {plural(self.chains, 'chain')}, "
                f"{plural(self.steps, 'step')}: {counts}")
        if self.skipped:
            text += f", {plural(self.skipped, 'chain')} {SKIPPED}"
            if self.by_directive:
                text += f" ({self.by_directive} by a `derive: skip` directive)"
        if self.unchecked:
            text += f", {plural(self.unchecked, 'relation')} not checked"
        for status in (FOLLOWED, DOES_NOT_FOLLOW, NOT_CHECKED):
            if self.equations[status]:
                count = self.equations[status]
                verb = {FOLLOWED: "followed", DOES_NOT_FOLLOW:
                        "do not follow" if count > 1 else "does not follow",
                        NOT_CHECKED: "not checked against the row before"}[status]
                text += f", {plural(count, 'equation')} {verb}"
        if self.files_skipped:
            text += f", {plural(self.files_skipped, 'file')} {SKIPPED}"
        if self.unreadable:
            text += f"; {plural(self.unreadable, 'file')} not read"
        return text


def exit_code(results: list[FileResult], *, strict: bool) -> int:
    if any(result.problem is not None for result in results):
        return EXIT_BAD_INPUT
    if any(not passes(step, strict=strict) for chain in _chains(results) for step in chain.steps):
        return EXIT_FAILED
    if any(chain.follows is not None and chain.follows.status == DOES_NOT_FOLLOW
           for chain in _chains(results)):
        return EXIT_FAILED
    # a chain the author asked derive to skip (`derive: skip`) is not a gap in the check
    if strict and any(chain.skipped and not chain.chain.by_directive
                      for chain in _chains(results)):
        return EXIT_FAILED
    return EXIT_OK


def passes(step: StepResult, *, strict: bool) -> bool:
    if step.status is Status.FAILED:
        return False
    return not (strict and step.status in STRICT_STATUSES)


def _chains(results: list[FileResult]) -> Iterator[ChainResult]:
    for result in results:
        yield from result.chains


# -- text ------------------------------------------------------------------------------

def step_message(step: StepResult) -> str:
    """What is wrong (or not known) about one step, after `path:line: `."""
    verdict = step.verdict
    name = step.describe()
    if verdict.status is Status.FAILED:
        why = (_counterexample(verdict.counterexample, verdict.detail)
               if verdict.counterexample is not None
               else _method_and_detail(verdict.method, verdict.detail))
        return f"{name} does not follow from line {step.from_line}: {why}"
    if verdict.status is Status.UNDECIDED:
        return f"{name} is undecided: {_method_and_detail(verdict.method, verdict.detail)}"
    if verdict.status is Status.CHECKED:
        return f"{name} is only checked numerically, not proved ({verdict.method})"
    return f"{name} is proved ({verdict.method})"


def _counterexample(example: Counterexample, detail: str = "") -> str:
    """`at x = 0.5: left = 1, right = 2`; two numbers (no variable) as just the values.
    Values that read the same (a difference of exp(-1000) beside sin 0.5) would look like no
    counterexample at all: the verifier's detail, which says what the difference is, follows."""
    shown = (f"left = {example.left}, right = {example.right}" if not example.point
             else example.describe())
    if example.left == example.right and detail:
        shown += f" (the same to the digits shown; {detail})"
    return shown


def _method_and_detail(method: str, detail: str) -> str:
    return f"{method}; {detail}" if detail else method


def chain_lines(path: str, chain: ChainResult, *, strict: bool) -> list[str]:
    """The report lines of one chain: failures always, undecided steps always (they are
    not known to be right), checked steps under --strict, and a skipped chain always."""
    where = chain.chain.location
    if chain.skipped:
        return [f"{where(chain.chain.line)}: chain {SKIPPED}: {chain.skipped}"]
    shown = []
    for step in chain.steps:
        if (step.status in (Status.FAILED, Status.UNDECIDED)
                or (strict and step.status is Status.CHECKED)):
            shown.append(f"{where(step.line)}: {step_message(step)}")
            shown += [f"  {line}" for line in feedback_lines(step)]
    follows = chain.follows
    for line in _unchecked(chain):
        shown.append(f"{where(line.line)}: `{line.relation}` is not checked (derive checks "
                     f"the = steps)")
    if follows is not None:
        shown.append(f"{where(_equation_line(chain))}: {follows.message()}")
    return shown


def _equation_line(chain: ChainResult) -> int:
    from derive.check.equations import equation_of

    equation = equation_of(chain.chain)
    return equation[1].line if equation is not None else chain.chain.line


def _unchecked(chain: ChainResult) -> tuple[ChainLine, ...]:
    """The relations reported as not checked: an equation compared with the row before
    is reported by that comparison instead."""
    from derive.check.equations import equation_of

    unchecked = chain.chain.unchecked
    if chain.follows is None:
        return unchecked
    equation = equation_of(chain.chain)
    return tuple(line for line in unchecked if equation is None or line is not equation[1])


def feedback_lines(step: StepResult) -> list[str]:
    """Under a failed step that differentiates: the derivative, and the mistake (proved)."""
    return step.feedback.lines() if step.feedback is not None else []


def text_report(results: list[FileResult], *, strict: bool) -> tuple[list[str], list[str]]:
    """(lines for standard output, lines for standard error)."""
    out: list[str] = []
    err: list[str] = []
    for result in results:
        if result.problem is not None:
            err.append(result.problem.one_line())
        if result.skipped:
            out.append(f"{result.path}: file {SKIPPED}: {result.skipped}")
        for chain in result.chains:
            out.extend(chain_lines(result.path, chain, strict=strict))
    # nothing read at all (an empty folder, a missing file): the error lines say it all,
    # one line each (no file is in `out` then, so the summary is simply left off)
    if not _nothing_read(results):
        out.append(Summary.of(results).line())
    return out, err


def _nothing_read(results: list[FileResult]) -> bool:
    """Every path given was missing or a folder with nothing derive reads: no file was
    opened (a file that does not parse was read, and gets its summary)."""
    from pathlib import Path

    return bool(results) and all(
        result.problem is not None and not result.problem.line
        and not Path(result.path).is_file() for result in results)


# -- json ------------------------------------------------------------------------------

def json_report(results: list[FileResult], *, strict: bool) -> str:
    summary = Summary.of(results)
    document = {
        "files": [_file_json(result) for result in results],
        "summary": {
            "files": summary.files,
            "chains": summary.chains,
            "steps": summary.steps,
            **{status.value: summary.statuses[status] for status in Status},
            SKIPPED: summary.skipped,
            "unreadable": summary.unreadable,
            "not_checked": summary.unchecked,
            "files_skipped": summary.files_skipped,
            "skipped_by_directive": summary.by_directive,
            "equations": {status: summary.equations[status]
                          for status in (FOLLOWED, DOES_NOT_FOLLOW, NOT_CHECKED)},
        },
        "strict": strict,
        "exit_code": exit_code(results, strict=strict),
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _file_json(result: FileResult) -> dict[str, Any]:
    problem = result.problem
    return {
        "path": result.path,
        "skipped": result.skipped or None,
        "error": None if problem is None else {
            "line": problem.line or None, "column": problem.column or None,
            "message": problem.message, "text": problem.one_line()},
        "chains": [_chain_json(chain) for chain in result.chains],
    }


def _chain_json(result: ChainResult) -> dict[str, Any]:
    chain = result.chain
    return {
        "line": chain.line,
        **({"cell": chain.cell} if chain.cell else {}),
        "title": chain.title,
        "status": SKIPPED if chain.skipped else _chain_status(result),
        "skipped": chain.skipped or None,
        "steps": [_step_json(step) for step in result.steps],
        "not_checked": [{"line": line.line, "relation": line.relation}
                        for line in _unchecked(result)],
        "follows": None if result.follows is None else {
            "status": result.follows.status, "from_line": result.follows.from_line,
            "line": _equation_line(result), "how": result.follows.how},
    }


def _chain_status(result: ChainResult) -> str:
    """The weakest verdict of its steps: failed < undecided < checked < proved."""
    order = (Status.FAILED, Status.UNDECIDED, Status.CHECKED, Status.PROVED)
    statuses = {step.status for step in result.steps}
    return next((status.value for status in order if status in statuses), Status.PROVED.value)


def _step_json(step: StepResult) -> dict[str, Any]:
    verdict = step.verdict
    example = verdict.counterexample
    return {
        "step": step.number,
        "line": step.line,
        "from_line": step.from_line,
        "justification": step.justification,
        "left": step.left,
        "right": step.right,
        "status": verdict.status.value,
        "method": verdict.method,
        "detail": verdict.detail,
        "counterexample": None if example is None else {
            "point": dict(example.point), "left": example.left, "right": example.right,
            "text": _counterexample(example)},
        "feedback": None if step.feedback is None else _feedback_json(step.feedback),
    }


def _feedback_json(feedback: Feedback) -> dict[str, object]:
    return {
        "derivative": feedback.derivative,
        "step": feedback.step,
        "mistakes": [{"kind": m.kind, "at": m.node, "text": m.text, "method": m.method}
                     for m in feedback.mistakes],
    }


# -- GitHub workflow annotations ---------------------------------------------------------

def github_report(results: list[FileResult], *, strict: bool) -> list[str]:
    """`::error file=…,line=…::message` for each failure (a warning for what is not known
    and does not fail the run), so a pull request shows it on its line; then the summary."""
    lines = []
    for result in results:
        problem = result.problem
        if problem is not None:
            lines.append(_annotation("error", problem.path, problem.line, problem.column,
                                     " ".join(problem.message.splitlines())))
        if result.skipped:
            lines.append(_annotation("notice", result.path, 0, 0,
                                     f"file {SKIPPED}: {result.skipped}"))
        for chain in result.chains:
            lines += _chain_annotations(result.path, chain, strict=strict)
    lines.append(Summary.of(results).line())
    return lines


def _chain_annotations(path: str, chain: ChainResult, *, strict: bool) -> list[str]:
    found: list[tuple[str, int, str]] = []  # (level, line, message)
    if chain.skipped:
        # asked for by the author (`derive: skip`): a notice, never a failure (as the exit
        # code says); a chain derive could not read: a warning, an error under --strict
        level = "notice" if chain.chain.by_directive else "error" if strict else "warning"
        found.append((level, chain.chain.line, f"chain {SKIPPED}: {chain.skipped}"))
    else:
        for step in chain.steps:
            level = _level(step, strict=strict)
            if level:
                found.append((level, step.line,
                              "\n".join([step_message(step), *feedback_lines(step)])))
        found += [("notice", line.line, f"`{line.relation}` is not checked (derive checks the "
                                        "= steps)") for line in _unchecked(chain)]
        if chain.follows is not None:
            kind = {DOES_NOT_FOLLOW: "error", NOT_CHECKED: "notice"}.get(chain.follows.status)
            if kind:
                found.append((kind, _equation_line(chain), chain.follows.message()))
    cell = chain.chain.cell
    # a notebook's lines are counted within a cell: the cell goes in the message, and the
    # annotation stands on the line of the JSON file that holds it (when the layout says)
    return [_annotation(level, path, chain.chain.file_line(line), 0,
                        f"cell {cell}, line {line}: {message}") if cell
            else _annotation(level, path, line, 0, message) for level, line, message in found]


def _level(step: StepResult, *, strict: bool) -> str:
    """error for what fails the run, warning for an undecided step that does not."""
    if not passes(step, strict=strict):
        return "error"
    return "warning" if step.status is Status.UNDECIDED else ""


def _annotation(level: str, path: str, line: int, column: int, message: str) -> str:
    where = f"file={_property(path)}"
    if line:
        where += f",line={line}"
    if column:
        where += f",col={column}"
    return f"::{level} {where},title=derive check::{_data(message)}"


def _data(text: str) -> str:
    # the escapes GitHub's runner reads back (actions/toolkit, command.ts)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


# -- a chain, shown in full (the pytest plugin's failure report) ------------------------

def chain_failure(result: ChainResult, failing: list[StepResult]) -> str:
    """What is wrong first (pytest's short summary shows the first line), then the chain's
    numbered source lines with failing ones marked `>`, then each failing step: both
    sides and what derive found. Each failure's first line appears once; the report ends
    with `path:line:` of the first failing step, which terminals and editors open."""
    marked = {step.line for step in failing}
    width = len(str(max(number for number, _ in result.chain.source)))
    more = f" (and {plural(len(failing) - 1, 'more step')})" if len(failing) > 1 else ""
    first = failing[0]
    lines = [f"line {first.line}: {step_message(first)}{more}", ""]
    lines += [f"{'>' if number in marked else ' '} {number:>{width}} | {text}"
              for number, text in result.chain.source]
    for step in failing:
        heading = (f"line {step.line}, {step.describe()}:" if step is first
                   else f"line {step.line}: {step_message(step)}")
        lines += ["", heading,
                  f"  left  (line {step.from_line}): {step.left}",
                  f"  right (line {step.line}): {step.right}"]
        if step.verdict.detail and step.verdict.counterexample is None:
            lines.append(f"  {step.verdict.detail}")
        lines += [f"  {line}" for line in feedback_lines(step)]
    lines += ["", f"{result.chain.location(first.line)}: {first.describe()} {first.status.value}"]
    return "\n".join(lines)
