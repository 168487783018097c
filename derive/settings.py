"""`[tool.derive]` in pyproject.toml: the defaults a project sets for `derive` and
`derive check`, as black, ruff and pytest read theirs.

    [tool.derive]
    timeout = 5              # seconds each check may take (default 2)
    strict = true            # derive check --strict
    paths = ["docs", "notes"]  # what `derive check` checks when no PATH is given
    exclude = ["docs/drafts", "*.draft.derive"]  # files and folders derive check skips

The nearest pyproject.toml from the current folder upwards is read; its paths are relative
to its folder. Command-line options win over it. A key derive does not know, or a value of
the wrong type, is an error (exit 2), so a misspelt setting is never silently ignored.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from derive.errors import UsageError

KEYS = ("timeout", "strict", "paths", "exclude")


@dataclass(frozen=True)
class Settings:
    timeout: float | None = None
    strict: bool = False
    paths: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    source: Path | None = None  # the pyproject.toml read, if any
    root: Path = field(default_factory=Path.cwd)

    def excluded(self, path: str) -> bool:
        """Whether a file is skipped: a pattern matches its path (relative to the project
        folder), or one of the folders on the way to it, or its name."""
        if not self.exclude:
            return False
        try:
            relative = PurePath(os.path.relpath(Path(path).resolve(), self.root.resolve()))
        except ValueError:  # another drive
            relative = PurePath(path)
        parts = relative.parts
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        return any(fnmatch.fnmatchcase(candidate, pattern.rstrip("/"))
                   for pattern in self.exclude for candidate in (*prefixes, parts[-1]))


def find_pyproject(start: Path | None = None) -> Path | None:
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file():
            return path
    return None


def load(start: Path | None = None) -> Settings:
    """The [tool.derive] settings of the nearest pyproject.toml (none: the defaults)."""
    path = find_pyproject(start)
    if path is None:
        return Settings()
    import tomllib

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: cannot read it: {error}") from None
    table = data.get("tool", {}).get("derive", {})
    where = f"{path}: [tool.derive]"
    if not isinstance(table, dict):
        raise UsageError(f"{where} must be a table")
    for key in table:
        if key not in KEYS:
            raise UsageError(f"{where}: unknown key '{key}'; derive reads {', '.join(KEYS)}")
    timeout = table.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float)
                                or not 0 < timeout < float("inf")):
        raise UsageError(f"{where}: timeout must be a positive number of seconds, not {timeout!r}")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise UsageError(f"{where}: strict must be true or false, not {strict!r}")
    lists = {}
    for key in ("paths", "exclude"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"{where}: {key} must be a list of strings")
        lists[key] = tuple(value)
    root = path.parent
    # Relative to the project folder, shown relative to where derive runs (as it reports them).
    paths = tuple(p if Path(p).is_absolute() else os.path.relpath(root / p) for p in lists["paths"])
    return Settings(None if timeout is None else float(timeout), strict, paths,
                    lists["exclude"], path, root)
