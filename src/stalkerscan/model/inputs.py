"""The inputs a scan reads."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class InputKind(enum.Enum):
    """What kind of input a path is; found by content, not by extension."""

    PCAP = "pcap"
    """A network capture (pcap or pcapng)."""
    ANDROIDQF = "androidqf"
    """An androidqf acquisition folder or zip."""
    ANDROID_BUGREPORT = "android_bugreport"
    """An ``adb bugreport`` zip."""
    ANDROID_ADB = "android_adb"
    """A phone connected live over adb."""
    QUESTIONNAIRE = "questionnaire"
    """Warning signs the person reported."""


@dataclass(frozen=True, slots=True)
class InputRef:
    """One input of a scan, as recorded in the report."""

    path: str
    """The path as given (or ``adb:SERIAL`` for a live phone)."""
    kind: InputKind
    sha256: str | None
    """SHA-256 of the file; of a folder, over its files' hashes in path order; None if live."""
    size: int | None = None
    """Bytes read, if a file or folder."""
