"""A progress bar that appears only for work that takes more than a second.

rich is imported when the bar is first drawn: most scans end before that, and a quiet one never
draws it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

_DELAY_S = 1.0


class DelayedProgress:
    """A pipeline Progress drawing a rich bar on stderr once a step has run for a second."""

    def __init__(self, enabled: bool = True) -> None:
        self._enabled = enabled
        self._started: dict[str, float] = {}
        self._bar: Progress | None = None
        self._tasks: dict[str, TaskID] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        start = self._started.setdefault(label, now)
        if label not in self._tasks and now - start < _DELAY_S:
            return
        if self._bar is None:
            self._bar = _start_bar()
        task = self._tasks.get(label)
        if task is None:
            task = self._bar.add_task(label, total=total)
            self._tasks[label] = task
        self._bar.update(task, completed=done, total=total)

    def close(self) -> None:
        """Remove the bar from the screen."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _start_bar() -> Progress:
    """A transient rich bar on stderr: label, bar, bytes done and time left."""
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    bar.start()
    return bar
