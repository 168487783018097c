"""The real-document corpus of `derive check` and its hand classification.

tests/data/check/real/corpus/ holds extracts of open textbooks and course notes (see the
README.md there: sources, commits, licences). chains.tsv beside them classifies every chain
derive finds, by hand: its kind (scalar, equation, vector, definition, other), whether a
careful reader judges it correct, and why. `measure()` checks the corpus and pairs each
chain with its row; test_check_corpus.py holds the targets and bench/bench_check_corpus.py
prints the figures.
"""

from __future__ import annotations

import collections
import csv
from dataclasses import dataclass
from pathlib import Path

from derive.check.chains import ChainResult
from derive.check.runner import DEFAULT_TIMEOUT, check_chain, parse_file
from derive.model import Status

CORPUS = Path(__file__).parent / "data" / "check" / "real" / "corpus"
CLASSIFICATION = CORPUS / "chains.tsv"
# each book's preamble macros (APEX's \fp, \yp, \ds; CLP's \diff), by the file's prefix
MACROS = {"apex_": CORPUS / "apex_macros.sty", "clp_": CORPUS / "clp_macros.sty",
          "clp2_": CORPUS / "clp2_macros.sty", "mooculus_": CORPUS / "mooculus_macros.sty"}
# documents added as a held-out test: measured and classified before derive was changed for
# them (the bench reports them apart; README.md there gives the figures before and after)
HELD_OUT = frozenset({"clp2_integral_notes.tex", "tudelft_chain_rule.md",
                      "tudelft_product_and_quotient_rule.md",
                      "tudelft_integration_by_substitution.md"})
SUFFIXES = (".md", ".tex", ".ipynb")
KINDS = ("scalar", "equation", "vector", "definition", "other")


@dataclass(frozen=True)
class Row:
    file: str
    line: str  # the line, or `cell3:12` (line 12 of Markdown cell 3) in a notebook
    n: int  # the n-th chain that starts on this line
    kind: str
    correct: bool
    why: str

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.file, self.line, self.n)


@dataclass(frozen=True)
class Measured:
    row: Row | None  # None: a chain derive finds that the classification does not know
    key: tuple[str, str, int]
    result: ChainResult

    @property
    def failed(self) -> bool:
        return any(step.status is Status.FAILED for step in self.result.steps)

    @property
    def decided(self) -> bool:
        """Read and decided: no skip, and every = step proved, checked or failed (a
        failed step decides the chain, whatever the others say)."""
        steps = self.result.steps
        if self.result.skipped or not steps:
            return False
        return self.failed or all(s.status in (Status.PROVED, Status.CHECKED) for s in steps)


def rows() -> dict[tuple[str, str, int], Row]:
    found = {}
    with CLASSIFICATION.open(encoding="utf-8") as handle:
        for fields in csv.reader((line for line in handle if not line.startswith("#")),
                                 delimiter="\t"):
            file, line, n, kind, correct, why = fields
            assert kind in KINDS, f"{file}:{line}: unknown kind {kind!r}"
            assert correct in ("yes", "no"), f"{file}:{line}: correct must be yes or no"
            row = Row(file, line, int(n), kind, correct == "yes", why)
            found[row.key] = row
    return found


def documents() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in SUFFIXES)


def measure(timeout: float = DEFAULT_TIMEOUT) -> list[Measured]:
    """Every chain of the corpus, checked with `timeout` per step (the command's default
    unless told: tests give more, so that a busy machine does not leave steps undecided)."""
    classified = rows()
    measured = []
    for path in documents():
        macros = next((str(m) for prefix, m in MACROS.items() if path.name.startswith(prefix)), "")
        starts: collections.Counter[str] = collections.Counter()
        for chain in parse_file(str(path), macros):
            at = f"cell{chain.cell}:{chain.line}" if chain.cell else str(chain.line)
            starts[at] += 1
            key = (path.name, at, starts[at])
            measured.append(Measured(classified.get(key), key,
                                     check_chain(chain, timeout=timeout)))
    return measured


def summary(measured: list[Measured]) -> dict[str, dict[str, int]]:
    """Per kind: chains, decided, failed."""
    table: dict[str, dict[str, int]] = {k: {"chains": 0, "decided": 0, "failed": 0}
                                        for k in (*KINDS, "unclassified")}
    for m in measured:
        kind = m.row.kind if m.row else "unclassified"
        table[kind]["chains"] += 1
        table[kind]["decided"] += m.decided
        table[kind]["failed"] += m.failed
    return table
