"""The finder registry: each finder declares the facts it reads and the fact it gives, as
types, and runs after every finder whose fact it reads.

A fact is a frozen dataclass (derive.analysis.properties.facts). A finder reads only what
it declared: `Facts.get` refuses any other type, so a hidden dependency is an error in
tests rather than an order that happens to work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from derive.analysis.properties.claim import Property
    from derive.analysis.properties.context import Context

FactT = TypeVar("FactT")


@dataclass
class Found:
    """What one finder found: properties to state, and the fact later finders may read."""

    properties: list[Property] = field(default_factory=list)
    fact: object | None = None


@dataclass(frozen=True)
class Finder:
    name: str  # for reports: "limits", "range", ...
    find: Callable[[Context, Facts], Found]
    reads: tuple[type, ...] = ()
    gives: type | None = None


class Facts:
    """The facts found so far, by type; a finder's view holds only the types it reads."""

    def __init__(self, known: dict[type, object], allowed: Iterable[type]) -> None:
        self._known = known
        self._allowed = frozenset(allowed)

    def get(self, kind: type[FactT]) -> FactT | None:
        if kind not in self._allowed:
            raise KeyError(f"{kind.__name__} was not declared among the finder's inputs")
        value: Any = self._known.get(kind)
        return value


def in_dependency_order(finders: Iterable[Finder]) -> tuple[Finder, ...]:
    """The finders, each after those that give what it reads; otherwise as listed."""
    pending = list(finders)
    givers = {f.gives: f for f in pending if f.gives is not None}
    for finder in pending:
        for kind in finder.reads:
            if kind not in givers:
                raise ValueError(f"{finder.name} reads {kind.__name__}, which no finder gives")
    ordered: list[Finder] = []
    done: set[type] = set()
    while pending:
        ready = next((f for f in pending if all(k in done for k in f.reads)), None)
        if ready is None:
            raise ValueError("the finders' inputs form a cycle: "
                             + ", ".join(f.name for f in pending))
        pending.remove(ready)
        ordered.append(ready)
        if ready.gives is not None:
            done.add(ready.gives)
    return tuple(ordered)
