"""Echap stalkerware-indicators: ``ioc.yaml``, ``watchware.yaml``, ``samples.csv`` and their folder.

The YAML files are a list with one mapping per app (``name``, ``names`` aliases, ``type``,
``packages``, ``certificates``, ``websites``, ``distribution``, ``c2: {domains, ips}``,
``ios_bundles``). Roles come from the key, so a vendor website is never read as a C2 server.
The typo key ``c2.ip`` (used by two apps and ignored by every upstream generator) is read like
``c2.ips``.

The YAML is read with PyYAML's *base* loader (the C one when available): every value stays a
string, as upstream reads it. The safe loader would turn an all-digit certificate hash with one
``E`` into a float.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stalkerscan.indicators.builder import SetBuilder, csv_rows, sha256_bytes, sha256_listing
from stalkerscan.model import IndicatorKind, IndicatorSet, Role, Threat
from stalkerscan.model.errors import InputFormatError

_K = IndicatorKind

ECHAP_SET_NAME = "echap-stalkerware-indicators"
"""Name of the set loaded from an Echap folder."""
ECHAP_LICENCE = (
    "Stalkerware Indicators of Compromise, Echap (https://echap.eu.org/), "
    "https://github.com/AssoEchap/stalkerware-indicators, CC BY 4.0"
)
"""Attribution required by the CC BY 4.0 licence of the Echap data."""
ECHAP_FILES = ("ioc.yaml", "watchware.yaml", "samples.csv")
"""The source files of an Echap folder, in the order they are read (``ioc.yaml`` is required)."""

_THREATS = {"stalkerware": Threat.STALKERWARE, "watchware": Threat.WATCHWARE}

# (key path, kind, role); values that are full URLs become URL indicators with the same role.
_FIELDS: tuple[tuple[tuple[str, ...], IndicatorKind, Role], ...] = (
    (("packages",), _K.ANDROID_PACKAGE, Role.APP),
    (("ios_bundles",), _K.IOS_BUNDLE, Role.APP),
    (("certificates",), _K.CERT_SHA1, Role.APP),
    (("websites",), _K.DOMAIN, Role.WEBSITE),
    (("distribution",), _K.DOMAIN, Role.DISTRIBUTION),
    (("c2", "domains"), _K.DOMAIN, Role.C2),
    (("c2", "ips"), _K.IPV4, Role.C2),
    (("c2", "ip"), _K.IPV4, Role.C2),
)


@dataclass(frozen=True, slots=True)
class EchapApp:
    """One app entry of an Echap YAML file."""

    name: str
    """The canonical name (``name``)."""
    aliases: tuple[str, ...]
    """Other names it is sold under (``names``); samples.csv rows join on these too."""
    threat: Threat
    """From ``type``: stalkerware or watchware."""
    entry: Mapping[str, Any]
    """The raw mapping, all values strings or lists of strings."""
    locator: str
    """Where it is (``ioc.yaml entry 12``)."""


def read_yaml(data: bytes, where: str) -> object:
    """Parse YAML as strings only; bad YAML is an InputFormatError naming the file and line."""
    import yaml  # noqa: PLC0415  (imported when YAML is read: a cached load never needs it)

    loader: type[yaml.BaseLoader] = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    try:
        return yaml.load(data, Loader=loader)  # BaseLoader builds no objects
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise InputFormatError(
            f"{where} is not valid YAML{line}: {problem}",
            "Fix the file (an Echap ioc.yaml is a list of app entries) or download it again "
            "with `stalkerscan indicators update`",
        ) from err


def is_echap_document(doc: object) -> bool:
    """True if a parsed YAML document has the Echap shape: a list of mappings, some named."""
    if not isinstance(doc, list) or not all(isinstance(item, dict) for item in doc):
        return False
    return any("name" in item for item in doc)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def read_apps(doc: object, where: str, default: Threat, builder: SetBuilder) -> list[EchapApp]:
    """The app entries of an Echap document; entries without a name are skipped on ``builder``."""
    apps: list[EchapApp] = []
    for number, item in enumerate(doc if isinstance(doc, list) else [], start=1):
        locator = f"{where} entry {number}"
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name.strip():
            builder.skip(locator, "app entry without a name")
            continue
        threat = _THREATS.get(str(item.get("type", "")).strip().lower(), default)
        aliases = tuple(a.strip() for a in _strings(item.get("names")) if a.strip())
        apps.append(EchapApp(name.strip(), aliases, threat, item, f"{where}: {name.strip()}"))
    return apps


def _field(entry: Mapping[str, Any], path: tuple[str, ...]) -> list[str]:
    value: object = entry
    for key in path:
        if not isinstance(value, dict):
            return []
        value = value.get(key)
    return _strings(value)


def add_apps(builder: SetBuilder, apps: Iterable[EchapApp]) -> None:
    """Add every indicator of ``apps`` with the role its key says."""
    for app in apps:
        for path, kind, role in _FIELDS:
            locator = f"{app.locator} {'.'.join(path)}"
            for value in _field(app.entry, path):
                final_kind = _K.URL if "://" in value else kind
                builder.add(
                    final_kind, value, app=app.name, role=role, threat=app.threat, locator=locator
                )


def _alias_map(apps: Sequence[EchapApp]) -> dict[str, list[EchapApp]]:
    out: dict[str, list[EchapApp]] = {}
    for app in apps:
        for alias in {app.name, *app.aliases}:
            bucket = out.setdefault(alias.lower(), [])
            if app not in bucket:
                bucket.append(app)
    return out


def is_samples_header(first_line: str) -> bool:
    """True for the header of an Echap ``samples.csv`` (``SHA256,...,App``)."""
    cols = [c.strip().lower() for c in first_line.split(",")]
    return bool(cols) and cols[0] == "sha256" and "app" in cols


def add_samples(builder: SetBuilder, text: str, where: str, apps: Sequence[EchapApp]) -> None:
    """Add APK hashes (role SAMPLE) and their signing certificates (role APP) from samples.csv.

    A row's ``App`` is joined to an app by its name or any alias; a row naming no known app keeps
    its own ``App`` value. Certificates already listed for the app are not added twice.
    """
    by_alias = _alias_map(apps)
    header, rows = csv_rows(text, where)
    col_sha, col_app = header.index("sha256"), header.index("app")
    col_cert = header.index("certificate") if "certificate" in header else None
    for locator, row in rows:
        if len(row) < len(header):
            builder.skip(locator, f"{len(row)} columns where the header has {len(header)}")
            continue
        label = row[col_app].strip()
        owners = by_alias.get(label.lower())
        targets = [(a.name, a.threat) for a in owners] if owners else [(label or None, None)]
        for app_name, app_threat in targets:
            threat = app_threat or Threat.STALKERWARE
            builder.add(
                _K.FILE_SHA256,
                row[col_sha],
                app=app_name,
                role=Role.SAMPLE,
                threat=threat,
                locator=locator,
            )
            cert = row[col_cert].strip() if col_cert is not None else ""
            if cert:
                builder.add(
                    _K.CERT_SHA1, cert, app=app_name, role=Role.APP, threat=threat, locator=locator
                )


def default_threat(filename: str) -> Threat:
    """Threat of entries without ``type``: watchware in ``watchware*.yaml``, else stalkerware."""
    return Threat.WATCHWARE if "watchware" in filename.lower() else Threat.STALKERWARE


def build_yaml_set(
    doc: object, data: bytes, *, name: str, source: str, filename: str, licence: str | None
) -> IndicatorSet:
    """The set of one parsed Echap YAML file (``ioc.yaml`` or ``watchware.yaml``)."""
    builder = SetBuilder(name, source, "echap-yaml")
    add_apps(builder, read_apps(doc, filename, default_threat(filename), builder))
    return builder.build(sha256_bytes(data), licence)


def build_samples_set(
    text: str, data: bytes, *, name: str, source: str, filename: str, licence: str | None
) -> IndicatorSet:
    """The set of a samples.csv read on its own (apps named by the ``App`` column only)."""
    builder = SetBuilder(name, source, "echap-samples")
    add_samples(builder, text, filename, [])
    return builder.build(sha256_bytes(data), licence)


def is_echap_folder(path: Path) -> bool:
    """True for a folder in the Echap layout (it holds ``ioc.yaml``)."""
    return (path / "ioc.yaml").is_file()


def echap_folder_files(path: Path) -> tuple[Path, ...]:
    """The source files of an Echap folder that exist (``generated/`` is never read)."""
    return tuple(path / f for f in ECHAP_FILES if (path / f).is_file())


SET_MANIFEST = "set.yaml"
"""An optional file in a folder of the Echap layout that is not Echap's own data: it gives the
set's ``name`` and ``licence`` (attribution) instead of Echap's."""


def echap_folder_inputs(path: Path) -> tuple[Path, ...]:
    """Every file :func:`load_echap_folder` reads, in reading order: ``set.yaml`` when there is
    one, then :func:`echap_folder_files`."""
    manifest = path / SET_MANIFEST
    return ((manifest,) if manifest.is_file() else ()) + echap_folder_files(path)


def _folder_identity(path: Path, name: str | None) -> tuple[str, str]:
    """The set name and licence text of a folder: Echap's unless ``set.yaml`` says otherwise."""
    manifest = path / SET_MANIFEST
    if not manifest.is_file():
        return name or ECHAP_SET_NAME, ECHAP_LICENCE
    doc = read_yaml(manifest.read_bytes(), str(manifest))
    if not isinstance(doc, dict) or not isinstance(doc.get("name"), str):
        raise InputFormatError(
            f"{manifest} does not name the set",
            "Write `name: <set name>` and `licence: <attribution>` in it, or remove it",
        )
    licence = doc.get("licence")
    return name or doc["name"], licence if isinstance(licence, str) else ""


def load_echap_folder(path: Path, name: str | None = None) -> IndicatorSet:
    """One set from an Echap folder's ioc.yaml, watchware.yaml and samples.csv.

    The files under ``generated/`` are derived from these three and are not read again.
    A ``set.yaml`` beside them (name, licence) marks a set in Echap's format from elsewhere.
    """
    set_name, licence = _folder_identity(path, name)
    builder = SetBuilder(set_name, str(path), "echap")
    digests: list[tuple[str, str]] = []
    apps: list[EchapApp] = []
    samples: tuple[str, str] | None = None
    for file in echap_folder_files(path):
        data = file.read_bytes()
        digests.append((file.name, sha256_bytes(data)))
        if file.suffix == ".csv":
            samples = (data.decode("utf-8-sig", errors="replace"), file.name)
            continue
        doc = read_yaml(data, str(file))
        if not is_echap_document(doc):
            raise InputFormatError(
                f"{file} is YAML but not an Echap indicator list",
                "It should be a list of app entries, each with at least `name`",
            )
        apps.extend(read_apps(doc, file.name, default_threat(file.name), builder))
    add_apps(builder, apps)
    if samples is not None:
        text, filename = samples
        if not is_samples_header(text.split("\n", 1)[0]):
            raise InputFormatError(
                f"{path / filename} does not start with the samples.csv header",
                "Expected `SHA256,Package Name,Certificate,Version,App`",
            )
        add_samples(builder, text, filename, apps)
    return builder.build(sha256_listing(digests), licence or None)
