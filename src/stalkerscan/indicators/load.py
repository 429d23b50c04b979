"""Load indicator sets from any supported file or folder, recognising the format by content.

``load_path`` takes a file or a folder. A folder in the Echap layout (it holds ``ioc.yaml``)
is one set read from ``ioc.yaml``, ``watchware.yaml`` and ``samples.csv``; its ``generated/``
files are copies of the same data and are not read again. Any other folder gives one set per
recognised file in it (not in its subfolders); files in no indicator format are left out, and
a file that looks like a format but is broken (bad JSON or YAML) is an error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from stalkerscan.indicators.builder import rename_set
from stalkerscan.indicators.load_echap import (
    ECHAP_LICENCE,
    build_samples_set,
    build_yaml_set,
    echap_folder_files,
    is_echap_document,
    is_echap_folder,
    is_samples_header,
    load_echap_folder,
    read_yaml,
)
from stalkerscan.indicators.load_isdi import build_isdi_set, is_isdi_header
from stalkerscan.indicators.load_lists import (
    build_host_list_set,
    build_network_csv_set,
    is_network_csv_header,
    parse_host_lines,
)
from stalkerscan.indicators.load_misp import build_misp_set, is_misp
from stalkerscan.indicators.load_stix2 import build_stix_set, is_stix_bundle
from stalkerscan.indicators.load_tinycheck import build_tinycheck_set, is_tinycheck_feed
from stalkerscan.model import IndicatorSet, Threat
from stalkerscan.model.errors import InputFormatError, UserError

ACCEPTED = (
    "an Echap stalkerware-indicators folder or its ioc.yaml, watchware.yaml or samples.csv; "
    "a STIX 2.1 bundle (as MVT uses); a TinyCheck or SpyGuard JSON feed; a MISP event (JSON); "
    "Echap network.csv; ISDi app-flags.csv; or a plain list of domains or IP addresses "
    "(one per line, hosts-file lines allowed)"
)
"""The formats stalkerscan reads, in words, for error messages and help."""

_YAML_KEY = re.compile(r"[A-Za-z_][\w .-]*:(\s|$)")
_SLUG = re.compile(r"[^a-z0-9]+")


class NotIndicatorFile(InputFormatError):
    """A file in no indicator format (empty, binary, or unrecognised content)."""


@dataclass(frozen=True, slots=True)
class LoadedSet:
    """A loaded set and the files it was read from."""

    indicator_set: IndicatorSet
    files: tuple[Path, ...]
    """The files read, in reading order (what an import copies)."""


def slug(text: str) -> str:
    """A set name from free text: lower-case letters, digits and dashes."""
    return _SLUG.sub("-", text.lower()).strip("-") or "indicators"


def _decode(data: bytes, where: str) -> str:
    if not data.strip():
        raise NotIndicatorFile(
            f"{where} is empty", f"Give a file with indicators in it. stalkerscan reads {ACCEPTED}"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise NotIndicatorFile(
            f"{where} is not a UTF-8 text file", f"stalkerscan reads {ACCEPTED}"
        ) from err


def _parse_json(text: str, data: bytes, where: str, name: str, licence: str | None) -> IndicatorSet:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputFormatError(
            f"{where} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})",
            "Fix the file or download it again",
        ) from err
    if is_stix_bundle(doc):
        return build_stix_set(doc, data, name=name, source=where, licence=licence)
    if is_tinycheck_feed(doc):
        return build_tinycheck_set(doc, data, name=name, source=where, licence=licence)
    if is_misp(doc):
        return build_misp_set(doc, data, name=name, source=where, licence=licence)
    raise NotIndicatorFile(
        f"{where} is JSON but in no indicator format stalkerscan reads",
        'JSON must be a STIX 2.1 bundle ({"type": "bundle", "objects": [...]}), a TinyCheck or '
        'SpyGuard feed ({"iocs": [...]}) or a MISP event ({"Event": {...}})',
    )


def _looks_like_yaml(text: str) -> bool:
    return text.startswith(("-", "%YAML")) or _YAML_KEY.match(text) is not None


def parse_indicator_bytes(
    data: bytes,
    *,
    where: str,
    name: str,
    filename: str = "",
    licence: str | None = None,
    list_threat: Threat = Threat.UNKNOWN,
) -> IndicatorSet:
    """Recognise the format of ``data`` by its content and parse it into one set.

    ``where`` names the input in messages and provenance; ``filename`` (the base name) only
    picks the default threat of Echap YAML entries without ``type``; ``list_threat`` is the
    threat of plain host lists, which do not say.
    """
    text = _decode(data, where)
    body = text.lstrip()
    if body[:1] in ("{", "["):
        return _parse_json(text, data, where, name, licence)
    first_line = body.split("\n", 1)[0].strip()
    if is_samples_header(first_line):
        return build_samples_set(
            text, data, name=name, source=where, filename=filename or where, licence=licence
        )
    if is_network_csv_header(first_line):
        return build_network_csv_set(text, data, name=name, source=where, licence=licence)
    if is_isdi_header(first_line):
        return build_isdi_set(text, data, name=name, source=where, licence=licence)
    if _looks_like_yaml(body):
        doc = read_yaml(data, where)
        if not is_echap_document(doc):
            raise NotIndicatorFile(
                f"{where} is YAML but not an Echap indicator list",
                "An Echap ioc.yaml or watchware.yaml is a list of app entries, each with `name`",
            )
        return build_yaml_set(
            doc, data, name=name, source=where, filename=filename or where, licence=licence
        )
    lines = parse_host_lines(text)
    if lines is not None:
        return build_host_list_set(
            lines, data, name=name, source=where, threat=list_threat, licence=licence
        )
    raise NotIndicatorFile(
        f"{where} is in no indicator format stalkerscan reads", f"stalkerscan reads {ACCEPTED}"
    )


def _in_echap_tree(path: Path) -> bool:
    parent = path.parent
    return is_echap_folder(parent) or is_echap_folder(parent.parent)


def load_file(path: Path, name: str | None = None, echap: bool | None = None) -> LoadedSet:
    """One set from one file.

    A file from the Echap data (``echap``; by default: a file inside an Echap folder) is named
    ``echap-<file>``, carries the Echap licence, and a host list from it is stalkerware.
    """
    if echap is None:
        echap = _in_echap_tree(path)
    default = ("echap-" if echap else "") + slug(path.stem)
    indicator_set = parse_indicator_bytes(
        path.read_bytes(),
        where=str(path),
        name=name or default,
        filename=path.name,
        licence=ECHAP_LICENCE if echap else None,
        list_threat=Threat.STALKERWARE if echap else Threat.UNKNOWN,
    )
    return LoadedSet(indicator_set, (path,))


def _load_folder(path: Path, name: str | None, echap: bool | None) -> list[LoadedSet]:
    if is_echap_folder(path):
        return [LoadedSet(load_echap_folder(path, name), echap_folder_files(path))]
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    found: list[LoadedSet] = []
    for file in files:
        try:
            found.append(load_file(file, echap=echap))
        except NotIndicatorFile:
            continue
    if not found:
        listed = ", ".join(p.name for p in files[:10]) or "no files"
        raise InputFormatError(
            f"{path} holds no indicator file ({listed})", f"stalkerscan reads {ACCEPTED}"
        )
    return _rename(found, name)


def _rename(found: list[LoadedSet], name: str | None) -> list[LoadedSet]:
    """Give every set a distinct name (``name`` for a single set, ``name-<file>`` otherwise)."""
    out: list[LoadedSet] = []
    used: set[str] = set()
    for item in found:
        base = item.indicator_set.info.name
        wanted = name if name and len(found) == 1 else f"{name}-{base}" if name else base
        final, n = wanted, 2
        while final in used:
            final, n = f"{wanted}-{n}", n + 1
        used.add(final)
        renamed = item.indicator_set if final == base else rename_set(item.indicator_set, final)
        out.append(LoadedSet(renamed, item.files))
    return out


def load_path_files(
    path: Path, name: str | None = None, echap: bool | None = None
) -> list[LoadedSet]:
    """Every set in a file or folder, with the files each was read from (``echap``: see
    :func:`load_file`)."""
    if path.is_dir():
        return _load_folder(path, name, echap)
    if not path.exists():
        raise UserError(f"{path} does not exist", "Check the path to the indicator file or folder")
    return [load_file(path, name, echap)]


def load_path(path: Path, name: str | None = None) -> list[IndicatorSet]:
    """Every indicator set in a file or folder (see the module docs for folders)."""
    return [item.indicator_set for item in load_path_files(path, name)]
