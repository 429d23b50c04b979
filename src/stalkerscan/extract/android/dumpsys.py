"""Cut ``dumpsys`` output and bugreport dumpstate text into sections, on bytes.

dumpsys output may hold binary blobs (Android binary XML, protobuf), so cutting works on bytes and
only splits at line boundaries; each parser decodes its own section.

* ``DUMP OF SERVICE [CRITICAL |HIGH |NORMAL ]<name>:`` starts a service section; it ends at the next
  service header, at ``--------- 0.1s was the duration of dumpsys <name>`` or at a dumpstate
  section header.
* Dumpstate (bugreport) sections look like ``------ TITLE (command) ------`` and end at the next
  such line (``------ 0.1s was the duration of 'TITLE' ------`` included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SERVICE = re.compile(rb"^DUMP OF SERVICE (?:(CRITICAL|HIGH|NORMAL) )?(\S(?:.*\S)?):\s*$")
_DURATION = re.compile(rb"^-{9} [\d.]+s was the duration of dumpsys ")
_SEPARATOR = re.compile(rb"^-{20,}\s*$")
_DUMPSTATE = re.compile(rb"^------ (.*?) ------\s*$")
_DUMPSTATE_DURATION = re.compile(rb"^------ [\d.]+s was the duration of ")
_TITLE_COMMAND = re.compile(r"^(.*?)(?: \((.*)\))?$")


@dataclass(frozen=True, slots=True)
class DumpsysSection:
    """One ``DUMP OF SERVICE`` section."""

    name: str
    """Service name (``package``, ``accessibility``...)."""
    priority: str | None
    """``CRITICAL``, ``HIGH`` or ``NORMAL`` in bugreports; None in plain dumpsys output."""
    data: bytes
    """The section's lines, header and trailer excluded."""


@dataclass(frozen=True, slots=True)
class DumpstateSection:
    """One ``------ TITLE (command) ------`` section of a bugreport."""

    title: str
    command: str | None
    data: bytes


def _lines(data: bytes | str) -> list[bytes]:
    raw = data.encode("utf-8", errors="surrogateescape") if isinstance(data, str) else data
    return raw.splitlines(keepends=True)


def _strip_trailer(lines: list[bytes]) -> bytes:
    while lines and (not lines[-1].strip() or _SEPARATOR.match(lines[-1])):
        lines.pop()
    return b"".join(lines)


def cut_dumpsys(data: bytes | str) -> tuple[DumpsysSection, ...]:
    """Every ``DUMP OF SERVICE`` section, in order (a service can appear twice in a bugreport)."""
    sections: list[DumpsysSection] = []
    current: tuple[str, str | None] | None = None
    body: list[bytes] = []

    def close() -> None:
        if current is not None:
            sections.append(DumpsysSection(current[0], current[1], _strip_trailer(body)))

    for line in _lines(data):
        header = _SERVICE.match(line)
        if header is not None:
            close()
            priority = header.group(1).decode() if header.group(1) else None
            current = (header.group(2).decode("utf-8", errors="replace"), priority)
            body = []
            continue
        if current is None:
            continue
        if _DURATION.match(line) or (_DUMPSTATE.match(line) and not _SEPARATOR.match(line)):
            close()
            current = None
            continue
        body.append(line)
    close()
    return tuple(sections)


def find_section(sections: tuple[DumpsysSection, ...], name: str) -> DumpsysSection | None:
    """The fullest section for service ``name`` (bugreports may dump a service more than once)."""
    found = [s for s in sections if s.name == name]
    if not found:
        return None
    return max(found, key=lambda s: len(s.data))


def cut_dumpstate(data: bytes | str) -> tuple[DumpstateSection, ...]:
    """Every ``------ TITLE (command) ------`` section of a bugreport, in order."""
    sections: list[DumpstateSection] = []
    current: tuple[str, str | None] | None = None
    body: list[bytes] = []
    for line in _lines(data):
        header = _DUMPSTATE.match(line)
        if header is None:
            if current is not None:
                body.append(line)
            continue
        if current is not None:
            sections.append(DumpstateSection(current[0], current[1], _strip_trailer(body)))
        current = None
        if _DUMPSTATE_DURATION.match(line):
            continue
        text = header.group(1).decode("utf-8", errors="replace")
        title = _TITLE_COMMAND.match(text)
        current = (title.group(1), title.group(2)) if title else (text, None)
        body = []
    if current is not None:
        sections.append(DumpstateSection(current[0], current[1], _strip_trailer(body)))
    return tuple(sections)


def find_dumpstate(
    sections: tuple[DumpstateSection, ...], *title_words: str
) -> DumpstateSection | None:
    """The first dumpstate section whose title starts with ``title_words`` (case-insensitive)."""
    prefix = " ".join(title_words).upper()
    for section in sections:
        if section.title.upper().startswith(prefix) and section.data.strip():
            return section
    return None
