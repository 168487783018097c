"""The math of derive's Markdown as a plain CommonMark parser reads it (markdown-it-py, no
math plugin): ```math fences are display math, a code span written $`…`$ is inline math.
This is what GitHub and GitLab do; KaTeX's test and the CommonMark test share it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    tex: str
    display: bool
    line: int  # of the block it is in, 1-based


def commonmark():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def math_spans(text: str) -> list[Span]:
    found = []
    for token in commonmark().parse(text):
        line = token.map[0] + 1 if token.map else 0
        if token.type == "fence" and token.info.strip() == "math":
            found.append(Span(token.content.removesuffix("\n"), True, line))
        children = token.children or []
        for i, child in enumerate(children):
            before = children[i - 1] if i else None
            after = children[i + 1] if i + 1 < len(children) else None
            if (child.type == "code_inline" and before is not None and after is not None
                    and before.type == "text" and before.content.endswith("$")
                    and after.type == "text" and after.content.startswith("$")):
                found.append(Span(child.content, False, line))
    return found


def prose_text(text: str) -> str:
    """Every text a reader sees outside math and code, joined."""
    parts = []
    for token in commonmark().parse(text):
        if token.type in ("fence", "code_block"):
            continue
        children = token.children or []
        for i, child in enumerate(children):
            if child.type != "text":
                continue
            words = child.content
            # The $ of a $`…`$ span belongs to the math, not to the text.
            if i + 1 < len(children) and children[i + 1].type == "code_inline":
                words = words.removesuffix("$")
            if i and children[i - 1].type == "code_inline":
                words = words.removeprefix("$")
            parts.append(words)
    return "\n".join(parts)
