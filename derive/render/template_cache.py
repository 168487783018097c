"""Compiled templates kept on disk between runs, as Python keeps bytecode: a cold `derive`
then loads its templates in about 1 ms instead of compiling them in about 17.

Jinja's own FileSystemBytecodeCache does the work: an entry is keyed by template name and
file, and used only while the template's source checksum and Jinja's version match. Three
things are added here. An entry carries the SHA-256 of its bytes and is never loaded, so
never executed, unless they match (a corrupted entry crashed the interpreter). Each
delimiter family gets its own folder, because the same file read with TeX delimiters
compiles to different code. And the cache never stands in the way: a
folder that cannot be made, is not this user's own, or cannot be written means the
templates are compiled as before.

The folder is $XDG_CACHE_HOME/derive/templates (default ~/.cache); DERIVE_NO_CACHE=1 turns
the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import stat
from pathlib import Path

import jinja2

_DIGEST = 32  # bytes of SHA-256
_MAX_ENTRY = 16 * 1024 * 1024  # no compiled template of derive's comes near this


class _VerifiedCache(jinja2.FileSystemBytecodeCache):
    """Entries stored as SHA-256(entry) + entry, and loaded only when the digest matches.

    Loading an entry runs its code: a truncated or corrupted file (a full disk, a crash
    while copying a home folder, a flipped bit) unmarshals into a code object that crashes
    the interpreter ("unknown opcode", a segfault) instead of raising. The digest makes
    such an entry a miss, removed and compiled afresh. An entry that cannot be read or
    written is simply not used.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        filename = self._get_cache_filename(bucket)
        try:
            with open(filename, "rb") as handle:
                stored = handle.read(_MAX_ENTRY + _DIGEST + 1)
        except OSError:
            return
        digest, entry = stored[:_DIGEST], stored[_DIGEST:]
        if len(stored) > _MAX_ENTRY + _DIGEST or hashlib.sha256(entry).digest() != digest:
            bucket.reset()
            with contextlib.suppress(OSError):
                os.remove(filename)
            return
        try:
            bucket.load_bytecode(io.BytesIO(entry))
        # Written by another Jinja2 or Python (the header is pickled, the code marshalled).
        except (EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        entry = io.BytesIO()
        bucket.write_bytecode(entry)
        data = entry.getvalue()
        filename = self._get_cache_filename(bucket)
        temporary = f"{filename}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            with open(temporary, "wb") as handle:
                handle.write(hashlib.sha256(data).digest() + data)
            os.replace(temporary, filename)  # whole or not at all
        except OSError:
            with contextlib.suppress(OSError):
                os.remove(temporary)


def bytecode_cache(family: str) -> jinja2.BytecodeCache | None:
    """The cache for one delimiter family, or None where none can be kept safely."""
    if os.environ.get("DERIVE_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    ours = Path(base) / "derive"
    folder = ours / "templates" / family
    try:
        Path(base).mkdir(parents=True, exist_ok=True)
        for path in (ours, ours / "templates", folder):  # parents=True would ignore the mode
            path.mkdir(mode=0o700, exist_ok=True)
        # Loading an entry runs its code: use only real folders that this user alone can
        # write, from derive's own down, so that nobody else can swap one in.
        if not all(_private(path) for path in (ours, ours / "templates", folder)):
            return None
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    # A new name for the new format: entries of the unverified one are never read.
    return _VerifiedCache(str(folder), "%s.jinja-sha256")


def _private(path: Path) -> bool:
    info = path.lstat()
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))
