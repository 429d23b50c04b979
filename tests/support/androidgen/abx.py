"""A minimal Android Binary XML writer (the format ``dumpsys adb`` prints the keystore in)."""

from __future__ import annotations

import struct

_START_DOCUMENT, _END_DOCUMENT, _START_TAG, _END_TAG, _ATTRIBUTE = 0, 1, 2, 3, 15
_STRING, _INTERNED, _INT, _LONG = 2, 3, 6, 8


class AbxWriter:
    def __init__(self) -> None:
        self.out = bytearray(b"ABX\x00")
        self.interned: list[str] = []
        self.out.append(_START_DOCUMENT | 1 << 4)

    def _string(self, value: str) -> None:
        raw = value.encode()
        self.out += struct.pack(">H", len(raw)) + raw

    def _interned(self, value: str) -> None:
        if value in self.interned:
            self.out += struct.pack(">H", self.interned.index(value))
        else:
            self.interned.append(value)
            self.out += b"\xff\xff"
            self._string(value)

    def start(self, tag: str) -> AbxWriter:
        self.out.append(_START_TAG | _INTERNED << 4)
        self._interned(tag)
        return self

    def end(self, tag: str) -> AbxWriter:
        self.out.append(_END_TAG | _INTERNED << 4)
        self._interned(tag)
        return self

    def attr(self, name: str, value: str | int, *, long: bool = False) -> AbxWriter:
        if isinstance(value, str):
            self.out.append(_ATTRIBUTE | _STRING << 4)
            self._interned(name)
            self._string(value)
        else:
            self.out.append(_ATTRIBUTE | (_LONG if long else _INT) << 4)
            self._interned(name)
            self.out += struct.pack(">q" if long else ">i", value)
        return self

    def finish(self) -> bytes:
        self.out.append(_END_DOCUMENT | 1 << 4)
        return bytes(self.out)


def adb_keystore(keys: list[tuple[str, int]]) -> bytes:
    """``adb_temp_keys.xml`` in ABX: one ``adbKey`` per (key text, last connection ms)."""
    writer = AbxWriter().start("keyStore").attr("version", 1)
    for key, last in keys:
        writer.start("adbKey").attr("key", key).attr("lastConnection", last, long=True)
        writer.end("adbKey")
    return writer.end("keyStore").finish()
