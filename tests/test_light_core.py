"""The core install (sympy, jinja2, python-flint) writes the documents without the plot and
says in one line how to get it; checking never needs the plot's libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Runs derive's main() with matplotlib and numpy unimportable, as in an install without [plot].
_WITHOUT_PLOT = """
import sys
for name in ("matplotlib", "numpy", "latex2mathml"):
    sys.modules[name] = None
from derive.cli import main
code = main(sys.argv[1:])
assert "matplotlib" not in sys.modules or sys.modules["matplotlib"] is None
raise SystemExit(code)
"""


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _WITHOUT_PLOT, *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_without_the_plot_libraries_the_documents_are_written_without_the_plot(tmp_path):
    run = _run("sigmoid", "-o", "out", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["sigmoid.md", "sigmoid.tex"]
    notes = [line for line in run.stderr.splitlines() if "plot" in line]
    assert notes == ["derive: note: no plot: it needs matplotlib and numpy; "
                     "pip install 'derive-steps[plot]' to have it"]
    markdown = (tmp_path / "out" / "sigmoid.md").read_text()
    assert "sigmoid.png" not in markdown and "## Result" in markdown
    # the code could not be run here, so its docstring promises no measured accuracy
    assert "Not measured against mpmath" in " ".join(markdown.split())
    assert "includegraphics" not in (tmp_path / "out" / "sigmoid.tex").read_text()


def test_no_plot_asked_for_means_no_note(tmp_path):
    run = _run("sigmoid", "-f", "json", "-o", "out", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "plot" not in run.stderr


def test_checking_needs_no_plot_library(tmp_path):
    (tmp_path / "s.derive").write_text("d/dx x**2\n  = 2*x\n")
    run = _run("check", "s.derive", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "1 proved" in run.stdout


def test_the_html_page_without_its_extra_is_one_line_and_exit_2(tmp_path):
    run = _run("sigmoid", "-f", "md,html", "-o", "out", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr == ("derive: error: -f html needs latex2mathml; "
                          "pip install 'derive-steps[html]' to have it\n")
    assert not (tmp_path / "out").exists()


def test_a_notebook_without_the_html_extra_shows_the_markdown(tmp_path):
    code = ("import sys\nsys.modules['latex2mathml'] = None\nimport derive\n"
            "w = derive.walkthrough('tanh')\n"
            "print(w._repr_html_() is None, w._repr_markdown_().startswith('# '))")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120)
    assert run.stdout.split() == ["True", "True"], run.stderr
