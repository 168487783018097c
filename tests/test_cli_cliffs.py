"""Cliffs found by timing every exercise cold (bench/bench_cold_exercises.py): work that took
seconds where an exact, cheaper route gives the same answer. Each test checks the answer and
that the costly route was not taken; none times anything."""

from __future__ import annotations

import sympy

from derive.verify import claims

x = sympy.Symbol("x", real=True)


def test_a_cardano_root_put_back_is_proved_zero_without_simplify(monkeypatch):
    """(4x³ − 2x + 1)/x² (OpenStax 3.3 #15): f' = 0 at a Cardano root. Put back, it cancels
    to 0 over one denominator (50 ms); simplify took 5 s of CPU on it."""
    f = (4 * x**3 - 2 * x + 1) / x**2
    d = sympy.diff(f, x)
    domain = sympy.Union(sympy.Interval.open(-sympy.oo, 0), sympy.Interval.open(0, sympy.oo))
    simplified = []
    real_simplify = sympy.simplify
    monkeypatch.setattr(sympy, "simplify", lambda *a, **k: simplified.append(a) or
                        real_simplify(*a, **k))
    proved = claims.prove_solutions(d, x, domain, seconds=60)
    assert proved is not None
    points, verdict = proved
    assert len(points) == 1 and abs(float(points[0]) - 0.5898) < 1e-3
    assert verdict.ok and simplified == []


def test_a_zero_cancelling_misses_is_still_found_and_a_nonzero_is_not_zero():
    # √2 + √3 = √(5 + 2√6): only simplify (denesting) sees it
    assert claims._exactly_zero(sympy.sqrt(2) + sympy.sqrt(3) - sympy.sqrt(5 + 2 * sympy.sqrt(6)),
                                seconds=60)
    assert not claims._exactly_zero(sympy.sqrt(2) - 1, seconds=60)
    assert not claims._exactly_zero(sympy.zoo + 1, seconds=60)


def test_the_poles_of_tan_and_sec_are_left_out_together():
    """x² − sec x + 1 (OpenStax 3.5 #7): f' = 2x − tan x sec x is continuous where both tan
    and sec are; SymPy's Intersection of the two complements tries every pair of image sets
    by diophantine equations (1.4 s); the complement of their union is the same set."""
    from sympy.calculus.util import continuous_domain

    tan, sec = (continuous_domain(g(x), x, sympy.S.Reals) for g in (sympy.tan, sympy.sec))
    both = claims._intersection(sympy.S.Reals, tan, sec)
    assert both == sympy.Complement(sympy.S.Reals, sympy.Union(tan.args[1], sec.args[1]))
    assert both.contains(0) is sympy.true and both.contains(sympy.pi / 2) is sympy.false
    # with an interval among them, SymPy's own Intersection (it decides more there)
    assert claims._intersection(sympy.Interval(0, 2), tan, sec) == sympy.Intersection(
        sympy.Interval(0, 2), tan, sec)
    # one complement, or none: SymPy's own Intersection, as before
    assert claims._intersection(sympy.Interval(0, 2), tan) == sympy.Intersection(
        sympy.Interval(0, 2), tan)
    domain = claims.continuous_domain(2 * x - sympy.tan(x) * sympy.sec(x), x, sympy.S.Reals,
                                      seconds=60)
    assert domain is not None and domain.contains(0) is sympy.true
    assert domain.contains(3 * sympy.pi / 2) is sympy.false
