"""The one registry of template filters, for every format.

Two kinds of text reach a template: *prose* written by derive (may hold math between
``$…$``, which must reach TeX untouched) and *user text* (a title, a variable name, a note),
which is escaped completely: it can never become a TeX command or Markdown markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
# Characters pdflatex's utf8 input cannot typeset in text: written as math.
_TEX_UNICODE = {
    "σ": r"\ensuremath{\sigma}", "α": r"\ensuremath{\alpha}", "β": r"\ensuremath{\beta}",
    "γ": r"\ensuremath{\gamma}", "λ": r"\ensuremath{\lambda}", "π": r"\ensuremath{\pi}",
    "θ": r"\ensuremath{\theta}", "μ": r"\ensuremath{\mu}", "−": "-", "·": r"\ensuremath{\cdot}",
    "≈": r"\ensuremath{\approx}", "✓": r"\ensuremath{\checkmark}", "✗": r"\ensuremath{\times}",
    "…": r"\ldots{}", "’": "'", "‘": "`", "“": "``", "”": "''", "–": "--", "—": "---",
    "′": "'", "²": r"\ensuremath{^2}", "≥": r"\ensuremath{\geq}", "≤": r"\ensuremath{\leq}",
    "→": r"\ensuremath{\to}", "∞": r"\ensuremath{\infty}", "×": r"\ensuremath{\times}",
    "√": r"\ensuremath{\surd}", "±": r"\ensuremath{\pm}", "≠": r"\ensuremath{\neq}",
}
# The Greek alphabet as math (pdflatex's T1 text fonts have no Greek); the capitals that look
# like Latin ones are those Latin letters, as in Greek typesetting.
_GREEK_NAMES = ("alpha beta gamma delta varepsilon zeta eta theta iota kappa lambda mu nu xi pi "
                "rho sigma tau upsilon varphi chi psi omega vartheta phi varpi epsilon varrho "
                "varsigma Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega")
_GREEK = dict(zip("αβγδεζηθικλμνξπρστυφχψωϑϕϖϵϱςΓΔΘΛΞΠΣΥΦΨΩ", _GREEK_NAMES.split(" "),
                  strict=True))
_TEX_UNICODE.update({ch: rf"\ensuremath{{\{name}}}" for ch, name in _GREEK.items()
                     if ch not in _TEX_UNICODE})
_TEX_UNICODE.update(dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΧο", "ABEZHIKMNOPTXo", strict=True)))
# What pdflatex's utf8 input typesets in the documents' fonts (T1, TS1, OT1, OMS with lmodern):
# the code points the LaTeX kernel's t1enc.dfu, ts1enc.dfu, ot1enc.dfu and omsenc.dfu declare
# (TeX Live 2022), beyond ASCII. Anything else in user text would stop the build.
_TEX_TEXT_RANGES = (
    "A0-125,128-137,139-13E,141-148,14A-165,168-17E,192,1C4-1D4,1E2-1E3,1E6-1EB,1F0,1F4-1F5,"
    "218-21B,232-233,237,2C7,2D8-2D9,2DB,2DD,E3F,1E02-1E03,1E0D,1E1E-1E21,1E25,1E30-1E31,1E37,"
    "1E43,1E45,1E47,1E5B,1E63,1E6D,1E8E-1E91,1E9E,1EF2-1EF3,200C,2010-2016,2018-201A,201C-201E,"
    "2020-2022,2030-2031,2039-203B,203D,2044,204E,2052,20A1,20A4,20A6,20A9,20AB-20AC,20B1,2103,"
    "2116-2117,211E,2120,2122,2126-2127,212E,2190-2193,2329-232A,2422-2423,25E6,25EF,266A,"
    "27E8-27E9,3008-3009,FB00-FB06")
_TEX_TEXT = frozenset(
    code for part in _TEX_TEXT_RANGES.split(",")
    for code in range(int(part.partition("-")[0], 16),
                      int(part.partition("-")[2] or part.partition("-")[0], 16) + 1))


def untypesettable(text: str) -> list[str]:
    """The characters of `text` that escape_tex cannot typeset and writes as "?" instead
    (CJK, Cyrillic, emoji, ...), each once, in order."""
    found = dict.fromkeys(ch for ch in text if ord(ch) > 0x7F and ch not in _TEX_UNICODE
                          and ord(ch) not in _TEX_TEXT)
    return list(found)


_MATH = re.compile(r"(\$[^$]+\$)")


# Every character escape_tex changes: TeX's specials, control characters but newline and
# tab, and anything beyond ASCII. Plain words match nothing and pass through at C speed.
_TEX_UNSAFE = re.compile(r"[\\{}$&%#_^~<>|\x00-\x08\x0b-\x1f]|[^\x00-\x7f]")


def _tex_character(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _TEX_SPECIALS:
        return _TEX_SPECIALS[ch]
    if ch in _TEX_UNICODE:
        return _TEX_UNICODE[ch]
    if ord(ch) < 32:
        return ""
    # é stays; what pdflatex cannot set (漢, ж, an emoji) does not (see untypesettable)
    return ch if ord(ch) in _TEX_TEXT else "?"


def escape_tex(text: Any) -> str:
    """User text for TeX: every special character literal, nothing executable."""
    return _TEX_UNSAFE.sub(_tex_character, str(text))


def prose_tex(text: Any) -> str:
    """derive's own prose for TeX: escape the words, keep the $…$ math as it is. A long
    formula takes the punctuation after it along (\\fitinlinethen), so that where it is
    displayed the next line does not start with a comma."""
    parts = _MATH.split(str(text))
    out: list[str] = []
    for i, part in enumerate(parts):
        if not _MATH.fullmatch(part):
            out.append(escape_tex(part))
            continue
        after = parts[i + 1] if i + 1 < len(parts) else ""
        if len(part) > LONG_INLINE_MATH and after[:1] in _TRAILING and after[:1]:
            out.append(rf"\fitinlinethen{{{part[1:-1]}}}{{{after[0]}}}")
            parts[i + 1] = after[1:]
        else:
            out.append(_inline_math(part))
    return "".join(out)


_TRAILING = ",.;:"


LONG_INLINE_MATH = 30  # characters of LaTeX beyond which \\fitinline measures the formula


def _inline_math(math: str) -> str:
    r"""Inline math as written, or, when long, through \fitinline (defined by the TeX
    templates): TeX cannot break a formula full of \left( \right), so a long one would
    run off the page; the macro scales it down to the line width instead."""
    if len(math) <= LONG_INLINE_MATH:
        return math
    return rf"\fitinline{{{math[1:-1]}}}"


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def first_sentence(text: Any) -> str:
    """The first sentence of derive's prose (a full stop inside $…$ does not count): a slide
    shows a step's justification as a single line."""
    done = ""
    for part in _MATH.split(str(text)):
        if _MATH.fullmatch(part):
            done += part
            continue
        pieces = _SENTENCE_END.split(part, maxsplit=1)
        done += pieces[0]
        if len(pieces) > 1:
            return done
    return done


def sentences(text: Any) -> list[str]:
    """derive's prose split into its sentences (a full stop inside $…$ does not count)."""
    found, done = [], ""
    for part in _MATH.split(str(text)):
        if _MATH.fullmatch(part):
            done += part
            continue
        *ended, rest = _SENTENCE_END.split(part)
        for piece in ended:
            found.append(done + piece)
            done = ""
        done += rest
    return [*found, done] if done.strip() else found


SLIDE_PROSE = 240  # characters of LaTeX: about three lines of a 16:9 frame at body size


def slide_sentences(text: Any) -> str:
    """As many of a step's sentences as fit about three lines of a slide, at least the
    first: a frame that says only its first sentence ("Differentiate term by term") can
    leave out the reason the rule applies ("By the chain rule, take it at u = -x")."""
    kept: list[str] = []
    for sentence in sentences(text):
        if kept and sum(len(s) + 1 for s in kept) + len(sentence) > SLIDE_PROSE:
            break
        kept.append(sentence)
    return " ".join(kept)


_MD_SPECIALS = re.compile(r"[`*_{}<>#+\-.!|$~&\[\]\\]")
# Brackets, the backslash and & as character references, not \[ \( : MkDocs' arithmatex
# and Jupyter's MathJax read \( … \) and \[ … \] as math before Markdown sees them.
# Parentheses need nothing once the brackets are escaped (a link needs "](").
_MD_REFERENCES = {"[": "&#91;", "]": "&#93;", "\\": "&#92;", "&": "&amp;"}


def escape_md(text: Any) -> str:
    """User text for Markdown: markup characters (and $, so no math) shown literally."""
    return _MD_SPECIALS.sub(lambda m: _MD_REFERENCES.get(m[0], "\\" + m[0]),
                            str(text).replace("\n", " "))


_POWER_OF_TEN = re.compile(r"(?<![\w.])(-?)10\\textasciicircum\{\}(-?\d+)")


def verdict_tex(verdict: dict[str, Any] | None) -> str:
    """The verdict mark as text; the powers of ten in a method (x = -10^8) set as math."""
    if not verdict:
        return ""
    return _POWER_OF_TEN.sub(r"$\1 10^{\2}$", escape_tex(verdict["mark"]))


def prose_mark_tex(entry: dict[str, Any]) -> str:
    """A mark derive writes with its formulas between $…$ (a property's): the words escaped,
    the math kept, powers of ten set as math as in verdict_tex."""
    return _POWER_OF_TEN.sub(r"$\1 10^{\2}$", prose_tex(entry["mark"]))


# -- Markdown math ---------------------------------------------------------------------
# "github" (the default): ```math fences and $`…`$ inline, GitHub's and GitLab's syntax. The
# math sits in code, which CommonMark passes on byte for byte, so its backslash escapes
# (\, \: \\ \{) cannot change it wherever the file is pasted. "dollars": $…$ and $$…$$, for
# renderers that read math before Markdown (MkDocs' pymdownx.arithmatex, Jupyter).
MD_MATH_FLAVOURS = ("github", "dollars")


def _backticks(text: str) -> str:
    """A run of backticks longer than any inside the text (CommonMark's rule for code)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * (longest + 1)


def md_math(latex: Any, flavour: str = "github", *, display: bool = False) -> str:
    text = str(latex)
    if flavour == "dollars":
        return f"$$\n{text}\n$$" if display else f"${text}$"
    if display:
        fence = "`" * max(3, len(_backticks(text)))
        return f"{fence}math\n{text}\n{fence}"
    ticks = _backticks(text)
    # A code span's content that starts or ends with a backtick needs a space (stripped again).
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"${ticks}{pad}{text}{pad}{ticks}$"


def md_prose(text: Any, flavour: str = "github") -> str:
    """derive's prose with its $…$ math in the flavour's inline syntax."""
    parts = _MATH.split(str(text))
    return "".join(md_math(part[1:-1], flavour) if _MATH.fullmatch(part) else part
                   for part in parts)


def json_dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


FILTERS: dict[str, Callable[..., str]] = {
    "escape_tex": escape_tex,
    "prose_tex": prose_tex,
    "first_sentence": first_sentence,
    "slide_sentences": slide_sentences,
    "escape_md": escape_md,
    "verdict_tex": verdict_tex,
    "prose_mark_tex": prose_mark_tex,
    "json_dumps": json_dumps,
    "md_math": md_math,
    "md_prose": md_prose,
}
