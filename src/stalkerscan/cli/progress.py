"""A progress bar that appears only for work that takes more than a second."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

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
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
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
