"""How long `derive check` takes to *read* documents (find and parse chains, no verdicts).

Issue 11: a 1 MiB .tex of comment lines took 132 s (masking was quadratic); the target is
at most 2 s to parse a 1 MiB document. Each case is a 1 MiB document; the reference is
reading the same bytes with `str.splitlines` in this run, so the ratio travels between
machines. Prints medians of 3 runs.

    python bench/bench_check_read.py
"""

from __future__ import annotations

import statistics
import time

from derive.check.documents import parse_markdown, parse_tex

MIB = 1 << 20
CASES = {
    "tex: comment lines": ("tex", "% a comment line, as in a long preamble\n"),
    "tex: unclosed \\begin{align}": ("tex", "\\begin{align} "),
    "tex: \\newcommand without its }": ("tex", "\\newcommand{\\a}{"),
    "tex: rows of one align": ("tex", None),
    "md: unclosed <!--": ("md", "<!-- "),
    "md: unclosed fences": ("md", "```\nx\n"),
    "md: backtick runs": ("md", "` `` "),
    "md: prose with a chain every 2 KiB": ("md", None),
}


def document(name: str, unit: str | None) -> str:
    if name.startswith("tex: rows"):
        return ("\\begin{align}\n" + "x^2 + x \\\\\n" * (MIB // 12))[: MIB - 20] + "\n\\end{align}\n"
    if unit is None:
        para = ("Some prose about the derivative, with $x^2$ inline. " * 38 + "\n\n"
                "$$\n\\frac{d}{dx} x^3 = 3x^2 = 3 x \\cdot x\n$$\n\n")
        return (para * (MIB // len(para) + 1))[:MIB]
    return (unit * (MIB // len(unit) + 1))[:MIB]


def median_seconds(run, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    for name, (kind, unit) in CASES.items():
        text = document(name, unit)
        reader = parse_tex if kind == "tex" else parse_markdown
        chains = len(reader(text, "bench"))
        seconds = median_seconds(lambda text=text, reader=reader: reader(text, "bench"))
        reference = median_seconds(lambda text=text: text.splitlines())
        print(f"{name:36s} {len(text) / MIB:.2f} MiB  {chains:5d} chains  {seconds:6.2f} s  "
              f"({seconds / reference:,.0f}× splitlines)  target ≤ 2 s")


if __name__ == "__main__":
    main()
