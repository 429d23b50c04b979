"""Errors caused by the user's input: shown as one line with the fix, never as a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem with what the user gave (a path, a file, an option), and what to do."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(f"{problem}. {fix}")
        self.problem = problem
        """What is wrong, naming the path or value."""
        self.fix = fix
        """What to do about it."""

    def line(self) -> str:
        """The one line the CLI prints."""
        return f"error: {self.problem}. {self.fix}"


class InputFormatError(UserError):
    """A file is not in the format it should be (or any format we read)."""
