"""output/ is reproducible: regenerating it gives the same bytes (and the same twice)."""

from __future__ import annotations

from pathlib import Path

from derive.examples import regenerate

OUTPUT = Path(__file__).resolve().parents[1] / "output"


def test_regenerating_the_examples_changes_no_byte(tmp_path):
    written = regenerate(tmp_path)
    assert written, "the examples wrote nothing"
    for path in written:
        committed = OUTPUT / path.name
        assert committed.exists(), f"{path.name} is not in output/: run python -m derive.examples"
        assert path.read_bytes() == committed.read_bytes(), (
            f"{path.name} differs from output/: run python -m derive.examples and review the diff")
