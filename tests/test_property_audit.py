"""The property audit (tests/property_audit.py): every property derive states is true when
checked again with mpmath, and the audit itself finds false properties of every kind.

The full run (every exercise and catalog function) is bench/audit_properties.py; this test
takes every catalog function and a fixed sample of the exercises, so it stays within a few
minutes on a busy machine.
"""

from __future__ import annotations

import pytest
import sympy
from property_audit import Case, False_, Function, audit_case, audit_one, cases

from derive.analysis.properties.claim import Claim, How, Property
from derive.model import Status, Verdict

x = sympy.Symbol("x", real=True)
F = sympy.Function("f")
R = sympy.S.Reals


def _property(name: str, subject, relation: str, value, where=None) -> Property:
    return Property(name, Claim(subject, relation, value, where), Verdict(Status.PROVED, ""),
                    How("made up for the test"))


def _false(prop: Property, f: sympy.Expr, domain: sympy.Set = R) -> bool:
    try:
        audit_one(prop, Function(f, x, {}), domain)
    except False_:
        return True
    return False


sigmoid = 1 / (1 + sympy.exp(-x))
# (property, f, whether it is true): each false one is found false, each true one passes.
KNOWN = [
    # the example: poles of tan in every stretch out to −∞, though x²eˣ → 0 there
    (_property("limits", sympy.Limit(x**2 * sympy.exp(x) * sympy.tan(x), x, -sympy.oo), "=",
               0), x**2 * sympy.exp(x) * sympy.tan(x), False),
    (_property("limits", sympy.Limit(x**2 * sympy.exp(x), x, -sympy.oo), "=", 0),
     x**2 * sympy.exp(x), True),
    (_property("limits", sympy.Limit(sigmoid, x, sympy.oo), "=", sympy.Rational(99, 100)),
     sigmoid, False),
    (_property("limits", sympy.Limit(sympy.log(x), x, sympy.oo), "=", sympy.oo),
     sympy.log(x), True),
    (_property("limits", sympy.Limit(sympy.atan(x), x, sympy.oo), "=", sympy.oo),
     sympy.atan(x), False),
    (_property("limits", sympy.Limit(sympy.sin(x), x, sympy.oo), "=", 0), sympy.sin(x), False),
    (_property("range", F(x), "in", sympy.Interval.open(0, 1), R), sigmoid, True),
    (_property("range", F(x), "in", sympy.Interval.open(0, sympy.Rational(1, 2)), R),
     sigmoid, False),  # too small
    (_property("range", F(x), "in", sympy.Interval.open(-1, 1), R), sigmoid, False),  # too big
    (_property("range", F(x), "in", sympy.Interval.open(0, 1), R), x**2 / (1 + x**2), False),
    (_property("range", F(x), "in", sympy.Interval(0, 1), R), x**2 / (1 + x**2), False),
    (_property("range", F(x), "in", sympy.Interval.Ropen(0, 1), R), x**2 / (1 + x**2), True),
    (_property("domain", F(x), "defined on", sympy.Union(
        sympy.Interval.Ropen(0, sympy.pi / 2), sympy.Interval.open(3 * sympy.pi / 2,
                                                                   2 * sympy.pi))),
     sympy.log(sympy.cos(x)), False),
    (_property("domain", F(x), "defined on", sympy.Interval(-1, 1)), sympy.sqrt(1 - x**2),
     True),
    (_property("domain", F(x), "defined on", sympy.Interval.open(-1, 1)),
     sympy.sqrt(1 - x**2), False),  # defined at ±1 too
    (_property("value at 0", F(0), "=", sympy.Rational(1, 2)), sigmoid, True),
    (_property("value at 0", F(0), "=", 1), sympy.sin(x) / x, False),  # undefined at 0
    (_property("slope at 0", F(x).diff(x).subs(x, 0), "=", 0), sympy.Abs(x), False),
    (_property("slope at 0", F(x).diff(x).subs(x, 0), "=", sympy.Rational(1, 4)), sigmoid,
     True),
    (_property("critical points", F(x).diff(x), "zero at", sympy.FiniteSet(1)),
     x**3 / 3 - x, False),  # −1 left out
    (_property("critical points", F(x).diff(x), "zero at", sympy.FiniteSet(-1, 1)),
     x**3 / 3 - x, True),
    (_property("poles", F(x), "pole at", 1), (x**2 - 1) / (x - 1), False),  # removable
    (_property("poles", F(x), "pole at", 1), 1 / (x - 1), True),
    (_property("max slope", F(x).diff(x), "max", sympy.Rational(1, 5), sympy.FiniteSet(0)),
     sigmoid, False),
    (_property("max slope", F(x).diff(x), "max", sympy.Rational(1, 4), sympy.FiniteSet(0)),
     sigmoid, True),
    (_property("symmetry", F(-x), "=", -F(x)), sigmoid, False),
    (_property("symmetry", F(-x), "=", 1 - F(x)), sigmoid, True),
    (_property("monotonic", F(x), "increasing", 0, R), x**3 - x, False),
    (_property("monotonic", F(x), "increasing", 0, R), x**3 + x, True),
    (_property("monotonic", F(x), "increasing", 0, R), sympy.Max(0, x), False),  # flat part
    (_property("monotonic", F(x), "non-decreasing", 0, R), sympy.Max(0, x), True),
]


@pytest.mark.parametrize(("prop", "f", "true"), KNOWN,
                         ids=[f"{p.name}-{i}" for i, (p, _, _) in enumerate(KNOWN)])
def test_the_audit_finds_false_properties_and_passes_true_ones(prop, f, true):
    assert _false(prop, f) is (not true)


def _sample() -> list[Case]:
    everything = cases()
    catalog = [c for c in everything if c.id.startswith("catalog:")]
    exercises = [c for c in everything if not c.id.startswith("catalog:")]
    return catalog + exercises[::7]


@pytest.mark.parametrize("case", _sample(), ids=lambda c: c.id)
def test_every_stated_property_is_true(case):
    audit = audit_case(case)
    assert not audit.findings, "\n".join(audit.findings)
    # every property stated was checked (none left out because the oracle could not)
    assert not audit.unaudited, "\n".join(audit.unaudited)


def test_the_audit_tries_a_parameter_at_zero_where_a_kink_reaches_the_point():
    """f'(0) = −sign(y) for |x − y| holds at every generic y and fails at y = 0 (no
    derivative there): the audit's settings include each parameter's special values."""
    from property_audit import settings

    y = sympy.Symbol("y")
    slope = _property("slope at 0", sympy.Subs(sympy.Derivative(F(x), x), x, 0), "=",
                      -sympy.sign(y))
    f = sympy.Abs(x - y)
    outcomes = []
    for setting in settings([y]):
        try:
            audit_one(slope, Function(f, x, setting), R)
            outcomes.append((setting[y], True))
        except False_:
            outcomes.append((setting[y], False))
    assert [v for v, held in outcomes if not held] == [0], outcomes
    # a positive parameter is never set to 0 or −1
    a = sympy.Symbol("a", positive=True)
    assert {s[a] for s in settings([a])} == {
        sympy.Rational("0.37"), sympy.Rational("1.3"), sympy.Rational("2.9"), 1}
