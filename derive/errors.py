"""The exceptions derive raises, and the exit code each one maps to.

    DeriveError                 base: the CLI catches it and prints one line
    ├── InputError              the user's input is wrong (exit 2)
    │   └── ParseError          an expression could not be read; knows where
    ├── UsageError              the command line is wrong (exit 2)
    ├── TemplateError           a template is missing a block, or uses an unknown name (exit 2)
    └── ToolError               an external tool (TeX) is missing or failed (exit 2)
"""

from __future__ import annotations

# Exit codes are a contract (documented in the README), decided here only.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


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
        """The offending text with a caret under the culprit, for a terminal."""
        return f"  {self.text}\n  {' ' * self.position}^"


class UsageError(DeriveError):
    """The command line asks for something that cannot be done."""


class TemplateError(DeriveError):
    """A template could not be loaded or rendered."""


class ToolError(DeriveError):
    """An external tool is missing or failed."""
