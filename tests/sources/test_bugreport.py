"""adb bugreport zips, folders and dumpstate texts: sniffing, reading, same records as androidqf."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from stalkerscan.model.android import AccessibilityState, AndroidSource
from stalkerscan.model.errors import InputFormatError
from stalkerscan.pipeline.android_loader import load_android_acquisition
from stalkerscan.sources.android_sniff import sniff_bugreport
from stalkerscan.sources.bugreport import open_bugreport
from support.androidgen import (
    bugreport_files,
    dumpstate,
    everyday_phone,
    stalkerware_phone,
    write_androidqf,
    write_bugreport_zip,
    zip_bytes,
)

SPY = "com.system.update.service"


def test_sniff_scores(tmp_path: Path, shared_data: Path) -> None:
    phone = stalkerware_phone()
    assert sniff_bugreport(write_bugreport_zip(phone, tmp_path / "br.zip")) == 100
    no_entry = write_bugreport_zip(phone, tmp_path / "old.zip", main_entry=False)
    assert sniff_bugreport(no_entry) == 80
    text = tmp_path / "bugreport.txt"
    text.write_bytes(dumpstate(phone))
    assert sniff_bugreport(text) == 90
    folder = tmp_path / "unzipped"
    for name, data in bugreport_files(phone).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    assert sniff_bugreport(folder) == 100
    assert sniff_bugreport(write_androidqf(phone, tmp_path / "aqf")) == 0
    assert sniff_bugreport(shared_data / "mvt-artifacts" / "androidqf") == 0
    assert sniff_bugreport(shared_data / "mvt-artifacts" / "androidqf" / "dumpsys.txt") == 0
    other = tmp_path / "other.zip"
    other.write_bytes(zip_bytes({"a.txt": b"x"}))
    assert sniff_bugreport(other) == 0


def test_bugreport_gives_the_same_records_as_androidqf(tmp_path: Path) -> None:
    phone = stalkerware_phone()
    from_zip = load_android_acquisition(write_bugreport_zip(phone, tmp_path / "br.zip"))
    from_aqf = load_android_acquisition(write_androidqf(phone, tmp_path / "aqf"))
    assert from_zip.info.source is AndroidSource.BUGREPORT_ZIP
    assert from_zip.info.started == "2024-03-21T11:07:22"
    assert from_zip.info.tool_version == "bugreport format 2.0"
    for field in ("device_admins", "package_details", "resolver_entries", "appops",
                  "battery_updates", "adb_keys", "device"):  # fmt: skip
        assert getattr(from_zip, field) == getattr(from_aqf, field), field
    assert [(a.package, a.state) for a in from_zip.accessibility] == [
        (SPY, AccessibilityState.ENABLED)
    ]
    assert [n.package for n in from_zip.notification_listeners] == [SPY, "com.google.android.gms"]
    assert from_zip.setting("global", "package_verifier_enable") == "0"
    assert {(s.namespace, s.user) for s in from_zip.settings} == {
        ("system", 0), ("secure", 0), ("global", 0),
    }  # fmt: skip
    assert sorted(p.name for p in from_zip.processes) == sorted(p.name for p in from_aqf.processes)
    name = "bugreport-panther-AP1A.240305.019-2024-03-21-11-07-22.txt"
    assert from_zip.where("processes") == f"{name}, ------ PROCESSES AND THREADS ------"
    assert from_zip.packages == () and from_zip.files == () and from_zip.hash_checks == ()
    assert {n.what for n in from_zip.not_checked} == {
        "packages.json", "files.json", "root_binaries.json", "selinux.txt", "mounts.json",
        "hashes.csv",
    }  # fmt: skip


def test_text_and_folder_bugreports(tmp_path: Path) -> None:
    text = tmp_path / "bugreport-x.txt"
    text.write_bytes(dumpstate(everyday_phone()))
    acq = load_android_acquisition(text)
    assert acq.info.source is AndroidSource.BUGREPORT_FOLDER and acq.device.model == "Pixel 7"
    assert acq.accessibility == () and acq.device_admins == ()
    old = write_bugreport_zip(everyday_phone(), tmp_path / "old.zip", main_entry=False)
    artifacts = open_bugreport(old)
    assert artifacts.artifacts[0].name.startswith("bugreport-panther")


def test_unreadable_bugreports(tmp_path: Path) -> None:
    empty_zip = tmp_path / "empty.zip"
    empty_zip.write_bytes(zip_bytes({"version.txt": b"2.0"}))
    with pytest.raises(InputFormatError, match="holds no dumpstate"):
        open_bugreport(empty_zip)
    good = write_bugreport_zip(everyday_phone(), tmp_path / "br.zip").read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good[:-200])
    assert sniff_bugreport(cut) == 1
    with pytest.raises(InputFormatError, match="not a readable zip"):
        open_bugreport(cut)
    plain = tmp_path / "notes.txt"
    plain.write_text("not a dumpstate")
    with pytest.raises(InputFormatError, match="not a bugreport"):
        open_bugreport(plain)


def test_a_damaged_member_is_an_input_format_error(tmp_path: Path) -> None:
    path = write_bugreport_zip(stalkerware_phone(), tmp_path / "br.zip")
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(archive.read("main_entry.txt").decode())
    start = info.header_offset + 30 + len(info.filename) + 50
    raw[start : start + 20] = b"\x00" * 20  # corrupt the compressed dumpstate
    path.write_bytes(bytes(raw))
    with pytest.raises(InputFormatError, match="damaged inside"):
        open_bugreport(path)
