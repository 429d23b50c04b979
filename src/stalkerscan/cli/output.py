"""Writing a ReportDocument to the files the user asked for, and to the terminal.

rich and the text renderer are imported only when the report is printed: a ``--quiet`` scan
prints just the names of the files it wrote.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

import click

from stalkerscan.report.document import ReportDocument

Renderer = Callable[[ReportDocument], str]

_RENDERERS = {
    "json": ("stalkerscan.report.render_json", "render_json"),
    "html": ("stalkerscan.report.render_html", "render_html"),
    "timeline": ("stalkerscan.report.render_csv", "render_timeline_csv"),
}
"""Renderers by output, imported only when that output is asked for (HTML loads Jinja2)."""


def _renderer(name: str) -> Renderer:
    module, attr = _RENDERERS[name]
    return cast(Renderer, getattr(importlib.import_module(module), attr))


def write_outputs(
    doc: ReportDocument,
    *,
    json_path: Path | None,
    html_path: Path | None,
    timeline_path: Path | None,
) -> list[Path]:
    """Write each requested file; return the paths written."""
    written: list[Path] = []
    for path, name in ((json_path, "json"), (html_path, "html"), (timeline_path, "timeline")):
        if path is None:
            continue
        path.write_text(_renderer(name)(doc), encoding="utf-8", newline="")
        written.append(path)
    return written


def show(doc: ReportDocument, written: list[Path], quiet: bool) -> None:
    """Print the text report (unless quiet) and where the files went."""
    if not quiet:
        from rich.console import Console  # noqa: PLC0415

        from stalkerscan.report.render_text import render_text  # noqa: PLC0415

        render_text(doc, Console())
    for path in written:
        click.echo(f"Wrote {path}")
