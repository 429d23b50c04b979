"""``stalkerscan acquire``: copy what a phone says about itself, over USB, into a folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from stalkerscan.model.errors import UserError
from stalkerscan.pipeline import acquire as live

_EXIT_USAGE = 2


class StepProgress:
    """A pipeline Progress drawing one rich bar per step on stderr (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self._enabled = enabled
        self._bar: Progress | None = None
        self._tasks: dict[str, TaskID] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self._enabled:
            return
        if self._bar is None:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
        task = self._tasks.get(label)
        if task is None:
            task = self._tasks[label] = self._bar.add_task(label, total=total)
        self._bar.update(task, completed=done, total=total)

    def close(self) -> None:
        """Remove the bars from the screen."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _summary(result: live.Acquired) -> None:
    device = result.device
    name = f"{device.model} ({device.serial})" if device.model else device.serial
    click.echo(f"Saved {result.files} files read from the phone {name} in:")
    click.echo(f"  {result.folder}")
    click.echo(f"SHA-256 of every file (to show later that nothing changed): {result.hashes_csv}")
    if result.not_collected:
        click.echo("Not collected (so not checked in a scan of this folder):")
        for entry in result.not_collected:
            click.echo(f"  - {entry.what}: {entry.why}")
    click.echo(
        "Keep this folder safe: it contains private data (the phone's apps, settings and "
        "accounts). Store it on an encrypted disk and share it only with people helping you."
    )
    click.echo(f"Next: stalkerscan scan {result.folder}")
    click.echo(
        "Nothing on the phone was changed. USB debugging is still on: turn it off in Developer "
        "options when you no longer need it, unless your safety plan says to leave the phone as "
        "it was."
    )


@click.command()
@click.argument("out_dir", metavar="OUT_DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--serial",
    "-s",
    default=None,
    metavar="SERIAL",
    help="Which phone to read when several are connected (see `adb devices -l`).",
)
@click.option("--quiet", "-q", is_flag=True, help="Show no progress bar.")
def acquire(out_dir: Path, serial: str | None, quiet: bool) -> None:
    """Read a phone connected over USB (with USB debugging on) into a new folder OUT_DIR.

    Only reads: nothing is installed on the phone and nothing on it is changed. The folder holds
    the files androidqf writes (packages.json, dumpsys.txt, getprop.txt, settings, processes...)
    with hashes.csv, and can be scanned later with `stalkerscan scan OUT_DIR`. Needs the `adb`
    program (Debian package adb).
    """
    progress = StepProgress(enabled=not quiet and sys.stderr.isatty())
    try:
        result = live.acquire(serial, out_dir, progress)
    except UserError as err:
        progress.close()
        click.echo(err.line(), err=True)
        sys.exit(_EXIT_USAGE)
    except OSError as err:
        progress.close()
        where = f" {err.filename}" if err.filename else ""
        click.echo(
            f"error: cannot write{where}: {err.strerror or err}. Check the path and its "
            "permissions.",
            err=True,
        )
        sys.exit(_EXIT_USAGE)
    progress.close()
    _summary(result)
