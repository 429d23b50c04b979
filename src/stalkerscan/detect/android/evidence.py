"""Evidence lines for Android findings: where a record was read, and times in UTC.

Times the phone printed in its own local time (app ops, package installs, battery history) carry no
zone; they are converted to UTC with the phone's ``persist.sys.timezone`` (the IANA rules the
Python installation ships, a fixed table, not the clock). When the zone is unknown or not in that
table, the evidence keeps the phone's time in its text and has no UTC time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stalkerscan.detect.android.thresholds import MAX_EVIDENCE, MAX_LISTED
from stalkerscan.model import Evidence
from stalkerscan.model.android import AndroidAcquisition

_FALLBACK = {
    "packages": "packages.json",
    "package_details": "dumpsys package",
    "resolver_entries": "dumpsys package",
    "accessibility": "dumpsys accessibility",
    "device_admins": "dumpsys device_policy",
    "appops": "dumpsys appops",
    "battery_updates": "dumpsys batterystats",
    "adb_keys": "dumpsys adb",
    "adb_state": "dumpsys adb",
    "processes": "the process list",
    "files": "files.json",
    "mounts": "mounts.json",
    "root_binaries": "root_binaries.json",
    "selinux": "selinux.txt",
    "getprop": "getprop.txt",
    "hashes": "hashes.csv",
    "acquisition": "acquisition.json",
}


@cache
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class PhoneTime:
    """A time read from the phone: as printed, and in UTC when its zone is known."""

    local: str
    """As the phone printed it (``2024-03-01T21:05:03``), or an ISO time with an offset."""
    utc: str | None

    @property
    def text(self) -> str:
        """For people: ``2024-03-01 21:05:03 (phone time)`` or the UTC time."""
        if self.local.endswith(("+00:00", "Z")):
            return self.local.replace("T", " ").replace("+00:00", " UTC").replace("Z", " UTC")
        return f"{self.local.replace('T', ' ')} (phone time)"

    @property
    def sort_key(self) -> str:
        return self.utc or self.local


def phone_time(text: str | None, timezone: str | None) -> PhoneTime | None:
    """``text`` as a ``PhoneTime``; times that already carry an offset are converted as they are."""
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return PhoneTime(text, None)
    if parsed.tzinfo is None:
        zone = _zone(timezone) if timezone else None
        if zone is None:
            return PhoneTime(text, None)
        parsed = parsed.replace(tzinfo=zone)
    return PhoneTime(text, parsed.astimezone(UTC).isoformat())


def acquisition_time(acq: AndroidAcquisition, text: str | None) -> PhoneTime | None:
    """A phone time of ``acq``, with its zone."""
    return phone_time(text, acq.device.timezone)


def where(acq: AndroidAcquisition, what: str) -> str:
    """Where records of kind ``what`` were read from (file and section)."""
    return acq.where(what) or _FALLBACK.get(what, what)


def line(
    acq: AndroidAcquisition, what: str, observed: str, time: PhoneTime | None = None
) -> Evidence:
    """One evidence line read from records of kind ``what``."""
    return Evidence(
        input=acq.input,
        locator=where(acq, what),
        observed=observed,
        time=time.utc if time else None,
    )


def cap_evidence(items: Iterable[Evidence]) -> tuple[Evidence, ...]:
    """Unique evidence in first-seen order; past ``MAX_EVIDENCE`` lines, one line sums the rest."""
    unique = tuple(dict.fromkeys(items))
    if len(unique) <= MAX_EVIDENCE:
        return unique
    kept = unique[: MAX_EVIDENCE - 1]
    rest = unique[MAX_EVIDENCE - 1 :]
    summary = Evidence(
        input=rest[0].input,
        locator="; ".join(sorted({e.locator for e in rest})),
        observed=f"{len(rest)} more observations of the same kind, not listed one by one",
    )
    return (*kept, summary)


def listing(items: Iterable[str], limit: int = MAX_LISTED) -> str:
    """``a, b, c`` with at most ``limit`` named and the rest counted."""
    values = list(dict.fromkeys(items))
    if len(values) <= limit:
        return ", ".join(values)
    return f"{', '.join(values[:limit])} and {len(values) - limit} more"


def plural(count: int, noun: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a final full stop ("" stays "")."""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
