"""The `derive` command: a thin shell over derive.pipeline (and derive.check for `check`).

    derive [NAME_OR_EXPRESSION] [--var X] [-f md,tex,json,slides,py,pdf] [-o DIR|-]
    derive list
    derive check PATH...

Exit codes (the contract, computed here only): 0 every step proved or checked,
1 a step failed or stayed undecided, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from derive import __version__
from derive.errors import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    DeriveError,
    ParseError,
    UsageError,
    printable,
)
from derive.render.formats import ALL_FORMATS, REGISTRY, parse_formats, plot_missing, plotted

DEFAULT_TARGET = "sigmoid"
DEFAULT_FORMATS = "md,tex"
DEFAULT_TIMEOUT = 2.0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line and exit 2, argparse's contract too
        raise UsageError(message + _leading_minus_hint(message))


def _leading_minus_hint(message: str) -> str:
    """argparse reads "-sqrt(x)" as an unknown option: say how to give it as an expression."""
    prefix = "unrecognized arguments: "
    if not message.startswith(prefix):
        return ""
    expressions = [a for a in message.removeprefix(prefix).split() if a[:1] == "-" and a[1:2] != "-"]
    if not expressions:
        return ""
    return f" (an expression starting with '-' goes after --: derive -- '{expressions[0]}')"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="derive", description=(
        "Differentiate step by step, prove every step, and write the walkthrough."),
        epilog="Also: `derive list` prints the catalog of named functions; "
               "`derive check PATH...` checks hand-written derivations (see derive check -h). "
               "Exit codes: 0 every step proved or checked; 1 a step failed or is undecided; "
               "2 bad input or usage, a template error, a missing tool; 130 interrupted. "
               "Defaults come from [tool.derive] in pyproject.toml (timeout).")
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    parser.add_argument("target", nargs="?", default=DEFAULT_TARGET,
                        help="a catalog name (see `derive list`) or an expression, "
                             "e.g. \"x*exp(-x**2)\"; '-' reads it from standard input "
                             "(default: sigmoid)")
    parser.add_argument("--var", help="the variable, when the expression has several symbols")
    parser.add_argument("-f", "--format", default=DEFAULT_FORMATS,
                        help=f"comma list of {', '.join(ALL_FORMATS)} (default: {DEFAULT_FORMATS})")
    parser.add_argument("-o", "--out", default="output",
                        help="folder to write into (default: output/); '-' writes the one "
                             "requested format to standard output")
    parser.add_argument("--templates", type=Path, help="a folder of your own templates")
    parser.add_argument("--title", help="the document title")
    parser.add_argument("--no-plot", action="store_true", help="skip the plot of f and f'")
    parser.add_argument("--handout", action="store_true",
                        help="slides without overlays (each step's lines at once), for printing")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds each check may take before it is undecided (default 2, "
                             "or timeout in [tool.derive])")
    parser.add_argument("--md-math", choices=("github", "dollars"), default="github",
                        help="how Markdown writes math: github (```math and $`...`$, safe from "
                             "CommonMark's escapes; default) or dollars ($...$ and $$...$$, for "
                             "MkDocs' arithmatex and Jupyter)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="do not list the files written")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also print each step's verdict on standard error")
    return parser


def main(argv: list[str] | None = None, *, supervised: bool | None = None) -> int:
    """supervised (default: when run as the command, argv None): the run goes to a worker
    process under derive.process.supervisor, which ends it within its wall-time bound."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["check"]:
        return _one_line_errors(lambda: _check(args[1:], own_process=argv is None))
    if args[:1] == ["list"]:
        return _one_line_errors(_list)
    options: argparse.Namespace | None = None

    def read_options() -> int:
        nonlocal options
        parsed = _parser().parse_args(args)
        _check_options(parsed)
        if parsed.target == "-":  # read before any work, here in the command's own process
            parsed.target = _read_stdin_target()
        options = parsed
        return EXIT_OK

    code = _one_line_errors(read_options)
    if options is None:
        return code
    chosen = options
    if supervised if supervised is not None else argv is None:
        from derive.process.supervisor import supervise, wall_bound

        formats = parse_formats(chosen.format, ALL_FORMATS)
        pdf = any(REGISTRY[f].needs_tex for f in formats)
        plot = chosen.out != "-" and not chosen.no_plot and plotted(formats)
        bound = wall_bound(chosen.timeout, pdf=pdf, plot=plot)
        extra = (" + matplotlib's first start" if plot else "") + (" + the TeX builds" if pdf else "")
        what = (f"{bound:g} s, the bound for --timeout {chosen.timeout:g} "
                f"(5 s + 10 x --timeout{extra})")
        return supervise(lambda: _one_line_errors(lambda: _derive(chosen, own_process=True)),
                         bound, what=what)
    return _one_line_errors(lambda: _derive(chosen))


def _check(args: list[str], *, own_process: bool = False) -> int:
    from derive.process.cold_start import imports_without_gc, modules_on_demand

    if own_process:  # the command's process, not a caller's (tests, a notebook)
        modules_on_demand()
    with imports_without_gc():  # it imports SymPy
        from derive.check.command import main as check_main

    return check_main(args)


def _one_line_errors(run: Callable[[], int]) -> int:
    """run(), with every failure reported as one line on standard error (control characters
    escaped) and its exit code."""
    from derive.timeout import Timeout

    try:
        return run()
    except ParseError as error:
        print(f"derive: error: {printable(error.one_line())}", file=sys.stderr)
        print(error.caret(), file=sys.stderr)
        return error.exit_code
    except DeriveError as error:
        print(f"derive: error: {printable(error.one_line())}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of standard output left (derive ... | head): nothing more to say. Python
        # would report the pipe again when it flushes at exit, so point stdout at nothing.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Timeout:  # a time limit that fired outside any stage: a bug, but one line still
        print("derive: error: a check ran out of time outside its own limit", file=sys.stderr)
        return EXIT_FAILED
    except RecursionError:
        print("derive: error: the input is nested too deeply to work with", file=sys.stderr)
        return EXIT_BAD_INPUT


MAX_TIMEOUT = 600.0  # seconds: beyond it --timeout is a typo, and a bound nobody waits for


def _check_options(args: argparse.Namespace) -> None:
    """Everything about the options that can be refused before any work (and before the
    supervisor starts the worker)."""
    from derive.process.files import check_output_folder

    if args.timeout is None:  # [tool.derive] in pyproject.toml, else the default
        from derive.settings import load

        args.timeout = load().timeout or DEFAULT_TIMEOUT
    if not math.isfinite(args.timeout) or not 0 < args.timeout <= MAX_TIMEOUT:
        raise UsageError(f"--timeout {args.timeout:g}: give a number of seconds above 0 and "
                         f"at most {MAX_TIMEOUT:g}")
    if args.out != "-":
        check_output_folder(Path(args.out))
    if args.title is not None:
        _check_title(args.title, parse_formats(args.format, ALL_FORMATS))


def _check_title(title: str, formats: list[str]) -> None:
    """A title TeX cannot typeset is refused before any work, not after the Markdown and the
    plot are written (pdflatex stopped on ω, CJK and Cyrillic letters)."""
    from derive.render.filters import untypesettable

    tex = [f for f in formats
           if REGISTRY[f].family == "tex" or any(REGISTRY[p].family == "tex"
                                                  for p in REGISTRY[f].built_from)]
    missing = untypesettable(title) if tex else []
    if missing:
        shown = " ".join(printable(ch) + f" (U+{ord(ch):04X})" for ch in missing[:5])
        raise UsageError(f"--title: pdflatex's fonts cannot typeset {shown} for -f {','.join(tex)}; "
                         "Latin, Greek and common symbols work, and md and json take any title")


def _read_stdin_target() -> str:
    """`derive -`: the expression from standard input, within the parser's size bound."""
    from derive.parse.expression import MAX_LENGTH

    text = sys.stdin.read(MAX_LENGTH + 1)
    if len(text) > MAX_LENGTH:
        raise UsageError(f"standard input: expression too long (at most {MAX_LENGTH} characters)")
    return text.strip()


def _list() -> int:
    from derive.parse import catalog

    entries = catalog.entries()
    width = max(len(e.name) for e in entries)
    for entry in entries:
        aliases = f"  (also {', '.join(entry.aliases)})" if entry.aliases else ""
        print(f"{entry.name:<{width}}  {entry.formula}{aliases}")
    return EXIT_OK


def _derive(args: argparse.Namespace, *, own_process: bool = False) -> int:
    """own_process: this is the command's worker, not a caller's process (tests, a notebook),
    so it may replace SymPy modules it never uses by stand-ins (cold_start.modules_on_demand)."""
    from derive.process import cold_start
    from derive.process.supervisor import worker_deadline

    formats = parse_formats(args.format, ALL_FORMATS)
    to_stdout = args.out == "-"
    if to_stdout and (len(formats) != 1 or not REGISTRY[formats[0]].to_stdout):
        raise UsageError("-o - writes one text format to standard output; give exactly one with -f")
    if args.templates is not None and not args.templates.is_dir():
        raise UsageError(f"--templates {args.templates}: no such folder")

    # The plot's drawer starts on the other core before SymPy loads (derive.process.cold_start); the
    # properties of f get a child of their own once f is built (Request.parallel).
    with contextlib.ExitStack() as children:
        drawer = None
        if not to_stdout and not args.no_plot and plotted(formats) and plot_missing() is None:
            drawer = children.enter_context(cold_start.start_drawer())
        if own_process:
            cold_start.modules_on_demand()
        with cold_start.imports_without_gc():
            from derive import pipeline

        request = pipeline.Request(
            target=pipeline.resolve(args.target, var=args.var), formats=tuple(formats),
            out=None if to_stdout else Path(args.out), plot=not args.no_plot,
            templates_dir=args.templates, title=args.title, timeout=args.timeout,
            md_math=args.md_math,
            handout=args.handout,
            parallel=True, drawer=drawer, deadline=worker_deadline())
        produced = pipeline.produce(request)
    derivation = produced.derivation
    if to_stdout:
        sys.stdout.write(produced.texts[formats[0]])
    from derive.words.notes import say_note
    from derive.words.said import Pen
    from derive.words.steps import title

    pen = Pen({derivation.function.name: derivation.function.latex})
    if args.verbose:
        for step in derivation.steps:
            mark = step.verdict.mark if step.verdict else "no verdict"
            heading = title(step, pen, name=derivation.name).plain
            print(printable(f"derive: {step.label or 'step'}: {heading}: {mark}"),
                  file=sys.stderr)
    for path in [] if args.quiet else produced.written:
        print(printable(str(path)))
    if produced.plot_skipped:
        print(f"derive: note: {produced.plot_skipped}", file=sys.stderr)
    for note in derivation.notes:
        print(f"derive: warning: {printable(say_note(note, pen).plain)}", file=sys.stderr)
    if derivation.failed:
        print("derive: a step failed verification; see the marks in the output", file=sys.stderr)
        return EXIT_FAILED
    if not derivation.verified:
        print("derive: some steps are undecided; see the marks in the output", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
