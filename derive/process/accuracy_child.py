"""The generated code's accuracy measurement, in a child begun as soon as f is built.

The docstring of the NumPy code (shown in md, tex, html and fragment documents, and the
whole of -f py) promises only the region where the code was measured against mpmath
(derive.analysis.codegen_accuracy). That measurement is most of the cost of writing the
code: importing NumPy (about as long as a third of SymPy's import) and mpmath's exact values
of f and f' at about a hundred points, many of them at hundreds of digits. Neither needs the
code: only f, SymPy's f' (the derivative the code's docstring is measured against unless the
Result is piecewise) and the fixed sizes every measurement looks at. So a child forked once f
is built imports NumPy and computes those exact values while the walkthrough is made here;
when the code is written, its text goes to the child, which runs the very measurement
codegen would run here (codegen._measured, the same points, the same exact values: the same
docstring, byte for byte) and sends back the Promise.

Where the child cannot be started, or fails, the measurement runs here, as before
(Pending's fallback): only later, never different.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sympy

from derive.process.background import Pending

if TYPE_CHECKING:
    from derive.analysis.codegen_accuracy import Promise
    from derive.model import Definition


def start(definition: Definition, params: tuple[sympy.Symbol, ...]) -> Pending:
    """The child; it waits for measure()'s job. Started whether or not NumPy is installed
    (codegen asks `measurable` itself and then never sends a job: the child is stopped)."""
    # Imported before the fork, by the process that writes the code and verifies anyway:
    # imported after, they would be imported twice, here and in the child (about 0.1 s of
    # CPU each). codegen_accuracy's special points are derive.verify's.
    from derive.analysis import codegen  # noqa: F401
    from derive.analysis import codegen_accuracy as accuracy
    from derive.model import as_function
    from derive.verify import points  # noqa: F401

    f, x = definition.body, definition.variable

    def prepare() -> None:
        if not accuracy.measurable():
            return
        from derive.process.cold_start import child_imports_without_gc

        with child_imports_without_gc():
            import numpy  # noqa: F401  (what running the code will need)

        reference = as_function(sympy.diff(f, x))
        # Exact caches each value by expression and point: the job's measurement finds these
        for expr in (f, reference):
            exact = accuracy.Exact(expr, x, params)
            for point in accuracy.measured_points(()):
                exact(point)

    return Pending(_measure, takes_job=True, prepare=prepare, pickled=True)


def _measure(job: tuple[Any, ...]) -> Promise:
    from derive.analysis import codegen

    return codegen._measured(*job)


# Within a bounded run, what the code's measurement leaves for the rest when the worker waits
# for it: the view, the properties' answer (its wait ends 1 s before the deadline), the
# documents.
RESERVE = 1.5


def measurer(child: Pending, deadline: float | None = None) -> Callable[..., Promise | None]:
    """codegen's `measure` hook: the job to the child, its Promise back. A second call (codegen
    writes the code again after a CodegenError only before measuring, so there is none
    today) would find the child used up and measure here. In a bounded run (`deadline`,
    time.monotonic()) a measurement still at work RESERVE before it is stopped, and the
    answer is None: the docstring then says that it was not measured, and why, rather than
    the bound ending the run with nothing written (3**(x**3)/(1 + x): 8 s of CPU)."""
    def measure(*job: Any) -> Promise | None:
        try:
            child.send(job)
        except Exception:  # a job that does not pickle: the child is stopped, result() measures here
            child.cancel()
        if deadline is None:
            return child.result()
        return child.result(timeout=deadline - RESERVE - time.monotonic(), late=lambda: None)
    return measure
