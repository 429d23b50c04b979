"""Android Binary XML (``ABX``), the format of system XML files since Android 12.

``dumpsys adb`` prints the ADB keystore (``adb_temp_keys.xml``) raw, so on Android 12+ its
``keystore=`` value is ABX bytes. Format (``BinaryXmlSerializer`` in AOSP): the magic ``ABX\\0``,
then tokens; a token byte is ``type << 4 | command``. Strings are a big-endian u16 length and
UTF-8 bytes; interned strings are a u16 index into a table, ``0xFFFF`` adding a new string.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAGIC = b"ABX\x00"

_START_DOCUMENT, _END_DOCUMENT, _START_TAG, _END_TAG = 0, 1, 2, 3
_ATTRIBUTE = 15
_TEXT_COMMANDS = frozenset(range(4, 11))
_NULL, _STRING, _INTERNED, _HEX, _BASE64 = 1, 2, 3, 4, 5
_INT, _INT_HEX, _LONG, _LONG_HEX, _FLOAT, _DOUBLE, _TRUE, _FALSE = 6, 7, 8, 9, 10, 11, 12, 13

AbxValue = str | int | float | bool | bytes | None


@dataclass(frozen=True, slots=True)
class AbxElement:
    """One element: its name, depth (0 for the root) and attributes in order."""

    name: str
    depth: int
    attributes: tuple[tuple[str, AbxValue], ...]

    def get(self, name: str) -> AbxValue:
        """An attribute's value, or None."""
        for key, value in self.attributes:
            if key == name:
                return value
        return None


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.interned: list[str] = []

    def take(self, size: int) -> bytes:
        if self.pos + size > len(self.data):
            raise ValueError("ABX data ends in the middle of a token")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def u16(self) -> int:
        return int(struct.unpack(">H", self.take(2))[0])

    def string(self) -> str:
        return self.take(self.u16()).decode("utf-8")

    def interned_string(self) -> str:
        index = self.u16()
        if index == 0xFFFF:
            value = self.string()
            self.interned.append(value)
            return value
        if index >= len(self.interned):
            raise ValueError(f"ABX interned string {index} is not defined")
        return self.interned[index]

    def value(self, kind: int) -> AbxValue:
        fixed = {_INT: ">i", _INT_HEX: ">i", _LONG: ">q", _LONG_HEX: ">q", _FLOAT: ">f"}
        if kind in fixed:
            fmt = fixed[kind]
            value: int | float = struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]
            return value
        if kind == _DOUBLE:
            return float(struct.unpack(">d", self.take(8))[0])
        simple: dict[int, AbxValue] = {_NULL: None, _TRUE: True, _FALSE: False}
        if kind in simple:
            return simple[kind]
        if kind == _STRING:
            return self.string()
        if kind == _INTERNED:
            return self.interned_string()
        if kind in (_HEX, _BASE64):
            return self.take(self.u16())
        raise ValueError(f"unknown ABX value type {kind}")


def parse_abx(data: bytes) -> tuple[AbxElement, ...]:
    """Every element of an ABX document, in document order (trailing bytes are ignored).

    Raises ValueError when the data is not ABX or is damaged.
    """
    if not data.startswith(MAGIC):
        raise ValueError("not Android binary XML (no ABX magic)")
    reader = _Reader(data)
    reader.pos = len(MAGIC)
    elements: list[tuple[str, int, list[tuple[str, AbxValue]]]] = []
    depth = 0
    while reader.pos < len(data):
        token = reader.take(1)[0]
        command, kind = token & 0x0F, token >> 4
        if command == _END_DOCUMENT:
            break
        if command == _START_DOCUMENT:
            continue
        if command == _START_TAG:
            elements.append((reader.interned_string(), depth, []))
            depth += 1
        elif command == _END_TAG:
            reader.interned_string()
            depth -= 1
        elif command == _ATTRIBUTE:
            name = reader.interned_string()
            if not elements:
                raise ValueError("ABX attribute outside an element")
            elements[-1][2].append((name, reader.value(kind)))
        elif command in _TEXT_COMMANDS:
            reader.value(kind)
        else:
            raise ValueError(f"unknown ABX token {token:#04x}")
    return tuple(AbxElement(name, d, tuple(attrs)) for name, d, attrs in elements)
