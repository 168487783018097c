"""The output formats `derive` knows: each declared once, here, and read by the renderer,
the pipeline and the command line.

Adding a format is one `Format(...)` below and a template folder in `templates/`.
Kept apart from derive.pipeline (which imports SymPy) so that the command line can check
`-f` and decide what to start before SymPy is imported.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass

from derive.errors import ToolError, UsageError


@dataclass(frozen=True)
class Format:
    """One output format, and everything the rest of derive needs to know about it."""

    name: str  # what -f calls it
    suffix: str  # appended to the file stem: "sigmoid" + ".md"
    # The entry template under templates/ (it extends a skeleton naming the blocks); None for
    # a format made another way (the NumPy module, the PDF built from other formats).
    entry: str | None = None
    # Template delimiters and escaping: "plain" Jinja, "tex" ((* *)) ((( ))) ((= =)), or
    # "html" (plain delimiters, every value escaped unless a filter made it markup).
    family: str = "plain"
    # The plot picture the document shows: "png" or "pdf" (the page's figure), "slides_pdf"
    # (a smaller figure for a slide's column); None: no plot.
    plot: str | None = None
    inline_plot: bool = False  # the picture is embedded in the document, not a file beside it
    shows_code: bool = False  # has the NumPy code section (left out where f has no translation)
    needs_code: bool = False  # the format is the NumPy module: no translation is an error
    built_from: tuple[str, ...] = ()  # formats rendered first to build this one (pdf: tex, slides)
    needs_tex: bool = False  # a TeX engine must be installed (checked before any work)
    # Python modules it needs, and the extra of derive-steps that installs them.
    needs_modules: tuple[str, ...] = ()
    extra: str | None = None
    # Files of the template folder written beside the document, unchanged (the fragment's
    # macro package); (template name, file name).
    companions: tuple[tuple[str, str], ...] = ()
    to_stdout: bool = True  # `-o -` can print it (a PDF, binary and two files, cannot)

    @property
    def templated(self) -> bool:
        return self.entry is not None


REGISTRY: dict[str, Format] = {f.name: f for f in (
    Format("md", ".md", "md/index.md.j2", plot="png", shows_code=True),
    Format("tex", ".tex", "tex/index.tex.j2", family="tex", plot="pdf", shows_code=True),
    Format("json", ".json", "json/index.json.j2"),
    Format("slides", "-slides.tex", "slides/index.tex.j2", family="tex", plot="slides_pdf"),
    Format("html", ".html", "html/index.html.j2", family="html", plot="png", inline_plot=True,
           shows_code=True, needs_modules=("latex2mathml",), extra="html"),
    Format("fragment", "-fragment.tex", "fragment/index.tex.j2", family="tex", plot="pdf",
           shows_code=True, companions=(("fragment/derive-fragment.sty", "derive-fragment.sty"),)),
    Format("py", ".py", needs_code=True),
    Format("pdf", ".pdf", built_from=("tex", "slides"), needs_tex=True, to_stdout=False),
)}

ALL_FORMATS = tuple(REGISTRY)

# The plot's libraries, an extra: the core (what checking needs) goes without them.
PLOT_MODULES = ("matplotlib", "numpy")
DISTRIBUTION = "derive-steps"


def missing(modules: Iterable[str]) -> list[str]:
    """The modules of these that are not installed (found without importing them)."""
    return [m for m in modules if importlib.util.find_spec(m) is None]


def plot_missing() -> str | None:
    """Why the plot cannot be drawn here, in one line, or None when it can."""
    absent = missing(PLOT_MODULES)
    if not absent:
        return None
    return (f"no plot: it needs {' and '.join(absent)}; "
            f"pip install '{DISTRIBUTION}[plot]' to have it")


def check_modules(formats: Iterable[str]) -> None:
    """Refuse a format whose libraries are not installed, before any work."""
    for fmt in expanded(formats):
        absent = missing(fmt.needs_modules)
        if absent:
            raise ToolError(f"-f {fmt.name} needs {' and '.join(absent)}; "
                             f"pip install '{DISTRIBUTION}[{fmt.extra}]' to have it")


def get(name: str) -> Format:
    try:
        return REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown format '{name}'; choose from {', '.join(REGISTRY)}") from None


def parse_formats(text: str, allowed: Iterable[str] = ALL_FORMATS) -> list[str]:
    """A comma list such as "md,tex", checked, lower-cased and without repeats."""
    allowed = list(allowed)
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    if not formats:
        raise UsageError("no format given to -f/--format")
    for fmt in formats:
        if fmt not in allowed:
            raise UsageError(f"unknown format '{fmt}' in -f/--format; choose from {', '.join(allowed)}")
    return list(dict.fromkeys(formats))


def expanded(formats: Iterable[str]) -> list[Format]:
    """The formats asked for, and the ones they are built from, each once."""
    found: dict[str, Format] = {}
    for name in formats:
        fmt = REGISTRY[name]
        found.setdefault(fmt.name, fmt)
        for part in fmt.built_from:
            found.setdefault(part, REGISTRY[part])
    return list(found.values())


def documents_for(formats: Iterable[str]) -> list[str]:
    """The templated documents to render: the ones asked for, and those another format asked
    for is built from (the article and slides of a PDF)."""
    return [f.name for f in expanded(formats) if f.templated]


def plot_pictures(formats: Iterable[str]) -> set[str]:
    """The plot pictures the documents asked for show ("png", "pdf", "slides_pdf")."""
    return {f.plot for f in expanded(formats) if f.plot is not None}


def inline_plot(formats: Iterable[str]) -> bool:
    """Whether a document asked for embeds the plot (its picture is needed while rendering)."""
    return any(f.inline_plot for f in expanded(formats) if f.plot is not None)


def plot_files(formats: Iterable[str]) -> bool:
    """Whether a document asked for shows the plot from files written beside it."""
    return any(not f.inline_plot for f in expanded(formats) if f.plot is not None)


def plotted(formats: Iterable[str]) -> bool:
    """Whether the documents asked for show the plot of f and f'."""
    return bool(plot_pictures(formats))


def shows_code(formats: Iterable[str]) -> bool:
    """Whether any format asked for shows or is the NumPy code."""
    return any(f.shows_code or f.needs_code for f in expanded(formats))


def needs_tex(formats: Iterable[str]) -> bool:
    return any(f.needs_tex for f in expanded(formats))


def output_name(stem: str, fmt: str) -> str:
    """The file a format writes for a document stem: sigmoid + slides -> sigmoid-slides.tex."""
    return stem + REGISTRY[fmt].suffix
