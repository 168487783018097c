"""Compile a rendered TeX document to PDF (`-f pdf`) with latexmk, or pdflatex twice.

The build runs in a temporary folder, so TeX's auxiliary files never reach the output folder,
and only a finished PDF is moved into place (a temporary file beside the destination, then a
rename): a failed build leaves no PDF, half-written or stale from this run. TeX runs without
shell escape, may not read outside its own tree and the build folder (``openin_any=p``), and
gets a fixed date so the same document gives the same bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from derive.errors import TexBuildError, TexMissingError

# What a Debian or Ubuntu machine needs for -f pdf: pdflatex, the article and Beamer classes,
# TikZ/pgf (Beamer's drawing layer) and latexmk. The README and .ci/run name the same list.
DEBIAN_PACKAGES = "texlive-latex-base texlive-latex-recommended texlive-pictures latexmk"

TIMEOUT = 120.0  # seconds for a whole build; a document that loops is stopped, not waited on

_TEX_OPTIONS = ("-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape")
_REPRODUCIBLE = {"SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"}
# Defence in depth: escaping already keeps user text from becoming commands, and this keeps
# TeX from reading absolute paths or dot files, or writing outside the build folder.
_CONFINED = {"openin_any": "p", "openout_any": "p"}


def _tex_error(document: str, error_line: str, line_number: int | None, log: str) -> TexBuildError:
    hint = f" (missing TeX package? on Debian: apt-get install {DEBIAN_PACKAGES})" \
        if _MISSING_FILE.search(error_line) else ""
    return TexBuildError(document, error_line, line_number, log, hint=hint)


_MISSING_FILE = re.compile(r"File `[^']+\.(?:cls|sty)' not found")


@dataclass(frozen=True)
class Engine:
    """How to run TeX here: latexmk when present (it reruns until references settle)."""

    pdflatex: str
    latexmk: str | None

    def commands(self, tex_name: str) -> list[list[str]]:
        if self.latexmk:
            return [[self.latexmk, "-pdf", "-norc", "-silent", f"-pdflatex={self.pdflatex} %O %S",
                     *_TEX_OPTIONS, tex_name]]
        # Two runs settle what Beamer and hyperref write to .aux/.nav/.out for the next run.
        return [[self.pdflatex, *_TEX_OPTIONS, tex_name]] * 2


def find_engine() -> Engine:
    """The TeX programs on PATH, or TexMissingError naming the packages to install."""
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        raise TexMissingError(DEBIAN_PACKAGES)
    return Engine(pdflatex, shutil.which("latexmk"))


def build_pdf(tex_source: str, destination: Path, *, resources: Sequence[Path] = (),
              timeout: float = TIMEOUT) -> Path:
    """Compile `tex_source` and put the PDF at `destination`; `resources` (the plot PDF the
    document includes) are copied beside the source under their own names."""
    engine = find_engine()
    destination = Path(destination)
    document = destination.with_suffix(".tex").name
    with tempfile.TemporaryDirectory(prefix="derive-tex-") as folder:
        build = Path(folder)
        for resource in resources:
            shutil.copyfile(resource, build / Path(resource).name)
        (build / document).write_text(tex_source, encoding="utf-8")
        env = {**os.environ, **_REPRODUCIBLE, **_CONFINED, "TEXMFOUTPUT": str(build)}
        for command in engine.commands(document):
            code, output = _run(command, build, env, timeout)
            if code != 0:
                raise _build_error(document, build / destination.with_suffix(".log").name,
                                   output, code, timeout)
        built = build / destination.with_suffix(".pdf").name
        if not built.is_file():
            raise _build_error(document, build / destination.with_suffix(".log").name,
                               "", 0, timeout)
        _move_into_place(built, destination)
    return destination


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[int | None, str]:
    """Run in its own process group, so a timeout stops latexmk and the pdflatex under it."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return None, ""
    return process.returncode, output.decode("utf-8", "replace")


def _build_error(document: str, log_path: Path, output: str, code: int | None,
                 timeout: float) -> TexBuildError:
    log = log_path.read_text("utf-8", "replace") if log_path.is_file() else ""
    if code is None:
        return _tex_error(document, f"stopped after {timeout:g} s", None, log)
    found = first_error(log)
    if found is not None:
        return _tex_error(document, found[0], found[1], log)
    lines = [line for line in output.splitlines() if line.strip()]
    last = lines[-1].strip() if lines else "no PDF was produced"
    return _tex_error(document, f"exit code {code}: {last}", None, log)


_ERROR = re.compile(r"^! .*$", re.MULTILINE)
_LINE = re.compile(r"^l\.(\d+)", re.MULTILINE)


def first_error(log: str) -> tuple[str, int | None] | None:
    """The first `! ...` line of a TeX log and the source line (`l.N`) it points at."""
    match = _ERROR.search(log)
    if match is None:
        return None
    line = _LINE.search(log, match.end())
    return match.group(0).strip(), int(line.group(1)) if line else None


def _move_into_place(built: Path, destination: Path) -> None:
    from derive.process.files import write_atomic

    write_atomic(destination, built.read_bytes())
