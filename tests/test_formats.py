"""The format registry: one declaration per format, read by the renderer, pipeline and CLI."""

from __future__ import annotations

import pytest

from derive.errors import UsageError
from derive.render import formats
from derive.render.templates import builtin_templates


def test_every_templated_format_has_its_entry_template():
    for fmt in formats.REGISTRY.values():
        if fmt.entry is not None:
            assert (builtin_templates() / fmt.entry).is_file(), fmt.name
        for template, _ in fmt.companions:
            assert (builtin_templates() / template).is_file(), fmt.name


def test_a_format_is_built_from_formats_the_registry_declares():
    for fmt in formats.REGISTRY.values():
        for part in fmt.built_from:
            assert formats.REGISTRY[part].templated


def test_a_pdf_brings_the_article_and_slides_it_is_built_from():
    assert formats.documents_for(["pdf"]) == ["tex", "slides"]
    assert formats.documents_for(["json", "pdf", "tex"]) == ["json", "tex", "slides"]
    assert formats.needs_tex(["md", "pdf"]) and not formats.needs_tex(["md", "tex"])


def test_plot_and_code_follow_the_declarations():
    assert formats.plot_pictures(["md"]) == {"png"}
    assert formats.plot_pictures(["pdf"]) == {"pdf", "slides_pdf"}
    assert not formats.plotted(["json", "py"])
    assert formats.shows_code(["py"]) and formats.shows_code(["md"])
    assert not formats.shows_code(["json", "slides"])


def test_file_names_come_from_the_suffix():
    assert formats.output_name("sigmoid", "slides") == "sigmoid-slides.tex"
    assert formats.output_name("sigmoid", "py") == "sigmoid.py"


def test_the_command_line_offers_every_registered_format(capsys):
    from derive.cli import _parser

    help_text = " ".join(_parser().format_help().split())
    assert ", ".join(formats.REGISTRY) in help_text
    with pytest.raises(UsageError, match="unknown format 'htm'"):
        formats.parse_formats("md,htm")
