"""Load indicator sets from any supported file or folder, recognising the format by content.

``load_path`` takes a file or a folder. A folder in the Echap layout (it holds ``ioc.yaml``)
is one set read from ``ioc.yaml``, ``watchware.yaml`` and ``samples.csv``; its ``generated/``
files are copies of the same data and are not read again. Any other folder gives one set per
recognised file in it (not in its subfolders); files in no indicator format are left out, and
a file that looks like a format but is broken (bad JSON or YAML) is an error.

:func:`plan_load` decides which files a load reads before any is parsed; the loader follows
that plan, and the indicator cache (``stalkerscan.store.cache_key``) hashes the same
files to know whether a saved result still holds. The format loaders are imported only when
their format is parsed, so a load that is answered from the cache never imports PyYAML.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from stalkerscan.indicators.builder import rename_set
from stalkerscan.indicators.load_echap import (
    ECHAP_LICENCE,
    echap_folder_inputs,
    is_echap_folder,
    load_echap_folder,
)
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
    from stalkerscan.indicators.load_misp import build_misp_set, is_misp  # noqa: PLC0415
    from stalkerscan.indicators.load_stix2 import build_stix_set, is_stix_bundle  # noqa: PLC0415
    from stalkerscan.indicators.load_tinycheck import (  # noqa: PLC0415
        build_tinycheck_set,
        is_tinycheck_feed,
    )

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
    # Each format's loader is imported when a file is parsed, not when stalkerscan starts: a
    # load answered from the indicator cache parses nothing and imports none of them.
    from stalkerscan.indicators.load_echap import (  # noqa: PLC0415
        build_samples_set,
        build_yaml_set,
        is_echap_document,
        is_samples_header,
        read_yaml,
    )
    from stalkerscan.indicators.load_isdi import build_isdi_set, is_isdi_header  # noqa: PLC0415
    from stalkerscan.indicators.load_lists import (  # noqa: PLC0415
        build_host_list_set,
        build_network_csv_set,
        is_network_csv_header,
        parse_host_lines,
    )

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


@dataclass(frozen=True, slots=True)
class LoadPlan:
    """What a load of one path reads, decided before any file is parsed."""

    path: Path
    """The file or folder as given (its text is the ``source`` of the sets read from it)."""
    folder: bool
    """The path is a folder."""
    echap_folder: bool
    """The path is a folder in the Echap layout: one set from its files."""
    files: tuple[Path, ...]
    """Every file the load reads, in reading order (for a folder of files, also those that turn
    out to be in no indicator format)."""
    echap: bool
    """Files are read as Echap data (see :func:`load_file`); not used for an Echap folder."""


def plan_load(path: Path, echap: bool | None = None) -> LoadPlan:
    """The files a load of ``path`` reads (``echap``: see :func:`load_file`).

    Everything the loaded sets depend on besides these files' bytes is in the plan: the path's
    text, the layout, and whether the files count as Echap data.
    """
    if path.is_dir():
        if is_echap_folder(path):
            return LoadPlan(path, True, True, echap_folder_inputs(path), True)
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        # A file's parent is ``path`` (not an Echap folder), so only the grandparent can be one.
        in_tree = echap if echap is not None else is_echap_folder(path.parent)
        return LoadPlan(path, True, False, tuple(files), in_tree)
    if not path.exists():
        raise UserError(f"{path} does not exist", "Check the path to the indicator file or folder")
    in_tree = echap if echap is not None else _in_echap_tree(path)
    return LoadPlan(path, False, False, (path,), in_tree)


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


def _load_folder(plan: LoadPlan, name: str | None) -> list[LoadedSet]:
    found: list[LoadedSet] = []
    for file in plan.files:
        try:
            found.append(load_file(file, echap=plan.echap))
        except NotIndicatorFile:
            continue
    if not found:
        listed = ", ".join(p.name for p in plan.files[:10]) or "no files"
        raise InputFormatError(
            f"{plan.path} holds no indicator file ({listed})", f"stalkerscan reads {ACCEPTED}"
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


def load_planned(plan: LoadPlan, name: str | None = None) -> list[LoadedSet]:
    """Every set of a planned load (see :func:`plan_load`), with the files each was read from."""
    if plan.echap_folder:
        return [LoadedSet(load_echap_folder(plan.path, name), plan.files)]
    if plan.folder:
        return _load_folder(plan, name)
    return [load_file(plan.path, name, plan.echap)]


def load_path_files(
    path: Path, name: str | None = None, echap: bool | None = None
) -> list[LoadedSet]:
    """Every set in a file or folder, with the files each was read from (``echap``: see
    :func:`load_file`)."""
    return load_planned(plan_load(path, echap), name)


def load_path(path: Path, name: str | None = None) -> list[IndicatorSet]:
    """Every indicator set in a file or folder (see the module docs for folders)."""
    return [item.indicator_set for item in load_path_files(path, name)]
