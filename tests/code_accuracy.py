"""Hold derive's generated NumPy code to its docstring, against mpmath.

The docstring promises (derive/analysis/codegen_accuracy.py): no overflow warnings, no NaN in
the domain, 1e-12 relative wherever the true value is a normal float, a true value beyond the
float range as inf or -inf, and nan exactly at the points where the document says f' does not
exist -- everywhere, or in the region its "Measured against mpmath, accurate to 1e-12 relative
for ..." sentence names, which codegen measured at the points of `accuracy.measured_points`.
This module looks at those points and at points in between that the measurement never saw
(`THIRDS`, `BETWEEN`), so that a promise wider than the code's accuracy fails.
tests/test_codegen.py runs it over the catalog and every exercise; `python
tests/code_accuracy.py [TEXT...]` prints every miss (for a person fixing codegen).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path

import sympy

from derive import pipeline
from derive.analysis import codegen_accuracy as accuracy
from derive.analysis.codegen_accuracy import Miss

# sizes the measurement never looks at: each SIZE times sqrt(10) (3.16e15 lies between 1e15
# and 1e17; an irrational factor, so that no point is a short decimal such as 24.75, a zero
# of sin(pi x) - cos(pi x) by coincidence), and distances from a special point between its
# BESIDE ones
THIRDS = tuple(math.sqrt(10) * s for s in accuracy.SIZES if math.sqrt(10) * s < 1e308)
BETWEEN = (1e-7, 1e-3)


@dataclass
class Module:
    """The generated code of one function, run."""

    text: str
    code: str
    checked: accuracy.Checked
    function: sympy.Expr
    derivative: sympy.Expr  # the f' the code was generated from (verified)
    variable: sympy.Symbol
    params: tuple[sympy.Symbol, ...]
    undefined: tuple[float, ...]  # where the document says f' does not exist
    promise: accuracy.Promise  # what the docstring says

    @classmethod
    def build(cls, text: str, var: str = "x") -> Module | None:
        target = pipeline.resolve(text, var=var)
        derivation = pipeline.derive(target)
        code = pipeline.python_source(target, derivation, required=False)
        if code is None:
            return None
        namespace: dict[str, object] = {}
        exec(compile(code, f"<derive {text}>", "exec"), namespace)  # derive's own output
        name = code.split(" ", 1)[0].strip('"')
        from derive.analysis.codegen import undefined_points

        undefined = tuple(float(p.xreplace({q: 1 for q in target.params}))
                          for p in undefined_points(derivation))
        f, df = derivation.function.body, derivation.reference
        checked = accuracy.Checked(namespace[f"{name}_and_derivative"],  # type: ignore[arg-type]
                                   accuracy.Exact(f, derivation.variable, target.params),
                                   accuracy.Exact(df, derivation.variable, target.params),
                                   undefined)
        docstring = code.split('"""')[1]
        return cls(text, code, checked, f, df, derivation.variable, target.params, undefined,
                   accuracy.read(docstring, str(derivation.variable)))


def points_for(module: Module) -> list[float]:
    """The measured points and the ones in between."""
    special = accuracy.special_points(module.function, module.derivative, module.variable,
                                      module.params, module.undefined)
    found = set(accuracy.measured_points(special))
    found.update(THIRDS)
    found.update(-s for s in THIRDS)
    for p in special:
        for delta in BETWEEN:
            found.update(accuracy.beside(p, delta))
    return sorted(v for v in found if math.isfinite(v))


def misses(module: Module, points: list[float] | None = None, *,
           promised: bool = False) -> list[Miss]:
    """Every point where the code breaks the contract over the whole domain (or, promised,
    only those inside the region its docstring names)."""
    points = points_for(module) if points is None else points
    if promised:
        points = [p for p in points if module.promise.covers(p)]
    return [m for p in points for m in module.checked.misses_at(p)]


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    from exercises import exercises

    from derive.parse import catalog

    cases = [(e.name, "x") for e in catalog.entries()]
    cases += [(e.text, e.variable) for e in exercises()]
    if argv:  # the cases whose text contains an argument, or the arguments themselves
        cases = [c for c in cases if any(a in c[0] for a in argv)] or [(a, "x") for a in argv]
    bad = 0
    for text, var in dict.fromkeys(cases):
        try:
            module = Module.build(text, var)
        except Exception as error:  # a report, not a test: show it and go on
            print(f"{text}: {type(error).__name__}: {error}")
            bad += 1
            continue
        if module is None:
            continue
        try:
            found = misses(module)
        except Exception as error:
            print(f"{text}: {type(error).__name__}: {error}")
            bad += 1
            continue
        if found:
            bad += 1
            broken = misses(module, promised=True)
            print(f"{text}: {len(found)} misses ({len(broken)} inside its promise, "
                  f"{module.promise.words(module.variable.name)}); "
                  + "; ".join(str(m) for m in (broken or found)[:4]))
    print(f"{bad} functions miss")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
