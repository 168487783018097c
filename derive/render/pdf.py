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
from collections.abc import Mapping, Sequence
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
    from derive.process.files import write_atomic

    destination = Path(destination)
    files = {Path(resource).name: Path(resource).read_bytes() for resource in resources}
    write_atomic(destination, compile_pdf(tex_source, destination.with_suffix(".tex").name,
                                          resources=files, timeout=timeout))
    return destination


_BUILD_PREFIX = "derive-tex-"


def compile_pdf(tex_source: str, document: str, *, resources: Mapping[str, bytes] | None = None,
                timeout: float = TIMEOUT) -> bytes:
    """The PDF of `tex_source`, compiled as `document` (a .tex name, shown in errors) beside
    `resources` (file name -> bytes: the plot PDF it includes). Nothing is written outside a
    temporary folder, which is removed afterwards; a killed run's folder is removed by the
    next build (remove_stale_build_folders)."""
    engine = find_engine()
    remove_stale_build_folders()
    with tempfile.TemporaryDirectory(prefix=f"{_BUILD_PREFIX}{os.getpid()}-") as folder:
        build = Path(folder)
        for name, data in (resources or {}).items():
            (build / name).write_bytes(data)
        (build / document).write_text(tex_source, encoding="utf-8")
        env = {**os.environ, **_REPRODUCIBLE, **_CONFINED, "TEXMFOUTPUT": str(build)}
        stem = document.removesuffix(".tex")
        for command in engine.commands(document):
            code, output = _run(command, build, env, timeout)
            if code != 0:
                raise _build_error(document, build / f"{stem}.log", output, code, timeout)
        built = build / f"{stem}.pdf"
        if not built.is_file():
            raise _build_error(document, build / f"{stem}.log", "", 0, timeout)
        return built.read_bytes()


def remove_stale_build_folders() -> None:
    """Remove the build folders of derive runs that died without removing their own (their
    process is gone): the folder's name carries the pid of the run that made it."""
    base = Path(tempfile.gettempdir())
    try:
        entries = list(base.glob(f"{_BUILD_PREFIX}*"))
    except OSError:
        return
    for entry in entries:
        pid_text = entry.name.removeprefix(_BUILD_PREFIX).partition("-")[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        try:
            if entry.is_symlink() or not entry.is_dir() or entry.lstat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: not ours to judge
        return True
    return True


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[int | None, str]:
    """Run in its own process group, so a timeout stops latexmk and the pdflatex under it."""
    from derive.process.supervisor import die_with_parent

    parent = os.getpid()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True,
                               # TeX dies with derive, even when derive is killed by SIGKILL.
                               preexec_fn=lambda: die_with_parent(parent))
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
