"""`derive check PATH...`: check hand-written derivations, as a thin shell over the runner.

    derive check [--strict] [--format text|json|github] [-j N] [--timeout SECONDS] PATH...

Folders are searched for `.derive`, `.tex`, `.md`, `.markdown` and `.ipynb` files (see
`derive.check.sources`); `--macros FILE` reads LaTeX macro definitions kept outside the
documents. Exit codes are decided in `derive.check.report`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, NoReturn

from derive.check.runner import DEFAULT_TIMEOUT
from derive.errors import EXIT_BAD_INPUT, UsageError

if TYPE_CHECKING:
    from derive.check.chains import FileResult


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line and exit 2, not argparse's usage dump
        raise UsageError(message)


def _positive(kind: Callable[[str], float], what: str) -> Callable[[str], float]:
    def convert(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {text!r}") from None
        if not value > 0 or value != value or value == float("inf"):
            raise argparse.ArgumentTypeError(f"{what} must be positive, not {text!r}")
        return value

    return convert


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="derive check", description=(
        "Check every step of hand-written derivations: .derive files, and the chains of "
        "displayed math in .tex, .md and .ipynb documents."),
        epilog="exit codes: 0 no step failed; 1 a step failed (with --strict, also one not "
               "proved); 2 a file could not be read or parsed, or bad usage. Defaults come "
               "from [tool.derive] in pyproject.toml (timeout, strict, paths, exclude).")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files and folders (folders are searched for .derive, .tex, .md, "
                             ".markdown and .ipynb files); '-' reads a .derive text from "
                             "standard input; default: paths in [tool.derive]")
    parser.add_argument("--macros", metavar="FILE", default="",
                        help="a file of \\newcommand, \\def and \\DeclareMathOperator "
                             "definitions used by the documents (expanded, never run)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only what is wrong (no summary line)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also print the verdict of every step")
    parser.add_argument("--strict", action="store_true",
                        help="also fail on steps only checked numerically, undecided steps "
                             "and chains that were skipped")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text",
                        help="text (default), json for tools, or github: workflow "
                             "annotations that show each failure on its line in a pull request")
    parser.add_argument("-j", "--jobs", type=_positive(int, "-j"), default=1, metavar="N",
                        help="check files in N processes (default 1)")
    parser.add_argument("--timeout", type=_positive(float, "--timeout"),
                        default=None, metavar="SECONDS",
                        help=f"seconds each step may take before it is undecided "
                             f"(default {DEFAULT_TIMEOUT:g})")
    return parser


def main(argv: list[str]) -> int:
    """Run `derive check` with the arguments after `check`; returns the exit code."""
    try:
        args = _parser().parse_args(argv)
    except UsageError as error:
        print(f"derive check: error: {error.one_line()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as done:  # --help printed the usage
        return done.code if isinstance(done.code, int) else EXIT_BAD_INPUT

    from derive.check.chains import FileResult
    from derive.check.report import exit_code
    from derive.check.runner import check_files
    from derive.check.sources import discover
    from derive.settings import load

    try:
        settings = load()
    except UsageError as error:
        print(f"derive check: error: {error.one_line()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    paths = args.paths or list(settings.paths)
    if not paths:
        print("derive check: error: no PATH given (and no paths in [tool.derive] of "
              "pyproject.toml)", file=sys.stderr)
        return EXIT_BAD_INPUT
    args.strict = args.strict or settings.strict
    timeout = args.timeout or settings.timeout or DEFAULT_TIMEOUT
    if args.macros:
        from derive.check.chains import FileProblemError
        from derive.check.documents import macro_file

        try:
            macro_file(args.macros)
        except FileProblemError as error:
            print(f"derive check: error: --macros {error.problem.one_line()}", file=sys.stderr)
            return EXIT_BAD_INPUT
    files, missing = discover(paths)
    files = [f for f in files if f == "-" or not settings.excluded(f)]
    try:
        results = check_files(files, jobs=args.jobs, timeout=timeout, macros=args.macros)
    except BrokenProcessPool:  # a worker was killed (out of memory, a signal)
        print("derive check: error: a worker process died; try again with -j 1",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    results += [FileResult(problem.path, problem=problem) for problem in missing]
    try:
        _write(results, args.format, strict=args.strict, quiet=args.quiet, verbose=args.verbose)
    except BrokenPipeError:  # `derive check ... | head`: the reader has all it wanted
        _quiet_stdout()
    return exit_code(results, strict=args.strict)


def _write(results: list[FileResult], format: str, *, strict: bool, quiet: bool = False,
           verbose: bool = False) -> None:
    from derive.check.report import github_report, json_report, text_report

    if format == "json":
        print(json_report(results, strict=strict))
    elif format == "github":
        print("\n".join(github_report(results, strict=strict)))
    else:
        out, err = text_report(results, strict=strict)
        body, summary = (_every_step(results) if verbose else out[:-1]), out[-1:]
        # the summary comes last, also when both streams go to one log
        for line in body:
            print(line)
        sys.stdout.flush()
        for line in err:
            print(line, file=sys.stderr)
        sys.stderr.flush()
        for line in [] if quiet else summary:
            print(line)
    sys.stdout.flush()


def _every_step(results: list[FileResult]) -> list[str]:
    """-v: a line for every step, proved ones too, and for every skipped chain."""
    from derive.check.report import chain_lines, step_message

    lines = []
    for result in results:
        for chain in result.chains:
            if chain.skipped:
                lines += chain_lines(result.path, chain, strict=True)
            lines += [f"{result.path}:{step.line}: {step_message(step)}" for step in chain.steps]
    return lines


def _quiet_stdout() -> None:
    """Standard output points at nothing from now on, so that the flush at exit does not
    raise BrokenPipeError again (the recipe of Python's signal documentation)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (captured output): nothing to flush
        pass
