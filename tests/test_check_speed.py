"""What the speed work on `derive check` must not change (timings are bench/bench_check.py's,
never asserted here): a definition applied at its own parameter is the body as built, and
still means the same thing as a rebuilt one; assumptions stay out of a definition's body;
-j 2 gives the same report as -j 1; the parser's and the reader's bounds stay where they
were."""

from __future__ import annotations

import json

import pytest
import sympy

from derive.check.chains import FileProblemError
from derive.check.command import main
from derive.check.scope import Scope
from derive.check.sources import MAX_BYTES, read_text
from derive.errors import ParseError
from derive.parse.expression import parse_expression


def test_a_definition_at_its_own_parameter_is_its_body_and_elsewhere_the_same_function():
    scope = Scope()
    scope.directive("let s(x) = 1/(1 + exp(-3*x))")
    x, y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
    at_x = scope.read_expression("s(x)")
    assert at_x == 1 / (1 + sympy.exp(-3 * x))
    assert scope.read_expression("s(x)") is at_x  # no rebuild
    assert scope.read_expression("s(y)") == at_x.xreplace({x: y})
    assert scope.read_expression("s(2*x)") == 1 / (1 + sympy.exp(-6 * x))


def test_two_parameters_swapped_are_replaced_at_once():
    scope = Scope()
    scope.directive("let f(a, b) = a - 2*b")
    a, b = sympy.Symbol("a", real=True), sympy.Symbol("b", real=True)
    assert scope.read_expression("f(a, b)") == a - 2 * b
    assert scope.read_expression("f(b, a)") == b - 2 * a


def test_an_assumption_made_after_a_definition_applies_to_its_argument_not_its_body(
        tmp_path, capsys):
    path = tmp_path / "notes.derive"
    # f is |x| for every real x; at a positive x it is x, at any real y it is not y
    path.write_text("let f(x) = sqrt(x**2)\nf(y)\n  = y\n\n"
                    "assume x positive\nf(x)\n  = x\n")
    code = main(["--format", "json", str(path)])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    statuses = [s["status"] for c in document["files"][0]["chains"] for s in c["steps"]]
    assert statuses == ["failed", "proved"]


def test_the_report_is_the_same_with_one_or_two_workers(tmp_path, capsys):
    for k in range(1, 7):
        (tmp_path / f"s{k}.derive").write_text(
            f"let s(x) = 1/(1 + exp(-{k}*x))\nd/dx s(x)\n"
            f"  = {k}*s(x)*(1 - s(x))\n  = {k}*s(x) + {k}*s(x)**2\n")
    reports = []
    for jobs in ("1", "2"):
        code = main(["-j", jobs, "--format", "json", str(tmp_path)])
        reports.append((code, capsys.readouterr().out))
    assert reports[0] == reports[1]
    assert reports[0][0] == 1
    summary = json.loads(reports[0][1])["summary"]
    assert (summary["proved"], summary["failed"]) == (6, 6)


# The fast paths of the plain-syntax parser and of reading a file keep every bound at the
# same place: a written integer of up to 100 digits skips value_problem, value_problem
# answers by bit length below 2**1023, and a file is read in chunks up to MAX_BYTES + 1.
@pytest.mark.parametrize(("text", "refusal"), [
    ("9" * 100, None),
    ("9" * 101, "number too long (more than 100 digits)"),
    ("9" * 100 + "*10**208", None),  # 308 digits
    ("9" * 100 + "*10**209", "number too large (beyond 1e308)"),
    ("1/(" + "9" * 100 + "*10**208)", None),
    ("1/(" + "9" * 100 + "*10**209)", "number too large (beyond 1e308)"),
    ("2**1023", None),
    ("2**1024*x", None),  # 1.8e308: within the bound, past the bit-length shortcut
    ("10**309", "power too large (the number would pass 1e308)"),
    ("-" * 62 + "x", None),
    ("-" * 64 + "x", "expression nested too deeply (more than 64 levels)"),
])
def test_the_parser_refuses_exactly_what_it_did(text, refusal):
    if refusal is None:
        assert parse_expression(text) is not None
    else:
        with pytest.raises(ParseError) as error:
            parse_expression(text)
        assert error.value.message == refusal


def test_a_file_of_the_largest_size_is_read_and_one_byte_more_is_refused(tmp_path):
    largest = tmp_path / "largest.derive"
    largest.write_bytes(b"#" * MAX_BYTES)
    assert len(read_text(str(largest))) == MAX_BYTES
    larger = tmp_path / "larger.derive"
    larger.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(FileProblemError, match="too large"):
        read_text(str(larger))
