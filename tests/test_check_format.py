"""The `.derive` format: chains, titles, justifications, let, assume, and its parse errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from derive.check.command import main


def check_json(capsys, path: Path, *args: str) -> tuple[int, dict]:
    code = main(["--format", "json", *args, str(path)])
    return code, json.loads(capsys.readouterr().out)


def errors_of(capsys, tmp_path: Path, text: str) -> tuple[int, str]:
    path = tmp_path / "notes.derive"
    path.write_text(text, encoding="utf-8")
    code = main([str(path)])
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    return code, err[0].removeprefix(f"{path}:")


def test_titles_justifications_and_lines(tmp_path, capsys):
    path = tmp_path / "notes.derive"
    path.write_text(
        "# A file header, ended by the blank line below\n"   # 1
        "\n"                                                 # 2
        "# Power rule\n"                                     # 3
        "# for a cube\n"                                     # 4
        "let cube(t) = t**3\n"                               # 5
        "d/dx cube(x)\n"                                     # 6
        "  = 3*x**2    # power rule\n"                       # 7
        "  # a comment between steps does not end the chain\n"  # 8
        "  = $3 x^{2}$ # the same, in LaTeX\n"               # 9
        "\n"                                                 # 10
        "d/dt t**2\n"                                        # 11
        "  = 2*t\n")                                         # 12
    code, document = check_json(capsys, path)
    assert code == 0
    chains = document["files"][0]["chains"]
    assert [(c["title"], c["line"]) for c in chains] == [("Power rule for a cube", 6), ("", 11)]
    assert [(s["line"], s["from_line"], s["justification"], s["status"])
            for s in chains[0]["steps"]] == [(7, 6, "power rule", "proved"),
                                             (9, 7, "the same, in LaTeX", "proved")]
    assert chains[0]["steps"][1]["right"] == "$3 x^{2}$"
    assert chains[1]["steps"][0]["left"] == "d/dt t**2"


def test_a_hash_inside_latex_is_not_a_justification(tmp_path, capsys):
    path = tmp_path / "notes.derive"
    path.write_text("x + x\n  = $2 x$   # doubling\n")
    code, document = check_json(capsys, path)
    step = document["files"][0]["chains"][0]["steps"][0]
    assert (code, step["right"], step["justification"]) == (0, "$2 x$", "doubling")


def test_definitions_last_for_the_rest_of_the_file(tmp_path, capsys):
    path = tmp_path / "notes.derive"
    path.write_text("let f(x) = x**2\nf(3)\n  = 9\n\nf(y) + f(2)\n  = y**2 + 4\n")
    code, document = check_json(capsys, path)
    assert code == 0
    assert document["summary"]["proved"] == 2


def test_a_let_parameter_ignores_assumptions_on_a_variable_of_the_same_name(tmp_path, capsys):
    path = tmp_path / "notes.derive"
    # inside f, x is a placeholder: f(y) is |y| for every real y, not y
    path.write_text("assume x positive\nlet f(x) = sqrt(x**2)\nf(y)\n  = y\n")
    code, document = check_json(capsys, path)
    assert code == 1
    assert document["files"][0]["chains"][0]["steps"][0]["status"] == "failed"


def test_assume_nonzero_and_negative(tmp_path, capsys):
    path = tmp_path / "notes.derive"
    path.write_text("assume k nonzero\nk/k\n  = 1\n\nassume n < 0\nsqrt(n**2)\n  = -n\n")
    code, document = check_json(capsys, path)
    assert code == 0
    assert [s["status"] for c in document["files"][0]["chains"] for s in c["steps"]] == [
        "proved", "proved"]


@pytest.mark.parametrize(("text", "expected"), [
    ("  = 2*x\n",
     "1:3: a step needs an expression above it to follow from: start the chain with an "
     "expression, e.g. d/dx f(x)"),
    ("x**2\n\n",
     "1:1: this expression has no steps below it: each step is a line starting with `=`"),
    ("x**2\n  = x*x\nx**3\n",
     "3:1: expected a step starting with `=`, or a blank line before a new chain"),
    ("let f = 2\n", "1:6: `let f` needs parameters: let f(x) = EXPR"),
    ("let f(x, x) = x\n", "1:7: a parameter is named twice"),
    ("let f(x) =\n", "1:11: `let f(...)` needs an expression after ="),
    ("assume x > 1\n", "1:10: `assume` compares with 0 only, e.g. `assume x > 0`"),
    ("assume x happy\n",
     "1:10: expected `> 0`, `< 0`, `!= 0` or one of positive, negative, nonzero, nonnegative, "
     "nonpositive, integer"),
    ("d/dx\n  = 0\n", "1:5: d/dx needs an expression after it"),
    ("  x\n  = $\\frac{1}{2\n", "2:5: LaTeX must be closed with $"),
])
def test_parse_errors_name_line_and_column(tmp_path, capsys, text, expected):
    code, error = errors_of(capsys, tmp_path, text)
    assert (code, error) == (2, expected)


def test_contradictory_assumptions_are_a_parse_error(tmp_path, capsys):
    code, error = errors_of(capsys, tmp_path, "assume x positive\nassume x negative\n")
    assert code == 2
    assert error.startswith("2:8: x cannot be both positive and negative")


def test_an_unknown_function_is_a_parse_error(tmp_path, capsys):
    code, error = errors_of(capsys, tmp_path, "d/dx g(x)\n  = 0\n")
    assert code == 2
    assert error.startswith("1:6: ")


def test_a_let_applied_to_the_wrong_number_of_arguments_is_a_parse_error(tmp_path, capsys):
    code, error = errors_of(capsys, tmp_path, "let f(x) = x\nf(1, 2)\n  = 1\n")
    assert code == 2
    assert error == "2:1: wrong number of arguments for 'f'"


def test_windows_line_endings_and_a_byte_order_mark(tmp_path, capsys):
    path = tmp_path / "notes.derive"
    path.write_bytes("\ufeff# title\r\nx + x\r\n  = 2*x\r\n".encode())
    code, document = check_json(capsys, path)
    chain = document["files"][0]["chains"][0]
    assert (code, chain["title"], chain["steps"][0]["line"]) == (0, "title", 3)
