"""The sources ``stalkerscan indicators update`` downloads: the Echap files by default, or the
``[[source]]`` tables of ``indicator-sources.toml`` in the user config folder, or what
``--source URL`` / ``--source NAME=URL`` names.

A sources file::

    [[source]]
    name = "echap"
    url = "https://mirror.example/echap/"     # ending in "/": a folder in the Echap layout

    [[source]]
    urls = ["https://feeds.example/spy/iocs.json"]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from stalkerscan.indicators.load import slug
from stalkerscan.indicators.load_echap import ECHAP_FILES, ECHAP_SET_NAME
from stalkerscan.model.errors import UserError

ECHAP_BASE_URL = "https://raw.githubusercontent.com/AssoEchap/stalkerware-indicators/master/"
"""Where the Echap source files are published."""
SOURCES_FILE = "indicator-sources.toml"
"""Name of the sources file in the config folder."""


@dataclass(frozen=True, slots=True)
class IndicatorSource:
    """Something ``update`` downloads: one set, made of one or more files."""

    name: str
    """The installed set's name."""
    urls: tuple[str, ...]
    """The https:// files that make the set (read together, like a folder)."""


DEFAULT_SOURCES: tuple[IndicatorSource, ...] = (
    IndicatorSource(ECHAP_SET_NAME, tuple(ECHAP_BASE_URL + f for f in ECHAP_FILES)),
)
"""What ``update`` downloads when no sources file exists."""


def parse_source(text: str) -> IndicatorSource:
    """``URL`` or ``NAME=URL``; a URL ending in ``/`` is a folder in the Echap layout."""
    name, sep, url = text.partition("=")
    if not sep or "://" in name:
        name, url = "", text
    url = url.strip()
    if not url.lower().startswith("https://"):
        raise UserError(
            f"{url} is not an https:// address",
            "Indicator updates are downloaded over HTTPS only; use `stalkerscan indicators "
            "import PATH` for a local file",
        )
    if url.endswith("/"):
        urls = tuple(url + f for f in ECHAP_FILES)
        default = ECHAP_SET_NAME if url == ECHAP_BASE_URL else slug(urlsplit(url).path)
    else:
        urls = (url,)
        default = slug(Path(unquote(urlsplit(url).path)).stem)
    return IndicatorSource(slug(name) if name.strip() else default, urls)


def read_sources_file(path: Path) -> tuple[IndicatorSource, ...]:
    """The ``[[source]]`` tables of a sources file (``name`` and ``urls`` or ``url``)."""
    import tomllib  # noqa: PLC0415

    try:
        doc = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise UserError(f"{path} is not valid TOML ({err})", "Fix or delete the file") from err
    out: list[IndicatorSource] = []
    for number, table in enumerate(doc.get("source", []), start=1):
        urls = table.get("urls") or ([table["url"]] if "url" in table else [])
        if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
            raise UserError(
                f"{path}: source {number} has no `url` or `urls`",
                'Each [[source]] needs `url = "https://..."` or `urls = [...]`',
            )
        first = parse_source(urls[0])
        name = slug(str(table.get("name", ""))) if table.get("name") else first.name
        rest = tuple(parse_source(u).urls[0] for u in urls[1:])
        out.append(IndicatorSource(name, first.urls + rest))
    return tuple(out)
