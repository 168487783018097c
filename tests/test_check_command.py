"""`derive check PATH...` as a user sees it: report lines, summary, exit codes, safety."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import sympy

from derive.check.command import main

DATA = Path(__file__).parent / "data" / "check"


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    """A copy of the example notes, with the working folder set so paths read as typed."""
    shutil.copytree(DATA, tmp_path / "data")
    monkeypatch.chdir(tmp_path / "data")
    return tmp_path / "data"


def run(capsys, *args: str) -> tuple[int, list[str], list[str]]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def value_at_half(text: str) -> float:
    """The value of an expression at x = 1/2, from SymPy."""
    x = sympy.Symbol("x", real=True)
    expr = sympy.sympify(text, locals={"x": x})  # trusted test text, not user input
    return float(expr.subs(x, sympy.Rational(1, 2)))


def sides(line: str) -> tuple[float, float]:
    """The two values of a reported counterexample."""
    match = re.search(r"left = (\S+), right = (\S+)$", line)
    assert match is not None, line
    return float(match[1].rstrip("…")), float(match[2].rstrip("…"))


def test_a_wrong_step_is_reported_at_its_line_with_a_counterexample(notes, capsys):
    code, out, _ = run(capsys, "notes/sigmoid.derive")
    assert code == 1
    left = value_at_half("exp(-x)/(1 + exp(-x))**2")
    right = value_at_half("((1 + exp(-x)) - 1)/(1 + exp(-x))**3")
    failure = out[0]
    assert failure.startswith("notes/sigmoid.derive:5: step 2 (add and subtract one) does not "
                              "follow from line 4: at x = 0.5: left = ")
    assert sides(failure) == pytest.approx((left, right), rel=1e-6)
    # step 3 compares with line 5, which is wrong, so it fails too: only those two lines
    assert out[1].startswith("notes/sigmoid.derive:6: step 3 (swap sigma back in) does not "
                             "follow from line 5: at x = ")
    assert out[2:] == ["1 file, 1 chain, 3 steps: 1 proved, 0 checked, 2 failed, 0 undecided"]


def test_summary_counts_files_chains_and_steps(notes, capsys):
    code, out, err = run(capsys, "notes", "good")
    assert code == 1
    assert err == []
    assert out[-1] == "4 files, 7 chains, 13 steps: 10 proved, 0 checked, 3 failed, 0 undecided"
    # each failure's first line starts with path:line; feedback under it is indented
    failed_lines = [line.split(": ")[0] for line in out[:-1] if not line.startswith("  ")]
    assert failed_lines == ["notes/sigmoid.derive:5", "notes/sigmoid.derive:6",
                            "notes/tanh.derive:3"]


def test_right_derivations_pass(notes, capsys):
    code, out, _ = run(capsys, "good")
    assert code == 0
    assert out == ["2 files, 4 chains, 7 steps: 7 proved, 0 checked, 0 failed, 0 undecided"]


def test_a_folder_is_searched_for_every_kind_of_document(notes, capsys):
    (notes / "good" / "readme.md").write_text("$$ (a+b)^2 &= a^2 + 2ab + b^2 \\\\ &= b^2 + 2ab + a^2 $$\n")
    (notes / "good" / "notes.TXT").write_text("$$ a &= b \\\\ &= c $$\n")  # not a document kind
    (notes / "good" / ".hidden").mkdir()
    write(notes / "good" / ".hidden" / "wrong.derive", "x\n  = 2*x\n")
    code, out, _ = run(capsys, "good")
    assert code == 0
    assert out[-1].startswith("3 files, 5 chains")


def test_domain_assumptions_decide_sqrt_and_log(tmp_path, capsys):
    real = write(tmp_path / "real.derive", "sqrt(x**2)\n  = x\n\nlog(a*b)\n  = log(a) + log(b)\n")
    code, out, _ = run(capsys, real)
    assert code == 1
    assert [line.split(":")[1] for line in out[:-1]] == ["2", "5"]
    assert "at x = -" in out[0]  # a negative x is where sqrt(x**2) = x breaks
    positive = write(tmp_path / "positive.derive",
                     "assume x positive\nsqrt(x**2)\n  = x\n\n"
                     "assume a > 0\nassume b > 0\nlog(a*b)\n  = log(a) + log(b)\n")
    code, out, _ = run(capsys, positive)
    assert code == 0
    assert out == ["1 file, 2 chains, 2 steps: 2 proved, 0 checked, 0 failed, 0 undecided"]


def test_exit_code_2_for_a_parse_error_at_line_and_column(tmp_path, capsys):
    path = write(tmp_path / "bad.derive", "# fine\nd/dx x**2\n  = 2*x +* 1\n")
    code, out, err = run(capsys, path)
    assert code == 2
    assert len(err) == 1
    location, message = err[0].split(": ", 1)
    assert location.startswith(f"{path}:3:")
    column = int(location.rsplit(":", 1)[1])
    assert 7 <= column <= 12  # at or just after the `+*`
    assert message
    assert out[-1].startswith("1 file, 0 chains, 0 steps")


def test_a_parse_error_wins_over_a_failure_but_other_files_are_still_checked(notes, capsys):
    code, out, err = run(capsys, "notes/tanh.derive", "bad/orphan_step.derive")
    assert code == 2
    assert err == ["bad/orphan_step.derive:3:3: a step needs an expression above it to follow "
                   "from: start the chain with an expression, e.g. d/dx f(x)"]
    assert out[0].startswith("notes/tanh.derive:3: step 1 does not follow from line 2")


def test_python_in_a_line_is_a_parse_error_and_nothing_runs(notes, capsys, tmp_path):
    lines = [
        "__import__('os').system('touch pwned')",
        "().__class__.__base__.__subclasses__()",
        "(lambda: open('pwned', 'w'))()",
        "exec(\"open('pwned', 'w')\")",
        "x.__class__",
    ]
    for i, line in enumerate(lines):
        path = write(tmp_path / f"evil{i}.derive", f"{line}\n  = 0\n")
        code, _, err = run(capsys, path)
        assert code == 2, line
        assert err[0].startswith(f"{path}:1:"), line
    code, _, _ = run(capsys, "bad/python.derive")
    assert code == 2
    assert not (notes / "pwned").exists()
    assert not Path("pwned").exists()


def test_missing_path_is_exit_2(tmp_path, capsys):
    code, out, err = run(capsys, str(tmp_path / "nowhere"))
    assert code == 2
    assert err == [f"{tmp_path / 'nowhere'}: no such file or folder"]
    assert out == []  # nothing was read: the one error line says it all


def test_huge_file_is_refused_quickly(tmp_path, capsys):
    path = tmp_path / "huge.derive"
    path.write_text("x\n  = x\n" * 300_000)  # 2.4 MB
    code, _, err = run(capsys, str(path))
    assert code == 2
    assert err == [f"{path}: file is too large (more than 1 MiB); derive check reads "
                   "hand-written derivations"]


def test_binary_file_is_refused(tmp_path, capsys):
    path = tmp_path / "image.derive"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    code, _, err = run(capsys, str(path))
    assert code == 2
    assert err == [f"{path}: binary file (it contains NUL bytes), not a derivation"]


def test_text_that_is_not_utf8_is_refused_at_its_line(tmp_path, capsys):
    path = tmp_path / "latin1.derive"
    path.write_bytes("# résumé\nx\n  = x\n".encode("latin-1"))
    code, _, err = run(capsys, str(path))
    assert code == 2
    assert err == [f"{path}:1:4: not UTF-8 text"]


def test_strict_fails_steps_that_are_only_checked_or_undecided(tmp_path, capsys):
    # 71 terms: far too much to prove equal within a hundredth of a second
    x = sympy.Symbol("x")
    expanded = str(sympy.expand((x + 1) ** 40 * (x - 2) ** 30))
    path = write(tmp_path / "slow.derive", f"(x + 1)**40*(x - 2)**30\n  = {expanded}\n")
    code, out, _ = run(capsys, "--timeout", "0.01", path)
    summary = out[-1]
    assert "0 failed" in summary
    assert "1 proved" not in summary  # it is too slow to prove at this limit
    assert code == 0
    code, out, _ = run(capsys, "--strict", "--timeout", "0.01", path)
    assert code == 1
    assert out[0].startswith(f"{path}:2: step 1 is ")


def test_timeout_makes_an_expensive_step_undecided(tmp_path, capsys):
    x = sympy.Symbol("x")
    expanded = str(sympy.expand((x + 1) ** 40 * (x - 2) ** 30))
    path = write(tmp_path / "slow.derive", f"(x + 1)**40*(x - 2)**30\n  = {expanded}\n")
    code, out, _ = run(capsys, "--timeout", "0.001", path)
    assert code == 0
    assert out[0].startswith(f"{path}:2: step 1 is undecided: ")
    assert out[-1] == "1 file, 1 chain, 1 step: 0 proved, 0 checked, 0 failed, 1 undecided"


def test_json_output_has_every_verdict(notes, capsys):
    code, out, err = run(capsys, "--format", "json", "notes/sigmoid.derive", "nowhere.derive")
    assert code == 2
    assert err == []
    document = json.loads("\n".join(out))
    assert document["exit_code"] == 2
    first = document["files"][0]
    assert first["path"] == "notes/sigmoid.derive"
    steps = first["chains"][0]["steps"]
    assert [s["status"] for s in steps] == ["proved", "failed", "failed"]
    assert [s["line"] for s in steps] == [4, 5, 6]
    assert steps[1]["justification"] == "add and subtract one"
    assert steps[1]["counterexample"]["point"] == {"x": "0.5"}
    assert document["files"][1]["error"]["message"] == "no such file or folder"
    assert document["summary"] == {"files": 2, "chains": 1, "steps": 3, "proved": 1,
                                   "checked": 0, "failed": 2, "undecided": 0, "skipped": 0,
                                   "unreadable": 1, "not_checked": 0, "files_skipped": 0,
                                   "skipped_by_directive": 0,
                                   "equations": {"followed": 0, "does not follow": 0,
                                                 "not checked": 0}}


def test_parallel_jobs_give_the_same_output(notes, capsys):
    serial = run(capsys, "notes", "good", "bad")
    parallel = run(capsys, "-j", "2", "notes", "good", "bad")
    assert parallel == serial
    assert serial[0] == 2


@pytest.mark.parametrize("args", [["--format", "yaml", "x"], ["-j", "0", "x"],
                                  ["--timeout", "-1", "x"], []])
def test_bad_usage_is_one_line_and_exit_2(args, capsys):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == []
    assert len(err) == 1
    assert err[0].startswith("derive check: error: ")
