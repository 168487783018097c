"""Where a cold `derive NAME -f md -o -` spends its time, in the worker's own process.

    python bench/profile_cold.py NAME_OR_EXPRESSION [--var X] [--top N] [--sort cumulative]

Runs what the command's worker runs (stand-in modules, imports with the collector paused,
the properties in a child forked once f is built) under cProfile, in a fresh process, so
that every import is a cold one; prints the wall and CPU time of the run and the profile's
top entries (by CPU time of this process). The children (properties, the f'-in-terms-of-f
search) are not profiled: the worker's wait for them shows as Pending.result. cProfile's
own overhead is several times SymPy's work (deep recursion of small calls): --phases times
the stages without it. For the imports alone: `python -X importtime -m derive NAME -f md -o -`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("target")
    parser.add_argument("--var")
    parser.add_argument("--timeout", help="derive's --timeout")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--grep", help="only entries whose name holds this text")
    parser.add_argument("--callers", help="also print the callers of entries matching this")
    parser.add_argument("--phases", action="store_true",
                        help="no profiler (its overhead is several times SymPy's own work): "
                             "the CPU and wall time of each stage of the run")
    args = parser.parse_args()
    from derive import cli

    argv = [args.target, "-f", "md", "-o", "-"] + (["--var", args.var] if args.var else []) \
        + (["--timeout", args.timeout] if args.timeout else [])
    options = cli._parser().parse_args(argv)
    cli._check_options(options)
    if args.phases:
        _phases(options)
        return
    profile = cProfile.Profile(time.process_time)  # CPU time: a busy machine inflates wall
    wall, cpu = time.perf_counter(), time.process_time()
    stdout, sys.stdout = sys.stdout, io.StringIO()
    try:
        profile.runcall(cli._derive, options, own_process=True)
    finally:
        sys.stdout = stdout
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    children = os.times()
    print(f"worker: wall {wall * 1e3:.0f} ms, CPU {cpu * 1e3:.0f} ms (children's CPU "
          f"{(children.children_user + children.children_system) * 1e3:.0f} ms)")
    stats = pstats.Stats(profile)
    stats.sort_stats(args.sort)
    if args.grep:
        stats.print_stats(args.grep, args.top)
    else:
        stats.print_stats(args.top)
    if args.callers:
        stats.print_callers(args.callers)


# The stages timed by --phases: (module, function). Nested stages count inside their caller
# too (simplest inside build).
STAGES = (
    ("derive.pipeline", "resolve"),
    ("derive.engine.walkthrough", "build"),
    ("derive.engine.walkthrough", "simplest"),
    ("derive.engine.strategies", "rewrite_in_terms_of_f"),
    ("derive.verify", "verify"),
    ("derive.pipeline", "python_source"),
    ("derive.render.view", "build_view"),
    ("derive.render.templates", "prepare"),
    ("derive.pipeline", "_found_properties"),
    ("derive.pipeline", "render_formats"),
)


def _phases(options: argparse.Namespace) -> None:
    import importlib

    from derive import cli
    from derive.process import cold_start

    spent: dict[str, list[float]] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    wall_start = wall
    cold_start.modules_on_demand()
    with cold_start.imports_without_gc():
        import derive.pipeline
        import derive.render.templates
        import derive.render.view
        import derive.verify  # noqa: F401
    imports = (time.perf_counter() - wall, time.process_time() - cpu)

    def timed(name: str, function):  # type: ignore[no-untyped-def]
        def run(*a, **k):  # type: ignore[no-untyped-def]
            w, c = time.perf_counter(), time.process_time()
            try:
                return function(*a, **k)
            finally:
                total = spent.setdefault(name, [0.0, 0.0])
                total[0] += time.perf_counter() - w
                total[1] += time.process_time() - c
        return run

    watched = _watch_children()
    for module_name, attribute in STAGES:
        module = importlib.import_module(module_name)
        if hasattr(module, attribute):  # a stage renamed or moved is simply not timed
            setattr(module, attribute,
                    timed(f"{module_name}.{attribute}", getattr(module, attribute)))
    # derive() looks verify and build up when it runs; pipeline's own names are patched above
    stdout, sys.stdout = sys.stdout, io.StringIO()
    try:
        cli._derive(options, own_process=True)
    finally:
        sys.stdout = stdout
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    children = os.times()
    print(f"worker: wall {wall * 1e3:.0f} ms, CPU {cpu * 1e3:.0f} ms; children's CPU "
          f"{(children.children_user + children.children_system) * 1e3:.0f} ms; "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"  {'imports (derive and SymPy)':<50} wall {imports[0] * 1e3:7.0f} ms  "
          f"CPU {imports[1] * 1e3:7.0f} ms")
    for name, (w, c) in spent.items():
        print(f"  {name:<50} wall {w * 1e3:7.0f} ms  CPU {c * 1e3:7.0f} ms")
    for name, forked, reaped, child_cpu in watched:
        print(f"  child {name:<44} wall {(reaped - forked) * 1e3:7.0f} ms  CPU "
              f"{child_cpu * 1e3:7.0f} ms  (forked at {(forked - wall_start) * 1e3:.0f} ms, "
              f"reaped at {(reaped - wall_start) * 1e3:.0f} ms)")


def _watch_children() -> list[tuple[str, float, float, float]]:
    """Each child derive.process.background forks: (its work, forked, reaped: perf_counter,
    CPU seconds from its rusage), filled in as the children are reaped."""
    from derive.process import background

    found: list[tuple[str, float, float, float]] = []
    forked: dict[int, tuple[str, float]] = {}
    start = background.Pending._start

    def watched_start(self, prepare):  # type: ignore[no-untyped-def]
        start(self, prepare)
        if self._pid is not None:
            work = getattr(self._work, "func", self._work)  # a partial's function
            forked[self._pid] = (getattr(work, "__qualname__", repr(work)), time.perf_counter())

    def waitpid(pid: int, options: int):  # type: ignore[no-untyped-def]
        got, status, usage = os.wait4(pid, options)
        if got in forked:
            name, at = forked.pop(got)
            found.append((f"{name} ({usage.ru_minflt} page faults)", at, time.perf_counter(),
                          usage.ru_utime + usage.ru_stime))
        return got, status

    background.Pending._start = watched_start  # type: ignore[method-assign]
    background.os = _OsWith(waitpid)  # type: ignore[attr-defined]
    return found


class _OsWith:
    """os, but for waitpid (background's own reference to os only)."""

    def __init__(self, waitpid) -> None:  # type: ignore[no-untyped-def]
        self.waitpid = waitpid

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(os, name)


if __name__ == "__main__":
    main()
