"""derive.verify.claims: the named arguments a property's verdict comes from, and the
finder registry's typed inputs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sympy

from derive.analysis.properties import FINDERS
from derive.analysis.properties.registry import Facts, Finder, Found, in_dependency_order
from derive.verify import claims

x = sympy.Symbol("x", real=True)
R = sympy.S.Reals


def test_sign_of_a_positive_derivative_is_proved_by_a_form():
    proof = claims.prove_sign(sympy.exp(-x) / (1 + sympy.exp(-x))**2, x, seconds=2)
    assert proof is not None and proof.sign == "positive"
    assert claims.prove_sign(sympy.sin(x), x, seconds=2) is None


def test_sign_on_a_half_line_shifts_the_variable():
    proof = claims.prove_sign(x - 2, x, sympy.Interval.open(2, sympy.oo), seconds=2)
    assert proof is not None and proof.sign == "positive"
    assert claims.prove_sign(x - 2, x, sympy.Interval.open(1, sympy.oo), seconds=2) is None


def test_nonnegative_gap_and_no_solution():
    assert claims.prove_nonnegative((x - 1)**2, seconds=2) is not None
    assert claims.prove_nonnegative(x - 1, seconds=2) is None
    assert claims.prove_no_solution(x**2 + 1 <= 0, x, R, seconds=2) is not None
    assert claims.prove_no_solution(x**2 - 1 <= 0, x, R, seconds=2) is None


def test_solutions_are_complete_or_not_claimed():
    points, verdict = claims.prove_solutions(sympy.exp(-x**2) * (1 - 2 * x**2), x, R, seconds=2)
    assert points == (-sympy.sqrt(2) / 2, sympy.sqrt(2) / 2) and verdict.ok
    assert claims.prove_solutions(sympy.cos(x), x, R, seconds=2) is None  # infinitely many


def test_value_only_where_continuous():
    assert claims.prove_value_at(x**x, x, 0, R, seconds=2) is None  # 0^0 is no value of x^x
    assert claims.prove_value_at(sympy.Heaviside(x), x, 0, R, seconds=2) is None
    value, verdict = claims.prove_value_at(sympy.exp(x), x, 0, R, seconds=2)
    assert value == 1 and verdict.ok
    elu = sympy.Piecewise((x, x > 0), (sympy.exp(x) - 1, True))
    assert claims.prove_value_at(elu, x, 0, R, seconds=2)[0] == 0
    jump = sympy.Piecewise((x, x < 0), (x + 1, True))
    assert claims.prove_value_at(jump, x, 0, R, seconds=2) is None


def test_continuity_out_to_an_end():
    assert claims.prove_continuous_beyond(sympy.atan(1 / (x - 1)), x, sympy.oo, R, seconds=2)
    # poles of tan all the way out: no half-line is free of them
    f = x**2 * sympy.exp(x) * sympy.tan(x)
    assert claims.prove_continuous_beyond(f, x, -sympy.oo, R, seconds=2) is None
    assert claims.prove_continuous_beyond(sympy.log(x), x, -sympy.oo, R, seconds=2) is None


def test_domain_of_a_variable_power_is_where_the_base_is_positive():
    assert claims.continuous_domain(x**x, x, R, seconds=2) == sympy.Interval.open(0, sympy.oo)
    assert claims.continuous_domain(sympy.sqrt(1 - x**2), x, R, seconds=2) == sympy.Interval(-1, 1)


@pytest.mark.parametrize("condition_of", [sympy.cos, sympy.sin, lambda u: sympy.sin(2 * u)])
def test_a_periodic_condition_is_never_one_period_of_its_solutions(condition_of):
    """SymPy solves cos x > 0 on one period only ([0, π/2) ∪ (3π/2, 2π)): log(cos x) is
    defined on infinitely many intervals, which no SymPy Set lists, so its domain is not
    known (it was stated, false, for x < 0); a condition true on a whole period is true
    everywhere."""
    for expr in (sympy.log(condition_of(x)), sympy.sqrt(condition_of(x))):
        assert claims.continuous_domain(expr, x, R, seconds=5) is None
        assert claims.continuous_domain(expr, x, R, seconds=5, defined=True) is None
    assert claims.continuous_domain(sympy.log(condition_of(x) + 2), x, R, seconds=5) == R
    assert claims.continuous_domain(sympy.sqrt(condition_of(x) + 1), x, R, seconds=5) == R


@dataclass(frozen=True)
class _A:
    value: int


@dataclass(frozen=True)
class _B:
    value: int


def test_registry_orders_by_declared_inputs_and_refuses_undeclared_reads():
    first = Finder("first", lambda ctx, facts: Found(fact=_A(1)), gives=_A)
    second = Finder("second", lambda ctx, facts: Found(fact=_B(2)), reads=(_A,), gives=_B)
    assert in_dependency_order((second, first)) == (first, second)
    with pytest.raises(ValueError):
        in_dependency_order((second,))  # nothing gives _A
    looping = Finder("loop", lambda ctx, facts: Found(fact=_A(0)), reads=(_B,), gives=_A)
    with pytest.raises(ValueError):
        in_dependency_order((looping, second))
    facts = Facts({_A: _A(1), _B: _B(2)}, (_A,))
    assert facts.get(_A) == _A(1)
    with pytest.raises(KeyError):
        facts.get(_B)


def test_catalog_registry_is_in_dependency_order():
    given: set[type] = set()
    for finder in FINDERS:
        assert all(kind in given for kind in finder.reads), finder.name
        if finder.gives is not None:
            given.add(finder.gives)
