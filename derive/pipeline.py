"""The one path from what the user typed to files on disk, shared by the CLI and the tests.

parse (catalog name or expression) → walkthrough → verify → view → render → atomic write.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sympy

from derive.errors import InputError
from derive.model import Definition, Derivation
from derive.process.files import write_all
from derive.render import formats as registry

if TYPE_CHECKING:
    from derive.process.background import Pending


@dataclass(frozen=True)
class Target:
    """What to differentiate: a resolved function with its display name."""

    name: str  # file stem and title name: "sigmoid", or a slug of the expression
    definition: Definition
    params: tuple[sympy.Symbol, ...] = ()
    from_catalog: bool = False


def resolve(text: str, *, var: str | None = None) -> Target:
    """A catalog name (case-insensitive, aliases) or an expression in derive's syntax."""
    from derive.parse import catalog
    from derive.parse.expression import free_variable, parse_expression

    stripped = text.strip()
    if not stripped:
        raise InputError("nothing to differentiate: give a function name or an expression")
    entry = _catalog_entry(stripped) if _IDENTIFIER.fullmatch(stripped) else None
    if entry is not None:
        expr, x, params = entry.build()
        head = sympy.Function(entry.name)
        definition = Definition(entry.name, entry.symbol_latex, head, x, expr,
                                written=catalog.identity_of(entry.name))
        return Target(entry.name, definition, tuple(params.values()), from_catalog=True)
    # Catalog functions may be called by name (x*sigmoid(x)): the walkthrough keeps them as
    # written and cites their derivatives; everything else reads the body written out.
    written = parse_expression(text, where="expression", functions=catalog.expression_functions())
    expr = catalog.expand(written)
    _refuse_non_real_constants(expr)
    x = free_variable(expr, var)
    if _IDENTIFIER.fullmatch(stripped) and expr == x and var is None and len(stripped) > 1:
        # A bare unknown word is more likely a mistyped catalog name than the identity map;
        # one letter (derive x, derive t) is a variable, and its derivative is 1.
        catalog.lookup(stripped)  # raises with the closest names
    name = function_name(expr)
    definition = Definition(name, name, sympy.Function(name), x, expr,
                            written=None if written == expr else written)
    params = tuple(sorted(expr.free_symbols - {x}, key=str))
    return Target(slug(text), definition, params)


def resolve_sympy(expr: sympy.Expr, *, var: str | None = None) -> Target:
    """A SymPy expression, as resolve() makes one from text: its symbols become derive's real
    symbols of the same names, and it must be built from functions derive knows."""
    from derive.parse.expression import MAX_LENGTH, free_variable

    if not isinstance(expr, sympy.Expr) or isinstance(expr, sympy.MatrixBase):
        raise InputError(f"not a SymPy expression: {type(expr).__name__}")
    if expr.atoms(sympy.Derivative, sympy.Integral, sympy.Subs):
        raise InputError("the expression holds a derivative or integral; give the function itself")
    text = sympy.sstr(expr)
    if len(text) > MAX_LENGTH:
        raise InputError(f"expression too long ({len(text)} characters; at most {MAX_LENGTH})")
    real = {s: sympy.Symbol(s.name, real=True) for s in expr.free_symbols
            if isinstance(s, sympy.Symbol)}
    expr = expr.xreplace(real)
    _refuse_non_real_constants(expr)
    x = free_variable(expr, var)
    name = function_name(expr)
    definition = Definition(name, name, sympy.Function(name), x, expr)
    params = tuple(sorted(expr.free_symbols - {x}, key=str))
    return Target(slug(text), definition, params)


def _refuse_non_real_constants(expr: sympy.Expr) -> None:
    """A constant part that is not a real number (asin(e), log(-1), sqrt(-2)) is refused:
    derive differentiates real functions of a real variable, and SymPy's own questions
    about such a constant can run without end (is 1/log(asin(e)) zero? evalf raises its
    precision for ever). Innermost first, so the message names the smallest culprit."""
    for node in sympy.postorder_traversal(expr):
        if isinstance(node, sympy.Expr) and not node.free_symbols \
                and node.is_extended_real is False:
            # SymPy pulls i out of a root of a negative number: sqrt(-2)*x is sqrt(2)*I*x
            shown = "I (the square root of -1)" if node is sympy.I else sympy.sstr(node)
            raise InputError(f"{shown} is not a real number; derive differentiates "
                             "real functions of a real variable")


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# An expression's function is f, unless the expression has a symbol of that name
# (sin(2*pi*f*x), with f a frequency): then g, so that no name means two things.
_FUNCTION_NAMES = ("f", "g", "h", "F", "G", "H")


def function_name(expr: sympy.Expr) -> str:
    """The name an expression's function goes by: the first of f, g, h, ... that no symbol
    of the expression already has."""
    taken = {s.name for s in expr.free_symbols}
    for name in _FUNCTION_NAMES:
        if name not in taken:
            return name
    raise InputError(f"the names {', '.join(_FUNCTION_NAMES)} are all symbols of the expression; "
                     "rename one so that the function can have a name")


def _catalog_entry(name: str):  # -> catalog.CatalogEntry | None
    from derive.parse import catalog

    try:
        return catalog.lookup(name)
    except InputError:
        return None


def slug(text: str) -> str:
    """A file-name stem for an expression: letters, digits and dashes only."""
    words = re.sub(r"\*\*|\^", "-pow-", text)
    words = re.sub(r"[^A-Za-z0-9]+", "-", words).strip("-").lower()
    return (words or "expression")[:60].strip("-")


def derive(target: Target, *, timeout: float = 2.0) -> Derivation:
    """Build the walkthrough and verify every step."""
    from derive.engine.walkthrough import build
    from derive.verify import verify

    display = target.name if target.from_catalog else target.definition.name
    return verify(build(target.definition, name=display), timeout=timeout)


def definition_properties(definition: Definition, reference: sympy.Expr | None = None, *,
                          seconds: float | None = None) -> dict[str, Any]:
    """The verified properties of f, as the documents and JSON show them, from the
    definition alone (reference: SymPy's f', computed if None), so that they can be found
    before the walkthrough exists: {"properties": [...], "stopped": [finder names the
    runaway clock stopped]}. The properties have their own budget
    (derive.analysis.properties): --timeout bounds one check, not what is found; `seconds`,
    when given, shortens the runaway clock (a supervised run's bound comes first)."""
    from derive.analysis.properties import PROPERTIES_SECONDS, analyse

    x = definition.variable
    if reference is None:
        from derive.model import as_function

        reference = as_function(sympy.diff(definition.body, x))
    report = analyse(definition.body, x, reference, name_latex=definition.latex,
                     seconds=PROPERTIES_SECONDS if seconds is None else seconds)
    from derive.render.view import properties_view

    return {"properties": properties_view(report.properties, definition),
            "stopped": list(report.stopped)}


@dataclass(frozen=True)
class Plot:
    png: str  # file names, relative to the documents that show them
    pdf: str
    caption: str
    slides_pdf: str | None = None  # the smaller figure slides show, when slides are made

    def pictures(self) -> list[tuple[str, str, str]]:
        """(file name, format, size in derive.render.figure.SIZES) of every picture of the plot."""
        found = [(self.png, "png", "page"), (self.pdf, "pdf", "page")]
        return found + ([(self.slides_pdf, "pdf", "slide")] if self.slides_pdf else [])


def plot_names(stem: str) -> tuple[str, str, str]:
    """The plot's files: PNG for Markdown, PDF for the article, a smaller PDF for slides."""
    return f"{stem}.png", f"{stem}-plot.pdf", f"{stem}-slides-plot.pdf"


def start_plot(target: Target, derivation: Derivation, *, slides: bool = False,
               drawer: Pending | None = None) -> tuple[Plot, Pending]:
    """Sample f and f' here, and hand the drawing to `drawer` (a child that imported
    matplotlib already: derive.process.cold_start), or to a Pending that draws in process; the
    pictures come back from its result() (write_plot)."""
    from derive.analysis.plot import DEFAULT_PARAMETER, sample
    from derive.process.background import Pending
    from derive.render.figure import draw_all
    from derive.words.figures import plot_caption

    definition = derivation.function
    head, x = definition.latex, derivation.variable
    png, pdf, slides_pdf = plot_names(target.name)
    curves = sample(definition.body, derivation.reference, x, label=f"${head}({x})$",
                    derivative_label=f"${head}'({x})$")
    caption = plot_caption(head, x, curves.x_range, curves.asymptotes, target.params,
                           DEFAULT_PARAMETER, holes=[at for at, _ in curves.holes],
                           derivative_holes=[at for at, _ in curves.derivative_holes])
    plot = Plot(png, pdf, caption, slides_pdf if slides else None)
    drawing = drawer if drawer is not None else Pending(draw_all, fork=False, takes_job=True)
    drawing.send({"curves": curves, "pictures": [(fmt, size) for _, fmt, size in plot.pictures()]})
    return plot, drawing


def write_plot(plot: Plot, drawing: Pending, out: Path) -> list[Path]:
    """The pictures start_plot asked for, written next to the documents."""
    return write_all(plot_files(plot, drawing, out))


def plot_files(plot: Plot, drawing: Pending, out: Path, *,
               drawn: list[str] | None = None) -> list[tuple[Path, bytes]]:
    """The pictures start_plot asked for, as (path next to the documents, bytes); `drawn`:
    the drawing's result, when it was collected already (for a page that embeds the plot)."""
    import base64

    paths = [out / name for name, _, _ in plot.pictures()]
    return [(path, base64.b64decode(data))
            for path, data in zip(paths, drawing.result() if drawn is None else drawn,
                                  strict=True)]


def python_source(target: Target, derivation: Derivation, *, required: bool = True,
                  measuring: Pending | None = None, deadline: float | None = None) -> str | None:
    """The NumPy module for f and f'. Documents leave the code section out when a function
    has no NumPy translation; `-f py` (required) reports it instead. `measuring`: the child
    of derive.process.accuracy_child that measures the code's accuracy for its docstring
    (None: measured here), whose wait ends before `deadline` (Request.deadline)."""
    from derive.analysis.codegen import code_for
    from derive.errors import CodegenError

    measure = None
    if measuring is not None:
        from derive.process.accuracy_child import measurer

        measure = measurer(measuring, deadline)
    try:
        return code_for(derivation, target.params, measure=measure)
    except CodegenError:
        if required:
            raise
        return None


def companion_source(fmt: str, template: str, *, templates_dir: Path | None = None) -> str:
    from derive.render.templates import companion_source as source

    return source(fmt, template, templates_dir=templates_dir)


def render_formats(view: dict[str, Any], formats: Iterable[str], *,
                   templates_dir: Path | None = None) -> dict[str, str]:
    """Render every format first, so a template error leaves no file half-written."""
    from derive.render.templates import render

    return {fmt: render(view, fmt, templates_dir=templates_dir) for fmt in formats}


def output_name(stem: str, fmt: str) -> str:
    return registry.output_name(stem, fmt)


@dataclass(frozen=True)
class Request:
    """What the `derive` command was asked for, checked already."""

    target: Target
    formats: tuple[str, ...]  # names in derive.render.formats.REGISTRY
    out: Path | None  # None: nothing is written (the caller prints one text)
    plot: bool = True
    templates_dir: Path | None = None
    title: str | None = None
    timeout: float = 2.0
    md_math: str = "github"  # how Markdown writes math: "github" or "dollars"
    handout: bool = False  # slides without overlays, for printing
    # Find the properties in a child forked once f is built, while the walkthrough is made
    # here (the CLI: one request per process, where the second core is otherwise idle).
    parallel: bool = False
    # The plot's drawer, already importing matplotlib (the CLI: see derive.process.cold_start);
    # None: the plot is drawn here.
    drawer: Pending | None = None
    # time.monotonic() by which the run must be writing its files (the command: its
    # supervisor's bound); the properties' runaway clock ends early enough for it. None: no
    # bound but the properties' own.
    deadline: float | None = None


@dataclass(frozen=True)
class Produced:
    derivation: Derivation
    texts: dict[str, str]  # every text format asked for, rendered ("py" included)
    written: tuple[Path, ...]
    plot_skipped: str | None = None  # why the documents have no plot, when they wanted one


# Within a bounded run (Request.deadline), what the properties leave for the rest: the
# child's answer to travel, the documents to be rendered, on a busy machine.
PROPERTIES_RESERVE = 2.0
# ... and how long before the deadline the worker stops waiting for a child that overran.
PROPERTIES_WAIT_RESERVE = 1.0


def _properties_of(target: Target, request: Request, *, wanted: bool) -> Pending:
    from derive.process.background import Pending

    def work() -> dict[str, Any]:
        if not wanted:
            return {"properties": [], "stopped": []}
        return definition_properties(target.definition,
                                     seconds=_properties_seconds(request.deadline))

    return Pending(work, fork=wanted and request.parallel)


def _properties_seconds(deadline: float | None) -> float | None:
    """The properties' runaway clock: their own, or shorter, to end before the deadline."""
    from derive.analysis.properties import PROPERTIES_SECONDS

    if deadline is None:
        return None
    left = deadline - PROPERTIES_RESERVE - time.monotonic()
    return max(0.0, min(PROPERTIES_SECONDS, left))


def _search_ahead(definition: Definition, children: contextlib.ExitStack,
                  deadline: float | None = None) -> None:
    """The f'-in-terms-of-f search in a child of its own, begun now: it needs f alone, and
    the walkthrough's step that uses it (and the view's note on it) would otherwise wait for
    it here (70-100 ms for mish, swish, gelu_tanh, softsign on an idle machine). The child
    runs the same search, so the outcome is the same; it is stopped when the run ends.

    In a bounded run (`deadline`) the wait for it ends SEARCH_RESERVE before the deadline:
    a search still at work then is stopped and its outcome is a cut-off by the clock (the
    documents say that the search was stopped by its time limit, the seconds it was given,
    so they claim no form and no absence of one), rather than the bound ending the run with
    nothing written."""
    from functools import partial

    from derive.analysis import in_terms_of_f
    from derive.engine.strategies import value_symbol_taken
    from derive.process.background import Pending

    if value_symbol_taken(definition):
        return  # no form in terms of f is looked for
    f, x = definition.body, definition.variable
    if _reciprocal_form(f, x):
        return  # the walkthrough writes the form itself: a child would search for nothing
    begun = time.monotonic()
    child = children.enter_context(
        Pending(partial(in_terms_of_f.search_here, f, x), pickled=True))
    outcome = child.result if deadline is None \
        else partial(_search_outcome, child, f, x, begun, deadline)
    in_terms_of_f.search_elsewhere(f, x, outcome)
    children.callback(in_terms_of_f.forget_elsewhere, f, x)


def _reciprocal_form(f: sympy.Expr, x: sympy.Symbol) -> bool:
    """Whether f = 1/g with g + g' a nonzero constant a (the sigmoid: 1/(1 + e^{-x}), a = 1):
    then f' = -g'/g² = (g - a)/g², and the walkthrough's reciprocal strategy
    (derive.engine.strategies) writes f' = f(1 - a f) without asking the search. A guess
    only: where the strategy does not apply after all, the search is made in process, with
    the same outcome."""
    if not (f.is_Pow and f.exp == -1 and f.base.is_Add):
        return False
    g = f.base
    shift = sympy.expand(g + sympy.diff(g, x))
    return not shift.has(x) and shift != 0


# Within a bounded run, what the f'-in-terms-of-f search leaves for the rest of the run when
# the worker waits for it: the walkthrough's remaining steps and their checks, the code, the
# properties' answer, the documents, on a busy machine.
SEARCH_RESERVE = 3.0


def _search_outcome(child: Pending, f: sympy.Expr, x: sympy.Symbol, begun: float,
                    deadline: float) -> Any:  # -> tuple[f', in_terms_of_f.SearchOutcome]
    """The search child's answer, or, once SEARCH_RESERVE before the deadline, a cut-off
    after the seconds the search was given (from `begun`, when the child started)."""
    from derive.analysis.in_terms_of_f import SearchOutcome

    def late() -> tuple[sympy.Expr, SearchOutcome]:
        given = max(0.1, round(time.monotonic() - begun, 1))
        return sympy.diff(f, x), SearchOutcome(None, False, "clock", seconds=given)

    return child.result(timeout=deadline - SEARCH_RESERVE - time.monotonic(), late=late)


def _found_properties(properties: Pending, request: Request) -> dict[str, Any]:
    """The properties child's answer; in a bounded run, a child still at work when the
    deadline nears is stopped and every finder is reported as stopped (the documents say
    so in words) rather than the bound ending the run with no document at all."""
    if request.deadline is None:
        return properties.result()
    from derive.analysis.properties import FINDERS

    left = request.deadline - PROPERTIES_WAIT_RESERVE - time.monotonic()
    return properties.result(timeout=left, late=lambda: {
        "properties": [], "stopped": [finder.name for finder in FINDERS]})


def produce(request: Request, *, derivation: Derivation | None = None) -> Produced:
    """Derive, verify, analyse, render every format, then write: all or nothing per file.
    `derivation`: the verified walkthrough of this target, made already (derive.api keeps
    it between documents)."""
    from derive.render.view import build_view, json_document

    target, formats, out = request.target, request.formats, request.out
    if registry.needs_tex(formats):
        from derive.render.pdf import find_engine

        find_engine()  # no TeX: say so before the work, and before any file is written
    registry.check_modules(formats)
    documents = registry.documents_for(formats)
    required_code = any(registry.REGISTRY[f].needs_code for f in formats)
    if request.parallel:
        # What this process and its children both use, imported once, before they fork:
        # imported after, each would import it again (derive.verify: 20-30 ms of CPU).
        # (the walkthrough's checks, the properties' proofs, the code's special points)
        importlib.import_module("derive.verify")
        # SymPy's f' once, here, before the children fork: the properties, the code's
        # measurement and the search each differentiate f, as the walkthrough does here,
        # and each would do the whole work again (10 ms of CPU for mish, gelu_tanh); after
        # this, SymPy's cache, copied by the fork, answers each in under a millisecond.
        sympy.diff(target.definition.body, target.definition.variable)
    # Children still at work when something fails are stopped: they write nothing themselves.
    with contextlib.ExitStack() as children:
        properties = children.enter_context(
            _properties_of(target, request, wanted=bool(documents)))
        measuring = None
        if request.parallel and registry.shows_code(formats):
            from derive.process import accuracy_child

            measuring = children.enter_context(
                accuracy_child.start(target.definition, target.params))
        if derivation is None and request.parallel:
            _search_ahead(target.definition, children, request.deadline)
        if derivation is None:
            derivation = derive(target, timeout=request.timeout)
        extras: dict[str, Any] = {}
        code = python_source(target, derivation, required=required_code, measuring=measuring,
                             deadline=request.deadline) if registry.shows_code(formats) else None
        drawing = None
        pictures = registry.plot_pictures(formats)
        inline = registry.inline_plot(formats)  # the page embeds it, even on standard output
        wants_plot = request.plot and bool(pictures) and (out is not None or inline)
        plot_skipped = registry.plot_missing() if wants_plot else None
        if wants_plot and plot_skipped is None:
            plot, drawing = start_plot(target, derivation, slides="slides_pdf" in pictures,
                                       drawer=request.drawer)
            children.enter_context(drawing)
            extras["plot"] = plot.__dict__
        if documents:
            extras["code"] = code
            extras["markdown_math"] = request.md_math
        extras["handout"] = request.handout
        # Whatever the properties do not change is built while the children work.
        view = build_view(derivation, title=request.title, extras=extras)
        if documents:
            from derive.render.templates import prepare

            prepare(documents, templates_dir=request.templates_dir)
            found = _found_properties(properties, request)
            view["properties"] = found["properties"]
            # the domain, poles and zeros of f' beside the Result, from the proved ones
            from derive.words.properties import reader_summary

            view["reader"] = reader_summary(found["properties"], view["function"]["head"],
                                            view["variable"])
            # Finders the properties' runaway clock stopped: the documents say so.
            view["properties_stopped"] = found["stopped"]
        view["json"] = json_document(view)
        drawn = None
        if drawing is not None and inline:
            drawn = drawing.result()  # base64, in the order of plot.pictures(); PNG first
            view["plot"] = dict(view["plot"], png_data=drawn[0])
        texts = render_formats(view, documents, templates_dir=request.templates_dir)
        if code is not None:
            texts.update({f: code for f in formats if registry.REGISTRY[f].needs_code})
        if out is None:
            return Produced(derivation, texts, ())
        picture_files = plot_files(plot, drawing, out, drawn=drawn) \
            if drawing is not None and registry.plot_files(formats) else []
        files: list[tuple[Path, str | bytes]] = list(picture_files)
    for fmt in formats:
        if fmt in texts:
            files.append((out / output_name(target.name, fmt), texts[fmt]))
    for fmt in formats:
        for template, name in registry.REGISTRY[fmt].companions:
            files.append((out / name,
                          companion_source(fmt, template, templates_dir=request.templates_dir)))
    for fmt in formats:
        if not registry.REGISTRY[fmt].built_from:
            continue
        # Compiled before anything is written: a document TeX cannot typeset writes nothing.
        from derive.render.pdf import compile_pdf

        resources = {path.name: data for path, data in picture_files if path.suffix == ".pdf"}
        for part in registry.REGISTRY[fmt].built_from:
            stem = output_name(target.name, part).removesuffix(".tex")
            files.append((out / f"{stem}.pdf",
                          compile_pdf(texts[part], f"{stem}.tex", resources=resources)))
    from derive.process.supervisor import committing

    committing()  # the supervisor waits for the writes instead of cutting them short
    return Produced(derivation, texts, tuple(write_all(files)), plot_skipped)
