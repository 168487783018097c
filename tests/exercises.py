"""Real derivative exercises for tests and measurements: tests/data/exercises/*.txt.

Each file is one source (an open textbook's section, PyTorch's activation list, common losses),
with its source and licence in the header. One expression per line in derive's syntax; a
``# var: t`` comment line sets the variable of the next expression (default x); the text after
``  #`` on a line is the exercise's number or name in its source.

    from exercises import exercises, textbook, activations
    for case in textbook():
        derivation = derive(parse_expression(case.text), case.variable)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).parent / "data" / "exercises"
TEXTBOOK_PREFIXES = ("openstax_", "apex_")
ACTIVATION_FILES = ("pytorch_activations.txt",)
LOSS_FILES = ("losses.txt",)


@dataclass(frozen=True)
class Exercise:
    text: str        # the expression in derive syntax
    variable: str    # the variable to differentiate in
    source: str      # the file's name, e.g. "openstax_calculus1_3_6.txt"
    label: str       # the exercise's number or name in its source
    line: int        # 1-based line in the file

    @property
    def id(self) -> str:
        """A short, unique, readable test id: file stem and line."""
        return f"{Path(self.source).stem}:{self.line}"


def read(path: Path) -> Iterator[Exercise]:
    variable = "x"
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("# var:"):
                variable = line.removeprefix("# var:").strip()
            continue
        text, _, label = line.partition("  #")
        yield Exercise(text.strip(), variable, path.name, label.strip(), number)
        variable = "x"


def exercises(*names: str) -> list[Exercise]:
    """Every exercise of the named files (all files when none is named), in a stable order."""
    paths = [FOLDER / name for name in names] if names else sorted(FOLDER.glob("*.txt"))
    return [case for path in paths for case in read(path)]


def textbook() -> list[Exercise]:
    return [case for case in exercises() if case.source.startswith(TEXTBOOK_PREFIXES)]


def activations() -> list[Exercise]:
    return exercises(*ACTIVATION_FILES)


def losses() -> list[Exercise]:
    return exercises(*LOSS_FILES)
