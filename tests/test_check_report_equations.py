"""Equation rows (implicit differentiation): each is checked to follow from the row before.

Real material: APEX Calculus's implicit-differentiation section
(tests/data/check/real/corpus/apex_02_Implicit_Differentiation.tex, CC BY-NC 3.0), where
every solved or rearranged row must be reported as followed and none as not following; and
the same derivations with one row written wrong, which must not follow.
"""

from __future__ import annotations

import json
from pathlib import Path

from derive.check.command import main

CORPUS = Path(__file__).parent / "data" / "check" / "real" / "corpus"
APEX = CORPUS / "apex_02_Implicit_Differentiation.tex"
MACROS = CORPUS / "apex_macros.sty"

CIRCLE = r"""
$$
\begin{aligned}
2x + 2y y' &= 0 \\
2y y' &= -2x \\
y' &= -\frac{x}{y}
\end{aligned}
$$
"""


def report(capsys, *args: str) -> tuple[int, dict]:
    code = main(["--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def follows(document: dict) -> list[dict]:
    return [chain["follows"] for file in document["files"] for chain in file["chains"]
            if chain["follows"] is not None]


def test_every_row_of_apexs_implicit_differentiation_follows_or_is_not_checked(capsys):
    code, document = report(capsys, "--macros", str(MACROS), str(APEX))
    assert code == 0
    found = follows(document)
    statuses = [f["status"] for f in found]
    assert "does not follow" not in statuses
    # the rows of each worked example that rearrange or solve the one before
    assert statuses.count("followed") >= 12
    assert document["summary"]["equations"]["followed"] == statuses.count("followed")
    # the first row of a new example is another derivation: never failed
    not_checked = [f for f in found if f["status"] == "not checked"]
    assert all("another display" in f["how"] or "neither" in f["how"] for f in not_checked)


def test_a_row_solved_for_y_prime_follows_and_a_wrong_one_does_not(tmp_path, capsys):
    page = tmp_path / "circle.md"
    page.write_text(CIRCLE)
    code, document = report(capsys, str(page))
    assert code == 0
    assert [f["status"] for f in follows(document)] == ["followed", "followed"]
    assert "y' = -x/y" in follows(document)[1]["how"]
    # the sign lost while dividing by 2y: the last row does not follow, and fails the run
    page.write_text(CIRCLE.replace(r"y' &= -\frac{x}{y}", r"y' &= \frac{x}{y}"))
    code, document = report(capsys, str(page))
    assert code == 1
    last = follows(document)[-1]
    assert last["status"] == "does not follow"
    assert last["from_line"] == 5 and last["line"] == 6
    assert "y' = -x/y" in last["how"] and "y' = x/y" in last["how"]


def test_a_rearranged_row_follows_up_to_a_nonzero_factor(tmp_path, capsys):
    page = tmp_path / "curve.md"
    page.write_text("$$\n\\begin{aligned}\n"
                    "3y^2 y' + 2x &= 0 \\\\\n"
                    "6y^2 y' &= -4x \\\\\n"
                    "y' &= -\\frac{2x}{3y^2}\n"
                    "\\end{aligned}\n$$\n")
    code, document = report(capsys, str(page))
    assert code == 0
    assert [f["status"] for f in follows(document)] == ["followed", "followed"]


def test_a_wrong_row_in_another_display_is_not_checked_never_failed(tmp_path, capsys):
    # a new display may start another derivation: a row that does not follow the last
    # equation of the display before is reported, not failed
    page = tmp_path / "two.md"
    page.write_text("$$\n2x + 2y y' = 0\n$$\n\nNext example.\n\n$$\ny' = \\frac{x}{y}\n$$\n")
    code, document = report(capsys, str(page))
    assert code == 0
    (last,) = follows(document)
    assert last["status"] == "not checked"
    assert "another display" in last["how"]


def test_the_text_report_says_how_each_row_follows(tmp_path, capsys):
    page = tmp_path / "circle.md"
    page.write_text(CIRCLE.replace(r"y' &= -\frac{x}{y}", r"y' &= \frac{x}{y}"))
    code = main([str(page)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    # the first equation has no row before it: not checked, as any relation but =
    assert out[0] == (f"{page}:4: `= (an equation in y', from implicit differentiation)` is "
                      "not checked (derive checks the = steps)")
    assert out[1] == (f"{page}:5: the equation follows from line 4: both give y' = -x/y "
                      "(proved: identical), where the factor of y' is not zero")
    assert out[2].startswith(f"{page}:6: the equation does not follow from line 5: the row "
                             "before gives y' = -x/y, this one y' = x/y; at ")
    assert out[-1].endswith("1 equation followed, 1 equation does not follow")
