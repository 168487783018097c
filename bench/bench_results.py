"""The Result against the answer key, over every exercise in tests/data/exercises/ and the
catalog (issue 13 part 1).

    python bench/bench_results.py [--every K] [--list] [--lint]

For each case the walkthrough is built as the documents build it (the in-terms-of-f search
on) and its Result (the last line that is not an aside) is compared with SymPy's simplest
form of the reference derivative:

- **complexity**, two measures, each against SymPy's simplest by that same measure (the
  smallest of diff, factor_terms, expand, cancel, together, factor and simplify of it;
  simplify only up to `SIMPLIFY_MAX_OPS`, a size bound, so the run is bounded the same on
  every machine):
  * `count_ops`, a number counted as one atom (0.6111t² costs what 2t² costs);
  * the **textbook measure** (the headline figure): the symbols a reader sees in the
    LaTeX derive prints (digits, letters, operators, brackets; a function name one
    symbol; σ(x) for a catalog function), SymPy's forms printed by the same printer in
    the same polynomial order, and a form with a fraction inside a numerator (an artefact
    by part 3) no target. count_ops counts −(2x + 1) as fewer operations than −2x − 1 and
    x²(4x + 3) fewer than 4x³ + 3x², where an answer key prints the second.
  A Result is "more complex" when its figure exceeds SymPy's; the target is at most 5%.
  Cases whose SymPy derivative is piecewise (Heaviside, sign: values at the kinks, where
  the derivative does not exist) are not compared.
- **in terms of f**: a Result that writes the function's own head f(x) for an exercise
  that is not a catalog function (target 0).
- **artefacts** (`--lint`): the display artefacts tests/document_lint.py finds in the
  Markdown and TeX (target 0), which renders every document and takes longer.

No timing is taken: the figures are counts, the same on a busy machine.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import sympy  # noqa: E402

SIMPLIFY_MAX_OPS = 80
# SymPy's derivative of max, min, |u|, a Piecewise: Heaviside and sign forms, which give
# values at the kinks where the derivative does not exist (issue 13: a piecewise result
# gives values only where it exists), so no target a document may print.
PIECES = (sympy.Piecewise, sympy.Heaviside, sympy.sign, sympy.Abs, sympy.Max, sympy.Min)


@dataclass(frozen=True)
class Measured:
    id: str
    text: str
    ours: int
    sympys: int
    ours_textbook: int
    sympys_textbook: int
    plain: bool
    result: str
    simplest: str
    in_terms_of_f: bool
    piecewise: bool  # SymPy's f' has pieces (Heaviside, sign, Piecewise): not compared


def ops(expr: sympy.Expr) -> int:
    """count_ops with every number one atom: 0.6111t² is no more complex than 2t² (SymPy
    counts a rational coefficient as a division, and its simplest would pull 1/10000 out)."""
    numbers = {n: sympy.Symbol(f"n{i}") for i, n in enumerate(
        sorted(expr.atoms(sympy.Rational, sympy.Float), key=sympy.default_sort_key))
        if not n.is_Integer}
    return int(sympy.count_ops(expr.xreplace(numbers) if numbers else expr))


def textbook(expr: sympy.Expr) -> int:
    """A textbook-style measure: how many symbols a reader sees in the expression as derive
    prints it (derive.words.printer.symbols_seen: digits, letters, operators, brackets; markup
    such as \\frac, \\left or the exponent's caret counts nothing, a function name or \\sqrt
    one symbol, its argument what it is: sin x is two). −(2x + 1) is 7 and −2x − 1 is 5,
    where count_ops gives the first fewer operations."""
    from derive.words.printer import printed_symbols

    return printed_symbols(expr)


def sympy_simplest(value: sympy.Expr) -> sympy.Expr:
    candidates = [value]
    for rewrite in (sympy.factor_terms, sympy.cancel, sympy.together, sympy.factor):
        try:
            candidates.append(rewrite(value))
        except (sympy.PolynomialError, NotImplementedError, TypeError, ValueError):
            continue
    if sympy.count_ops(value) <= SIMPLIFY_MAX_OPS:
        candidates.append(sympy.simplify(value))
    return min(candidates, key=lambda e: (ops(e), len(str(e))))


def sympy_simplest_textbook(value: sympy.Expr, x: sympy.Symbol,
                            written: sympy.Expr = sympy.S.Zero) -> sympy.Expr:
    """SymPy's forms, each in the order an answer key prints a polynomial (derive's
    textbook_order, which derive's own Result gets too, with the function's own sums kept as
    `written` has them): 3 + 2x − 12x¹¹ and −12x¹¹ + 2x + 3 are one form, whatever the sign
    in front costs, and so are 5/(10x − 14) and 5/(2(5x − 7)) for ln √(5x − 7)."""
    from derive.engine.simplest import nested_fractions, textbook_order

    candidates = [value, sympy.factor_terms(value), sympy.expand(value)]
    for rewrite in (sympy.cancel, sympy.together, sympy.factor):
        try:
            candidates.append(rewrite(value))
        except (sympy.PolynomialError, NotImplementedError, TypeError, ValueError):
            continue
    if sympy.count_ops(value) <= SIMPLIFY_MAX_OPS:
        candidates.append(sympy.simplify(value))
    # A form with a fraction inside a numerator is a display artefact (part 3): no document
    # may print it, so it is no target (unless SymPy has nothing else).
    candidates = [textbook_order(c, x, written) for c in candidates]
    printable = [c for c in candidates if not nested_fractions(c)] or candidates
    return min(printable, key=lambda e: (textbook(e), len(str(e))))


def measure(case_id: str, text: str, var: str | None, plain: bool) -> Measured:
    from derive import pipeline
    from derive.engine.walkthrough import build

    target = pipeline.resolve(text, var=var)
    name = target.name if target.from_catalog else target.definition.name
    derivation = build(target.definition, name=name)
    shown = derivation.result
    result = shown.doit()
    reference = sympy.diff(target.definition.body, target.definition.variable)
    best = sympy_simplest(reference)
    head = target.definition.head
    simplest_textbook = textbook(sympy_simplest_textbook(reference, target.definition.variable,
                                                         target.definition.body))
    return Measured(case_id, text, ops(result), ops(best), textbook(shown), simplest_textbook,
                    plain, str(result), str(best), plain and result.has(head),
                    reference.has(*PIECES))


def cases(every: int) -> list[tuple[str, str, str | None, bool]]:
    from exercises import TEXTBOOK_PREFIXES, exercises

    from derive.parse import catalog

    found: list[tuple[str, str, str | None, bool]] = [
        (c.id, c.text, c.variable, c.source.startswith(TEXTBOOK_PREFIXES)) for c in exercises()]
    found += [(f"catalog:{e.name}", e.name, None, False) for e in catalog.entries()]
    return found[::every]


def lint(every: int) -> Counter[str]:
    from document_lint import artefacts, documents
    from exercises import exercises

    counts: Counter[str] = Counter()
    flagged = 0
    chosen = exercises()[::every]
    for case in chosen:
        found = sorted({a for text in documents(case).values() for a in artefacts(text)})
        if found:
            flagged += 1
            counts.update(found)
            print(f"  artefact\t{case.id}\t{case.text}\t{', '.join(found)}")
    print(f"artefacts: {flagged} of {len(chosen)} exercises: {dict(counts)}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=int, default=1, help="every K-th case only")
    parser.add_argument("--list", action="store_true", help="print every case measured")
    parser.add_argument("--lint", action="store_true", help="also count display artefacts")
    args = parser.parse_args()
    measured = []
    for case_id, text, var, plain in cases(args.every):
        try:
            m = measure(case_id, text, var, plain)
        except Exception as error:  # a measurement reports, it does not stop
            print(f"  error\t{case_id}\t{text}\t{type(error).__name__}: {error}")
            continue
        measured.append(m)
        worse = m.ours > m.sympys and not m.piecewise
        worse_textbook = m.ours_textbook > m.sympys_textbook and not m.piecewise
        if args.list or worse or worse_textbook or m.in_terms_of_f:
            mark = " ".join(word for word, on in (
                ("count_ops", worse), ("textbook", worse_textbook),
                ("in-terms-of-f", m.in_terms_of_f)) if on)
            print(f"  {mark or 'ok'}\t{m.id}\t{m.text}\t{m.ours} vs {m.sympys}; "
                  f"{m.ours_textbook} vs {m.sympys_textbook}\t{m.result}\t|\t{m.simplest}")
    compared = [m for m in measured if not m.piecewise]
    total = len(compared)
    print(f"compared: {total} of {len(measured)} (the rest have a piecewise f': SymPy's "
          "Heaviside forms give values at the kinks, no target)")
    for label, worse_ones in (
            ("count_ops, numbers as atoms", [m for m in compared if m.ours > m.sympys]),
            ("textbook measure", [m for m in compared if m.ours_textbook > m.sympys_textbook])):
        print(f"more complex than SymPy's simplest ({label}): {len(worse_ones)} of {total} "
              f"({100 * len(worse_ones) / max(total, 1):.1f}%)")
    plain = [m for m in measured if m.plain]
    in_f = [m for m in plain if m.in_terms_of_f]
    print(f"Result in terms of f for a plain (textbook) exercise: {len(in_f)} of {len(plain)}")
    if args.lint:
        lint(args.every)


if __name__ == "__main__":
    main()
