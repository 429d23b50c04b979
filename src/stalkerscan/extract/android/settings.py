"""Android settings, in the two shapes they are collected in, and their recent history.

* androidqf ``settings_<namespace>.txt`` (``cmd settings list <namespace>``): ``key=value`` lines;
  the namespace is given by the caller (from the file name).
* ``dumpsys settings`` (androidqf's dumpsys.txt, bugreports): per user, ``CONFIG``, ``GLOBAL``
  (user 0 only), ``SECURE`` and ``SYSTEM SETTINGS (user N)`` blocks. Each block holds rows
  ``_id:12 name:adb_enabled pkg:com.android.shell value:1 default:0 defaultSystemSet:true``:
  ``pkg:`` (absent when unknown) is the package that last wrote the value; the value ends where
  the row's metadata (``default:``, ``defaultSystemSet:``, ``tag:``, ``isValuePreservedInRestore:``,
  ``notPreservedInRestore``...) starts, may contain spaces, and is ``{null}`` (``null`` on old
  versions) when unset. Recent versions print ``version: N`` first. On debuggable builds a block
  ends with ``Historical operations`` and up to 20 lines, newest first,
  ``2024-03-01 21:04:12 update package_verifier_enable`` (phone local time, operation, setting);
  ``persist`` and ``initialize`` lines name no setting and are skipped, as are Android 6/7 lines
  (``update  Setting{name=<value> from <pkg>}``, timed from boot rather than by the clock).

Also: the notification listeners named by the secure setting ``enabled_notification_listeners``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from stalkerscan.extract.android.common import as_text, components, local_time
from stalkerscan.model.android import NotificationListener, SettingsChange, SettingsEntry

_KEY_VALUE = re.compile(r"^([A-Za-z0-9_.:\-]+)=(.*)$")
_DUMP_HEADER = re.compile(r"^\s*(SYSTEM|SECURE|GLOBAL|CONFIG) SETTINGS \(user (\d+)\)")
_DUMP_ROW = re.compile(r"^\s*_id:\S+ name:(\S+)(?: pkg:(\S*))? value:(.*)$")
_METADATA = re.compile(
    r" (?:default:|defaultSystemSet:|isValuePreservedInRestore:|notPreservedInRestore|tag:)"
)
_VERSION = re.compile(r"^\s*version: ?\d+\s*$")
_HISTORY_TITLE = "Historical operations"
_HISTORY_LINE = re.compile(
    r"^\s*(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) +([a-z_]+) +([A-Za-z0-9_.:/\-]+)\s*$"
)
_HISTORY_SHAPE = re.compile(r"^\s*(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?|unknown) ")
"""Any history line, with or without a setting (``persist``), or untimed (``unknown``)."""
FIRST_CLOCK_YEAR = 2008
"""Android did not exist before: an earlier date is a time since boot (Android 6/7), not a date."""
_DAMAGED = "\ufffd"
"""What ``as_text`` makes of undecodable bytes."""
SOURCE_LISTENERS = "settings secure enabled_notification_listeners"


def _value(text: str) -> str | None:
    return None if text in ("null", "{null}") else text


def parse_settings(data: str | bytes, namespace: str) -> tuple[SettingsEntry, ...]:
    """Every ``key=value`` line of one namespace; other lines are skipped."""
    out: list[SettingsEntry] = []
    for line in as_text(data).splitlines():
        match = _KEY_VALUE.match(line.strip())
        if match is not None:
            out.append(SettingsEntry(namespace, match.group(1), _value(match.group(2).strip())))
    return tuple(out)


def _change(line: str, namespace: str, user: int) -> SettingsChange | None:
    match = _HISTORY_LINE.match(line)
    if match is None:
        return None
    time = local_time(match.group(1))
    if time is None or int(time[:4]) < FIRST_CLOCK_YEAR:
        return None
    return SettingsChange(namespace, user, match.group(3), match.group(2), time)


def _scan_dump(text: str) -> Iterator[SettingsEntry | SettingsChange]:
    """Rows and history lines of a ``dumpsys settings`` text, in the order printed.

    A line that is none of the known shapes, not indented, ends the current block (so that rows
    are never given a wrong namespace); blank lines and lines starting with undecodable bytes
    (skipped) do not.
    """
    namespace: str | None = None
    user = 0
    history = False
    for line in text.splitlines():
        header = _DUMP_HEADER.match(line)
        if header is not None:
            namespace, user, history = header.group(1).lower(), int(header.group(2)), False
            continue
        if not line.strip() or namespace is None:
            continue
        if line.strip() == _HISTORY_TITLE:
            history = True
            continue
        row = _DUMP_ROW.match(line)
        if row is not None:
            value = _METADATA.split(row.group(3), maxsplit=1)[0]
            package = row.group(2) or None
            yield SettingsEntry(namespace, row.group(1), _value(value.strip()), user, package)
            continue
        if history and _HISTORY_SHAPE.match(line):
            change = _change(line, namespace, user)
            if change is not None:
                yield change
        elif not _VERSION.match(line) and not line.startswith((" ", "_id:", _DAMAGED)):
            namespace = None


def parse_settings_dump(data: str | bytes) -> tuple[SettingsEntry, ...]:
    """Every current setting of a ``dumpsys settings`` section, for every user and namespace,
    with the package that last wrote it when the row says."""
    return tuple(e for e in _scan_dump(as_text(data)) if isinstance(e, SettingsEntry))


def parse_settings_history(data: str | bytes) -> tuple[SettingsChange, ...]:
    """Every timed change that names a setting in the "Historical operations" of a
    ``dumpsys settings`` section, in the order printed (newest first in each block)."""
    return tuple(e for e in _scan_dump(as_text(data)) if isinstance(e, SettingsChange))


def with_packages(
    entries: tuple[SettingsEntry, ...], dump_rows: tuple[SettingsEntry, ...]
) -> tuple[SettingsEntry, ...]:
    """``entries`` (from settings files, which do not say who wrote a value) with the package of
    the ``dumpsys settings`` row of the same namespace, key and value; user 0's row wins."""
    packages: dict[tuple[str, str, str | None], str] = {}
    for row in dump_rows:
        if row.package is None:
            continue
        slot = (row.namespace, row.key, row.value)
        if slot not in packages or row.user == 0:
            packages[slot] = row.package
    return tuple(
        replace(entry, package=packages.get((entry.namespace, entry.key, entry.value)))
        if entry.package is None
        else entry
        for entry in entries
    )


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
