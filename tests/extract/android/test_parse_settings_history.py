"""dumpsys settings: the package that last wrote each value, and the "Historical operations"."""

from __future__ import annotations

import hashlib
from pathlib import Path

from stalkerscan.extract.android.acquisition import extract_android_acquisition
from stalkerscan.extract.android.settings import (
    parse_settings,
    parse_settings_dump,
    parse_settings_history,
    with_packages,
)
from stalkerscan.model.android import (
    AndroidArtifact,
    AndroidArtifactSet,
    AndroidSource,
    ArtifactBytes,
    SettingsChange,
    SettingsEntry,
)
from stalkerscan.pipeline.android_loader import load_android_acquisition
from support.androidgen import (
    acquisition,
    everyday_phone,
    stalkerware_phone,
    write_androidqf,
    write_bugreport_zip,
)
from support.androidgen.dumpsys import settings_dump
from support.androidgen.phone import SettingChange

# The layout SettingsProvider prints on a debuggable Android 15 build: a "version:" line, rows
# with and without pkg:, a {null} value, then the history, newest first, with "persist" lines
# that name no setting.
DUMP = """CONFIG SETTINGS (user 0)
version: 218
_id:3 name:activity_manager/max_cached_processes pkg:com.google.android.gms value:32

Historical operations
2024-03-01 21:03:00 persist
2024-03-01 21:03:00 update activity_manager/max_cached_processes


GLOBAL SETTINGS (user 0)
version: 218
_id:54 name:package_verifier_enable pkg:com.android.vending value:0 default:1 defaultSystemSet:true
_id:55 name:verifier_verify_adb_installs pkg:com.spy.app value:0 default:1 defaultSystemSet:true
_id:56 name:adb_enabled value:1 default:0 defaultSystemSet:true
_id:57 name:http_proxy pkg:android value:{null}
_id:58 name:device_name pkg:android value:Pixel de Camille tag:restored

Historical operations
2024-03-01 21:06:30 persist
2024-03-01 21:06:30 update verifier_verify_adb_installs
2024-03-01 21:04:13.001 persist
2024-03-01 21:04:12.345 update package_verifier_enable
2024-03-01 20:10:00 delete wifi_watchdog_on
2024-02-28 09:00:00 reset adb_enabled
unknown persist


SECURE SETTINGS (user 0)
_id:12 name:install_non_market_apps pkg:android value:1
Historical operations
  2024-03-01 21:05:40 update enabled_accessibility_services

SYSTEM SETTINGS (user 10)
_id:2 name:screen_brightness pkg:com.android.systemui value:102
Historical operations
2024-03-02 08:00:00 insert screen_brightness
"""


def test_rows_keep_the_package_that_wrote_them() -> None:
    got = [(e.namespace, e.key, e.value, e.user, e.package) for e in parse_settings_dump(DUMP)]
    assert got == [
        ("config", "activity_manager/max_cached_processes", "32", 0, "com.google.android.gms"),
        ("global", "package_verifier_enable", "0", 0, "com.android.vending"),
        ("global", "verifier_verify_adb_installs", "0", 0, "com.spy.app"),
        ("global", "adb_enabled", "1", 0, None),  # no pkg: printed (unknown writer)
        ("global", "http_proxy", None, 0, "android"),
        ("global", "device_name", "Pixel de Camille", 0, "android"),
        ("secure", "install_non_market_apps", "1", 0, "android"),
        ("system", "screen_brightness", "102", 10, "com.android.systemui"),
    ]


def test_history_lines_with_their_block_in_printed_order() -> None:
    got = parse_settings_history(DUMP)
    assert got == (
        SettingsChange("config", 0, "activity_manager/max_cached_processes", "update", got[0].time),
        SettingsChange(
            "global", 0, "verifier_verify_adb_installs", "update", "2024-03-01T21:06:30"
        ),
        SettingsChange("global", 0, "package_verifier_enable", "update", "2024-03-01T21:04:12.345"),
        SettingsChange("global", 0, "wifi_watchdog_on", "delete", "2024-03-01T20:10:00"),
        SettingsChange("global", 0, "adb_enabled", "reset", "2024-02-28T09:00:00"),
        SettingsChange(
            "secure", 0, "enabled_accessibility_services", "update", "2024-03-01T21:05:40"
        ),
        SettingsChange("system", 10, "screen_brightness", "insert", "2024-03-02T08:00:00"),
    )
    assert got[0].time == "2024-03-01T21:03:00"


def test_old_history_lines_without_a_name_or_a_clock_time_are_left_out() -> None:
    # Android 6/7 printed the Setting object (its value as "name") and a time since boot.
    text = (
        "GLOBAL SETTINGS (user 0)\n"
        "_id:5 name:adb_enabled pkg:android value:1\n\n"
        "Historical operations\n"
        "1970-01-01 01:12:31 update  Setting{name=1 from com.android.settings}\n"
        "1970-01-01 01:00:05 update adb_enabled\n"
        "1970-01-01 01:00:00 initialize\n"
        "2023-11-30 10:00:00 update package_verifier_enable\n"
    )
    assert [(c.key, c.time) for c in parse_settings_history(text)] == [
        ("package_verifier_enable", "2023-11-30T10:00:00")
    ]
    assert [e.key for e in parse_settings_dump(text)] == ["adb_enabled"]


def test_unknown_lines_end_a_block_but_version_and_persist_lines_do_not() -> None:
    text = (
        "SECURE SETTINGS (user 0)\nversion: 200\n_id:1 name:a pkg:android value:1\n"
        "Historical operations\n2024-03-01 10:00:00 persist\n2024-03-01 09:00:00 update a\n"
        "GenerationRegistry\n_id:2 name:b pkg:android value:2\n"
        "2024-03-01 08:00:00 update b\n"
    )
    assert [e.key for e in parse_settings_dump(text)] == ["a"]
    assert [c.key for c in parse_settings_history(text)] == ["a"]


def test_history_outside_a_block_or_before_its_title_is_not_taken() -> None:
    text = (
        "2024-03-01 09:00:00 update adb_enabled\n"
        "GLOBAL SETTINGS (user 0)\n2024-03-01 09:00:00 update adb_enabled\n"
    )
    assert parse_settings_history(text) == ()


def test_binary_bytes_do_not_stop_the_section() -> None:
    data = DUMP.encode().replace(b"_id:57 name:http_proxy", b"\xff\xfe\x00_id:57 name:http_proxy")
    assert len(parse_settings_dump(data)) == 7  # the damaged row alone is lost
    assert len(parse_settings_history(data)) == 7
    assert parse_settings_history(b"\x00\xff" * 300) == ()


def test_files_get_the_package_only_where_the_dump_agrees() -> None:
    files = parse_settings(
        "package_verifier_enable=0\nverifier_verify_adb_installs=1\nupload_apk_enable=0\n", "global"
    )
    rows = (
        SettingsEntry("global", "package_verifier_enable", "0", 10, "com.other"),
        SettingsEntry("global", "package_verifier_enable", "0", 0, "com.android.vending"),
        SettingsEntry("global", "verifier_verify_adb_installs", "0", 0, "com.spy.app"),
        SettingsEntry("global", "upload_apk_enable", "0", 0, None),
    )
    got = [(e.key, e.package) for e in with_packages(files, rows)]
    assert got == [
        ("package_verifier_enable", "com.android.vending"),  # user 0 wins
        ("verifier_verify_adb_installs", None),  # the values differ: not the same write
        ("upload_apk_enable", None),
    ]


def _one_artifact_set(files: dict[str, bytes]) -> AndroidArtifactSet:
    kinds = {
        "dumpsys.txt": AndroidArtifact.DUMPSYS,
        "settings_global.txt": AndroidArtifact.SETTINGS,
        "settings_secure.txt": AndroidArtifact.SETTINGS,
    }
    items = tuple(
        ArtifactBytes(kinds[n], n, d, hashlib.sha256(d).hexdigest())
        for n, d in files.items()
        if n in kinds
    )
    return AndroidArtifactSet("phone", AndroidSource.ANDROIDQF_FOLDER, items, (), ())


def test_androidqf_settings_files_with_packages_and_history_from_dumpsys() -> None:
    spy = "com.system.update.service"
    acq = extract_android_acquisition(
        _one_artifact_set(acquisition(stalkerware_phone(), hashes=None))
    )
    by_key = {(e.namespace, e.key): e for e in acq.settings}
    entry = by_key["global", "verifier_verify_adb_installs"]
    assert (entry.value, entry.user, entry.package) == ("0", None, spy)
    assert by_key["global", "package_verifier_enable"].package == "com.google.android.gms"
    assert by_key["global", "device_name"].package == "android"
    assert [(c.key, c.time) for c in acq.settings_changes if c.namespace == "global"][:2] == [
        ("verifier_verify_adb_installs", "2024-03-01T21:06:30"),
        ("package_verifier_enable", "2024-03-01T21:04:12"),
    ]
    assert len(acq.settings_changes) == 8
    assert acq.where("settings_changes") == "dumpsys.txt, DUMP OF SERVICE settings"
    assert acq.where("settings_packages") == "dumpsys.txt, DUMP OF SERVICE settings"
    assert acq.where("settings_global") == "settings_global.txt", "values still from the files"


def test_bugreport_settings_come_from_dumpsys_with_users_and_packages(tmp_path: Path) -> None:
    acq = load_android_acquisition(write_bugreport_zip(stalkerware_phone(), tmp_path / "b.zip"))
    entry = next(e for e in acq.settings if e.key == "adb_enabled")
    assert (entry.value, entry.user, entry.package) == ("1", 0, "com.android.settings")
    assert {c.namespace for c in acq.settings_changes} == {"global", "secure"}
    assert acq.where("settings_changes") == acq.where("settings")


def test_a_user_build_has_no_history(tmp_path: Path) -> None:
    phone = everyday_phone()
    assert "Historical operations" not in settings_dump(phone)
    acq = load_android_acquisition(write_androidqf(phone, tmp_path / "p"))
    assert acq.settings_changes == ()
    assert {e.package for e in acq.settings if e.namespace == "global"} == {"android"}
    assert "settings_changes" in {o.what for o in acq.origins}, "read, and empty"


def test_generated_history_is_newest_first_with_persist_lines() -> None:
    phone = everyday_phone(
        android=15,
        settings_history=[
            SettingChange("2024-03-01 10:00:00", "global", "adb_enabled"),
            SettingChange("2024-03-02 10:00:00", "global", "adb_enabled", "reset"),
        ],
    )
    text = settings_dump(phone)
    assert "version: 218\n" in text
    block = text.split("GLOBAL SETTINGS (user 0)")[1].split("Historical operations\n")[1]
    assert block.startswith(
        "2024-03-02 10:00:00 persist\n2024-03-02 10:00:00 reset adb_enabled\n"
        "2024-03-01 10:00:00 persist\n2024-03-01 10:00:00 update adb_enabled\n"
    )
    assert [c.operation for c in parse_settings_history(text)] == ["reset", "update"]
    assert len(parse_settings_dump(text)) == len(
        parse_settings_dump(settings_dump(everyday_phone()))
    )
