"""Helpers shared by the Android parsers: decoding, component names, times."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

_COMPONENT = re.compile(r"([A-Za-z]\w*(?:\.\w+)+)/([\w.$]+)")
_LOCAL_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)[ -](\d\d)[:-](\d\d)[:-](\d\d)(\.\d+)?")


class ArtifactError(ValueError):
    """A whole artifact cannot be read (not JSON, wrong shape); its records are not checked."""


def as_text(data: str | bytes) -> str:
    """Text of an artifact; undecodable bytes (binary blobs inside dumpsys) become U+FFFD."""
    if isinstance(data, str):
        return data
    return data.decode("utf-8", errors="replace")


def json_artifact(data: str | bytes) -> object:
    """The JSON value of an artifact; ArtifactError when it is empty or not valid JSON."""
    text = as_text(data).strip()
    if not text:
        raise ArtifactError("the file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ArtifactError(f"not valid JSON ({err.msg} at line {err.lineno})") from err


def split_component(text: str) -> tuple[str, str] | None:
    """``(component, package)`` of the first ``pkg/class`` in ``text`` (``ComponentInfo{}`` too)."""
    match = _COMPONENT.search(text)
    if match is None:
        return None
    return match.group(0), match.group(1)


def components(text: str) -> list[tuple[str, str]]:
    """Every ``(component, package)`` in ``text``, in order."""
    return [(m.group(0), m.group(1)) for m in _COMPONENT.finditer(text)]


def local_time(text: str) -> str | None:
    """A phone-local time (``2022-03-29 18:37:30.315`` or ``2022-08-16-15-56-39``) as ISO text."""
    match = _LOCAL_TIME.search(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, frac = match.groups()
    return f"{year}-{month}-{day}T{hour}:{minute}:{second}{frac or ''}"


def epoch_to_iso(value: object, *, millis: bool = False) -> str | None:
    """POSIX seconds (or milliseconds) as UTC ISO 8601; None for missing, zero or absurd values."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if millis:
        number /= 1000
    if number <= 0 or number > 32503680000:  # after year 3000: not a time
        return None
    return datetime.fromtimestamp(number, UTC).isoformat(timespec="seconds")


def parse_int(text: object) -> int | None:
    """An int from JSON or text, or None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text
    if isinstance(text, str):
        try:
            return int(text.strip())
        except ValueError:
            return None
    return None


def none_if_empty(value: object) -> str | None:
    """A JSON string, or None when empty, ``null`` or not a string."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or value.lower() == "null":
        return None
    return value
