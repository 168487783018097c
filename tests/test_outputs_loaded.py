"""Documents do not depend on the clock: the catalog's JSON documents, regenerated while two
other processes keep both cores busy, are the committed ones byte for byte (issue 10.4).

The JSON holds everything a document decides (steps and their verdicts, the form in terms
of f, every property with its verdict), without the plot. Run under `pytest -n 2`, the
machine then has four busy processes on two cores. Each run is bounded: a derive that
hangs fails the test instead of stalling the suite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

OUTPUT = Path(__file__).resolve().parents[1] / "output"
# Long enough for a catalog function on a machine four times oversubscribed, yet a bound.
SECONDS_PER_FUNCTION = 90

BUSY = "while True: pass"


@pytest.fixture
def busy_cores():
    loops = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(2)]
    try:
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


def _catalog() -> list[str]:
    from derive.parse import catalog

    return [entry.name for entry in catalog.entries()]


# One process writes every document (as `python -m derive.examples` does), so the bound
# holds for the whole run.
_WRITE_ALL = """
import sys
from derive.cli import main
from derive.parse import catalog
for entry in catalog.entries():
    if main([entry.name, "-f", "json", "--no-plot", "-o", sys.argv[1]]) != 0:
        raise SystemExit(entry.name)
"""


def test_catalog_documents_are_the_same_on_a_busy_machine(busy_cores, tmp_path):
    names = _catalog()
    subprocess.run([sys.executable, "-c", _WRITE_ALL, str(tmp_path)], check=True,
                   capture_output=True, timeout=SECONDS_PER_FUNCTION * len(names))
    different = [name for name in names if (tmp_path / f"{name}.json").read_bytes()
                 != (OUTPUT / f"{name}.json").read_bytes()]
    assert not different, f"documents that changed under load: {different}"
