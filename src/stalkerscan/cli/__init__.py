"""The ``stalkerscan`` command line: a thin front end over pipeline, store and report."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from stalkerscan import __version__
from stalkerscan.model.errors import UserError

EXIT_OK = 0
EXIT_FINDING = 1
EXIT_USAGE = 2


_COMMANDS = {
    "scan": "stalkerscan.cli.scan:scan",
    "acquire": "stalkerscan.cli.acquire:acquire",
    "report": "stalkerscan.cli.report:report",
    "indicators": "stalkerscan.cli.indicators:indicators",
}
"""Subcommands, imported only when used: a scan does not pay for the others' imports."""


class _Group(click.Group):
    """Loads subcommands lazily; turns user errors into one line and exit 2 (``--debug`` shows
    the traceback)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as err:
            _traceback_if_debug(ctx)
            click.echo(err.line(), err=True)
            sys.exit(EXIT_USAGE)
        except OSError as err:
            _traceback_if_debug(ctx)
            where = f" {err.filename}" if err.filename else ""
            click.echo(
                f"error: cannot read or write{where}: {err.strerror or err}. "
                "Check the path and its permissions.",
                err=True,
            )
            sys.exit(EXIT_USAGE)


def _traceback_if_debug(ctx: click.Context) -> None:
    """With ``--debug``, print the traceback of the error being handled (imported only then)."""
    if ctx.params.get("debug"):
        import traceback  # noqa: PLC0415

        traceback.print_exc()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stalkerscan")
@click.option("--debug", is_flag=True, help="Show the full traceback of errors (for bug reports).")
def main(debug: bool) -> None:
    """Find stalkerware on phones: network captures and device data, checked offline.

    stalkerscan makes no network request unless you ask for one (`indicators update`).
    """


def run() -> None:
    """The ``stalkerscan`` console script: ``main``, then a quick exit.

    At exit, Python's collector would walk every object still alive (the indicator index, the
    report, imported code) only for the process to end: about 20 ms of a scan of a 100k-packet
    capture. Freezing them first skips that walk; files are closed by then and nothing is lost.
    Tests call ``main`` itself, so their process keeps collecting as usual.
    """
    import gc  # noqa: PLC0415

    try:
        main()
    finally:
        gc.freeze()
