"""derive's Python API: `derive.walkthrough(...)` and `derive.check(...)` (the names are a
contract). The `derive` command and the pytest plugin are shells over the same pieces
(derive.pipeline, derive.check.runner).

    >>> import derive
    >>> w = derive.walkthrough("sigmoid")
    >>> w.verified, len(w.steps)
    (True, 5)
    >>> print(w.markdown())              # or .latex(), .slides(), .html(), .json(), .code()

In a notebook the object shows itself as its Markdown (or HTML, or LaTeX: whichever the
front end asks for).
"""

from __future__ import annotations

import json as _json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sympy

    from derive.check.chains import FileResult, StepResult
    from derive.model import Derivation, Step
    from derive.pipeline import Target

# The formats one render of a walkthrough makes together (one derivation, one search for the
# properties); the NumPy code and the HTML page come on demand.
_DOCUMENTS = ("md", "tex", "slides", "json")


class Walkthrough:
    """A verified step-by-step derivative and its documents. Made by derive.walkthrough()."""

    def __init__(self, target: Target, *, title: str | None = None, timeout: float = 2.0,
                 templates: Path | None = None) -> None:
        self._target = target
        self._title = title
        self._timeout = timeout
        self._templates = templates
        self._texts: dict[str, str] = {}
        self._derivation: Derivation | None = None

    # -- the facts -----------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._target.name

    @property
    def derivation(self) -> Derivation:
        """The verified Derivation (derive.model): steps, verdicts, result, notes."""
        if self._derivation is None:
            from derive import pipeline

            self._derivation = pipeline.derive(self._target, timeout=self._timeout)
        return self._derivation

    @property
    def function(self) -> sympy.Expr:
        return self._target.definition.body

    @property
    def variable(self) -> sympy.Symbol:
        return self._target.definition.variable

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.derivation.steps

    @property
    def result(self) -> sympy.Expr:
        """f' as the last step leaves it."""
        return self.derivation.result

    @property
    def verified(self) -> bool:
        """Every step proved or checked, and the result agrees with SymPy's derivative."""
        return self.derivation.verified

    # -- the documents ---------------------------------------------------------------------

    def markdown(self) -> str:
        return self._text("md")

    def latex(self) -> str:
        """The LaTeX article (a whole document; see also fragment())."""
        return self._text("tex")

    def slides(self) -> str:
        """The Beamer slides."""
        return self._text("slides")

    def html(self) -> str:
        """One self-contained HTML page (needs derive-steps[html])."""
        return self._text("html")

    def fragment(self) -> str:
        """A LaTeX body to \\input into an article that uses derive-fragment.sty."""
        return self._text("fragment")

    def json(self) -> str:
        return self._text("json")

    def data(self) -> dict[str, Any]:
        """The JSON document as Python data."""
        loaded: dict[str, Any] = _json.loads(self.json())
        return loaded

    def code(self) -> str:
        """The NumPy module for f and f' (CodegenError where f has no NumPy translation)."""
        return self._text("py")

    def _text(self, fmt: str) -> str:
        if fmt not in self._texts:
            from derive import pipeline

            formats = _DOCUMENTS if fmt in _DOCUMENTS else (fmt,)
            request = pipeline.Request(
                target=self._target, formats=formats, out=None, plot=True,
                templates_dir=self._templates, title=self._title, timeout=self._timeout)
            produced = pipeline.produce(request, derivation=self._derivation)
            self._derivation = produced.derivation
            self._texts.update(produced.texts)
        return self._texts[fmt]

    # -- notebook display ------------------------------------------------------------------

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_latex_(self) -> str:
        # Notebook front ends typeset math mode only: the result with its verdict.
        from derive.words.printer import to_latex

        derivation = self.derivation
        definition = derivation.function
        names = {definition.name: definition.latex}
        x = to_latex(derivation.variable, names)
        return f"$${definition.latex}'({x}) = {to_latex(derivation.result, names)}$$"

    def _repr_html_(self) -> str | None:
        from derive.render.formats import missing

        if missing(("latex2mathml",)):  # without [html]: None, so Jupyter shows the Markdown
            return None
        return self.html()

    def __repr__(self) -> str:
        derivation = self._derivation
        state = "not derived yet" if derivation is None else (
            f"{len(derivation.steps)} steps, "
            + ("verified" if derivation.verified else "failed" if derivation.failed
               else "undecided"))
        return f"<derive.Walkthrough {self.name!r}: {state}>"


def walkthrough(f: Any, var: Any = None, *, title: str | None = None, timeout: float = 2.0,
                templates: str | Path | None = None) -> Walkthrough:
    """The step-by-step derivative of `f`: a catalog name ("sigmoid"), an expression in
    derive's syntax ("x*exp(-x**2)"), or a SymPy expression. `var` names the variable (a
    string or a SymPy symbol) when there are several symbols; the others are parameters.
    Bad input raises derive.errors.InputError (or ParseError) with one line saying what."""
    from derive import pipeline
    from derive.errors import InputError

    if timeout <= 0:
        raise InputError("timeout must be a positive number of seconds")
    name = None if var is None else str(var)
    if isinstance(f, str):
        target = pipeline.resolve(f, var=name)
    else:
        import sympy

        if not isinstance(f, sympy.Expr):
            raise InputError(f"walkthrough() takes a name, an expression or a SymPy expression, "
                             f"not {type(f).__name__}")
        target = pipeline.resolve_sympy(f, var=name)
    return Walkthrough(target, title=title, timeout=timeout,
                       templates=Path(templates) if templates is not None else None)


# -- derive.check -------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckReport:
    """The verdicts of derive.check(): every file, chain and step (derive.check.chains)."""

    files: tuple[FileResult, ...]
    strict: bool = False

    @property
    def steps(self) -> list[StepResult]:
        return [step for result in self.files for chain in result.chains for step in chain.steps]

    @property
    def verdicts(self) -> list[str]:
        """Each step's verdict: proved, checked, failed or undecided."""
        return [step.status.value for step in self.steps]

    @property
    def problems(self) -> list[str]:
        """Files that could not be read or parsed, one line each."""
        return [r.problem.one_line() for r in self.files if r.problem is not None]

    @property
    def exit_code(self) -> int:
        """0, 1 or 2, as `derive check` would exit."""
        from derive.check.report import exit_code

        return exit_code(list(self.files), strict=self.strict)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def summary(self) -> str:
        from derive.check.report import Summary

        return Summary.of(list(self.files)).line()

    def report(self) -> str:
        """What `derive check` prints: problems and failures, then the summary."""
        from derive.check.report import text_report

        out, err = text_report(list(self.files), strict=self.strict)
        return "\n".join(err + out)

    def json(self) -> str:
        """What `derive check --format json` prints."""
        from derive.check.report import json_report

        return json_report(list(self.files), strict=self.strict)

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"<derive.CheckReport: {self.summary()}>"


def check(text_or_path: str | Path, *, kind: str | None = None, strict: bool = False,
          timeout: float = 2.0) -> CheckReport:
    """Check hand-written derivations. A Path, or a string naming an existing file or
    folder, is checked as `derive check PATH` would; any other string is the text of a
    `.derive` file (kind="tex" or "md" reads it as a LaTeX or Markdown document)."""
    from derive.check.chains import FileProblemError, FileResult
    from derive.check.runner import check_chain, check_files
    from derive.check.sources import discover
    from derive.errors import InputError

    if kind not in (None, "derive", "tex", "md"):
        raise InputError(f"kind must be 'derive', 'tex' or 'md', not {kind!r}")
    if timeout <= 0:
        raise InputError("timeout must be a positive number of seconds")
    one_line = isinstance(text_or_path, str) and "\n" not in text_or_path
    if isinstance(text_or_path, Path) or (kind is None and one_line and (
            _exists(text_or_path) or _PATH_LIKE.search(text_or_path))):
        files, missing = discover([str(text_or_path)])
        results = check_files(files, timeout=timeout)
        results += [FileResult(problem.path, problem=problem) for problem in missing]
        return CheckReport(tuple(results), strict)
    if not isinstance(text_or_path, str):
        raise InputError(f"check() takes text or a path, not {type(text_or_path).__name__}")
    where = "<text>"
    try:
        chains = _parse_text(text_or_path, kind or "derive", where)
    except FileProblemError as error:
        return CheckReport((FileResult(where, problem=error.problem),), strict)
    checked = tuple(check_chain(chain, timeout=timeout) for chain in chains)
    return CheckReport((FileResult(where, checked),), strict)


# A one-line string that names a file derive reads, or a folder: a path, missing or not
# (a typo in it is reported as a missing file, not as a parse error in "text").
_PATH_LIKE = re.compile(r"(\.(derive|tex|md|markdown|ipynb)|/)\s*$")


def _exists(text: str) -> bool:
    try:
        return Path(text).exists()
    except (OSError, ValueError):  # too long a name, a NUL byte: not a path
        return False


def _parse_text(text: str, kind: str, where: str) -> tuple[Any, ...]:
    if kind == "derive":
        from derive.check.derive_format import parse_derive

        return parse_derive(text, where)
    from derive.check.documents import parse_markdown, parse_tex

    return (parse_tex if kind == "tex" else parse_markdown)(text, where)
