"""Where a notebook cell's lines are in the notebook's JSON file, so that a report can say
`path:LINE:` (which terminals and editors open) as well as `cell 3, line 4`.

Jupyter writes a cell's `source` as a list of strings, one per line, each on a line of
its own: line L of a cell is the JSON line of the string it starts in. A source written as
one string (all of a cell on one JSON line) puts every line of the cell on that JSON line.
Only the path cells[k].source is followed; the rest of the file is skipped by a scanner
that knows JSON's strings and brackets and nothing else (nbformat has read and validated
the file already).
"""

from __future__ import annotations

import json
import re

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SPACE = re.compile(r"\s*")


def cell_lines(text: str) -> dict[int, list[int]]:
    """For each cell (numbered from 1, as nbformat lists them), the 1-based JSON line of
    each of its source lines (index 0 is line 1); {} when the layout is not the one above
    (an old notebook format, a minified file that is not a JSON object of cells)."""
    try:
        return _Scanner(text).cells()
    except (ValueError, IndexError):
        return {}


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.newlines: list[int] = [i for i, c in enumerate(text) if c == "\n"]

    def line(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self.newlines, offset - 1) + 1

    def skip_space(self) -> None:
        self.at = _SPACE.match(self.text, self.at).end()  # type: ignore[union-attr]

    def string(self) -> tuple[str, int]:
        found = _STRING.match(self.text, self.at)
        if found is None:
            raise ValueError("a string expected")
        self.at = found.end()
        return json.loads(found.group()), found.start()

    def skip_value(self) -> None:
        """Past one JSON value (strings hold brackets; only they need care)."""
        self.skip_space()
        if self.text[self.at] == '"':
            self.string()
            return
        if self.text[self.at] not in "[{":
            found = re.compile(r"[^,\]}\s]+").match(self.text, self.at)
            if found is None:
                raise ValueError("a value expected")
            self.at = found.end()
            return
        depth = 0
        while True:
            char = self.text[self.at]
            if char == '"':
                self.string()
                continue
            if char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    self.at += 1
                    return
            self.at += 1

    def members(self) -> list[tuple[str, int]]:
        """The keys of the object at `at`, each with the offset of its value (left after it)."""
        self.skip_space()
        if self.text[self.at] != "{":
            raise ValueError("an object expected")
        self.at += 1
        found: list[tuple[str, int]] = []
        while True:
            self.skip_space()
            if self.text[self.at] == "}":
                self.at += 1
                return found
            key, _ = self.string()
            self.skip_space()
            if self.text[self.at] != ":":
                raise ValueError("':' expected")
            self.at += 1
            self.skip_space()
            found.append((key, self.at))
            self.skip_value()
            self.skip_space()
            if self.text[self.at] == ",":
                self.at += 1

    def cells(self) -> dict[int, list[int]]:
        top = dict(self.members())
        if "cells" not in top:
            return {}
        self.at = top["cells"]
        if self.text[self.at] != "[":
            return {}
        self.at += 1
        out: dict[int, list[int]] = {}
        number = 0
        while True:
            self.skip_space()
            if self.text[self.at] == "]":
                return out
            number += 1
            start = self.at
            source = dict(self.members()).get("source")
            end = self.at
            if source is not None:
                self.at = source
                out[number] = self.source_lines()
            self.at = end
            self.skip_space()
            if self.text[self.at] == ",":
                self.at += 1
            elif self.text[self.at] != "]":
                raise ValueError(f"',' expected after the cell at {start}")

    def source_lines(self) -> list[int]:
        """The JSON line of each line of one cell's source."""
        lines: list[int] = []
        if self.text[self.at] == '"':
            value, start = self.string()
            return [self.line(start)] * (value.count("\n") + 1)
        self.at += 1  # the list's [
        pending_start = True
        while True:
            self.skip_space()
            if self.text[self.at] == "]":
                return lines or [self.line(self.at)]
            value, start = self.string()
            here = self.line(start)
            # each line that starts inside this string is on its JSON line
            starts = value.count("\n") + (1 if pending_start else 0)
            if value.endswith("\n"):
                starts -= 1
                pending_start = True
            else:
                pending_start = False
            lines.extend([here] * starts)
            self.skip_space()
            if self.text[self.at] == ",":
                self.at += 1
