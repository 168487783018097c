"""An offline fuzz sweep: thousands of generated inputs through the whole pipeline and
through `derive check`, each in a forked child with a bound. Not a test (it takes an hour of
CPU); what it finds becomes a reproducer in tests/test_fuzz.py.

    python tests/fuzz_sweep.py [--derive N] [--check N] [--seed S] [--jobs J]

- derive: tests/fuzz_corpus.catalog_corpus (catalog functions inside expressions, long inner
  functions, identities, reciprocals, a fifth mutated) and corpus (the grammar), through
  resolve and produce (json, md, tex, py written to a folder, --timeout 0.2, the properties in
  their child, the command's deadline), as the command's worker runs them;
- check: documents (.md and .tex, align and aligned chains) whose rows are the derivative of
  an accepted expression, right, wrong or with its LaTeX mutated, through derive.api.check.

Reported: a traceback, a run past the documented bound (5 s + 10 x --timeout) in CPU
seconds of the child (a busy machine stretches wall time: at load 30, 1.4 s of CPU took
50 s; a child is killed at 20 times the bound of wall time), a
refusal that left files, a success that left some format unwritten or the JSON unreadable.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fuzz_corpus import HOSTILE, catalog_corpus, corpus, mutate  # noqa: E402

TIMEOUT = 0.2
BOUND = 5.0 + 10.0 * TIMEOUT
FORMATS = ("json", "md", "tex", "py")
WALL_LIMIT = 20 * BOUND


def _in_child(work: Callable[[], str], limit: float) -> tuple[str, float, float]:
    """work()'s one-line outcome, run in a forked child (its own process group, killed whole
    at `limit` wall seconds): (outcome, wall seconds, CPU seconds of the child's tree)."""
    read, write = os.pipe()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.setpgid(0, 0)
        try:
            outcome = work()
        except BaseException:
            outcome = "TRACEBACK " + traceback.format_exc()
        os.write(write, outcome.encode("utf-8", "replace")[:60000])
        os._exit(0)
    os.close(write)
    chunks = []
    outcome = ""
    while True:
        left = start + limit - time.monotonic()
        if left <= 0:
            outcome = "HUNG"
            break
        ready, _, _ = select.select([read], [], [], left)
        if ready:
            chunk = os.read(read, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    os.close(read)
    if outcome == "HUNG":
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)  # whatever the child left in its group
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return outcome or b"".join(chunks).decode("utf-8", "replace") or "NO ANSWER", \
        time.monotonic() - start, cpu


def walkthrough_one(text: str) -> str:
    """The walkthrough alone, verified, and its Markdown page's view (no properties): the
    stages that landed last session (catalog functions inside expressions, naming, identities,
    the reciprocal rule) at a tenth of a whole run's cost."""
    from derive import pipeline
    from derive.errors import DeriveError
    from derive.render.view import build_view, json_document

    try:
        target = pipeline.resolve(text)
        derivation = pipeline.derive(target, timeout=TIMEOUT)
        view = build_view(derivation, title=None, extras={"code": None, "handout": False,
                                                           "markdown_math": "github"})
        view["properties"], view["properties_stopped"] = [], []
        view["json"] = json_document(view)
        pipeline.render_formats(view, ("md", "tex"))
    except DeriveError:
        return "refused"
    return "ok"


def derive_one(text: str) -> str:
    from derive import pipeline
    from derive.errors import DeriveError

    out = Path(tempfile.mkdtemp(prefix="derive-fuzz-"))
    try:
        try:
            target = pipeline.resolve(text)
            pipeline.produce(pipeline.Request(
                target, FORMATS, out, plot=False, timeout=TIMEOUT, parallel=True,
                deadline=time.monotonic() + BOUND))
        except DeriveError as error:
            left = sorted(p.name for p in out.iterdir())
            if left:
                return f"LEFT FILES after a refusal {left}: {error.one_line()}"
            return "refused"
        names = sorted(p.name for p in out.iterdir())
        expected = sorted(pipeline.output_name(target.name, f) for f in FORMATS)
        if names != expected:
            return f"HALF WRITTEN {names} (expected {expected})"
        json.loads((out / pipeline.output_name(target.name, "json")).read_text())
        return "ok"
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _documents(texts: list[str], count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, text) documents with one derivative chain each, right, wrong or mutated."""
    import sympy

    from derive import pipeline
    from derive.errors import DeriveError
    from derive.words.printer import to_latex

    rng = random.Random(seed)
    found: list[tuple[str, str]] = []
    for text in texts:
        if len(found) >= count:
            break
        try:
            target = pipeline.resolve(text)
        except DeriveError:
            continue
        f, x = target.definition.body, target.definition.variable
        written = target.definition.written if target.definition.written is not None else f
        try:
            d = sympy.diff(f, x)
            rows = [to_latex(written), to_latex(d)]
            wrong = d + rng.choice((1, x, -2 * d, sympy.Rational(1, 2) * d))
            rows.append(to_latex(wrong if rng.random() < 0.4 else sympy.factor_terms(d)))
        except Exception:  # a document we could not write is no test
            continue
        if rng.random() < 0.25:
            rows = [mutate(r, rng) for r in rows]
        chain = rf"\frac{{d}}{{d{x}}}\left({rows[0]}\right) &= {rows[1]} \\ &= {rows[2]}"
        kind = rng.choice(("md", "tex"))
        if kind == "md":
            doc = f"# Notes\n\nWith ${rows[0]}$:\n\n$$\n\\begin{{aligned}}\n{chain}\n\\end{{aligned}}\n$$\n"
        else:
            doc = (f"\\documentclass{{article}}\n\\begin{{document}}\n\\begin{{align}}\n{chain}\n"
                   f"\\end{{align}}\n\\end{{document}}\n")
        found.append((kind, doc))
    return found


def check_one(kind: str, doc: str) -> str:
    from derive import api
    from derive.errors import DeriveError

    try:
        report = api.check(doc, kind=kind, timeout=TIMEOUT)
        report.report()
        return "ok"
    except DeriveError:
        return "refused"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--derive", type=int, default=2000)
    parser.add_argument("--check", type=int, default=600)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--whole-every", type=int, default=5,
                        help="every K-th input runs the whole produce(); the others the "
                             "walkthrough and its pages only")
    parser.add_argument("--grammar-share", type=float, default=0.25,
                        help="the share of derive inputs from the plain grammar corpus")
    args = parser.parse_args()
    import sympy  # noqa: F401 - imported once, before the forks

    import derive.pipeline  # noqa: F401
    from derive.parse.expression import parse_expression  # noqa: F401

    grammar = int(args.derive * args.grammar_share)
    texts = catalog_corpus(args.derive - grammar, seed=args.seed) + \
        corpus(grammar + len(HOSTILE), seed=args.seed + 1)[len(HOSTILE):]  # grammar, mutated
    bad: list[str] = []
    counts: dict[str, int] = {}
    slowest: list[tuple[float, str]] = []
    print(f"derive: {len(texts)} inputs, load {os.getloadavg()[0]:.1f}", flush=True)
    for k, text in enumerate(texts):
        one = derive_one if k % args.whole_every == 0 else walkthrough_one
        outcome, wall, cpu = _in_child(lambda t=text, run=one: run(t), WALL_LIMIT)
        kind = outcome.split(" ", 1)[0]
        counts[kind] = counts.get(kind, 0) + 1
        slowest = sorted([*slowest, (cpu, text)], reverse=True)[:15]
        if outcome not in ("ok", "refused") or cpu > BOUND:
            line = f"{text!r}: {outcome[:3000]} (wall {wall:.1f} s, CPU {cpu:.1f} s)"
            bad.append(line)
            print("BAD", line, flush=True)
        if k % 100 == 0:
            print(f"  {k} done, {counts}, load {os.getloadavg()[0]:.1f}", flush=True)
    print(f"derive outcomes {counts}")
    print("slowest by CPU:", *(f"  {c:.2f} s {t!r}" for c, t in slowest), sep="\n")
    documents = _documents(catalog_corpus(args.check * 3, seed=args.seed + 2), args.check,
                           args.seed)
    print(f"check: {len(documents)} documents, load {os.getloadavg()[0]:.1f}", flush=True)
    counts = {}
    for kind, doc in documents:
        outcome, wall, cpu = _in_child(lambda k=kind, d=doc: check_one(k, d), WALL_LIMIT)
        counts[outcome.split(" ", 1)[0]] = counts.get(outcome.split(" ", 1)[0], 0) + 1
        if outcome not in ("ok", "refused") or cpu > BOUND:
            line = f"{kind} {doc!r}: {outcome[:3000]} (wall {wall:.1f} s, CPU {cpu:.1f} s)"
            bad.append(line)
            print("BAD", line, flush=True)
    print(f"check outcomes {counts}")
    print(f"{len(bad)} bad")


if __name__ == "__main__":
    main()
