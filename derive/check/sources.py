"""Which files `derive check` reads, and reading them safely.

Folders are searched for `*.derive` (hidden folders skipped, symlinked folders not
followed, so a link loop cannot hang the search); files named on the command line are
read whatever their suffix, `.tex` and `.md` as documents. A file larger than
`MAX_BYTES`, or one that is binary or not UTF-8, is refused with one clear line.
"""

from __future__ import annotations

import os
from pathlib import Path

from derive.check.chains import FileProblem, FileProblemError

MAX_BYTES = 1 << 20  # 1 MiB: far more than any hand-written derivation
SUFFIX = ".derive"
DOCUMENT_KINDS = {".tex": "tex", ".md": "md", ".markdown": "md"}


def kind_of(path: str) -> str:
    """"derive", "tex" or "md": how a file is read."""
    return DOCUMENT_KINDS.get(Path(path).suffix.lower(), "derive")


def discover(paths: list[str]) -> tuple[list[str], list[FileProblem]]:
    """The files to check, in a stable order, and the paths that do not exist."""
    files: list[str] = []
    problems: list[FileProblem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(_search(path))
        elif path.exists():
            files.append(given)
        else:
            problems.append(FileProblem(given, "no such file or folder"))
    unique = list(dict.fromkeys(files))  # first occurrence wins, order kept
    return unique, problems


def _search(folder: Path) -> list[str]:
    found: list[str] = []
    for root, dirs, names in os.walk(folder):  # followlinks=False: no symlink loops
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, name) for name in sorted(names)
                     if name.endswith(SUFFIX) and not name.startswith("."))
    return found


def read_text(path: str) -> str:
    """The file's text, or FileProblemError for a file that is not small UTF-8 text."""
    try:
        with open(path, "rb") as handle:
            # Read one byte past the limit rather than trusting the size on disk: a pipe
            # or a device (/dev/zero) has no size and must not be read forever.
            data = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise _problem(path, "is a folder, not a file") from None
    except OSError as error:
        raise _problem(path, f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise _problem(path, f"file is too large (more than {MAX_BYTES // (1 << 20)} MiB); "
                             "derive check reads hand-written derivations")
    if b"\0" in data:
        raise _problem(path, "binary file (it contains NUL bytes), not a derivation")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise FileProblemError(FileProblem(path, "not UTF-8 text", line, column)) from None


def _problem(path: str, message: str) -> FileProblemError:
    return FileProblemError(FileProblem(path, message))
