"""Document timings (issue 6): the sigmoid slides rendered warm, and TeX per document.

    python bench/bench_documents.py [--runs N] [--no-tex]

Slides warm: the view (derivation, properties, code, plot names) is built once, then only
the slides template renders, median of N after one warm-up (target ≤ 5 ms, TeX excluded).
The reference is the Markdown of the same view, rendered alternately in the same loop, so
both see the same machine state; the ratio says what Beamer's template costs over it.
TeX: for every output/*.tex, one `pdflatex` pass (the cost of each recompile) and the whole
`-f pdf` build (`derive.render.pdf.build_pdf`: latexmk, as many passes as the document needs).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUTPUT = ROOT / "output"
TARGET_MS = 5.0
_GRAPHICS = re.compile(r"\\includegraphics(?:\[[^\]]*\])?\{([^}]+)\}")


def sigmoid_view(folder: Path) -> dict:
    """The view `derive sigmoid -f slides` renders, plot included (drawn once, not timed)."""
    from derive import pipeline
    from derive.render.view import build_view, json_document

    target = pipeline.resolve("sigmoid")
    derivation = pipeline.derive(target)
    plot, drawing = pipeline.start_plot(target, derivation, slides=True)
    pipeline.write_plot(plot, drawing, folder)
    extras = {"properties": pipeline.definition_properties(derivation.function,
                                                           derivation.reference)["properties"],
              "code": pipeline.python_source(target, derivation, required=False),
              "plot": plot.__dict__}
    view = build_view(derivation, extras=extras)
    view["json"] = json_document(view)
    return view


def warm_render(view: dict, runs: int) -> tuple[float, float]:
    """Medians (seconds) of the slides and of the Markdown, alternating in one loop."""
    from derive.render.templates import render

    render(view, "slides"), render(view, "md")  # warm-up: templates compiled and cached
    slides, markdown = [], []
    for _ in range(runs):
        for fmt, times in (("md", markdown), ("slides", slides)):
            start = time.perf_counter()
            render(view, fmt)
            times.append(time.perf_counter() - start)
    return statistics.median(slides), statistics.median(markdown)


def tex_times(tex: Path, folder: Path) -> tuple[float, float]:
    """(one pdflatex pass, the whole build_pdf) in seconds, each after one warm-up pass."""
    from derive.render.pdf import build_pdf

    source = tex.read_text(encoding="utf-8")
    resources = [OUTPUT / name for name in _GRAPHICS.findall(source) if (OUTPUT / name).is_file()]
    for resource in resources:
        shutil.copyfile(resource, folder / resource.name)
    shutil.copyfile(tex, folder / tex.name)
    command = ["pdflatex", "-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape", tex.name]
    subprocess.run(command, cwd=folder, check=True, capture_output=True)  # fills the OS file cache
    start = time.perf_counter()
    subprocess.run(command, cwd=folder, check=True, capture_output=True)
    one_pass = time.perf_counter() - start
    start = time.perf_counter()
    build_pdf(source, folder / "built" / tex.with_suffix(".pdf").name, resources=resources)
    return one_pass, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-tex", action="store_true", help="skip the pdflatex timings")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="derive-bench-") as folder:
        view = sigmoid_view(Path(folder))
        slides_s, md_s = warm_render(view, args.runs)
        print(f"warm sigmoid slides render (TeX excluded): median {slides_s * 1e3:.2f} ms over "
              f"{args.runs} runs (target <= {TARGET_MS:g} ms); Markdown of the same view: "
              f"median {md_s * 1e3:.2f} ms; ratio {slides_s / md_s:.2f}")
        if args.no_tex:
            return
        if shutil.which("pdflatex") is None:
            print("pdflatex not installed: no TeX timings")
            return
        total_pass = total_build = 0.0
        for tex in sorted(OUTPUT.glob("*.tex")):
            work = Path(folder) / tex.stem
            work.mkdir()
            one_pass, build = tex_times(tex, work)
            total_pass, total_build = total_pass + one_pass, total_build + build
            print(f"  {tex.name:<24} pdflatex one pass {one_pass:5.2f} s   -f pdf build {build:5.2f} s")
        print(f"pdflatex over {len(list(OUTPUT.glob('*.tex')))} documents: one pass each "
              f"{total_pass:.1f} s in all; full builds {total_build:.1f} s in all")


if __name__ == "__main__":
    main()
