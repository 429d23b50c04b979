"""dumpsys adb: trusted keys in the three forms (indented user_keys, XML keystore, ABX keystore)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stalkerscan.extract.android.abx import parse_abx
from stalkerscan.extract.android.adb_keys import fingerprint, parse_adb_keys, parse_adb_state
from support.androidgen.abx import adb_keystore

LINUX_KEY_START = "QAAAAPUBsVijHeceeK3bETuudn5I"
LINUX_FINGERPRINT = "F0:A1:3D:8C:B3:F4:7B:09:9F:EE:8B:D8:38:2E:BD:C6"


@pytest.fixture(scope="module")
def data(shared_data: Path) -> Path:
    return shared_data / "mvt-artifacts" / "android_data"


def test_indented_user_keys_and_mangled_abx_keystore(data: Path) -> None:
    raw = (data / "dumpsys_adb.txt").read_bytes()
    (key,) = parse_adb_keys(raw)
    assert key.key.startswith(LINUX_KEY_START) and key.key.endswith("GgEAAQA=")
    assert key.comment == "user@linux"
    # the phone's own fingerprint of the last key received is the MD5 of the decoded key
    assert key.fingerprint == LINUX_FINGERPRINT
    assert key.source == "user_keys, keystore abx"
    assert key.last_connection is None  # the ABX bytes in this sample were re-encoded as text
    state = parse_adb_state(raw)
    assert state is not None and state.connected and state.wifi_enabled is None
    assert state.last_key_fingerprint == LINUX_FINGERPRINT


def test_wifi_variant(data: Path) -> None:
    raw = (data / "dumpsys_adb_wifi.txt").read_bytes()
    assert [k.comment for k in parse_adb_keys(raw)] == ["user@linux"]
    state = parse_adb_state(raw)
    assert state is not None and state.wifi_enabled is False


def test_xml_keystore_gives_the_last_connection(data: Path) -> None:
    (key,) = parse_adb_keys((data / "dumpsys_adb_xml.txt").read_bytes())
    assert key.key == "QAAAAAcgbytJst31DsaSP7hn8QcBXKR9NPVPK9MZssFVSNIP"
    assert key.comment == "user@laptop"
    assert key.last_connection == "2021-08-09T09:37:09+00:00"
    assert key.source == "user_keys, keystore xml"


def test_real_abx_keystore_bytes_are_decoded() -> None:
    other = "QAAAAAcgbytJst31DsaSP7hn8QcBXKR9NPVPK9MZssFVSNIPxYz0123456789abcdefghijklmnop="
    blob = adb_keystore([(f"{other} root@kali", 1709500000000)])
    (root, keystore) = parse_abx(blob)
    assert (root.name, root.get("version")) == ("keyStore", 1)
    assert keystore.get("lastConnection") == 1709500000000 and keystore.depth == 1
    text = (
        b"ADB MANAGER STATE (dumpsys adb):\n{\n  debugging_manager={\n    keystore="
        + blob
        + b"\n  }\n}\n"
    )
    (key,) = parse_adb_keys(text)
    assert (key.comment, key.source) == ("root@kali", "keystore abx")
    assert key.last_connection == "2024-03-03T21:06:40+00:00"


def test_several_user_keys_and_bad_input() -> None:
    text = (
        "    user_keys=QAAAAPUBsVijHeceeK3bETuudn5I+S+ndOZDsxQDvkjKqSZrM+35YWU+U1d7 a@one\n"
        "QAAAAAcgbytJst31DsaSP7hn8QcBXKR9NPVPK9MZssFVSNIP b@two\n\n    keystore=\n"
    )
    assert [k.comment for k in parse_adb_keys(text)] == ["a@one", "b@two"]
    assert parse_adb_keys(b"keystore=ABX\x00\x10\x32\xff") == ()
    assert parse_adb_state("nothing about adb") is None
    assert fingerprint("not base64!") is None
    with pytest.raises(ValueError, match="ABX"):
        parse_abx(b"<?xml version='1.0'?>")
    with pytest.raises(ValueError, match="ends in the middle"):
        parse_abx(b"ABX\x00\x10\x32\xff\xff\x00\x10ab")
