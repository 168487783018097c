"""Results built from pieces: the split into smooth pieces is bounded by sizes, not a clock;
a derivative holding kinks ends on one set of cases (derive.engine.pieces); conditional
expressions in derive's syntax (derive.parse.expression)."""

from __future__ import annotations

import pytest
import sympy

from derive.engine import kinks

x = sympy.Symbol("x", real=True)


def test_the_split_is_bounded_by_a_count_of_splits_decided_before_the_work():
    f = sympy.Max(0, x - 1) + sympy.Min(0, x + 1)
    pieces = kinks.smooth_pieces(f, x)
    assert [(lo, hi) for lo, hi, _ in pieces] == [(-sympy.oo, -1), (-1, 1), (1, sympy.oo)]
    # the same expression, the same answer whatever the machine does: only the budget decides
    with pytest.raises(kinks.Unsupported, match="splits"):
        kinks.smooth_pieces(f, x, budget=3)
    assert kinks.smooth_pieces(f, x, budget=10) == pieces


def test_too_many_breakpoints_is_refused_by_count():
    f = sum(sympy.Abs(x - k) for k in range(kinks.MAX_BREAKPOINTS + 1))
    with pytest.raises(kinks.Unsupported, match="breakpoints"):
        kinks.smooth_pieces(f, x)
    assert kinks.as_piecewise(f, x) is None


def test_a_racing_clock_changes_no_split(monkeypatch):
    """The split reads no clock: a machine so loaded that every look at the clock finds an
    hour gone still gets the same pieces (it used to give up after half a second of CPU)."""
    import time

    hour = iter(range(0, 10**9, 3600))
    monkeypatch.setattr(time, "process_time", lambda: float(next(hour)))
    monkeypatch.setattr(time, "perf_counter", lambda: float(next(hour)))
    kinks.as_piecewise.cache_clear()
    pieces = kinks.as_piecewise(sympy.Max(0, sympy.Min(1, x / 6 + sympy.Rational(1, 2))), x)
    assert pieces is not None and len(pieces.args) == 3


# -- conditional expressions -------------------------------------------------------------

from derive.errors import ParseError  # noqa: E402
from derive.parse.expression import parse_expression  # noqa: E402

half = sympy.Rational(1, 2)


@pytest.mark.parametrize(("text", "expected"), [
    ("x if x > 0 else exp(x) - 1", sympy.Piecewise((x, x > 0), (sympy.exp(x) - 1, True))),
    ("x**2/2 if abs(x) <= 1 else abs(x) - 1/2",
     sympy.Piecewise((x**2 / 2, sympy.Abs(x) <= 1), (sympy.Abs(x) - half, True))),
    # chained: read on in order, as Python does
    ("x - 1/2 if x > 1/2 else x + 1/2 if x < -1/2 else 0",
     sympy.Piecewise((x - half, x > half), (x + half, x < -half), (0, True))),
    ("0 if -1 <= x <= 1 else x", sympy.Piecewise((0, (x >= -1) & (x <= 1)), (x, True))),
    ("x if (x > 0 and x < 1) or x > 2 else 0",
     sympy.Piecewise((x, ((x > 0) & (x < 1)) | (x > 2)), (0, True))),
    ("x if ((x + 1) > 0) else 1", sympy.Piecewise((x, x > -1), (1, True))),
    ("(x if x > 0 else 0)**2", sympy.Piecewise((x**2, x > 0), (0, True))),
    ("max(0, x if x < 1 else 1)", sympy.Max(0, sympy.Piecewise((x, x < 1), (1, True)))),
    ("x if x >= 3 else x*(x + 3)/6 if x > -3 else 0",
     sympy.Piecewise((x, x >= 3), (x * (x + 3) / 6, x > -3), (0, True))),
])
def test_conditional_expressions_read_as_piecewise(text, expected):
    assert parse_expression(text, symbols={"x": x}) == expected


@pytest.mark.parametrize(("text", "message", "column"), [
    ("x if x else 1", "a condition compares two values", 6),
    ("x if x > 0", "needs 'else'", 11),
    ("x if x > 0 else", "ends too early", 16),
    ("x > 0", "a comparison belongs in a condition", 3),
    ("(x > 0) + 1", "a comparison belongs in a condition", 4),
    ("x and 1", "'and' belongs in a condition", 3),
    ("x else 1", "'else' without 'if'", 3),
    ("x if x == 0 else 1", "'==' is not supported", 8),
    ("x if x != 0 else 1", "'!=' is not supported", 8),
    ("x if not x > 0 else 1", "'not' is not supported", 6),
    ("x if x > 0 if x > 1 else 1", "needs 'else'", 12),
    ("x if (x > 0 else 1", "unbalanced '('", 6),
    ("x if sqrt(-1) > 0 else 1", "not real", 15),
    ("if x > 0", "is code", 1),
    ("x if x > 0 else __import__(x)", "is code", 17),
])
def test_bad_conditionals_are_one_line_errors_with_a_column(text, message, column):
    with pytest.raises(ParseError) as caught:
        parse_expression(text)
    assert message in caught.value.message
    assert caught.value.position + 1 == column


def test_conditionals_keep_the_size_bounds():
    deep = "x if " + "(" * 70 + "x > 0" + ")" * 70 + " else 1"
    with pytest.raises(ParseError, match="nested too deeply"):
        parse_expression(deep)
    chained = " else ".join(f"{k} if x > {k}" for k in range(400)) + " else 0"
    with pytest.raises(ParseError, match="too"):
        parse_expression(chained)


# -- one set of cases, with values only where the derivative exists -----------------------

from derive import pipeline  # noqa: E402
from derive.model import Status  # noqa: E402


def _rows(text):
    """The Result's rows, as (value, the set where the row applies), and its verdict."""
    derivation = pipeline.derive(pipeline.resolve(text))
    result = derivation.result  # as displayed: SymPy would fold the last row into "otherwise"
    assert isinstance(result, sympy.Piecewise), result
    rows = [(sympy.simplify(derivation.value_of(value)), condition.as_set())
            for value, condition in result.args]
    return rows, derivation


def _interval(lo, hi, left_open=True, right_open=True):
    return sympy.Interval(lo, hi, left_open, right_open)


oo = sympy.oo


@pytest.mark.parametrize(("text", "expected"), [
    # hardswish: f'(±3) does not exist (one-sided derivatives -1/2 and 0, 3/2 and 1)
    ("x*Min(Max(0, x + 3), 6)/6",
     [(0, _interval(-oo, -3)), (x / 3 + half, _interval(-3, 3)), (1, _interval(3, oo))]),
    # softshrink: kinks at ±1/2
    ("Max(0, x - 1/2) + Min(0, x + 1/2)",
     [(1, _interval(-oo, -half)), (0, _interval(-half, half)), (1, _interval(half, oo))]),
    # CELU: both sides 1 at 0, so f'(0) = 1 belongs to a row
    ("Max(0, x) + Min(0, exp(x) - 1)",
     [(sympy.exp(x), _interval(-oo, 0, right_open=False)), (1, _interval(0, oo))]),
    # Huber in min/abs form and written as Python: f' exists everywhere
    ("Min(Abs(x), 1)**2/2 + Abs(x) - Min(Abs(x), 1)",
     [(-1, _interval(-oo, -1, right_open=False)), (x, _interval(-1, 1, right_open=False)),
      (1, _interval(1, oo))]),
    ("x**2/2 if abs(x) <= 1 else abs(x) - 1/2",
     [(-1, _interval(-oo, -1, right_open=False)), (x, _interval(-1, 1, right_open=False)),
      (1, _interval(1, oo))]),
    # relu6
    ("Min(Max(0, x), 6)", [(0, _interval(-oo, 0)), (1, _interval(0, 6)), (0, _interval(6, oo))]),
    # f jumps at 0 though both sides have slope 1: no derivative there (one row, x ≠ 0)
    ("x if x > 0 else x + 1", [(1, _interval(-oo, 0) | _interval(0, oo))]),
    ("(x + 1)**2 if x > 0 else x**2 + 2*x", [(2 * x + 2, _interval(-oo, 0) | _interval(0, oo))]),
    # threshold: a jump at 1
    ("x if x > 1 else 0", [(1, _interval(1, oo)), (0, _interval(-oo, 1))]),
    # an infinite one-sided derivative: no value at 0 (the otherwise row loses it)
    ("sqrt(x) if x > 0 else 0", [(1 / (2 * sympy.sqrt(x)), _interval(0, oo)),
                                 (0, _interval(-oo, 0))]),
    # |x| + |x - 1|: two absolute values, one block
    ("abs(x) + abs(x - 1)", [(-2, _interval(-oo, 0)), (0, _interval(0, 1)), (2, _interval(1, oo))]),
    # sign: 0 for x ≠ 0, nothing at the jump (was 0 everywhere)
    ("sign(x)", [(0, _interval(-oo, 0) | _interval(0, oo))]),
    # a jump inside one row as written: SymPy's f' merges 2x on both sides of 0, where f
    # jumps from 1 to 0; the row must not state f'(0) = 0 (found by review)
    ("x**2 + 1 if x < 0 else (x**2 if x < 2 else 4*x - 4)",
     [(2 * x, _interval(-oo, 0) | _interval(0, 2, right_open=False)), (4, _interval(2, oo))]),
])
def test_a_piecewise_result_is_one_block_with_values_only_where_f_prime_exists(text, expected):
    rows, derivation = _rows(text)
    assert rows == [(sympy.sympify(v), where) for v, where in expected]
    assert derivation.verified
    step = next(s for s in reversed(derivation.steps) if s.expr == derivation.result)
    assert step.verdict.status is Status.PROVED, step.verdict
    assert step.verdict.method.startswith("cancel on each interval"), step.verdict


def test_the_step_names_the_points_where_there_is_no_derivative():
    derivation = pipeline.derive(pipeline.resolve("x if x > 0 else x + 1"))
    facts = [f for s in derivation.steps for f in s.facts if f.rule == "where defined"]
    assert [tuple(f.part("points").args) for f in facts] == [(0,)]
    assert tuple(facts[0].part("jumps").args) == (0,)
    derivation = pipeline.derive(pipeline.resolve("x*Min(Max(0, x + 3), 6)/6"))
    (step,) = [s for s in derivation.steps if s.rule == "one piecewise"]
    assert [f.rule for f in step.facts] == ["where defined", "one piecewise"]
    assert tuple(step.facts[0].part("points").args) == (-3, 3)


def test_one_formula_right_everywhere_stays_one():
    """softsign' = 1/(1 + |x|)² has a value wherever f' exists: it is not cut into cases."""
    derivation = pipeline.derive(pipeline.resolve("softsign"))
    assert not isinstance(derivation.result, sympy.Piecewise)
    assert not any(s.rule in ("one piecewise", "where defined") for s in derivation.steps)


def test_a_parameter_at_a_breakpoint_gives_no_value_there():
    """ELU at 0: slopes α and 1, equal only for α = 1: no value is claimed at 0."""
    rows, _ = _rows("elu")
    assert all(0 not in where for _, where in rows)


@pytest.mark.parametrize(("text", "expected"), [
    # the slope is infinite at 0: no value there
    ("sqrt(abs(x))", [(-1 / (2 * sympy.sqrt(-x)), _interval(-oo, 0)),
                      (1 / (2 * sympy.sqrt(x)), _interval(0, oo))]),
    # |x|^(3/2): f'(0) = 0 from both sides, so 0 belongs to a row
    ("abs(x)**(3/2)", [(-3 * sympy.sqrt(-x) / 2, _interval(-oo, 0, right_open=False)),
                       (3 * sympy.sqrt(x) / 2, _interval(0, oo))]),
])
def test_pieces_are_read_with_the_sign_of_x_on_their_interval(text, expected):
    rows, derivation = _rows(text)
    assert rows == [(sympy.sympify(v), where) for v, where in expected]
    assert derivation.verified  # the step itself may be checked rather than proved
