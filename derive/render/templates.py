"""Render a verified Derivation through the Jinja2 templates of a format.

Templates live in `templates/<format>/index.*.j2` (shipped inside the package as
`derive/templates`); `--templates DIR` puts the user's folder first, and the built-in ones
stay reachable as ``builtin/<format>/...`` so a user template can extend one and override
single blocks. TeX formats use LaTeX-safe delimiters: ``((* *))``, ``((( )))``, ``((= =))``;
the HTML family escapes every value (autoescape) unless a filter made it markup.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from derive.errors import TemplateError
from derive.render.filters import FILTERS
from derive.render.formats import REGISTRY, Format
from derive.render.template_cache import bytecode_cache

_TEX_DELIMITERS = {
    "block_start_string": "((*",
    "block_end_string": "*))",
    "variable_start_string": "(((",
    "variable_end_string": ")))",
    "comment_start_string": "((=",
    "comment_end_string": "=))",
    "line_statement_prefix": None,
}


def builtin_templates() -> Path:
    """The templates folder: inside the installed package, or at the top of a checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "templates"
    if packaged.is_dir():
        return packaged
    return package.parent / "templates"


@cache
def environment(family: str, user_dir: str | None) -> jinja2.Environment:
    builtin = str(builtin_templates())
    loaders: list[jinja2.BaseLoader] = []
    if user_dir:
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(builtin)}))
    loaders.append(jinja2.FileSystemLoader(builtin))
    options: dict[str, Any] = dict(_TEX_DELIMITERS) if family == "tex" else {}
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        # HTML escapes every value unless a filter made it markup (the MathML).
        autoescape=family == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache(family),
        **options,
    )
    env.filters.update(FILTERS)
    if family == "html":
        from derive.render.html import HTML_FILTERS

        env.filters.update(HTML_FILTERS)
    return env


def render(view: dict[str, Any], fmt: str, *, templates_dir: Path | None = None) -> str:
    """The document for one format, from the view data (see derive.render.view)."""
    spec = _templated(fmt)
    if spec is None:
        templated = ", ".join(f.name for f in REGISTRY.values() if f.templated)
        raise TemplateError(f"unknown format '{fmt}'; choose from {templated}")
    entry, family = spec.entry, spec.family
    assert entry is not None
    env = environment(family, str(templates_dir) if templates_dir else None)
    try:
        template = env.get_template(entry)
        if templates_dir is not None:  # the built-in templates are checked by the tests
            _checked_blocks(family, str(templates_dir), entry)
        return template.render(**view)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"{error.filename or error.name}:{error.lineno}: template error: {error.message}"
        ) from None
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"template not found: {error.name}") from None
    except jinja2.TemplateError as error:  # undefined names, a super() with no parent, ...
        message = getattr(error, "message", None) or str(error)
        raise TemplateError(f"{_template_position(entry)}: template error: {message}") from None
    except RecursionError:  # {% extends %} or {% include %} of itself, directly or in a ring
        raise TemplateError(f"{_template_position(entry)}: template error: a template extends "
                            "or includes itself") from None


def prepare(formats, *, templates_dir: Path | None = None) -> None:
    """Load and compile the templates of these formats now (they are kept), so that a later
    render only runs them. Errors are left for render() to report."""
    for fmt in formats:
        spec = _templated(fmt)
        if spec is None or spec.entry is None:
            continue
        try:
            environment(spec.family, str(templates_dir) if templates_dir else None) \
                .get_template(spec.entry)
        except jinja2.TemplateError:
            continue


def _templated(fmt: str) -> Format | None:
    spec = REGISTRY.get(fmt)
    return spec if spec is not None and spec.templated else None


def companion_source(fmt: str, template: str, *, templates_dir: Path | None = None) -> str:
    """A file of a format's template folder written beside the document as it is (the
    fragment's macro package): the user's folder first, as for templates."""
    spec = REGISTRY[fmt]
    env = environment(spec.family, str(templates_dir) if templates_dir else None)
    try:
        source, _, _ = env.loader.get_source(env, template)  # type: ignore[union-attr]
    except jinja2.TemplateNotFound:
        raise TemplateError(f"template not found: {template}") from None
    return source


@cache
def _checked_blocks(family: str, user_dir: str, entry: str) -> None:
    _check_blocks(environment(family, user_dir), entry)


def _check_blocks(env: jinja2.Environment, name: str) -> set[str]:
    """Every block a template defines must exist in what it extends: Jinja would silently
    ignore a misspelt block, and the user would wonder why their override never shows."""
    from jinja2 import nodes

    assert env.loader is not None  # every environment derive builds has one
    source, filename, _ = env.loader.get_source(env, name)
    tree = env.parse(source, name, filename)
    defined = {block.name for block in tree.find_all(nodes.Block)}
    extends = tree.find(nodes.Extends)
    if extends is None or not isinstance(extends.template, nodes.Const):
        return defined
    inherited = _check_blocks(env, extends.template.value)
    # Blocks nested in an override are new blocks; only the outermost ones must exist above.
    for block, line in _outermost_blocks(tree):
        if block not in inherited:
            raise TemplateError(f"{filename}:{line}: template error: block '{block}' is not "
                                f"defined in {extends.template.value}, so it would never show")
    return inherited | defined


def _outermost_blocks(node: jinja2.nodes.Node) -> list[tuple[str, int]]:
    from jinja2 import nodes

    found = []
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Block):
            found.append((child.name, child.lineno))
        else:
            found.extend(_outermost_blocks(child))
    return found


def _template_position(default: str) -> str:
    """file:line of the innermost template frame in the exception being handled."""
    tb = sys.exc_info()[2]
    where = default
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
