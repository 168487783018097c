"""What `derive check` reads and decides in real documents, against the hand classification
of every chain (tests/data/check/real/corpus/chains.tsv; issue 12's target: at least 80% of
the scalar chains decided, none correct failed, every wrong one caught).

Prints, per kind, the chains found, decided and failed; then why the undecided scalar chains
were not decided, by how often. No timing: the figures do not depend on the machine.

    python bench/bench_check_corpus.py [-v]
"""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.check_corpus import HELD_OUT, measure, summary


def reason(m) -> str:
    if m.result.skipped:
        text = re.sub(r"^line \d+: ", "", m.result.skipped)
        text = re.sub(r"cannot read `.*?`: ", "cannot read: ", text)
        return re.sub(r" \(near `.*", "", text)[:90]
    statuses = sorted({s.status.value for s in m.result.steps})
    return "steps " + "/".join(statuses)


def main() -> None:
    measured = measure()
    table = summary(measured)
    print(f"{'kind':<14}{'chains':>8}{'decided':>9}{'failed':>8}")
    for kind, counts in table.items():
        if counts["chains"]:
            print(f"{kind:<14}{counts['chains']:>8}{counts['decided']:>9}{counts['failed']:>8}")
    total = sum(c["chains"] for c in table.values())
    scalar = table["scalar"]
    print(f"chains found: {total}; scalar decided: {scalar['decided']}/{scalar['chains']}"
          f" = {scalar['decided'] / max(1, scalar['chains']):.1%}")
    wrong = [m for m in measured if m.row and not m.row.correct]
    print(f"wrong scalar chains caught: {sum(m.failed for m in wrong)}/{len(wrong)}")
    by_source: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for m in measured:
        if m.row and m.row.kind == "scalar":
            counts = by_source[m.key[0].split("_", 1)[0]]
            counts[0] += m.decided
            counts[1] += 1
    for label, part in (("older documents", [m for m in measured if m.key[0] not in HELD_OUT]),
                        ("held-out documents", [m for m in measured if m.key[0] in HELD_OUT])):
        scalars = [m for m in part if m.row and m.row.kind == "scalar"]
        decided = sum(m.decided for m in scalars)
        print(f"{label}: scalar decided {decided}/{len(scalars)}"
              f" = {decided / max(1, len(scalars)):.1%}; wrong caught "
              f"{sum(m.failed for m in scalars if not m.row.correct)}/"
              f"{sum(not m.row.correct for m in scalars)}")
    print("scalar decided by source: " + ", ".join(
        f"{source} {d}/{n}" for source, (d, n) in sorted(by_source.items())))
    bad = [m.key for m in measured if m.row and m.failed and (m.row.correct or m.row.kind != "scalar")]
    print(f"correct or non-scalar chains failed: {len(bad)} {bad if bad else ''}")
    reasons = collections.Counter(reason(m) for m in measured
                                  if m.row and m.row.kind == "scalar" and not m.decided)
    print("undecided scalar chains, by reason:")
    for text, count in reasons.most_common(None if "-v" in sys.argv else 15):
        print(f"{count:5d}  {text}")


if __name__ == "__main__":
    main()
