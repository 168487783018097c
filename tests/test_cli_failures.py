"""Issue 11 for the `derive` command: every failure is one line with its exit code and writes
nothing; every run ends within its bound and leaves no process or temporary folder behind."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from derive.cli import main

ROOT = Path(__file__).resolve().parents[1]


def env() -> dict[str, str]:
    # HOME: matplotlib keeps its font cache there (without one it writes a new one each run)
    return {"PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"], "HOME": os.environ.get("HOME", "/")}


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "derive", *args]


def live_processes_in_session(session: int) -> list[str]:
    """Processes of a session that are still alive (a zombie waiting for init is dead)."""
    found = subprocess.run(["ps", "-o", "pid=,stat=", "-s", str(session)],
                           capture_output=True, text=True).stdout.split("\n")
    return [line for line in found if line.strip() and "Z" not in line.split()[1]]


@pytest.mark.parametrize("text, fragment", [
    ("(1e-400)**2", "number too small"),
    ("x**(10**9999)", "power too large"),
    ("1e-5000*x", "number too small"),
    ("sqrt(2)**1e5000", "number too large"),
    ("x + sqrt(2)**1e5000", "number too large"),
    ("x**(10**300)", "exponent too large"),
    ("2**1100*x", "power too large"),
    ("1e999999999*x", "number too large"),
    ("log(0)*x", "undefined value"),
    ("tan(pi/2) + x", "undefined value"),
])
def test_numbers_no_check_could_evaluate_are_refused_by_the_parser(text, fragment, capsys):
    start = time.monotonic()
    assert main([text, "-f", "md", "-o", "-"]) == 2
    assert time.monotonic() - start < 5  # refused, not computed
    err = capsys.readouterr().err
    assert err.startswith("derive: error:") and fragment in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("text", ["2**1000*x", "1e308*x", "1e-308*x", "x**1000", "x**(1/7)",
                                  "(2/3)**600*x", "x**0.0001"])
def test_large_but_workable_numbers_are_still_read(text):
    from derive.parse.expression import parse_expression

    assert parse_expression(text).free_symbols


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "0", "-1", "601"])
def test_a_timeout_that_is_no_number_of_seconds_is_one_line(value, capsys):
    assert main(["x*2", "--timeout", value, "-f", "md", "-o", "-"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--timeout" in err


def test_dash_o_naming_a_file_is_refused_before_any_work(tmp_path, capsys):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    assert main(["sigmoid", "-o", str(a_file)]) == 2
    assert main(["sigmoid", "-o", str(a_file / "sub")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "is a file, not a folder" in err[0] and "a file" in err[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    assert a_file.read_text() == "mine"


def test_a_file_size_limit_is_one_line_and_leaves_no_file(tmp_path):
    """RLIMIT_FSIZE stops the first write (the plot's PNG is the largest): nothing at all
    stays, neither the pictures written before nor the folder made for them."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    # matplotlib's font cache made first, as any earlier run makes it (under the limit it
    # would say it cannot save it, a second line from matplotlib, not from derive)
    subprocess.run(command("x*2", "-f", "md", "-o", str(tmp_path.parent / "warm")), env=env(),
                   capture_output=True, timeout=120)

    # No bytecode written under the limit: Python would leave a truncated .pyc behind.
    result = subprocess.run(command("sigmoid", "-o", "out"), cwd=tmp_path,
                            env={**env(), "PYTHONDONTWRITEBYTECODE": "1"},
                            preexec_fn=limit, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "File too large" in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_write_all_leaves_nothing_when_one_file_fails(tmp_path):
    from derive.errors import OutputError
    from derive.process.files import write_all

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "b.md").mkdir()  # a folder where a file must go: the rename fails
    with pytest.raises(OutputError, match=r"cannot write .*b\.md"):
        write_all([(tmp_path / "out" / "new" / "a.png", b"x"), (tmp_path / "out" / "b.md", "y")])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["b.md"]
    assert list((tmp_path / "out" / "b.md").iterdir()) == []


def _read_only_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return folder
    # root writes through any mode bits: a read-only mount is the real thing
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("running as root without a read-only mount to test with")
    return folder


def test_a_read_only_output_folder_is_one_line(tmp_path, capsys):
    folder = _read_only_folder(tmp_path)
    try:
        assert main(["sigmoid", "-o", str(folder)]) == 2
        assert main(["sigmoid", "-o", str(folder / "sub")]) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 2 and all("is not writable" in line for line in err)
        assert list(folder.iterdir()) == []
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", str(folder)], check=False)
        else:
            folder.chmod(0o755)


def test_control_characters_from_user_text_are_shown_escaped(capsys):
    assert main(["\x1b[31mx+\x07", "-f", "md", "-o", "-"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    lines = err.splitlines()
    assert lines[1].strip() == r"\x1b[31mx+\x07"
    assert lines[2].index("^") == lines[1].index("\\")
    assert main(["x*2", "-o", "bad\x1b]0;title\x07/\x00", "--no-plot", "-f", "md"]) == 2
    assert "\x1b" not in capsys.readouterr().err


def test_no_timeout_escapes_an_attempt():
    """The alarm repeats every few milliseconds: it used to fire inside attempt()'s own
    except/finally now and then, and the Timeout escaped to the caller."""
    from derive.timeout import attempt

    def stage() -> int:
        return sum(range(2000))

    for i in range(3000):
        attempt(stage, 1e-5 * (i % 7 + 1))


def _run_and_signal(tmp_path: Path, args: list[str], signum: int,
                    ) -> tuple[subprocess.Popen[str], str]:
    """Run `derive ARGS` and signal it once the worker has a child (the plot's drawer, forked
    at its start and alive until the pictures are drawn): a run that is surely still
    working, on a fast machine too (a fixed delay could land after the run ended)."""
    process = subprocess.Popen(command(*args), cwd=tmp_path, env=env(), text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while len(live_processes_in_session(process.pid)) < 3 and time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before the worker had a child"
        time.sleep(0.01)
    time.sleep(0.3)  # into SymPy's import, which alone takes longer than this
    assert process.poll() is None, "the run ended before it was signalled"
    # Ctrl-C reaches the whole foreground group, as a terminal sends it; the others the pid.
    os.kill(-process.pid if signum == signal.SIGINT else process.pid, signum)
    _, err = process.communicate(timeout=60)
    return process, err


def _wait_until_gone(session: int) -> list[str]:
    for _ in range(100):
        left = live_processes_in_session(session)
        if not left:
            return []
        time.sleep(0.05)
    return left


@pytest.mark.parametrize("signum, code, line", [
    (signal.SIGINT, 130, "derive: interrupted\n"),
    (signal.SIGTERM, 128 + signal.SIGTERM, "derive: stopped by SIGTERM\n"),
])
def test_ctrl_c_and_sigterm_stop_everything_in_one_line(tmp_path, signum, code, line):
    process, err = _run_and_signal(tmp_path, ["sigmoid", "-o", "out"], signum)
    assert process.returncode == code, err
    assert err == line
    assert _wait_until_gone(process.pid) == []
    assert not (tmp_path / "out").exists()


def test_sigkill_takes_the_children_with_it(tmp_path):
    process, _ = _run_and_signal(tmp_path, ["sigmoid", "-o", "out"], signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    assert _wait_until_gone(process.pid) == []


def test_the_supervisor_stops_a_run_at_its_bound_with_everything_under_it(tmp_path):
    """A worker stuck beyond any signal handler, with a grandchild of its own: the bound
    ends both, the run says so in one line, exit 1."""
    script = textwrap.dedent("""
        import subprocess, sys, time
        from derive.process.supervisor import supervise

        def work():
            subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
            time.sleep(60)
            return 0

        raise SystemExit(supervise(work, 1.0, what="1 s, the bound of this test"))
    """)
    start = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", script], env=env(), text=True,
                               stderr=subprocess.PIPE, start_new_session=True)
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - start < 10
    assert process.returncode == 1
    assert err == "derive: error: stopped after 1 s, the bound of this test; nothing was written\n"
    assert _wait_until_gone(process.pid) == []


def test_a_stale_tex_build_folder_of_a_dead_run_is_removed():
    from derive.render.pdf import remove_stale_build_folders

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = Path(tempfile.mkdtemp(prefix=f"derive-tex-{dead.pid}-"))
    (stale / "doc.aux").write_text("x")
    ours = Path(tempfile.mkdtemp(prefix=f"derive-tex-{os.getpid()}-"))
    try:
        remove_stale_build_folders()
        assert not stale.exists()
        assert ours.exists()  # a live run's folder stays
    finally:
        ours.rmdir()


def test_a_title_tex_cannot_typeset_is_refused_before_anything_is_written(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["sigmoid", "--title", "微分 ω", "-f", "md,tex", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "U+5FAE" in err and "-f tex" in err
    assert not out.exists()
    # Markdown takes any title; Greek letters are typeset as math in TeX
    assert main(["sigmoid", "--title", "微分 ω", "-f", "md", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("# 微分 ω")
    assert main(["sigmoid", "--title", "Ableitung von σ und ω", "-f", "tex", "-o", "-"]) == 0
    assert r"\ensuremath{\omega}" in capsys.readouterr().out


def test_a_greek_and_accented_title_compiles(tmp_path, capsys):
    import shutil

    if shutil.which("pdflatex") is None:
        pytest.skip("no pdflatex")
    title = "Die Ableitung der Übergangsfunktion ω → σ(ω), façon «élégante» — €5"
    assert main(["sigmoid", "--title", title, "-f", "pdf", "--no-plot", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "sigmoid.pdf").is_file()


def test_a_template_that_extends_itself_is_one_line(tmp_path, capsys):
    (tmp_path / "md").mkdir()
    (tmp_path / "md" / "index.md.j2").write_text('{% extends "md/index.md.j2" %}\n')
    assert main(["sigmoid", "--templates", str(tmp_path), "-f", "md", "-o", "-"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "extends or includes itself" in err


def test_a_form_in_f_that_does_not_use_f_still_gets_code(capsys):
    """min(t**x - x*a, 2): the search's form is a Piecewise in x alone (it was a traceback)."""
    code = main(["min(t**x - x*a, 2)", "-f", "py", "-o", "-"])
    out, err = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in err
    assert "def f_derivative(" in out
