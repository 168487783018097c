"""The pytest plugin as a user sees it: `pytest docs/` checks every chain of *.derive files."""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]

# Installed, derive registers itself through the pytest11 entry point; from a checkout it
# is named on the command line (registering it both ways would be an error in pytest).
INSTALLED = any(ep.value == "derive.pytest_plugin" for ep in entry_points(group="pytest11"))
PLUGIN = [] if INSTALLED else ["-p", "derive.pytest_plugin"]

SIGMOID = """\
# Derivative of the sigmoid
let sigma(x) = 1/(1 + exp(-x))
d/dx sigma(x)
  = exp(-x)/(1 + exp(-x))**2               # quotient rule and chain rule
  = ((1 + exp(-x)) - 1)/(1 + exp(-x))**2   # add and subtract one
  = sigma(x)*(1 - sigma(x))                # swap sigma back in
"""

TANH = """\
# tanh' as sometimes published
d/dx tanh(x)
  = -tanh(x)**2         # wrong

# tanh' as it is
d/dx tanh(x)
  = 1 - tanh(x)**2
"""


@pytest.fixture
def docs(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.mkdir("docs")
    (pytester.path / "docs" / "sigmoid.derive").write_text(SIGMOID)
    (pytester.path / "docs" / "tanh.derive").write_text(TANH)
    (pytester.path / "docs" / "notes.txt").write_text("not collected\n")
    return pytester


def test_one_item_per_chain(docs):
    result = docs.runpytest(*PLUGIN, "--collect-only", "-q", "docs")
    assert result.ret == 0
    ids = [line for line in result.outlines if "::" in line]
    assert ids == [
        "docs/sigmoid.derive::Derivative of the sigmoid (line 3)",
        "docs/tanh.derive::tanh' as sometimes published (line 2)",
        "docs/tanh.derive::tanh' as it is (line 6)",
    ]


def test_a_failure_shows_the_marked_chain_both_sides_and_the_counterexample(docs):
    result = docs.runpytest(*PLUGIN, "docs")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([
        "*tanh.derive:2: tanh' as sometimes published*",
        "line 3: step 1 (wrong) does not follow from line 2: at x = *: left = *, right = *",
        "",
        "  2 | d/dx tanh(x)",
        "> 3 |   = -tanh(x)**2         # wrong",
        "",
        "line 3, step 1 (wrong):",  # the failure's first line is not repeated
        "  left  (line 2): d/dx tanh(x)",
        "  right (line 3): -tanh(x)**2",
        "  d/dx tanh(x) = 1 - tanh(x)**2; the step says -tanh(x)**2",
        "  derivative of the wrong function: *",
        "",
        "*docs/tanh.derive:3: step 1 (wrong) failed",  # clickable path:line: last
    ])
    output = result.stdout.str()
    assert "Traceback" not in output
    assert "pytest_plugin.py" not in output
    assert "raise " not in output


def test_location_is_the_line_where_the_chain_starts(docs):
    items, _ = docs.inline_genitems(*PLUGIN, "docs")
    assert [(Path(item.location[0]).name, item.location[1] + 1) for item in items] == [
        ("sigmoid.derive", 3), ("tanh.derive", 2), ("tanh.derive", 6)]
    path, line, _ = items[1].reportinfo()
    assert (Path(path).name, line + 1) == ("tanh.derive", 2)


def test_a_file_that_does_not_parse_is_one_clear_collection_error(pytester):
    (pytester.path / "bad.derive").write_text("d/dx x**2\n  = __import__('os')\n")
    result = pytester.runpytest(*PLUGIN, "bad.derive")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # a collection error stops the run
    result.stdout.fnmatch_lines(["*bad.derive:2:*: *"])
    assert "Traceback" not in result.stdout.str()


def test_only_derive_files_are_collected(pytester):
    (pytester.path / "notes.md").write_text("$$\na &= b \\\\\n  &= c\n$$\n")
    result = pytester.runpytest(*PLUGIN, "--collect-only", "-q", ".")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def _undecidable(pytester: pytest.Pytester) -> None:
    """A step undecided by its nature, not by a clock: neither side is real at any x (an
    arcsine of a number above 1), so no probe point can be used, and no exact stage proves
    or refutes it (asin(u) + acos(u) = pi/2 would be proved: it holds for complex u too).
    A step made undecided by a tiny --derive-timeout is proved on a fast idle machine."""
    (pytester.path / "undecided.derive").write_text("asin(x**2 + 2)**2\n  = acos(x**2 + 2)**2\n")


def test_strict_option_fails_an_undecided_step(pytester):
    _undecidable(pytester)
    # -W default: this suite turns warnings into errors, and in-process runs inherit that
    lenient = pytester.runpytest(*PLUGIN, "-W", "default", "undecided.derive")
    lenient.assert_outcomes(passed=1, warnings=1)
    strict = pytester.runpytest(*PLUGIN, "--derive-strict", "undecided.derive")
    strict.assert_outcomes(failed=1)
    strict.stdout.fnmatch_lines(["line 2: step 1 is undecided: *"])


def test_runs_under_xdist(docs, monkeypatch):
    # the workers are fresh processes: they must find derive the way this one does
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    result = docs.runpytest_subprocess(*PLUGIN, "-p", "xdist", "-n", "2", "docs")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*2 workers*", "> 3 |   = -tanh(x)**2         # wrong"])


def fake_installation(pytester: pytest.Pytester, monkeypatch) -> None:
    """Metadata that declares the pytest11 entry point, as `pip install derive` would."""
    site = pytester.mkdir("site")
    info = site / "derive-0.0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: derive\nVersion: 0.0.0\n")
    (info / "entry_points.txt").write_text("[pytest11]\nderive = derive.pytest_plugin\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT), str(site), *filter(None, [os.environ.get("PYTHONPATH")])]))


@pytest.mark.parametrize("args", [[], ["-p", "derive.pytest_plugin"]],
                         ids=["entry point", "entry point and -p"])
def test_the_entry_point_registers_the_plugin_even_when_also_named(docs, monkeypatch, args):
    fake_installation(docs, monkeypatch)
    result = docs.runpytest_subprocess(*args, "docs")
    result.assert_outcomes(passed=2, failed=1)


def test_documents_are_collected_with_the_ini_option_and_skips_show_their_reason(pytester):
    (pytester.path / "notes.md").write_text(
        "$$ \\frac{d}{dx} x^2 = 2x $$\n\n$$ \\frac{d}{dx} \\mysterymacro{x} = 1 $$\n\n"
        "<!-- derive: skip the published mistake -->\n$$ \\frac{d}{dx} x^2 = 3x $$\n")
    (pytester.path / "notes.tex").write_text("\\[ \\frac{d}{dx} x^3 = 3x \\]\n")
    assert pytester.runpytest(*PLUGIN, "--collect-only", "-q", ".").ret == \
        pytest.ExitCode.NO_TESTS_COLLECTED  # off by default
    pytester.makeini("[pytest]\nderive_documents = true\n")
    result = pytester.runpytest(*PLUGIN, "-rs", ".")
    result.assert_outcomes(passed=1, skipped=2, failed=1)
    result.stdout.fnmatch_lines([
        "SKIPPED*notes.md*: chain skipped: line 3: cannot read*mysterymacro*",
        "SKIPPED*notes.md*: chain skipped: skipped by a `derive: skip` directive (the "
        "published mistake)*",
    ])


def test_derive_strict_from_the_ini_file_fails_skipped_and_undecided_chains(pytester):
    (pytester.path / "notes.md").write_text("$$ \\frac{d}{dx} \\mysterymacro{x} = 1 $$\n")
    pytester.makeini("[pytest]\nderive_documents = true\nderive_strict = true\n")
    result = pytester.runpytest(*PLUGIN, ".")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*chain skipped: line 1: cannot read*"])


def test_an_undecided_step_passes_with_a_warning_in_the_summary(pytester):
    _undecidable(pytester)
    result = pytester.runpytest(*PLUGIN, "-W", "default", "undecided.derive")
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*DeriveWarning: *undecided.derive:2: step 1 is undecided*"])


def test_an_equation_row_that_does_not_follow_fails_its_item(pytester):
    # implicit differentiation of x^2 + y^2 = 25, the sign lost in the last row
    (pytester.path / "circle.md").write_text(
        "$$\n\\begin{aligned}\n2x + 2y y' &= 0 \\\\\n2y y' &= -2x \\\\\n"
        "y' &= \\frac{x}{y}\n\\end{aligned}\n$$\n")
    pytester.makeini("[pytest]\nderive_documents = true\n")
    result = pytester.runpytest(*PLUGIN, ".")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*circle.md:5: the equation does not follow from line 4: "
                                 "the row before gives y' = -x/y, this one y' = x/y*"])


def test_a_skipped_file_is_one_skip_named_by_its_file(pytester):
    (pytester.path / "drafts.tex").write_text("% derive: skip file\n\\[ \\frac{d}{dx} x^2 = 7x \\]\n")
    (pytester.path / "notes.md").write_text("<!-- derive: skip -->\n$$ \\frac{d}{dx} x^2 = 3x $$\n")
    pytester.makeini("[pytest]\nderive_documents = true\n")
    result = pytester.runpytest(*PLUGIN, "-rs", ".")
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(["SKIPPED [1] drafts.tex: line 1: file skipped: a `derive: skip` "
                                 "directive", "SKIPPED*notes.md: line 2: chain skipped: *"],
                                consecutive=False)
