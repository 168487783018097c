"""Files written whole or not at all: the one way derive puts anything on disk."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from derive.errors import OutputError, UsageError


def check_output_folder(folder: Path, option: str = "-o") -> None:
    """Refuse, before any work, a folder that cannot be written: a file in its place, a
    read-only folder, or a missing one whose nearest existing parent is read-only."""
    if "\x00" in str(folder):
        raise UsageError(f"{option}: a folder name cannot hold a NUL character")
    existing = folder
    while not existing.exists():
        if existing.is_symlink():  # a dangling link: mkdir would fail on it
            raise UsageError(f"{option} {folder}: {existing} is a broken link")
        parent = existing.parent
        if parent == existing:
            break
        existing = parent
    if not existing.is_dir():
        what = "is a file, not a folder" if existing == folder else f"is inside {existing}, a file"
        raise UsageError(f"{option} {folder}: {what}")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {folder}: {existing} is not writable")


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write through a temporary file in the same folder, then rename: never half-written."""
    write_all([(path, data)])


def write_all(files: Sequence[tuple[Path, str | bytes]]) -> list[Path]:
    """Write every file or none: each goes to a temporary file beside its destination first,
    and only when all of them are complete are they renamed into place. A full disk, a
    file-size limit or a read-only folder raises OutputError and leaves nothing behind,
    not even a folder this call made."""
    made: list[Path] = []
    temporaries: list[tuple[Path, Path]] = []
    current = files[0][0] if files else Path()
    try:
        for path, data in files:
            current = path
            if path.is_dir() and not path.is_symlink():  # a rename onto it would fail late
                raise IsADirectoryError(21, "a folder is in its place")
            made.extend(_make_folders(path.parent))
            # Not mkstemp: its files are 0600, and the rename would keep that. Opening with
            # 0666 lets the umask decide, as for any file a program writes.
            tmp = path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            temporaries.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        for tmp, path in temporaries:
            current = path
            os.replace(tmp, path)
    except BaseException as error:
        for tmp, _ in temporaries:
            tmp.unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(error, OSError):
            reason = error.strerror or type(error).__name__
            raise OutputError(f"cannot write {current}: {reason}; nothing was written") from None
        raise
    return [path for path, _ in files]


def _make_folders(folder: Path) -> list[Path]:
    """Make `folder` and its missing parents; the ones made, outermost first."""
    missing: list[Path] = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    made = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            if not path.is_dir():
                raise
            continue
        made.append(path)
    return made
