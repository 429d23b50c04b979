"""``stalkerscan scan``: analyse captures and phone data, print and save the report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stalkerscan.cli.output import show, write_outputs
from stalkerscan.cli.progress import DelayedProgress
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Severity
from stalkerscan.pipeline import ScanOptions, run_scan
from stalkerscan.store.indicator_cache import load_paths_index

_SEVERITIES = [s.value for s in Severity]
_OUT = click.Path(dir_okay=False, writable=True, path_type=Path)


def load_index(paths: tuple[str, ...]) -> IndicatorIndex:
    """The index of the given indicator files/folders, or of the installed sets when none is
    given.

    Both are read through the indicator cache (``STALKERSCAN_NO_CACHE=1`` turns it off), which
    keeps the built index for each combination of sources.
    """
    if paths:
        return load_paths_index([Path(raw) for raw in paths])
    # The store module brings in what `indicators update` needs (ssl, urllib, tomllib):
    # imported only for a scan that uses the installed sets.
    from stalkerscan.store.indicator_store import installed_index  # noqa: PLC0415

    return installed_index()


@click.command()
@click.argument("inputs", nargs=-1, metavar="PATH...")
@click.option(
    "--indicators",
    "indicator_paths",
    multiple=True,
    metavar="PATH",
    help="Indicator file or folder to use instead of the installed sets (repeatable).",
)
@click.option("--json", "json_path", type=_OUT, help="Save the report as JSON (re-renderable).")
@click.option("--html", "html_path", type=_OUT, help="Save a self-contained HTML report.")
@click.option("--timeline", "timeline_path", type=_OUT, help="Save a CSV timeline of timed events.")
@click.option(
    "--fail-on",
    type=click.Choice(_SEVERITIES),
    default=None,
    help="Exit with code 1 if a finding is at or above this severity.",
)
@click.option(
    "--identity",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="age identity file (AGE-SECRET-KEY-...) to open an encrypted acquisition (.zip.age).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print no report and no progress bar.")
@click.pass_context
def scan(
    ctx: click.Context,
    inputs: tuple[str, ...],
    indicator_paths: tuple[str, ...],
    json_path: Path | None,
    html_path: Path | None,
    timeline_path: Path | None,
    fail_on: str | None,
    identity: Path | None,
    quiet: bool,
) -> None:
    """Scan network captures and phone data for stalkerware.

    Each PATH is a capture (pcap, pcapng), an androidqf folder, .zip or .zip.age, an Android
    bugreport zip, or adb: / adb:SERIAL for a phone connected over USB; it is recognised by its
    content. Nothing is sent anywhere: the scan is offline.
    Exit codes: 0 scanned, 1 a finding at or above --fail-on, 2 usage or input error.
    """
    if not inputs:
        raise click.UsageError("name at least one capture or phone data folder to scan")
    debug = bool(ctx.find_root().params.get("debug"))
    index = load_index(indicator_paths)
    progress = DelayedProgress(enabled=not quiet and sys.stderr.isatty())
    try:
        options = ScanOptions(progress=progress, debug=debug, age_identity=identity)
        doc = run_scan(inputs, index, options)
    finally:
        progress.close()
    written = write_outputs(
        doc, json_path=json_path, html_path=html_path, timeline_path=timeline_path
    )
    show(doc, written, quiet)
    if fail_on is not None:
        threshold = Severity(fail_on)
        if any(f.severity >= threshold for f in doc.findings):
            sys.exit(1)
