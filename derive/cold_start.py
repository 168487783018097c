"""What the `derive` command starts before it imports SymPy, so that both cores work from the
first millisecond. Measured in bench/bench_sigmoid.py.

- The properties of f are found in a child process forked now, while this process is still
  small. The child imports SymPy and builds its own objects. A child forked after
  `import sympy` shares some 60 MB with its parent and copies every page that reference
  counting writes to: the same properties took 89 to 140 ms there against 71 to 76 ms in
  process.
- The plot is drawn by another child forked now, which imports matplotlib (half a second)
  while SymPy loads here, then waits for the sampled curves and sends back the pictures.
- The cyclic garbage collector waits until the imports are done. Importing SymPy makes
  hundreds of thousands of objects and no garbage, and every collection on the way walks
  them all: about 40 ms of a 330 ms import. What the imports built is then frozen, so later
  collections do not walk it again.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from typing import Any

from derive.background import Pending


@contextlib.contextmanager
def imports_without_gc() -> Iterator[None]:
    """Import heavy modules with the cyclic collector paused; freeze what they built. A
    process that has SymPy already (the tests, a notebook) is left alone: freezing there
    would keep whatever garbage it holds for ever."""
    if "sympy" in sys.modules:
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # module-level objects live as long as the process: never walk them again
        if enabled:
            gc.enable()


def start_properties(text: str, *, var: str | None, timeout: float) -> Pending:
    """The properties of the function `text` names (as pipeline.resolve reads it), under way
    in a child process; result() gives what pipeline.definition_properties gives."""

    def work() -> list[dict[str, Any]]:
        with imports_without_gc():
            from derive import pipeline

        target = pipeline.resolve(text, var=var)
        return pipeline.definition_properties(target.definition, timeout=timeout)

    return Pending(work)


def start_drawer() -> Pending:
    """A child that imports matplotlib now and then draws the plot pipeline.start_plot
    sends it (derive.figure.draw_all)."""
    from derive.figure import draw_all, import_matplotlib

    def prepare() -> None:
        with imports_without_gc():
            import_matplotlib()

    return Pending(draw_all, takes_job=True, prepare=prepare)
