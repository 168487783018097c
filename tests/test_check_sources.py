"""Which files `derive check` opens: regular files only, every folder or an error."""

from __future__ import annotations

import os

import pytest

from derive.check.command import main


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_is_refused_without_blocking(tmp_path, capsys):
    os.mkfifo(tmp_path / "a.derive")  # opening it for reading would wait for a writer
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{tmp_path / 'a.derive'}: is not a regular file (a named pipe); "
                   "derive check reads files only"]


def test_a_device_is_refused(capsys):
    assert main(["/dev/zero"]) == 2
    assert "is not a regular file (a device)" in capsys.readouterr().err


def test_an_unreadable_sub_folder_is_an_error(tmp_path, capsys, monkeypatch):
    (tmp_path / "ok.md").write_text("$$ \\frac{d}{dx} x^2 = 2x $$\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path="."):  # as for a folder without read permission (tests may run as root)
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main([str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [f"{locked}: cannot read this folder: Permission denied"]
    assert "1 proved" in captured.out  # the readable files are still checked


def test_a_folder_with_nothing_to_check_is_exit_2(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("$$ a = b $$\n")
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{tmp_path}: nothing to check in this folder (no .derive, .tex, .md, "
                   ".markdown, .ipynb files)"]


def test_a_folder_finds_every_document_kind(tmp_path, capsys):
    for name in ("a.derive", "b.md", "c.markdown", "d.tex"):
        (tmp_path / name).write_text("x\n  = x\n" if name.endswith(".derive")
                                     else "$$ \\frac{d}{dx} (x+1)^2 = 2x + 2 $$\n")
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("4 files, 4 chains, 4 steps: 4 proved")


@pytest.mark.parametrize("text", [
    "% a comment line, as in a long preamble\n" * 25_000,
    "<!-- " * 200_000,
    "```\nx\n" * 100_000,
    "\\begin{align} " * 70_000,
    "\\newcommand{\\a}{" * 60_000,
    "\\[ " * 300_000,
])
def test_hostile_documents_read_in_linear_time(tmp_path, text, capsys):
    """Each of these took minutes when masking was quadratic; now they read (nothing to
    check, or skipped) without a step: the bench (bench/bench_check_read.py) has the times."""
    suffix = ".md" if text.startswith(("<", "`")) else ".tex"
    path = tmp_path / f"big{suffix}"
    path.write_text(text[: (1 << 20) - 1])
    assert main([str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("1 file, 0 chains")
