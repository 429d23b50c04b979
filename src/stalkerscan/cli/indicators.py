"""``stalkerscan indicators``: download, import, list and look up indicator sets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import ACCEPTED
from stalkerscan.model import IndicatorMatch, IndicatorSetInfo, MatchHow, Role
from stalkerscan.model.errors import UserError
from stalkerscan.store.indicator_cache import load_paths_index
from stalkerscan.store.indicator_sources import parse_source
from stalkerscan.store.indicator_store import IndicatorStore, UpdateError

NO_LIST_IS_COMPLETE = (
    "No indicator list is complete: a value that matches nothing can still belong to stalkerware, "
    "and a phone can have stalkerware that no list knows yet."
)

ROLE_MEANING: dict[Role, str] = {
    Role.C2: "a server the app talks to once installed; contact with it suggests the app is "
    "installed on the device",
    Role.WEBSITE: "the vendor's website; a visit alone is not an infection (the person may have "
    "been reading about the app)",
    Role.DISTRIBUTION: "a place the app is downloaded from; a visit may mean someone downloaded it",
    Role.APP: "identifies the app itself (package, bundle id, signing certificate or process)",
    Role.SAMPLE: "the hash of a known copy of the app's installation file",
    Role.HEURISTIC: "only raises suspicion; many harmless names match it too",
    Role.UNKNOWN: "the list does not say what this is to the app (server, website or download)",
}
"""What each role means to a person reading a lookup."""

_HOW: dict[MatchHow, str] = {
    MatchHow.EXACT: "exact",
    MatchHow.SUBDOMAIN: "subdomain of",
    MatchHow.NETWORK: "in network",
}


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _counts(info: IndicatorSetInfo) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in info.counts) or "none"


def _print_sets(console: Console, infos: Sequence[IndicatorSetInfo], heading: str) -> None:
    """Each set as a small two-column table: what it is, where from, when, and its SHA-256."""
    console.print(f"[bold]{escape(heading)}[/bold]")
    for info in infos:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row("Source", escape(info.source))
        grid.add_row("Retrieved", info.retrieved_at or "-")
        grid.add_row("SHA-256", info.sha256)
        grid.add_row("Indicators", escape(_counts(info)))
        if info.skipped:
            entries = "entry" if info.skipped == 1 else "entries"
            grid.add_row("Not usable", f"{info.skipped} {entries} (see the file for details)")
        if info.licence:
            grid.add_row("Licence", escape(info.licence))
        console.print(f"\n[bold]{escape(info.name)}[/bold] ({info.format})")
        console.print(grid)


@click.group()
def indicators() -> None:
    """Install, list and look up indicator sets (known stalkerware apps, servers and files).

    `update` is the only stalkerscan command that uses the network.
    """


@indicators.command()
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="URL",
    help="Download this https:// file instead of the configured sources (repeatable). "
    "NAME=URL names the set; a URL ending in / is a folder in the Echap layout.",
)
@click.option(
    "--ca-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also trust the certificate authorities in this PEM file (e.g. behind a proxy).",
)
def update(sources: tuple[str, ...], ca_file: Path | None) -> None:
    """Download the indicator sets over HTTPS and install them.

    Each download is checked (certificate, completeness, that it loads) before it replaces
    the installed version; if anything fails, the installed version is kept.
    """
    console = _console()
    store = IndicatorStore()
    chosen = [parse_source(s) for s in sources] or None
    names = ", ".join(s.name for s in (chosen or store.configured_sources()))
    console.print(f"Downloading {names} (the only network request stalkerscan makes)...")
    try:
        infos = store.update(chosen, cafile=ca_file)
    except UpdateError as err:
        if err.updated:
            _print_sets(console, err.updated, "Updated before the error:")
        raise
    _print_sets(console, infos, "Updated:")


@indicators.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--name", help="Name of the installed set (default: from the file or folder).")
def import_(path: Path, name: str | None) -> None:
    """Check and install a local indicator file or folder.

    PATH may be an Echap folder (read as one set), a folder of indicator files (one set
    each), or one file. A set with the same name as an installed one replaces it.
    """
    console = _console()
    infos = IndicatorStore().import_path(path, name)
    _print_sets(console, infos, "Imported:")


@indicators.command("list")
def list_() -> None:
    """Show the installed sets: name, source, date, SHA-256 and counts."""
    console = _console()
    store = IndicatorStore()
    infos = store.list_sets()
    if not infos:
        console.print(
            "No indicator sets are installed (looked in "
            f"{store.root}). Run `stalkerscan indicators update` to download the Echap "
            "stalkerware indicators, or `stalkerscan indicators import PATH`."
        )
        return
    _print_sets(console, infos, f"Installed indicator sets (in {store.root}):")


def _load_index(paths: Sequence[Path]) -> IndicatorIndex:
    """The index of the given files/folders or of the installed sets, through the cache."""
    if paths:
        return load_paths_index(paths)
    index = IndicatorStore().installed_index()
    if not index.sets:
        raise UserError(
            "no indicator sets are installed",
            "Run `stalkerscan indicators update`, or give sets with --indicators PATH "
            f"({ACCEPTED})",
        )
    return index


def _match_text(match: IndicatorMatch) -> str:
    ind = match.indicator
    return f"{_HOW[match.how]} {ind.value} ({ind.kind.value})"


def _print_matches(console: Console, value: str, matches: Sequence[IndicatorMatch]) -> None:
    """One block per match: app, threat and role first, then how it matched and where from."""
    console.print(f"{value} matches {_plural(len(matches), 'indicator')}:")
    for m in matches:
        ind = m.indicator
        console.print(
            f"  - [bold]{escape(ind.app or 'app not named')}[/bold] ({ind.threat.value}), "
            f"role [bold]{ind.role.value}[/bold]: {escape(_match_text(m))}"
        )
        console.print(f"    from set {escape(ind.set_name)}")


@indicators.command()
@click.argument("value")
@click.option(
    "--indicators",
    "paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    metavar="PATH",
    help="Indicator file or folder to use instead of the installed sets (repeatable).",
)
def lookup(value: str, paths: tuple[Path, ...]) -> None:
    """Say what VALUE (domain, URL, IP, package, bundle id, hash...) matches, and how.

    Exits 0 whether or not something matches.
    """
    console = _console()
    index = _load_index(paths)
    matches = index.lookup(value)
    if not matches:
        names = ", ".join(info.name for info in index.sets)
        count = _plural(len(index.sets), "indicator set")
        console.print(f"No match for {value} in {count} ({names}).")
        console.print(NO_LIST_IS_COMPLETE)
        return
    _print_matches(console, value, matches)
    for role in dict.fromkeys(m.indicator.role for m in matches):
        console.print(f"Role {role.value}: {ROLE_MEANING[role]}.")
    console.print(NO_LIST_IS_COMPLETE)
