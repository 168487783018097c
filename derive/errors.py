"""The exceptions derive raises, and the exit code each one maps to.

    DeriveError                 base: the CLI catches it and prints one line
    ├── InputError              the user's input is wrong (exit 2)
    │   └── ParseError          an expression could not be read; knows where
    ├── UsageError              the command line is wrong (exit 2)
    ├── TemplateError           a template is missing a block, or uses an unknown name (exit 2)
    ├── CodegenError            no stable NumPy translation, or an argument name that would
    │                           hide one the code needs (the documents omit the code; -f py exit 2)
    ├── ToolError               an external tool (TeX) is missing or failed (exit 2)
    │   ├── TexMissingError     no pdflatex/latexmk: names the Debian packages to install
    │   └── TexBuildError       TeX stopped on a document: its first error line
    └── OutputError             a file could not be written (disk full, read-only; exit 2)
"""

from __future__ import annotations

# Exit codes are a contract (documented in the README), decided here only.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a program stopped by Ctrl-C


class DeriveError(Exception):
    """Base of every error derive reports to a user as one line."""

    exit_code = EXIT_BAD_INPUT

    def one_line(self) -> str:
        return str(self)


class InputError(DeriveError):
    """The user's input (an expression, a name, a file) is wrong."""


class ParseError(InputError):
    """An expression could not be read; `position` is the 0-based offset of the culprit."""

    def __init__(self, message: str, text: str, position: int, *, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.text = text
        self.position = max(0, min(position, len(text)))
        self.where = where

    def one_line(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{self.message} at column {self.position + 1}"

    def caret(self) -> str:
        """The offending text with a caret under the culprit, for a terminal (control
        characters escaped, the caret still under the culprit)."""
        before = printable(self.text[:self.position])
        return f"  {printable(self.text)}\n  {' ' * len(before)}^"


class UsageError(DeriveError):
    """The command line asks for something that cannot be done."""


class TemplateError(DeriveError):
    """A template could not be loaded or rendered."""


class CodegenError(DeriveError):
    """The expression uses something the NumPy printer has no stable translation for."""


class ToolError(DeriveError):
    """An external tool is missing or failed."""


class TexMissingError(ToolError):
    """No TeX installation: -f pdf cannot work until one is installed (exit 2)."""

    def __init__(self, packages: str) -> None:
        super().__init__(f"-f pdf needs TeX (pdflatex and latexmk); on Debian or Ubuntu: "
                         f"sudo apt-get install {packages}")


class TexBuildError(ToolError):
    """TeX stopped on the document: the first `! ...` line of the log says why."""

    def __init__(self, document: str, error_line: str, line_number: int | None, log: str,
                 *, hint: str = "") -> None:
        where = f"{document}:{line_number}" if line_number is not None else document
        super().__init__(f"{where}: TeX failed: {error_line}{hint}")
        self.document = document
        self.error_line = error_line
        self.line_number = line_number
        self.log = log
class OutputError(DeriveError):
    """A file could not be written: nothing was (derive.process.files.write_all)."""


# C0 and C1 control characters, DEL, and the bidirectional overrides that reorder what a
# terminal shows: escape sequences in user text must not reach a terminal raw.
_UNSAFE = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
_UNSAFE.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def printable(text: str) -> str:
    """`text` with every control character written as an escape (ESC as \\x1b, a newline
    as \\x0a): what derive prints to a terminal stays one line and inert."""
    return text.translate(_UNSAFE)
