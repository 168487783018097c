"""The output formats `derive` knows, and which documents a list of them asks for.

Kept apart from derive.pipeline (which imports SymPy) so that the command line can check
`-f` and decide what to start before SymPy is imported.
"""

from __future__ import annotations

from collections.abc import Iterable

from derive.errors import UsageError

ALL_FORMATS = ("md", "tex", "json", "slides", "py", "pdf")
TEXT_FORMATS = ("md", "tex", "json", "slides")
PLOTTED = ("md", "tex", "slides", "pdf")


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


def documents_for(formats: Iterable[str]) -> list[str]:
    """The templated documents to render: the text formats asked for, and the article and
    slides a PDF is built from."""
    formats = list(formats)
    wanted = [f for f in formats if f in TEXT_FORMATS]
    if "pdf" in formats:
        wanted += [f for f in ("tex", "slides") if f not in wanted]
    return wanted


def plotted(formats: Iterable[str]) -> bool:
    """Whether the documents asked for show the plot of f and f'."""
    return bool(set(PLOTTED) & set(formats))
