"""Check chains: every step against the line before it, each within its time limit.

`check_chain` is what the command and the pytest plugin share. `check_files` reads,
parses and checks files, in `jobs` worker processes when asked; results come back in the
order of the files, so the output does not depend on scheduling.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

import sympy

from derive.check.chains import (
    Chain,
    ChainLine,
    ChainResult,
    FileProblem,
    FileProblemError,
    FileResult,
    StepResult,
)
from derive.check.differentiate import value_of
from derive.model import Status, Verdict

if TYPE_CHECKING:
    from derive.check.diagnosis import Feedback

DEFAULT_TIMEOUT = 2.0
# A diagnosis of a failed step may take this many step time limits before it is abandoned.
RUNAWAY = 10
GC_THRESHOLD = 20000  # allocations between collections of the youngest generation
_OTHER_PENDING = (sympy.Subs, sympy.Integral, sympy.Limit, sympy.Sum, sympy.Product)
# Verdicts already decided in this process, keyed by the two values and the time limit:
# generated or copied chains repeat steps, and a verdict does not change.
_VERDICTS: dict[tuple[sympy.Expr, sympy.Expr, float], Verdict] = {}
_VERDICTS_MAX = 4096
_FEEDBACK: dict[tuple[sympy.Expr, sympy.Expr, float], Feedback | None] = {}


def parse_file(path: str) -> tuple[Chain, ...]:
    """The chains of one file, by its kind; FileProblemError when it cannot be read."""
    from derive.check.sources import kind_of, read_text

    text = read_text(path)
    kind = kind_of(path)
    if kind == "derive":
        from derive.check.derive_format import parse_derive

        return parse_derive(text, path)
    from derive.check.documents import parse_markdown, parse_tex

    return (parse_tex if kind == "tex" else parse_markdown)(text, path)


def check_chain(chain: Chain, *, timeout: float = DEFAULT_TIMEOUT) -> ChainResult:
    """A verdict for every step of a chain; a skipped chain gets none."""
    if chain.skipped:
        return ChainResult(chain, ())
    values: dict[int, sympy.Expr | str] = {}
    results = []
    for previous, line in zip(chain.lines, chain.lines[1:], strict=False):
        started = time.perf_counter()
        for known in (previous, line):
            if known.number not in values:
                values[known.number] = _value(known, timeout)
        verdict = _compare(values[previous.number], values[line.number], timeout)
        feedback = (_feedback(previous, values[line.number], timeout)
                    if verdict.status is Status.FAILED else None)
        results.append(StepResult(line.number, line.line, previous.line, line.justification,
                                  previous.text, line.text, verdict,
                                  time.perf_counter() - started, feedback))
    return ChainResult(chain, tuple(results))


def _feedback(previous: ChainLine, step: sympy.Expr | str, timeout: float) -> Feedback | None:
    """What the derivative on the line above is, and which classic mistake gives the step
    (derive.check.diagnosis); None when the line above takes no derivative."""
    from derive.check.diagnosis import diagnose
    from derive.timeout import attempt

    if previous.expr is None or isinstance(step, str) or not previous.expr.has(sympy.Derivative):
        return None
    pending = previous.expr
    key = (pending, step, timeout)
    if key in _FEEDBACK:  # the same wrong step again (a copied file): the same proofs
        return _FEEDBACK[key]
    # diagnose is bounded by size; this clock only stops a runaway (each proof inside has
    # its own time limit)
    outcome = attempt(lambda: diagnose(pending, step, timeout=timeout), RUNAWAY * timeout)
    if len(_FEEDBACK) >= _VERDICTS_MAX:
        _FEEDBACK.clear()
    _FEEDBACK[key] = outcome.value
    return outcome.value


def _value(line: ChainLine, timeout: float) -> sympy.Expr | str:
    """The plain value of a line (pending derivatives taken: d/dx EXPR) within the time
    limit, or why there is none."""
    from derive.timeout import attempt

    expr = line.expr
    if expr is None:
        return "the line was not read"
    if not expr.has(sympy.Derivative):
        return expr
    # by the rules when derivatives are all there is to take (fast: no detour through
    # log(base) as in SymPy's power rule); limits, sums and integrals by SymPy's doit
    take = value_of if not expr.has(*_OTHER_PENDING) else _doit
    outcome = attempt(lambda: take(expr), timeout)
    if outcome.timed_out:
        return f"taking the derivative on line {line.line} did not finish in {timeout:g} s"
    if outcome.value is None:
        return f"taking the derivative on line {line.line} failed: {outcome.error}"
    return outcome.value


def _doit(expr: sympy.Expr) -> sympy.Expr:
    return expr.doit()


def _compare(left: sympy.Expr | str, right: sympy.Expr | str, timeout: float) -> Verdict:
    from derive.verify import check_equal

    for side in (left, right):
        if isinstance(side, str):
            return Verdict(Status.UNDECIDED, "not evaluated", detail=side)
    key = (left, right, timeout)
    verdict = _VERDICTS.get(key)
    if verdict is None:
        verdict = check_equal(left, right, timeout=timeout)
        if len(_VERDICTS) >= _VERDICTS_MAX:
            _VERDICTS.clear()
        _VERDICTS[key] = verdict
    return verdict


def check_file(path: str, timeout: float = DEFAULT_TIMEOUT) -> FileResult:
    """Read, parse and check one file; any problem is returned, never raised."""
    try:
        chains = parse_file(path)
        return FileResult(path, tuple(check_chain(chain, timeout=timeout) for chain in chains))
    except FileProblemError as error:
        return FileResult(path, problem=error.problem)
    except Exception as error:  # a bug in derive: still one line, and still exit 2
        return FileResult(path, problem=FileProblem(
            path, f"derive failed on this file, which is a bug in derive "
                  f"({type(error).__name__}: {error})"))


def check_files(files: list[str], *, jobs: int = 1,
                timeout: float = DEFAULT_TIMEOUT) -> list[FileResult]:
    """`check_file` for each file, in `jobs` processes, results in the order given."""
    jobs = max(1, min(jobs, len(files)))
    with _fewer_collections():
        if jobs == 1:
            return [check_file(path, timeout) for path in files]
        return _in_workers(files, jobs, timeout)


def _in_workers(files: list[str], jobs: int, timeout: float) -> list[FileResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    _warm_up()
    gc.freeze()  # what the parent built is shared with the workers, never walked there
    # fork keeps SymPy and derive imported and warm in the workers (spawn would import
    # them again, per worker); each worker runs checks in its main thread, where the time
    # limits (SIGALRM) work.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, len(files) // (jobs * 4))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return list(pool.map(partial(_check_for_report, timeout=timeout), files,
                             chunksize=chunk))


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The cyclic collector runs less often while files are checked. SymPy makes many
    small objects and few cycles, and at the default pace (every 700 allocations) the
    collector costs about a tenth of a check; memory stays bounded all the same."""
    before = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _check_for_report(path: str, timeout: float) -> FileResult:
    """check_file, with the parsed expressions left out of the result: a worker's result
    is pickled back, and unpickling a SymPy expression rebuilds it (with all its
    evaluation) in the parent, one file after another. The report needs only the text."""
    result = check_file(path, timeout)
    return replace(result, chains=tuple(
        replace(chain, chain=replace(chain.chain, lines=tuple(
            replace(line, expr=None) for line in chain.chain.lines)))
        for chain in result.chains))


def _warm_up() -> None:
    """Import, and run once, what every check needs, before the workers are forked, so
    they share it instead of each doing it again."""
    import derive.check.derive_format
    import derive.check.diagnosis
    import derive.check.documents  # noqa: F401
    from derive.verify import check_equal

    x = sympy.Symbol("x", real=True)
    sigma = 1 / (1 + sympy.exp(-x))
    check_equal(value_of(sympy.Derivative(sigma, x)), sigma * (1 - sigma))
