"""What the `derive` command does about its cold start. Measured in bench/bench_sigmoid.py.

- The plot is drawn by a child forked at the very start, which imports matplotlib (half a
  second) while SymPy loads here, then waits for the sampled curves and sends back the
  pictures.
- The properties of f are not started that early. A child forked before SymPy is imported
  must import it again: on a machine whose second core is busy elsewhere that second
  import made the run 1.33x `import sympy` against 1.12x for a child forked once f is built
  (pipeline.Request.parallel), and with both cores free the two were alike (1.10-1.13x).
  The late child pays instead for copying the pages reference counting writes to, which
  the frozen imports below keep small.
- The cyclic garbage collector waits until the imports are done. Importing SymPy makes
  hundreds of thousands of objects and no garbage, and every collection on the way walks
  them all: about 40 ms of a 330 ms import. What the imports built is then frozen, so later
  collections, a forked child's included, do not walk it again.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator

from derive.process.background import Pending


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


def start_drawer() -> Pending:
    """A child that imports matplotlib now and then draws the plot pipeline.start_plot
    sends it (derive.render.figure.draw_all)."""
    from derive.render.figure import draw_all, import_matplotlib

    def prepare() -> None:
        with imports_without_gc():
            import_matplotlib()

    return Pending(draw_all, takes_job=True, prepare=prepare)
