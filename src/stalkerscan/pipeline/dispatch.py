"""Find what each input is, by content: every handler scores it, the best score wins."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from stalkerscan.model.errors import InputFormatError, UserError
from stalkerscan.pipeline.handlers import InputHandler


def check_readable(raw: str) -> Path:
    """The path, or a UserError saying plainly why it cannot be read."""
    path = Path(raw).expanduser()
    if not path.exists():
        raise UserError(
            f"{raw} does not exist", "Check the path (and its spelling), then try again"
        )
    if not os.access(path, os.R_OK):
        raise UserError(
            f"{raw} cannot be read (permission denied)",
            "Run stalkerscan as a user who may read it, or copy it somewhere readable",
        )
    if path.is_file() and path.stat().st_size == 0:
        raise InputFormatError(f"{raw} is empty", "Check that the file was copied completely")
    return path


def identify(raw: str, handlers: Sequence[InputHandler]) -> tuple[Path, InputHandler]:
    """Which handler reads ``raw``; a UserError naming what we accept if none does."""
    for handler in handlers:
        if handler.scheme and raw.startswith(handler.scheme):
            return Path(raw), handler
    path = check_readable(raw)
    best: tuple[int, InputHandler] | None = None
    for handler in handlers:
        try:
            score = handler.sniff(path)
        except OSError as err:
            raise UserError(
                f"{raw} cannot be read ({err.strerror or err})",
                "Check the path and its permissions",
            ) from err
        if score > 0 and (best is None or score > best[0]):
            best = (score, handler)
    if best is None:
        kinds = "; ".join(h.description for h in handlers)
        raise InputFormatError(
            f"{raw} is not an input stalkerscan can read",
            f"It accepts: {kinds}",
        )
    return path, best[1]
