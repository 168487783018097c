"""The conventions of derive's neighbours (black, ruff, pytest): --version, '-' for standard
input, -q/-v, [tool.derive] in pyproject.toml, quiet on a closed pipe, exit codes in --help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import derive

ROOT = Path(__file__).resolve().parents[1]


def _derive(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "derive", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_version(tmp_path):
    run = _derive("--version", cwd=tmp_path)
    assert (run.returncode, run.stdout, run.stderr) == (0, f"derive {derive.__version__}\n", "")


def test_help_lists_the_exit_codes(tmp_path):
    for args in (("--help",), ("check", "--help")):
        run = _derive(*args, cwd=tmp_path)
        text = " ".join(run.stdout.split())
        assert run.returncode == 0 and "0 " in text
        assert "exit codes: 0" in text.lower() and "1 a step failed" in text and "2 " in text


def test_a_dash_reads_the_expression_from_standard_input(tmp_path):
    run = _derive("-", "-f", "json", "-o", "-", cwd=tmp_path, stdin="x*sin(x)\n")
    assert run.returncode == 0, run.stderr
    assert '"expr": "x*sin(x)"' in run.stdout


def test_check_dash_reads_a_derive_text_from_standard_input(tmp_path):
    run = _derive("check", "-", cwd=tmp_path, stdin="d/dx tanh(x)\n  = -tanh(x)**2\n")
    assert run.returncode == 1
    assert run.stdout.startswith("-:2: step 1 does not follow from line 1")


def test_quiet_and_verbose(tmp_path):
    quiet = _derive("sigmoid", "-q", "-f", "json", "-o", "out", cwd=tmp_path)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    assert (tmp_path / "out" / "sigmoid.json").is_file()
    verbose = _derive("sigmoid", "-v", "-f", "json", "-o", "out", cwd=tmp_path)
    assert verbose.stderr.count("✓ proved") == len(derive.walkthrough("sigmoid").steps)
    (tmp_path / "a.derive").write_text("d/dx x**2\n  = 2*x\n")
    assert _derive("check", "-q", "a.derive", cwd=tmp_path).stdout == ""
    lines = _derive("check", "-v", "a.derive", cwd=tmp_path).stdout.splitlines()
    assert lines[0] == "a.derive:2: step 1 is proved (identical)" and "1 proved" in lines[-1]


def test_tool_derive_in_pyproject_sets_paths_exclude_strict_and_timeout(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.derive]\npaths = ["notes"]\nexclude = ["notes/drafts", "*.skip.derive"]\n'
        'strict = true\ntimeout = 5\n')
    notes = tmp_path / "notes"
    (notes / "drafts").mkdir(parents=True)
    (notes / "ok.derive").write_text("d/dx x**2\n  = 2*x\n")
    (notes / "drafts" / "wrong.derive").write_text("d/dx x**2\n  = 3*x\n")
    (notes / "wrong.skip.derive").write_text("d/dx x**2\n  = 3*x\n")
    run = _derive("check", cwd=tmp_path / "notes")  # found from a subfolder, as pytest does
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip() == "1 file, 1 chain, 1 step: 1 proved, 0 checked, 0 failed, 0 undecided"
    from derive.settings import load

    settings = load(notes)
    assert (settings.strict, settings.timeout, settings.source) == (True, 5.0, tmp_path / "pyproject.toml")
    assert [Path(p).resolve() for p in settings.paths] == [notes.resolve()]
    assert settings.excluded(str(notes / "drafts" / "wrong.derive"))
    assert settings.excluded(str(notes / "wrong.skip.derive"))
    assert not settings.excluded(str(notes / "ok.derive"))
    # strict from the file: a skipped chain (here, one derive cannot read) fails the run.
    (notes / "odd.md").write_text("$$\n\\begin{aligned}\nx &= \\frobnicate{x} \\\\\n&= x\n"
                                  "\\end{aligned}\n$$\n")
    run = _derive("check", "odd.md", cwd=notes)
    assert run.returncode == 1 and "skipped" in run.stdout, run.stdout + run.stderr


@pytest.mark.parametrize("content, message", [
    ("[tool.derive]\ntimout = 5\n", "unknown key 'timout'"),
    ("[tool.derive]\ntimeout = -1\n", "timeout must be a positive number"),
    ("[tool.derive]\nstrict = 'yes'\n", "strict must be true or false"),
    ("[tool.derive]\npaths = 'docs'\n", "paths must be a list of strings"),
    ("[tool.derive\n", "cannot read it"),
])
def test_a_bad_setting_is_one_line_and_exit_2(tmp_path, content, message):
    (tmp_path / "pyproject.toml").write_text(content)
    (tmp_path / "a.derive").write_text("d/dx x**2\n  = 2*x\n")
    for args in (("check", "a.derive"), ("sigmoid", "-f", "json", "-o", "-")):
        run = _derive(*args, cwd=tmp_path)
        assert run.returncode == 2 and message in run.stderr
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_quiet_on_a_closed_pipe(tmp_path):
    for i in range(40):
        (tmp_path / f"f{i}.derive").write_text("d/dx sin(x)\n  = cos(x)\n\n" * 20)
    # More than a pipe holds (64 KiB), so the writer meets the closed end.
    with subprocess.Popen([sys.executable, "-m", "derive", "check", "--format", "json", "."],
                          cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.read(10)
        child.stdout.close()  # `| head -c 10`
        err = child.stderr.read().decode()
        # derive check keeps its verdict's exit code (every step here is proved).
        assert child.wait(timeout=120) == 0
    assert err == ""


def test_derive_to_a_closed_pipe_is_quiet(tmp_path):
    with subprocess.Popen([sys.executable, "-m", "derive", "tanh", "-f", "json", "-o", "-"],
                          cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()  # `| true`: the reader is gone before derive writes
        err = child.stderr.read().decode()
        assert child.wait(timeout=120) == 1  # derive could not deliver its output
    assert err == ""
