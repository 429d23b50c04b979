"""Writing a ReportDocument to the files the user asked for, and to the terminal."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from stalkerscan.report.document import ReportDocument
from stalkerscan.report.render_csv import render_timeline_csv
from stalkerscan.report.render_html import render_html
from stalkerscan.report.render_json import render_json
from stalkerscan.report.render_text import render_text


def write_outputs(
    doc: ReportDocument,
    *,
    json_path: Path | None,
    html_path: Path | None,
    timeline_path: Path | None,
) -> list[Path]:
    """Write each requested file; return the paths written."""
    written: list[Path] = []
    for path, render in (
        (json_path, render_json),
        (html_path, render_html),
        (timeline_path, render_timeline_csv),
    ):
        if path is None:
            continue
        path.write_text(render(doc), encoding="utf-8", newline="")
        written.append(path)
    return written


def show(doc: ReportDocument, written: list[Path], quiet: bool) -> None:
    """Print the text report (unless quiet) and where the files went."""
    console = Console()
    if not quiet:
        render_text(doc, console)
    for path in written:
        console.print(f"Wrote {path}", highlight=False)
