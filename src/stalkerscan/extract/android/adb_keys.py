"""``dumpsys adb``: computers trusted for USB or wireless debugging, and the ADB state.

A trusted key can appear three ways (MVT test files ``dumpsys_adb*.txt``):

* ``user_keys=<base64 key> user@host`` (the ``adb_keys`` file; more keys on the next lines);
* ``keystore=<?xml ...?><keyStore><adbKey key="<key> user@host" lastConnection="<ms>"/>``;
* ``keystore=ABX\\0...``: the same keystore in Android binary XML (Android 12+). When the bytes were
  mangled on the way (re-encoded as text), the key text is still found and ``lastConnection`` is
  left unknown.

ADB public keys are base64 of a structure starting with the length 64, so they start ``QAAAA``.
The fingerprint the phone shows (``last_key_received``) is the MD5 of the decoded key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from stalkerscan.extract.android.abx import MAGIC, parse_abx
from stalkerscan.extract.android.common import as_text, epoch_to_iso
from stalkerscan.model.android import AdbKey, AdbState

_KEY = re.compile(r"(QAAAA[A-Za-z0-9+/]{20,}={0,2})(?:[ \t]+([\w.@\-:]+))?")
_XML_KEY = re.compile(r'<adbKey\s+key="([^"]*)"(?:\s+lastConnection="(\d+)")?')
_CONNECTED = re.compile(r"connected_to_adb=(true|false)")
_LAST_KEY = re.compile(r"last_key_received=([0-9A-Fa-f:]{47})")
_WIFI = re.compile(r"adb_wifi=\{[^}]*?enabled=(true|false)", re.DOTALL)


def fingerprint(key: str) -> str | None:
    """The MD5 fingerprint of an ADB public key, as ``AA:BB:...``; None if not base64."""
    try:
        raw = base64.b64decode(key, validate=True)
    except (binascii.Error, ValueError):
        return None
    return ":".join(f"{b:02X}" for b in hashlib.md5(raw, usedforsecurity=False).digest())


def _key(text: str, last_ms: object, source: str) -> AdbKey | None:
    match = _KEY.search(text)
    if match is None:
        return None
    key = match.group(1)
    last = epoch_to_iso(last_ms, millis=True) if last_ms is not None else None
    return AdbKey(key, match.group(2), fingerprint(key), last, source)


def _abx_keys(raw: bytes) -> list[AdbKey]:
    start = raw.find(b"keystore=" + MAGIC)
    if start < 0:
        return []
    blob = raw[start + len(b"keystore=") :]
    try:
        elements = parse_abx(blob)
    except (ValueError, UnicodeDecodeError):
        found = _key(as_text(blob[:8192]), None, "keystore abx")
        return [found] if found else []
    keys = []
    for element in elements:
        value = element.get("key")
        if element.name == "adbKey" and isinstance(value, str):
            found = _key(value, element.get("lastConnection"), "keystore abx")
            if found is not None:
                keys.append(found)
    return keys


def _user_keys(text: str) -> list[AdbKey]:
    start = text.find("user_keys=")
    if start < 0:
        return []
    end = text.find("keystore=", start)
    region = text[start + len("user_keys=") : end if end >= 0 else None]
    keys = []
    for line in region.splitlines():
        found = _key(line, None, "user_keys")
        if found is not None:
            keys.append(found)
    return keys


def parse_adb_keys(data: str | bytes) -> tuple[AdbKey, ...]:
    """Every distinct trusted key, with its last connection when a keystore gives it."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8", errors="surrogateescape")
    text = as_text(data)
    found = _user_keys(text)
    found += [
        k
        for m in _XML_KEY.finditer(text)
        if (k := _key(m.group(1), int(m.group(2)) if m.group(2) else None, "keystore xml"))
    ]
    found += _abx_keys(raw)
    merged: dict[str, AdbKey] = {}
    for key in found:
        old = merged.get(key.key)
        if old is None:
            merged[key.key] = key
            continue
        sources = old.source if key.source in old.source else f"{old.source}, {key.source}"
        merged[key.key] = AdbKey(
            key.key,
            old.comment or key.comment,
            old.fingerprint,
            old.last_connection or key.last_connection,
            sources,
        )
    return tuple(merged.values())


def parse_adb_state(data: str | bytes) -> AdbState | None:
    """Whether a computer was connected, the last key seen, wireless debugging; None if absent."""
    text = as_text(data)
    connected = _CONNECTED.search(text)
    last = _LAST_KEY.search(text)
    wifi = _WIFI.search(text)
    if connected is None and last is None and wifi is None:
        return None
    return AdbState(
        connected=connected.group(1) == "true" if connected else None,
        last_key_fingerprint=last.group(1).upper() if last else None,
        wifi_enabled=wifi.group(1) == "true" if wifi else None,
    )
