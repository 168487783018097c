"""The full property audit: every property derive states, for every exercise in
tests/data/exercises and every catalog function, checked again with mpmath
(tests/property_audit.py). tests/test_property_audit.py runs a fixed sample of it.

    python bench/audit_properties.py            # everything; exit 1 if any property is false
    python bench/audit_properties.py tanh 'x**2*exp(x)*tan(x)'   # cases by id or text

Prints one line per case, then every false or unaudited property, and the totals by
property and by verdict (proved / checked).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from property_audit import audit_case, cases


def main(argv: list[str]) -> int:
    selected = cases()
    if argv:
        selected = [c for c in selected if any(a == c.text or a in c.id for a in argv)]
    stated: Counter[str] = Counter()
    false: list[str] = []
    unaudited: list[str] = []
    started = time.process_time()
    for case in selected:
        audit = audit_case(case)
        print(f"{case.id:34} {case.text[:40]:40} stated {audit.stated:2}, audited "
              f"{audit.audited:2}, false {len(audit.findings)} {audit.error}", flush=True)
        false += [f"{case.id} {case.text}: {finding}" for finding in audit.findings]
        unaudited += [f"{case.id} {case.text}: {reason}" for reason in audit.unaudited]
        stated["properties"] += audit.stated
        stated["audited"] += audit.audited
    print()
    for line in false:
        print("FALSE     ", line)
    for line in unaudited:
        print("UNAUDITED ", line)
    print(f"\n{len(selected)} cases, {stated['properties']} properties stated, "
          f"{stated['audited']} audited true, {len(false)} false, {len(unaudited)} unaudited "
          f"({time.process_time() - started:.0f} s CPU)")
    return 1 if false else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
