"""Android settings, in the two shapes they are collected in.

* androidqf ``settings_<namespace>.txt`` (``cmd settings list <namespace>``): ``key=value`` lines;
  the namespace is given by the caller (from the file name).
* ``dumpsys settings`` (bugreports): ``SECURE SETTINGS (user 0)`` headers, then rows
  ``_id:12 name:adb_enabled pkg:android value:1 default:1 defaultSystemSet:true``; the value ends
  where the row's metadata (``default:``, ``defaultSystemSet:``, ``isValuePreservedInRestore:``,
  ``notPreservedInRestore``...) starts, and may contain spaces.

Also: the notification listeners named by the secure setting ``enabled_notification_listeners``.
"""

from __future__ import annotations

import re

from stalkerscan.extract.android.common import as_text, components
from stalkerscan.model.android import NotificationListener, SettingsEntry

_KEY_VALUE = re.compile(r"^([A-Za-z0-9_.:\-]+)=(.*)$")
_DUMP_HEADER = re.compile(r"^\s*(SYSTEM|SECURE|GLOBAL|CONFIG) SETTINGS \(user (\d+)\)")
_DUMP_ROW = re.compile(r"^\s*_id:\d+ name:(\S+) pkg:\S* value:(.*)$")
_METADATA = re.compile(
    r" (?:default:|defaultSystemSet:|isValuePreservedInRestore:|notPreservedInRestore|tag:)"
)
SOURCE_LISTENERS = "settings secure enabled_notification_listeners"


def _value(text: str) -> str | None:
    return None if text == "null" else text


def parse_settings(data: str | bytes, namespace: str) -> tuple[SettingsEntry, ...]:
    """Every ``key=value`` line of one namespace; other lines are skipped."""
    out: list[SettingsEntry] = []
    for line in as_text(data).splitlines():
        match = _KEY_VALUE.match(line.strip())
        if match is not None:
            out.append(SettingsEntry(namespace, match.group(1), _value(match.group(2).strip())))
    return tuple(out)


def parse_settings_dump(data: str | bytes) -> tuple[SettingsEntry, ...]:
    """Every current setting of a ``dumpsys settings`` section, for every user and namespace."""
    out: list[SettingsEntry] = []
    namespace: str | None = None
    user: int | None = None
    for line in as_text(data).splitlines():
        header = _DUMP_HEADER.match(line)
        if header is not None:
            namespace, user = header.group(1).lower(), int(header.group(2))
            continue
        if not line.strip():
            continue
        row = _DUMP_ROW.match(line)
        if row is not None and namespace is not None:
            value = _METADATA.split(row.group(2), maxsplit=1)[0]
            out.append(SettingsEntry(namespace, row.group(1), _value(value.strip()), user))
        elif not line.startswith(" ") and not line.startswith("_id:"):
            namespace = None
    return tuple(out)


def notification_listeners(settings: tuple[SettingsEntry, ...]) -> tuple[NotificationListener, ...]:
    """Apps allowed to read notifications (``pkg/class:pkg/class`` in a secure setting)."""
    out: list[NotificationListener] = []
    seen: set[str] = set()
    for entry in settings:
        if entry.namespace != "secure" or entry.key != "enabled_notification_listeners":
            continue
        for component, package in components(entry.value or ""):
            if component not in seen:
                seen.add(component)
                out.append(NotificationListener(component, package, SOURCE_LISTENERS))
    return tuple(out)
