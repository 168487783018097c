"""Regenerate the committed examples in output/:  python -m derive.examples [DIR]

It runs the `derive` command itself for each example, so output/ shows exactly what users
get. The golden test runs the same function: every file must match output/ byte for byte.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

SIGNATURE = ("sigmoid", "md,tex,json,slides,py,html,fragment")
CATALOG_FORMATS = "md,tex,json,py"


def examples() -> list[tuple[str, str]]:
    from derive.parse import catalog

    runs = [SIGNATURE]
    runs += [(entry.name, CATALOG_FORMATS) for entry in catalog.entries() if entry.name != "sigmoid"]
    return runs


def regenerate(out: Path) -> list[Path]:
    from derive.cli import main

    written: list[Path] = []
    for target, formats in examples():
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = main([target, "-f", formats, "-o", str(out)])
        if code != 0:
            raise SystemExit(f"derive {target} exited {code}")
        written += [Path(line) for line in printed.getvalue().splitlines()]
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in regenerate(Path(args[0]) if args else Path("output")):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
