"""Which files `derive check` reads, and reading them safely.

Folders are searched for every kind of file derive reads: `.derive`, `.tex`, `.md`,
`.markdown` and Jupyter notebooks (`.ipynb`); hidden folders are skipped and symlinked
folders not followed, so a link loop cannot hang the search. A folder that cannot be read
is an error, not a silent gap, and so is a folder with nothing derive reads. Files named
on the command line are read whatever their suffix. Only regular files are opened: a pipe
or a device would block or never end. A file larger than `MAX_BYTES`, or one that is
binary or not UTF-8, is refused with one clear line.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from derive.check.chains import FileProblem, FileProblemError

MAX_BYTES = 1 << 20  # 1 MiB: far more than any hand-written derivation
_CHUNK = 1 << 16  # bytes asked for per read
SUFFIX = ".derive"
DOCUMENT_KINDS = {".tex": "tex", ".md": "md", ".markdown": "md", ".ipynb": "ipynb"}
SUFFIXES = (SUFFIX, *DOCUMENT_KINDS)
STDIN = "-"  # the path that reads a .derive text from standard input


def kind_of(path: str) -> str:
    """"derive", "tex", "md" or "ipynb": how a file is read."""
    return DOCUMENT_KINDS.get(Path(path).suffix.lower(), "derive")


def discover(paths: list[str]) -> tuple[list[str], list[FileProblem]]:
    """The files to check, in a stable order, and the paths that cannot be searched."""
    files: list[str] = []
    problems: list[FileProblem] = []
    for given in paths:
        path = Path(given)
        if given == STDIN:
            files.append(given)
        elif path.is_dir():
            found, unreadable = _search(path)
            files.extend(found)
            problems.extend(unreadable)
            if not found and not unreadable:
                problems.append(FileProblem(given, "nothing to check in this folder (no "
                                            + ", ".join(SUFFIXES) + " files)"))
        elif path.exists() or path.is_symlink():
            files.append(given)
        else:
            problems.append(FileProblem(given, "no such file or folder"))
    return list(dict.fromkeys(files)), problems


def _search(folder: Path) -> tuple[list[str], list[FileProblem]]:
    found: list[str] = []
    problems: list[FileProblem] = []

    def unreadable(error: OSError) -> None:
        problems.append(FileProblem(str(error.filename or folder),
                                    f"cannot read this folder: {error.strerror or error}"))

    # followlinks=False: no symlink loops
    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, name) for name in sorted(names)
                     if name.lower().endswith(SUFFIXES) and not name.startswith("."))
    return found, problems


def read_text(path: str) -> str:
    """The file's text, or FileProblemError for a file that is not small UTF-8 text."""
    if path == STDIN:  # `derive check -`: bounded as a file is
        return _decoded(path, sys.stdin.buffer.read(MAX_BYTES + 1))
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        raise _problem(path, "is a folder, not a file") from None
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket
            raise _problem(path, "is not a regular file (a socket)") from None
        raise _problem(path, f"cannot read: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise _problem(path, "is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise _problem(path, f"is not a regular file (a {_kind_of_mode(mode)}); "
                                 "derive check reads files only")
        try:
            data = _bounded_read(handle)
        except OSError as error:
            raise _problem(path, f"cannot read: {error.strerror or error}") from None
    return _decoded(path, data)


def _bounded_read(handle: BinaryIO) -> bytes:
    """At most MAX_BYTES + 1 bytes (one past the limit rather than trusting the size on
    disk), in chunks: a single read(MAX_BYTES + 1) makes Python allocate the whole MiB
    first, for every file, most of which are a few hundred bytes."""
    chunks: list[bytes] = []
    total = 0
    while total <= MAX_BYTES:
        chunk = handle.read(min(_CHUNK, MAX_BYTES + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _decoded(path: str, data: bytes) -> str:
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


def _kind_of_mode(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _problem(path: str, message: str) -> FileProblemError:
    return FileProblemError(FileProblem(path, message))
