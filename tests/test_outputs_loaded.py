"""Documents do not depend on the clock: output/, regenerated while two other processes keep
both cores busy, is the committed output/ byte for byte (issue 10.4).

Every file `python -m derive.examples` writes is compared: the Markdown, LaTeX, JSON and
code of every catalog function (their steps, each step's verdict and method, the form in
terms of f, the properties), the sigmoid's slides and HTML, and the plots. Run under
`pytest -n 2`, the machine then has at least four busy processes on two cores. The run is
bounded: a regeneration that hangs fails the test instead of stalling the suite.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

OUTPUT = Path(__file__).resolve().parents[1] / "output"
# Long enough for the whole of output/ on a machine several times oversubscribed (about
# 40 s idle), yet a bound.
SECONDS = 1200

BUSY = "while True: pass"


@pytest.fixture
def busy_cores() -> Iterator[None]:
    loops = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(2)]
    try:
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


def test_output_is_the_same_byte_for_byte_on_a_busy_machine(busy_cores, tmp_path):
    # A process of its own, as `python -m derive.examples` is run: cold caches, every
    # import and first call paid under load.
    done = subprocess.run([sys.executable, "-m", "derive.examples", str(tmp_path)],
                          capture_output=True, text=True, timeout=SECONDS)
    assert done.returncode == 0, done.stderr[-2000:]
    written = [Path(line) for line in done.stdout.splitlines()]
    assert sorted(p.name for p in written) == sorted(p.name for p in OUTPUT.iterdir()), (
        "output/ holds other files than the examples write: run python -m derive.examples")
    different = sorted(p.name for p in written
                       if p.read_bytes() != (OUTPUT / p.name).read_bytes())
    assert not different, f"files that changed under load: {different}"
    markdown = [p for p in written if p.suffix == ".md"]
    assert len(markdown) >= 13  # every catalog function's document was among them
