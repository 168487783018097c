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
- sympy.physics.units is imported only when something uses it. sympy.simplify (and
  checksol) import it on every call just to ask whether the expression holds a physical
  `Quantity`; the first such import builds SymPy's unit systems, about 0.2 s, half of SymPy's
  own import again, in every run whose Result search, code or verifier simplifies anything.
  In the command's worker (units_on_demand) a stand-in answers that question: no object can
  be a `Quantity` while the module defining the class has never run, and derive's parsers
  make no units. Anything else asked of the module imports the real one first.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import os
import sys
import types
from collections.abc import Iterator
from typing import Any

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


UNITS = "sympy.physics.units"


class _NoQuantity:
    """What `Quantity` (and its alias `Unit`) is while the real class has never been defined:
    isinstance() and Basic.has() are False for every object, as they are for the real one
    on an expression without units."""


class _UnitsOnDemand(types.ModuleType):
    """sys.modules' entry for sympy.physics.units until something needs more of it than the
    `Quantity` and `Unit` names: then the real module is imported and takes the entry over."""

    Quantity = Unit = _NoQuantity

    def __getattr__(self, name: str) -> Any:  # only for names not set above
        return getattr(_real_units(), name)


def _real_units() -> types.ModuleType:
    stand_in = sys.modules.get(UNITS)
    if isinstance(stand_in, _UnitsOnDemand):
        del sys.modules[UNITS]
    real = importlib.import_module(UNITS)
    if isinstance(stand_in, _UnitsOnDemand):
        # whoever holds the stand-in (a `from ... import` under way) now sees the real names
        stand_in.__dict__.update(real.__dict__)
    physics = sys.modules.get("sympy.physics")
    if physics is not None:
        physics.units = real  # type: ignore[attr-defined]
    return real


def units_on_demand() -> None:
    """Install the stand-in for sympy.physics.units (see the module's docstring). For the
    command's own worker only: a process that imported the real module keeps it."""
    if UNITS in sys.modules:
        return
    sympy_spec = importlib.util.find_spec("sympy")  # found, not imported
    if sympy_spec is None or not sympy_spec.submodule_search_locations:
        return
    stand_in = _UnitsOnDemand(UNITS)
    # A package's path, so that `from sympy.physics.units import Quantity` asks the stand-in
    # for the name, and a submodule (sympy.physics.units.systems) is still found on disk.
    stand_in.__path__ = [os.path.join(sympy_spec.submodule_search_locations[0],
                                      "physics", "units")]
    sys.modules[UNITS] = stand_in
