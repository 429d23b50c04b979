"""How the pipeline reports progress: a callback the front end implements (or not)."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives progress of long steps; the CLI shows a bar, tests pass nothing."""

    def __call__(self, label: str, done: int, total: int) -> None:
        """``done`` out of ``total`` units (bytes, files) of the step called ``label``."""


def no_progress(label: str, done: int, total: int) -> None:
    """A Progress that shows nothing."""
    del label, done, total
