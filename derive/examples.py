"""Regenerate the committed examples in output/:  python -m derive.examples [DIR]

The same command the golden test runs: every file it writes must match output/ byte for byte.
"""

from __future__ import annotations

import sys
from pathlib import Path

from derive import pipeline

# (target, formats): the signature example in every format, then the catalog.
SIGNATURE = ("sigmoid", ("md", "tex", "json"))


def examples() -> list[tuple[str, tuple[str, ...]]]:
    return [SIGNATURE]


def regenerate(out: Path) -> list[Path]:
    written: list[Path] = []
    for target_text, formats in examples():
        target = pipeline.resolve(target_text)
        derivation = pipeline.derive(target)
        view = pipeline.document_view(derivation)
        for fmt, text in pipeline.render_formats(view, formats).items():
            path = out / pipeline.output_name(target.name, fmt)
            pipeline.write_atomic(path, text)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path("output")
    for path in regenerate(out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
