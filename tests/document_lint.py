"""Display artefacts in the documents derive writes, found by reading them as text.

A teacher marks these down: a `0 +` term, a factor 1 (`3 \\cdot 1`, `1 \\cdot e^{x}`), a sign
pair (`- -`, `+ -`), a fraction nested in a numerator, and a prose sentence restating a
trivial equation (`Putting it together, 0 + 2x = 2x`). `artefacts(text)` names every one it
finds; `python tests/document_lint.py [N]` prints how many of the first N exercises have which.
The Set-up of a quotient rule writes the law's f'g − fg' with its parts on purpose (the
sigmoid's seed), so a constant numerator's `0 \\cdot g − 1 \\cdot g'` there is the law, not an
artefact: a line the document marks as the law instance is skipped (see `LAW_LINE`).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# Terms and factors written next to math operators. A digit, letter, dot, brace or caret on
# the far side means a longer number or an exponent (10, 0.5, x^{0}), not the artefact.
_ZERO_TERM = re.compile(r"(?:(?<![\w.}^_])0 \+ )|(?: [+-] 0(?![\w.{^]))")
_FACTOR_ONE = re.compile(r"(?:\\cdot 1(?![\w.{^]))|(?:(?<![\w.}^_{])1 \\cdot )")
_SIGN_PAIR = re.compile(r"(?:[+-] +-(?!-))|(?:\+ +\+)")
_INLINE = re.compile(r"\$`?([^$`]+)`?\$")  # $…$ and GitHub's $`…`$


def _math_spans(text: str) -> Iterator[str]:
    """Every piece of math: $$…$$ blocks, \\[…\\], equation environments and inline $…$."""
    for block in re.findall(r"\$\$(.+?)\$\$", text, re.S):
        yield block
    for block in re.findall(r"```math\n(.+?)```", text, re.S):  # GitHub's math fences
        yield block
    for block in re.findall(r"\\\[(.+?)\\\]", text, re.S):
        yield block
    for block in re.findall(r"\\begin\{(?:align\*?|equation\*?|gather\*?)\}(.+?)\\end", text, re.S):
        yield block
    prose = re.sub(r"\$\$.+?\$\$", " ", text, flags=re.S)
    yield from _INLINE.findall(prose)


_ARGUMENT = re.compile(r"(\\[A-Za-z]+|\}|\b[A-Z])\\left\(")


def _without_arguments(math: str) -> str:
    """The math with every function's argument, \\sin\\left(…\\right), taken out: a
    fraction there (sin(x/8)) is not one nested in a numerator."""
    while match := _ARGUMENT.search(math):
        depth, i = 1, match.end()
        while i < len(math) and depth:
            if math.startswith("\\left", i):
                depth += 1
            elif math.startswith("\\right", i):
                depth -= 1
            i += 1
        math = math[:match.start()] + match.group(1) + " ARG " + math[i + len("right)") - 1:]
    return math


def _numerators(math: str) -> Iterator[str]:
    for match in re.finditer(r"\\frac\{", math):
        depth, start = 1, match.end()
        for i in range(start, len(math)):
            depth += math[i] == "{"
            depth -= math[i] == "}"
            if depth == 0:
                yield math[start:i]
                break


def _trivial(side: str) -> str:
    side = re.sub(r"(?<![\w.}^_])0 \+ ", "", side)
    side = re.sub(r"\\cdot 1(?![\w.{^])|(?<![\w.}^_{])1 \\cdot ", "", side)
    return re.sub(r"\s+", "", side)


def artefacts(text: str) -> list[str]:
    """The kinds of display artefact in `text` (each kind once)."""
    found: set[str] = set()
    for math in _math_spans(text):
        if _law_instance(math):
            continue
        if _ZERO_TERM.search(math):
            found.add("0 + term")
        if _FACTOR_ONE.search(math):
            found.add("factor 1")
        if _SIGN_PAIR.search(math):
            found.add("sign pair")
        bare = _without_arguments(math)
        if any("\\frac" in numerator.replace("\\frac{d}{d", "") for numerator in _numerators(bare)):
            found.add("fraction in a numerator")
    prose = re.sub(r"\$\$.+?\$\$", " ", text, flags=re.S)
    for inline in _INLINE.findall(prose):
        sides = inline.split(" = ")
        if len(sides) == 2 and sides[0] != sides[1] and _trivial(sides[0]) == _trivial(sides[1]):
            found.add("trivial restatement")
    return sorted(found)


def _law_instance(math: str) -> bool:
    """The quotient rule's set-up for c/g writes the law's f'g − fg' with its parts as they
    are, 0·g − c·g' (the sigmoid's seed), and the reduce step restates that line."""
    return any(numerator.startswith("0 \\cdot") for numerator in _numerators(math))


def documents(case, *, formats=("md", "tex")) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Markdown and TeX of one exercise, as derive writes them (no plot, no properties)."""
    from derive import pipeline
    from derive.engine.walkthrough import build
    from derive.render.templates import render
    from derive.render.view import build_view

    target = pipeline.resolve(case.text, var=case.variable)
    # Verdicts do not change what is written: the walkthrough as built is enough to read.
    # The search for f' in terms of f (up to a second each) is left out: it adds one line,
    # printed by the same printer, and the seed's own moves (the sigmoid's) still run.
    derivation = build(target.definition, name=target.name if target.from_catalog
                       else target.definition.name, search=False)
    from unittest import mock

    # Nor does the view run that search to say "no form found": its sentence is fixed text.
    with mock.patch("derive.render.view._search_outcome", return_value=None):
        view = build_view(derivation, extras={"markdown_math": "github"})  # the default
    return {fmt: render(view, fmt) for fmt in formats}


def main(argv: list[str]) -> int:
    from exercises import exercises

    cases = exercises()
    limit = int(argv[0]) if argv else len(cases)
    counts: Counter[str] = Counter()
    flagged = 0
    for case in cases[:limit]:
        found = sorted({a for text in documents(case).values() for a in artefacts(text)})
        if found:
            flagged += 1
            counts.update(found)
            print(f"{case.id}\t{case.text}\t{', '.join(found)}")
    print(f"{flagged} of {min(limit, len(cases))} exercises have an artefact: {dict(counts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
