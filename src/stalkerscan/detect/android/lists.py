"""The packaged Android lists (``data/android_lists.yaml``): what installers, permissions and
settings mean. Heuristics data, never indicators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from stalkerscan.model.errors import InputFormatError
from stalkerscan.model.packaged import load_yaml, read_packaged_text

PERMISSION_PREFIX = "android.permission."
_FIX = "Restore the file that came with stalkerscan (reinstalling stalkerscan does it)"


@dataclass(frozen=True, slots=True)
class PermissionCategory:
    """A kind of access to a person's data (SMS, location...), as permissions and app ops."""

    key: str
    """Stable key: ``sms``, ``background_location``..."""
    phrase: str
    """Short reason for people: ``reads SMS``."""
    permissions: frozenset[str]
    """Full permission names (``android.permission.READ_SMS``)."""
    app_ops: frozenset[str]
    """App-op names (``READ_SMS``) that count when their mode is ``allow``."""


@dataclass(frozen=True, slots=True)
class Receiver:
    """A broadcast that lets an app react to messages or calls."""

    category: str
    phrase: str


@dataclass(frozen=True, slots=True)
class SettingMeaning:
    """A setting, the values that mean "off", and what "off" means in words."""

    key: str
    off: frozenset[str]
    phrase: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class AndroidLists:
    """Everything in ``android_lists.yaml``, parsed."""

    play_stores: Mapping[str, str]
    other_stores: Mapping[str, str]
    transfer_installers: Mapping[str, str]
    package_installers: Mapping[str, str]
    browsers: Mapping[str, str]
    adb_installers: Mapping[str, str]
    categories: tuple[PermissionCategory, ...]
    receivers: Mapping[str, Receiver]
    root_packages: frozenset[str]
    play_protect: tuple[SettingMeaning, ...]
    reporting: tuple[SettingMeaning, ...]
    debugging: Mapping[str, str]
    traffic: Mapping[str, str]
    generic_certificates: Mapping[str, str]
    """Upper-case SHA-1 -> why it proves nothing (public test keys)."""
    tool_files: frozenset[str]
    """Paths androidqf itself writes in /data/local/tmp."""

    def category(self, key: str) -> PermissionCategory:
        """The permission category with ``key``."""
        return next(c for c in self.categories if c.key == key)


def _mapping(data: Mapping[str, object], key: str, source: str) -> dict[str, object]:
    raw = data.get(key)
    if not isinstance(raw, dict):
        raise InputFormatError(f"{source}: '{key}' is missing or not a mapping", _FIX)
    return {str(k): v for k, v in raw.items()}


def _names(data: Mapping[str, object], key: str, source: str) -> Mapping[str, str]:
    """A ``package: label`` section, keys in lower case."""
    return MappingProxyType({k.lower(): str(v) for k, v in _mapping(data, key, source).items()})


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list):
        raise InputFormatError(f"{where} is not a list", _FIX)
    return [str(x).strip() for x in value]


def _categories(data: Mapping[str, object], source: str) -> tuple[PermissionCategory, ...]:
    out = []
    for key, raw in _mapping(data, "dangerous_permissions", source).items():
        if not isinstance(raw, dict) or "phrase" not in raw:
            raise InputFormatError(f"{source}: permission category {key} lacks a phrase", _FIX)
        where = f"{source}: dangerous_permissions.{key}"
        perms = _strings(raw.get("permissions", []), f"{where}.permissions")
        out.append(
            PermissionCategory(
                key=key,
                phrase=str(raw["phrase"]),
                permissions=frozenset(p if "." in p else PERMISSION_PREFIX + p for p in perms),
                app_ops=frozenset(_strings(raw.get("app_ops", []), f"{where}.app_ops")),
            )
        )
    return tuple(out)


def _receivers(data: Mapping[str, object], source: str, keys: set[str]) -> Mapping[str, Receiver]:
    out = {}
    for action, raw in _mapping(data, "sensitive_receivers", source).items():
        if not isinstance(raw, dict) or raw.get("category") not in keys:
            raise InputFormatError(f"{source}: receiver {action} names no known category", _FIX)
        out[action] = Receiver(str(raw["category"]), str(raw.get("phrase", action)))
    return MappingProxyType(out)


def _settings(data: Mapping[str, object], key: str, source: str) -> tuple[SettingMeaning, ...]:
    out = []
    for name, raw in _mapping(data, key, source).items():
        if not isinstance(raw, dict) or "phrase" not in raw:
            raise InputFormatError(f"{source}: setting {name} lacks a phrase", _FIX)
        off = _strings(raw.get("off_values"), f"{source}: {key}.{name}.off_values")
        out.append(
            SettingMeaning(name, frozenset(off), str(raw["phrase"]), bool(raw.get("strong")))
        )
    return tuple(out)


def parse_android_lists(text: str, source: str) -> AndroidLists:
    """Parse the ``android_lists.yaml`` format; ``source`` names the file in errors."""
    data = load_yaml(text)
    if not isinstance(data, dict):
        raise InputFormatError(f"{source} is not a mapping of lists", _FIX)
    categories = _categories(data, source)
    return AndroidLists(
        play_stores=_names(data, "play_store_installers", source),
        other_stores=_names(data, "other_store_installers", source),
        transfer_installers=_names(data, "transfer_installers", source),
        package_installers=_names(data, "package_installers", source),
        browsers=_names(data, "browser_installers", source),
        adb_installers=_names(data, "adb_installers", source),
        categories=categories,
        receivers=_receivers(data, source, {c.key for c in categories}),
        root_packages=frozenset(
            p.lower() for p in _strings(data.get("root_packages"), f"{source}: root_packages")
        ),
        play_protect=_settings(data, "play_protect_settings", source),
        reporting=_settings(data, "reporting_settings", source),
        debugging=_names(data, "debugging_settings", source),
        traffic=_names(data, "traffic_settings", source),
        generic_certificates=MappingProxyType(
            {
                k.upper().replace(":", ""): str(v)
                for k, v in _mapping(data, "generic_certificates", source).items()
            }
        ),
        tool_files=frozenset(
            _strings(data.get("acquisition_tool_files"), f"{source}: acquisition_tool_files")
        ),
    )


@cache
def packaged_android_lists() -> AndroidLists:
    """The lists shipped with stalkerscan, read once."""
    text = read_packaged_text("data", "android_lists.yaml")
    return parse_android_lists(text, "the packaged android_lists.yaml")
