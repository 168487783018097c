"""`derive check`: verify the derivations people write by hand.

    sources        which files, read safely (size, binary, UTF-8)
    derive_format  `.derive` files -> chains           documents  `.tex`/`.md` -> chains
    scope          `let` and `assume`, and reading one expression of a chain
    runner         chains -> verdicts (in N processes)  report     text/json, exit code
    command        the command line                     chains     the data model
"""

import sys as _sys
import types as _types
from typing import Any as _Any


class _CallableModule(_types.ModuleType):
    """`derive.check(text_or_path)` is the API's checker (derive.api.check, a contract), and
    `derive.check` is also this package: the package is made callable, so both hold whatever
    was imported first (Python sets `derive.check` to this package on any import of it)."""

    def __call__(self, *args: _Any, **kwargs: _Any) -> _Any:
        from derive.api import check

        return check(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallableModule
