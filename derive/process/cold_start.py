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
- Two SymPy modules are imported only when something uses them. sympy.simplify (and
  checksol) import sympy.physics.units on every call just to ask whether the expression
  holds a physical `Quantity`; the first such import builds SymPy's unit systems, about
  0.2 s, half of SymPy's own import again, in every run whose Result search, code or
  verifier simplifies anything. Add.flatten imports sympy.tensor.tensor (25 ms) to ask for
  tensor sums. In the command's worker (modules_on_demand) a stand-in module answers these
  questions: no object can be an instance of a class whose module has never run, and
  derive's parsers make neither units nor tensors. Anything else asked of a stand-in
  imports the real module first.
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


@contextlib.contextmanager
def child_imports_without_gc() -> Iterator[None]:
    """imports_without_gc for a forked child importing a heavy module of its own (NumPy in
    the code's measurement: 7 ms of its 65 were collections walking what the import had
    just built): the collector paused, then the import frozen. Unlike the command's own
    process, a child may hold SymPy already and still freeze: it lives for one job."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
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


class _NotYetDefined:
    """A class of SymPy's that a stand-in module names (Quantity, TensExpr, ...) while the
    real class has never been defined: isinstance() and Basic.has() are False for every
    object, as they are for the real class on an expression that holds none."""


class _OnDemand(types.ModuleType):
    """sys.modules' entry for a SymPy module until something needs more of it than the
    names SymPy's core asks for in passing: then the real module is imported and takes the
    entry over (and the stand-in's names become the real ones, for whoever holds it)."""

    def __getattr__(self, name: str) -> Any:  # only for names the stand-in does not have
        if name.startswith("__") and name.endswith("__"):  # the import system's probes
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


def _real(name: str) -> types.ModuleType:
    stand_in = sys.modules.get(name)
    if isinstance(stand_in, _OnDemand):
        del sys.modules[name]
    real = importlib.import_module(name)
    if isinstance(stand_in, _OnDemand):
        stand_in.__dict__.update(real.__dict__)
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, real)
    return real


# Module, the names asked of it in passing, whether it is a package. sympy.simplify (and
# checksol) import sympy.physics.units on every call to ask for a Quantity (or Unit): its first
# import builds SymPy's unit systems, about 0.2 s. Add.flatten imports sympy.tensor.tensor
# for TensExpr and TensAdd: 25 ms, most of it sympy.combinatorics' polyhedra.
_STAND_INS = (
    ("sympy.physics.units", ("Quantity", "Unit"), True),
    ("sympy.tensor.tensor", ("TensExpr", "TensAdd"), False),
)


def modules_on_demand() -> None:
    """Install the stand-ins (see the module's docstring). For the command's own worker
    only (a process that is derive's alone); a module imported already is left as it is."""
    sympy_spec = importlib.util.find_spec("sympy")  # found, not imported
    if sympy_spec is None or not sympy_spec.submodule_search_locations:
        return
    root = sympy_spec.submodule_search_locations[0]
    for name, names, package in _STAND_INS:
        if name in sys.modules:
            continue
        stand_in = _OnDemand(name)
        for attribute in names:
            setattr(stand_in, attribute, type(attribute, (_NotYetDefined,), {}))
        if package:
            # `from sympy.physics.units import Quantity` then asks the stand-in for the
            # name, and a submodule (sympy.physics.units.systems) is still found on disk
            stand_in.__path__ = [os.path.join(root, *name.split(".")[1:])]
        sys.modules[name] = stand_in
