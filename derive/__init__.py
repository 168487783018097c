"""derive: step-by-step derivatives, proved correct at every step.

    import derive
    w = derive.walkthrough("sigmoid")        # a catalog name, an expression, or SymPy
    w.markdown(); w.latex(); w.html(); w.json(); w.code()
    derive.check("notes/")                   # verdicts of hand-written derivations

`import derive` stays cheap (the command's cold start is measured): the API is loaded on
first use.
"""

from __future__ import annotations

# Not typing.TYPE_CHECKING: `import derive` imports nothing (mypy reads the name as typing's).
TYPE_CHECKING = False

__version__ = "0.1.0"
__all__ = ["CheckReport", "Walkthrough", "__version__", "check", "walkthrough"]

if TYPE_CHECKING:
    from derive.api import CheckReport, Walkthrough, check, walkthrough


def __getattr__(name: str) -> object:
    if name == "check":  # the subpackage derive.check, callable as derive.api.check
        import derive.check

        return derive.check
    if name in ("walkthrough", "Walkthrough", "CheckReport"):
        from derive import api

        return getattr(api, name)
    raise AttributeError(f"module 'derive' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
