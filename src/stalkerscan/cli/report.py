"""``stalkerscan report``: show a saved JSON report again, or turn it into HTML, JSON or CSV.

Nothing is analysed again: the saved report is loaded (checked against the report format, and
converted if it comes from an older stalkerscan) and rendered as it is.
"""

from __future__ import annotations

from pathlib import Path

import click

from stalkerscan.cli.output import show, write_outputs
from stalkerscan.model.errors import UserError
from stalkerscan.report.load_json import load_report

_OUT = click.Path(dir_okay=False, writable=True, path_type=Path)


@click.command()
@click.argument("saved", metavar="SAVED.json", type=click.Path(path_type=Path))
@click.option("--html", "html_path", type=_OUT, help="Write a self-contained HTML report.")
@click.option("--json", "json_path", type=_OUT, help="Write the report as JSON (current format).")
@click.option(
    "--timeline", "timeline_path", type=_OUT, help="Write a CSV timeline of timed events."
)
@click.option("--quiet", "-q", is_flag=True, help="Do not print the report.")
def report(
    saved: Path,
    html_path: Path | None,
    json_path: Path | None,
    timeline_path: Path | None,
    quiet: bool,
) -> None:
    """Show a saved JSON report (from `stalkerscan scan --json`) and write other formats.

    Nothing is scanned again. The saved file is never overwritten.
    """
    _check_outputs(saved, {"--html": html_path, "--json": json_path, "--timeline": timeline_path})
    doc = load_report(saved)
    written = write_outputs(
        doc, json_path=json_path, html_path=html_path, timeline_path=timeline_path
    )
    show(doc, written, quiet)


def _check_outputs(saved: Path, outputs: dict[str, Path | None]) -> None:
    """Refuse to overwrite the saved report, or to write two outputs to one file."""
    seen: dict[Path, str] = {saved.resolve(): "the saved report"}
    for option, path in outputs.items():
        if path is None:
            continue
        where = path.resolve()
        if where in seen:
            raise UserError(
                f"{option} {path} is the same file as {seen[where]}",
                "Give each output its own file name; the saved report is never overwritten",
            )
        seen[where] = option
