"""Hold derive's generated NumPy code to its docstring, against mpmath.

The docstring promises: no overflow warnings, no NaN in the domain, 1e-12 relative wherever
the true value is a normal float, a true value beyond the float range as inf or -inf, and
nan exactly at the points where the document says f' does not exist. This module finds the
points to look at and the exact values there; tests/test_codegen.py runs it over the catalog
and every exercise, and `python tests/code_accuracy.py` prints every miss (for a person
fixing codegen).

Points (every one a float, so the exact value is the function's value at that float):
* sizes from 1e-300 to 1e300, both signs, and 0;
* beside every critical point derive.verify's probes look at (kinks, poles, domain edges,
  arguments' roots), at relative distances 1e-9 and 1e-5, and the point itself;
* beside every real zero of a factor of f' that is found cheaply (x**x: 1/e).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path

import mpmath
import numpy as np
import sympy

from derive import pipeline
from derive.verify import points as probes

RTOL = 1e-12
TINY = 2.2250738585072014e-308  # the smallest normal float
SIZES = (1e-300, 1e-30, 1e-8, 1e-3, 0.37, 1.0, 2.2, 7.5, 30.0, 40.0, 100.0, 700.0, 1000.0,
         1e5, 1e10, 1e17, 1e30, 1e100, 1e300)
BESIDE = (1e-9, 1e-5)
DIGITS = (60, 400)  # mpmath precisions: the value is taken when both agree to 1e-14


@dataclass(frozen=True)
class Miss:
    point: float
    what: str  # "f" or "f'"
    got: float
    exact: float | str  # a float, or "undefined" / "complex"

    def __str__(self) -> str:
        return f"{self.what}({self.point!r}) = {self.got!r}, exactly {self.exact}"


@dataclass
class Module:
    """The generated code of one function, run."""

    text: str
    code: str
    both: object  # NAME_and_derivative
    function: sympy.Expr
    derivative: sympy.Expr  # SymPy's reference f'
    variable: sympy.Symbol
    params: tuple[sympy.Symbol, ...]
    undefined: tuple[float, ...]  # where the document says f' does not exist

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

        return cls(text, code, namespace[f"{name}_and_derivative"], derivation.function.body,
                   derivation.reference, derivation.variable, target.params,
                   tuple(float(p.xreplace({q: 1 for q in target.params}))
                         for p in undefined_points(derivation)))


def points_for(module: Module) -> list[float]:
    x = module.variable
    found = {0.0, *SIZES, *(-s for s in SIZES)}
    f, df = (sympy.sympify(e.xreplace({p: 1 for p in module.params}))  # a -> 1 is an int
             for e in (module.function, module.derivative))
    special = [float(r) for r in probes._critical_points(f, df, x, 20)]
    for factor in sympy.Mul.make_args(sympy.factor_terms(df)):
        base = factor.as_base_exp()[0]
        special += [float(r) for r in probes._real_roots(base, x, 20)]
    special += module.undefined
    special = [p for p in special if math.isfinite(p)]
    for p in special:
        found.add(p)
        for delta in BESIDE:
            step = delta * max(abs(p), 1e-6)
            found.update((p - step, p + step))
    return sorted(v for v in found if math.isfinite(v))


def _real(name: str, edge):
    """mpmath's function, refusing arguments outside the real domain: sqrt(-1) + 1/sqrt(-1)
    is 0 in complex arithmetic, and x = -1 is not in the domain of sqrt(x) + 1/sqrt(x)."""
    function = getattr(mpmath, name)

    def real(u):
        if not edge(u):
            raise ValueError(f"{name} outside its real domain")
        return function(u)
    return real


_REAL_ONLY = {"sqrt": _real("sqrt", lambda u: u >= 0), "log": _real("log", lambda u: u > 0),
              "asin": _real("asin", lambda u: abs(u) <= 1),
              "acos": _real("acos", lambda u: abs(u) <= 1),
              "acosh": _real("acosh", lambda u: u >= 1),
              "atanh": _real("atanh", lambda u: abs(u) < 1)}


def _exact(expr: sympy.Expr, x: sympy.Symbol, params, point: float) -> float | str:
    """expr at the float point: a float (±inf beyond the float range), or "undefined" /
    "complex". 60 digits, then 400 where 60 leave the value in doubt (1 + erf(-21) cancels
    190 digits)."""
    function = sympy.lambdify(x, expr.xreplace({p: 1 for p in params}),
                              modules=[_REAL_ONLY, "mpmath"])
    values = []
    for digits in DIGITS:
        with mpmath.workdps(digits):
            try:
                value = function(mpmath.mpf(point))
            except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                return "undefined"
            if isinstance(value, mpmath.mpc):
                if value.imag != 0:
                    return "complex"
                value = value.real
            if mpmath.isnan(value):
                return "undefined"
            values.append(value)
            if len(values) == 2 or (values[0] != 0 and mpmath.isfinite(values[0])
                                    and abs(values[0]) > mpmath.mpf(10) ** -300):
                break
    try:
        return float(values[-1])
    except OverflowError:
        return math.copysign(math.inf, float(mpmath.sign(values[-1])))


def misses(module: Module, points: list[float] | None = None) -> list[Miss]:
    """Every point where the code breaks its docstring. Only points where f is defined and
    real are looked at; where f and f' are both finite, no floating-point warning is allowed."""
    points = points_for(module) if points is None else points
    found: list[Miss] = []
    x = module.variable
    for point in points:
        exact_f = _exact(module.function, x, module.params, point)
        if isinstance(exact_f, str):
            continue  # outside f's domain: the docstring promises nothing there
        exact_df: float | str
        if point in module.undefined:
            exact_df = "undefined"  # the document says f' does not exist here
        else:
            exact_df = _exact(module.derivative, x, module.params, point)
        strict = not isinstance(exact_df, str) and math.isfinite(exact_f) \
            and math.isfinite(exact_df)
        try:
            with np.errstate(over="raise" if strict else "ignore",
                             invalid="raise" if strict else "ignore",
                             divide="raise" if strict else "ignore", under="ignore"):
                value, slope = module.both(np.float64(point))  # type: ignore[operator]
        except FloatingPointError as error:
            found.append(Miss(point, "warning", math.nan, str(error)))
            continue
        for got, exact, what in ((float(value), exact_f, "f"), (float(slope), exact_df, "f'")):
            if isinstance(exact, str):
                if what == "f'" and point in module.undefined and not math.isnan(got):
                    found.append(Miss(point, what, got, exact))
                continue
            if not _meets(got, exact):
                found.append(Miss(point, what, got, exact))
    return found


def _meets(got: float, exact: float) -> bool:
    if math.isinf(exact):
        return got == exact
    if abs(exact) < TINY:
        return math.isfinite(got) and abs(got) < 2 * TINY
    return math.isfinite(got) and abs(got - exact) <= RTOL * abs(exact)


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
            print(f"{text}: {len(found)} misses; " + "; ".join(str(m) for m in found[:4]))
    print(f"{bad} functions miss")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
