"""Every parser on every real sample file and on random bytes: no crash, only ArtifactError."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from stalkerscan.extract.android.accessibility import parse_accessibility
from stalkerscan.extract.android.adb_keys import parse_adb_keys, parse_adb_state
from stalkerscan.extract.android.appops import parse_appops
from stalkerscan.extract.android.battery import parse_battery_daily
from stalkerscan.extract.android.common import ArtifactError
from stalkerscan.extract.android.device_policy import parse_device_policy
from stalkerscan.extract.android.dumpsys import cut_dumpstate, cut_dumpsys
from stalkerscan.extract.android.files import parse_files
from stalkerscan.extract.android.getprop import parse_getprop
from stalkerscan.extract.android.mounts import parse_mounts
from stalkerscan.extract.android.package_dump import parse_package_details
from stalkerscan.extract.android.packages import parse_packages
from stalkerscan.extract.android.processes import parse_processes
from stalkerscan.extract.android.resolver import parse_resolver_tables
from stalkerscan.extract.android.root import parse_root_binaries, parse_selinux
from stalkerscan.extract.android.settings import (
    parse_settings,
    parse_settings_dump,
    parse_settings_history,
)

PARSERS: dict[str, Callable[[bytes], object]] = {
    "accessibility": parse_accessibility,
    "adb_keys": parse_adb_keys,
    "adb_state": parse_adb_state,
    "appops": parse_appops,
    "battery": parse_battery_daily,
    "device_policy": parse_device_policy,
    "dumpstate": cut_dumpstate,
    "dumpsys": cut_dumpsys,
    "files": parse_files,
    "getprop": parse_getprop,
    "mounts": parse_mounts,
    "package_details": parse_package_details,
    "packages": parse_packages,
    "processes": parse_processes,
    "resolver": parse_resolver_tables,
    "root_binaries": parse_root_binaries,
    "selinux": parse_selinux,
    "settings": lambda data: parse_settings(data, "secure"),
    "settings_dump": parse_settings_dump,
    "settings_history": parse_settings_history,
}


def _samples(shared_data: Path) -> list[Path]:
    return sorted(p for p in (shared_data / "mvt-artifacts").rglob("*") if p.is_file())


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_every_parser_on_every_real_file(shared_data: Path, parser: str) -> None:
    files = _samples(shared_data)
    assert len(files) >= 20  # androidqf/ and android_data/, backup.ab included
    for path in files:
        try:
            PARSERS[parser](path.read_bytes())
        except ArtifactError:
            continue  # a JSON parser given a file that is not its own: reported as not checked


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_every_parser_on_random_and_truncated_input(shared_data: Path, parser: str) -> None:
    rng = random.Random(parser)
    dumpsys = (shared_data / "mvt-artifacts" / "androidqf" / "dumpsys.txt").read_bytes()
    inputs = [bytes(rng.randrange(256) for _ in range(2000)) for _ in range(5)]
    inputs += [dumpsys[: rng.randrange(len(dumpsys))] for _ in range(10)]
    inputs += [b"", b"\x00", b"[", b"{}", b"null", b"[1, 2]", b'[{"path": 1}]']
    for data in inputs:
        try:
            PARSERS[parser](data)
        except ArtifactError:
            continue


def test_random_abx_keystores_never_crash() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(80)))
        assert isinstance(parse_adb_keys(b"    keystore=ABX\x00" + blob), tuple)
