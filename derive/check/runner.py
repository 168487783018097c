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
from derive.check.hypotheses import qualified
from derive.check.values import indefinite_variable, up_to_a_constant, value
from derive.model import Status, Verdict

if TYPE_CHECKING:
    from derive.check.diagnosis import Feedback

DEFAULT_TIMEOUT = 2.0
# A diagnosis of a failed step may take this many step time limits before it is abandoned.
RUNAWAY = 10
GC_THRESHOLD = 20000  # allocations between collections of the youngest generation
# Verdicts already decided in this process, keyed by the two values and the time limit:
# generated or copied chains repeat steps, and a verdict does not change.
_VERDICTS: dict[tuple[sympy.Expr, sympy.Expr, float], Verdict] = {}
_VERDICTS_MAX = 4096
_FEEDBACK: dict[tuple[object, ...], Feedback | None] = {}


def parse_file(path: str, macros: str = "") -> tuple[Chain, ...]:
    """The chains of one file, by its kind; FileProblemError when it cannot be read,
    derive.check.documents.FileSkipped for a `derive: skip file`. `macros` is the path of
    a file of \\newcommand definitions (`--macros`) for documents."""
    from derive.check.documents import read_document
    from derive.check.sources import kind_of, read_text

    text = read_text(path)
    kind = kind_of(path)
    if kind == "derive":
        from derive.check.derive_format import parse_derive

        return parse_derive(text, path)
    return read_document(text, path, kind, macros)


def check_chain(chain: Chain, *, timeout: float = DEFAULT_TIMEOUT) -> ChainResult:
    """A verdict for every step of a chain; a skipped chain gets none."""
    if chain.skipped:
        return ChainResult(chain, ())
    values: dict[tuple[int, tuple[tuple[sympy.Symbol, sympy.Symbol], ...]], sympy.Expr | str] = {}
    results = []
    # one indefinite integral anywhere makes every step "equal up to a constant"
    variable = indefinite_variable(*(known.expr for known in chain.lines))
    for previous, line in zip(chain.lines, chain.lines[1:], strict=False):
        if line.relation != "=":  # \approx, \le ...: reported as not checked (chain.unchecked)
            continue
        started = time.perf_counter()
        # both lines of a step are read under the hypotheses the text states for it
        for known in (previous, line):
            if (known.number, line.assumed) not in values:
                values[known.number, line.assumed] = _value(
                    known, timeout, keep=variable is not None, assumed=line.assumed)
        left, right = values[previous.number, line.assumed], values[line.number, line.assumed]
        if variable is not None:  # equal up to a constant: compare the derivatives
            by = variable.xreplace(dict(line.assumed))
            verdict = _compare(_derivative(left, by, previous.line, timeout),
                               _derivative(right, by, line.line, timeout), timeout,
                               (previous, line))
            verdict = replace(verdict, detail="; ".join(filter(None, (
                "an indefinite integral: equal up to a constant, compared by "
                f"differentiating both sides with respect to {variable}", verdict.detail))))
        else:
            verdict = _compare(left, right, timeout, (previous, line))
        verdict = qualified(verdict, line.hypotheses, line.assumed)
        feedback = (_feedback(previous, line, right, timeout, chain.names)
                    if verdict.status is Status.FAILED else None)
        results.append(StepResult(line.number, line.line, previous.line, line.justification,
                                  previous.text, line.text, verdict,
                                  time.perf_counter() - started, feedback))
    return ChainResult(chain, tuple(results))


def equations_followed(results: list[ChainResult], *, timeout: float) -> tuple[ChainResult, ...]:
    """Each equation row (implicit differentiation) with how it stands to the equation
    row before it in the file (derive.check.equations). Chains of identities cost nothing
    here: equation_of looks at two relations."""
    from derive.check.equations import equation_of, follows

    out = []
    before: Chain | None = None
    for result in results:
        if equation_of(result.chain) is not None:
            if before is not None:
                result = replace(result, follows=follows(before, result.chain, timeout=timeout))
            before = result.chain
        out.append(result)
    return tuple(out)


def _feedback(previous: ChainLine, line: ChainLine, step: sympy.Expr | str, timeout: float,
              carried: tuple[tuple[str, sympy.Symbol, sympy.Expr], ...]) -> Feedback | None:
    """What the derivative on the line above is, and which classic mistake gives the step
    (derive.check.diagnosis); None when the line above takes no derivative. The functions
    the two lines call by name (defined in the file, or derive's catalog) are written back
    by those names."""
    from derive.check.diagnosis import diagnose
    from derive.check.names import called, defined
    from derive.timeout import attempt

    if previous.expr is None or isinstance(step, str) or not previous.expr.has(sympy.Derivative):
        return None
    pending = previous.expr
    key = (pending, step, timeout, carried, previous.text, line.text)
    if key in _FEEDBACK:  # the same wrong step again (a copied file): the same proofs
        return _FEEDBACK[key]

    def run() -> Feedback | None:
        known = defined(carried)
        return diagnose(pending, step, timeout=timeout, names=called(previous.text, known),
                        step_names=called(line.text, known))

    # diagnose is bounded by size; this clock only stops a runaway (each proof inside has
    # its own time limit)
    outcome = attempt(run, RUNAWAY * timeout, cpu=True)
    if len(_FEEDBACK) >= _VERDICTS_MAX:
        _FEEDBACK.clear()
    _FEEDBACK[key] = outcome.value
    return outcome.value


def _value(line: ChainLine, timeout: float, *, keep: bool = False,
           assumed: tuple[tuple[sympy.Symbol, sympy.Symbol], ...] = ()) -> sympy.Expr | str:
    """The plain value of a line (pending derivatives, limits, integrals and sums taken)
    within the time limit, or why there is none (derive.check.values); `assumed` puts the
    variables a hypothesis gives a sign in place of the document's."""
    if line.expr is None:
        return "the line was not read"
    expr = line.expr.xreplace(dict(assumed)) if assumed else line.expr
    # in a chain with an indefinite integral (`keep`), a line with an integral stays
    # unevaluated: its derivative is taken exactly (d/dx of the integral is the
    # integrand), never the antiderivative
    if keep and expr.has(sympy.Integral):
        return expr
    return value(expr, line.line, timeout)


def _derivative(side: sympy.Expr | str, variable: sympy.Symbol, line: int,
                timeout: float) -> sympy.Expr | str:
    if isinstance(side, str):
        return side
    return value(up_to_a_constant(side, variable), line, timeout)


def _compare(left: sympy.Expr | str, right: sympy.Expr | str, timeout: float,
             written: tuple[ChainLine, ChainLine] | None = None) -> Verdict:
    from derive.check.generic import compare
    from derive.verify import check_equal

    for side in (left, right):
        if isinstance(side, str):
            return Verdict(Status.UNDECIDED, "not evaluated", detail=side)
    # unknown functions (f, g, y(x)): proved as written, or failed on an instance
    generic = compare(left, right, written, timeout)
    if generic is not None:
        return generic
    key = (left, right, timeout)
    verdict = _VERDICTS.get(key)
    if verdict is None:
        verdict = check_equal(left, right, timeout=timeout)
        if len(_VERDICTS) >= _VERDICTS_MAX:
            _VERDICTS.clear()
        _VERDICTS[key] = verdict
    return verdict


def check_file(path: str, timeout: float = DEFAULT_TIMEOUT, macros: str = "") -> FileResult:
    """Read, parse and check one file; any problem is returned, never raised."""
    from derive.check.documents import FileSkipped

    try:
        chains = parse_file(path, macros)
        return FileResult(path, equations_followed(
            [check_chain(chain, timeout=timeout) for chain in chains], timeout=timeout))
    except FileSkipped as skip:
        return FileResult(path, skipped=f"line {skip.line}: {skip.reason}")
    except FileProblemError as error:
        return FileResult(path, problem=error.problem)
    except Exception as error:  # a bug in derive: still one line, and still exit 2
        return FileResult(path, problem=FileProblem(
            path, f"derive failed on this file, which is a bug in derive "
                  f"({type(error).__name__}: {error})"))


def check_files(files: list[str], *, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT,
                macros: str = "") -> list[FileResult]:
    """`check_file` for each file, in `jobs` processes, results in the order given."""
    jobs = max(1, min(jobs, len(files)))
    with _fewer_collections():
        if jobs == 1:
            return [check_file(path, timeout, macros) for path in files]
        return _in_workers(files, jobs, timeout, macros)


def _in_workers(files: list[str], jobs: int, timeout: float, macros: str) -> list[FileResult]:
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
    # Files go out in small batches (about 32 per worker): a batch costs one message each
    # way, and when one worker is slowed (a busy machine), the other is left idle for at
    # most one batch at the end instead of a quarter of the run.
    chunk = max(1, len(files) // (jobs * 32))
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            return list(pool.map(partial(_check_for_report, timeout=timeout, macros=macros),
                                 files, chunksize=chunk))
    finally:
        gc.unfreeze()  # a program that goes on (the API, pytest) collects as before


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


def _check_for_report(path: str, timeout: float, macros: str = "") -> FileResult:
    """check_file, with the parsed expressions left out of the result: a worker's result
    is pickled back, and unpickling a SymPy expression rebuilds it (with all its
    evaluation) in the parent, one file after another. The report needs only the text."""
    result = check_file(path, timeout, macros)
    return replace(result, chains=tuple(
        replace(chain, chain=replace(chain.chain, names=(), lines=tuple(
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
