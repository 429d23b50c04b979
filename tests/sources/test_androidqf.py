"""androidqf acquisitions: folder, zip, .zip.age; hashes.csv; missing and broken files; sniffing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyrage
import pytest

from stalkerscan.model.android import AccessibilityState, AdminRole, AndroidSource, HashStatus
from stalkerscan.model.errors import InputFormatError, UserError
from stalkerscan.pipeline.android_loader import load_android_acquisition, sniff_android
from stalkerscan.sources.android_sniff import ARTIFACT_FILES, MARKERS, sniff_androidqf
from stalkerscan.sources.androidqf import FILES, open_androidqf
from support.androidgen import (
    dual_use_phone,
    everyday_phone,
    rooted,
    stalkerware_phone,
    write_androidqf,
    write_androidqf_age,
    write_androidqf_zip,
    write_bugreport_zip,
    zip_bytes,
)

SPY = "com.system.update.service"


@pytest.fixture(scope="module")
def mvt(shared_data: Path) -> Path:
    return shared_data / "mvt-artifacts"


def test_sniff_scores(tmp_path: Path, mvt: Path) -> None:
    folder = write_androidqf(everyday_phone(), tmp_path / "aqf")
    assert sniff_androidqf(folder) == 100  # acquisition.json says androidqf
    assert sniff_androidqf(mvt / "androidqf") == 80
    assert sniff_androidqf(mvt / "android_data") == 20  # getprop.txt and ps.txt only
    assert sniff_androidqf(write_androidqf_zip(everyday_phone(), tmp_path / "flat.zip")) == 100
    nested = write_androidqf_zip(everyday_phone(), tmp_path / "nested.zip", nested=True)
    assert sniff_androidqf(nested) == 100
    age = write_androidqf_age(everyday_phone(), tmp_path / "a.zip.age", _key()[1])
    assert sniff_androidqf(age) == 70
    (tmp_path / "empty").mkdir()
    assert sniff_androidqf(tmp_path / "empty") == 0
    assert sniff_androidqf(mvt / "androidqf" / "packages.json") == 0
    other_zip = tmp_path / "photos.zip"
    other_zip.write_bytes(zip_bytes({"DCIM/1.jpg": b"\xff\xd8"}))
    assert sniff_androidqf(other_zip) == 0
    pcap = tmp_path / "capture.pcap"
    pcap.write_bytes(b"\xd4\xc3\xb2\xa1" + b"\x00" * 40)
    assert sniff_androidqf(pcap) == 0 and sniff_android(pcap) == 0
    assert sniff_androidqf(write_bugreport_zip(everyday_phone(), tmp_path / "br.zip")) == 0


def test_the_sniffer_knows_every_artifact_the_source_reads() -> None:
    assert tuple(FILES) == ARTIFACT_FILES
    assert set(FILES) <= MARKERS


def test_damaged_zip_is_an_input_format_error(tmp_path: Path) -> None:
    good = write_androidqf_zip(everyday_phone(), tmp_path / "good.zip").read_bytes()
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(good[: len(good) // 2])
    assert sniff_androidqf(damaged) == 1  # recognised enough to explain what is wrong
    with pytest.raises(InputFormatError, match="not a readable zip") as err:
        open_androidqf(damaged)
    assert "Copy the file again" in err.value.fix
    with pytest.raises(InputFormatError):
        load_android_acquisition(damaged)


def test_not_android_data_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InputFormatError, match="not Android device data"):
        load_android_acquisition(tmp_path / "notes.txt")
    with pytest.raises(UserError, match="does not exist"):
        load_android_acquisition(tmp_path / "nowhere")
    with pytest.raises(InputFormatError, match="holds no androidqf files"):
        open_androidqf(tmp_path)


def test_real_mvt_folder_loads_and_lists_what_is_missing(mvt: Path) -> None:
    artifacts = open_androidqf(mvt / "androidqf")
    assert sorted(a.name for a in artifacts.artifacts) == [
        "dumpsys.txt", "files.json", "getprop.txt", "packages.json", "ps.txt",
        "root_binaries.json", "settings_random.txt",
    ]  # fmt: skip
    assert sorted(n.what for n in artifacts.not_checked) == [
        "acquisition.json", "hashes.csv", "mounts.json", "selinux.txt",
        "settings_global.txt", "settings_secure.txt", "settings_system.txt",
    ]  # fmt: skip
    acq = load_android_acquisition(mvt / "androidqf")
    assert acq.info.source is AndroidSource.ANDROIDQF_FOLDER
    assert len(acq.processes) == 15 and len(acq.packages) == 7


@pytest.mark.parametrize("style", ["absolute", "windows", "relative"])
def test_hashes_csv_all_styles_verify(tmp_path: Path, style: str) -> None:
    folder = write_androidqf(everyday_phone(), tmp_path / "aqf", hashes=style)
    checks = open_androidqf(folder).hash_checks
    bad = [c for c in checks if c.status is not HashStatus.OK]
    if style == "relative":
        assert bad == []
    else:  # androidqf logs on, and lists hashes.csv in itself, after hashing
        assert sorted(c.path for c in bad if c.path) == ["command.log", "hashes.csv"]
        assert all(c.note for c in bad)
    paths = {c.path for c in checks}
    assert {"packages.json", "dumpsys.txt", "apks/com.whatsapp.apk"} <= paths


def test_changed_and_missing_files_are_recorded_and_loading_goes_on(tmp_path: Path) -> None:
    folder = write_androidqf(
        stalkerware_phone(), tmp_path / "aqf", tamper={"getprop.txt": b"[a]: [b]\n"}
    )
    (folder / "apks" / "com.whatsapp.apk").unlink()
    acq = load_android_acquisition(folder)
    status = {c.path or c.listed_path: c for c in acq.hash_checks}
    assert (
        status["getprop.txt"].status is HashStatus.MISMATCH and status["getprop.txt"].note is None
    )
    assert status["getprop.txt"].actual_sha256 != status["getprop.txt"].expected_sha256
    missing = [c for c in acq.hash_checks if c.status is HashStatus.MISSING]
    assert [c.listed_path for c in missing] == [
        "/home/examiner/androidqf/3f1c2b9e-8d47-4c2a-9b1e-5a6d7e8f9012/apks/com.whatsapp.apk"
    ]
    assert acq.prop("a") == "b" and {p.name for p in acq.packages} >= {SPY}


def test_broken_and_missing_slots(tmp_path: Path) -> None:
    folder = write_androidqf(
        stalkerware_phone(),
        tmp_path / "aqf",
        broken={"packages.json": b"", "dumpsys.txt": b"\x00\xff binary noise \n\x81"},
        omit=["settings_secure.txt", "selinux.txt"],
    )
    acq = load_android_acquisition(folder)
    why = {n.what: n.why for n in acq.not_checked}
    assert why["packages.json"] == "the file is empty"
    assert "missing or empty" in why["dumpsys.txt, DUMP OF SERVICE accessibility"]
    assert why["settings_secure.txt"].startswith("not in the acquisition")
    assert why["selinux.txt"].startswith("not in the acquisition")
    assert acq.packages == () and acq.accessibility == () and acq.notification_listeners == ()
    assert acq.setting("global", "adb_enabled") == "1" and acq.files and acq.processes


def test_stalkerware_phone_records(tmp_path: Path) -> None:
    acq = load_android_acquisition(write_androidqf(rooted(stalkerware_phone()), tmp_path / "aqf"))
    spy = next(p for p in acq.packages if p.name == SPY)
    assert spy.installer is None and spy.third_party
    cert = spy.files[0].certificate
    assert cert is not None and cert.sha1 == "31a6ecec6e2c2b6b5f3ac5e1b9d0d5b5ef1f0f1c"
    assert [(a.package, a.state) for a in acq.accessibility] == [(SPY, AccessibilityState.ENABLED)]
    assert [(a.package, a.role) for a in acq.device_admins] == [(SPY, AdminRole.ADMIN)]
    details = next(d for d in acq.package_details if d.name == SPY)
    assert details.installer is None
    assert {g.name for g in details.permissions if g.granted and g.runtime} >= {
        "android.permission.READ_SMS"
    }
    launchers = {e.package for e in acq.resolver_entries if e.key == "android.intent.action.MAIN"}
    assert SPY not in launchers and "com.whatsapp" in launchers
    sms = {e.package for e in acq.resolver_entries if e.key.endswith("SMS_RECEIVED")}
    assert sms == {SPY, "com.google.android.apps.messaging"}
    installs = [o for o in acq.appops if o.op == "REQUEST_INSTALL_PACKAGES"]
    assert [o.package for o in installs] == ["org.mozilla.firefox"] and installs[0].events
    assert [k.comment for k in acq.adb_keys] == ["camille@laptop", "root@kali"]
    assert acq.root_binaries == ("/system/bin/su", "/data/local/tmp/magisk")
    assert acq.selinux == "Permissive" and any(m.read_write for m in acq.mounts)
    assert acq.setting("secure", "install_non_market_apps") == "1"


def test_everyday_and_dual_use_phones(tmp_path: Path) -> None:
    everyday = load_android_acquisition(write_androidqf(everyday_phone(), tmp_path / "a"))
    assert everyday.accessibility == () and everyday.device_admins == ()
    assert [n.package for n in everyday.notification_listeners] == ["com.google.android.gms"]
    assert everyday.setting("global", "package_verifier_enable") == "1"
    assert all(p.installer == "com.android.vending" or p.system for p in everyday.packages)
    dual = load_android_acquisition(write_androidqf(dual_use_phone(android=12), tmp_path / "b"))
    assert {"com.life360.android.safetymapd", "org.findmykids.app"} <= {
        p.name for p in dual.packages
    }
    assert dual.device.android_version == "12" and dual.accessibility == ()


@pytest.mark.parametrize("android", [11, 13, 14, 15])
def test_accessibility_layout_by_android_version(tmp_path: Path, android: int) -> None:
    acq = load_android_acquisition(
        write_androidqf(stalkerware_phone(android=android), tmp_path / "a")
    )
    enabled = [a for a in acq.accessibility if a.state is AccessibilityState.ENABLED]
    assert [(a.package, a.source) for a in enabled] == [(SPY, "dumpsys accessibility")]
    installed = [a.package for a in acq.accessibility if a.state is AccessibilityState.INSTALLED]
    assert installed == ([SPY] if android < 14 else [])  # 14+ only counts installed services


def test_xml_keystore_and_processes_txt(tmp_path: Path) -> None:
    phone = stalkerware_phone(keystore="xml")
    acq = load_android_acquisition(write_androidqf(phone, tmp_path / "a", collector=False))
    assert {k.source for k in acq.adb_keys} == {"user_keys, keystore xml"}
    assert acq.info.collector is False and SPY in {p.name for p in acq.processes}


def test_zip_flat_and_nested(tmp_path: Path) -> None:
    for nested in (False, True):
        path = write_androidqf_zip(stalkerware_phone(), tmp_path / f"{nested}.zip", nested=nested)
        acq = load_android_acquisition(path)
        assert acq.info.source is AndroidSource.ANDROIDQF_ZIP
        assert {c.status for c in acq.hash_checks} == {HashStatus.OK}
        assert len(acq.hash_checks) >= 15 and acq.device_admins


def _key() -> tuple[str, str]:
    identity = pyrage.x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def test_age_encrypted_acquisition(tmp_path: Path) -> None:
    secret, public = _key()
    path = write_androidqf_age(stalkerware_phone(), tmp_path / "x.zip.age", public)
    key_file = tmp_path / "identity.txt"
    key_file.write_text(f"# created: 2024-03-21\n# public key: {public}\n{secret}\n")
    acq = load_android_acquisition(path, identity=key_file)
    assert acq.info.source is AndroidSource.ANDROIDQF_AGE and acq.device_admins
    assert {c.status for c in acq.hash_checks} == {HashStatus.OK}


def test_age_key_problems_are_user_errors_with_a_fix(tmp_path: Path) -> None:
    secret, public = _key()
    path = write_androidqf_age(everyday_phone(), tmp_path / "x.zip.age", public)
    with pytest.raises(UserError, match="encrypted with age") as err:
        load_android_acquisition(path)
    assert "--identity" in err.value.fix
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(_key()[0] + "\n")
    with pytest.raises(UserError, match="not encrypted for the key") as err:
        load_android_acquisition(path, identity=wrong)
    assert "matches the public key" in err.value.fix
    public_only = tmp_path / "key.txt"
    public_only.write_text(public + "\n")
    with pytest.raises(UserError, match="holds a public key"):
        load_android_acquisition(path, identity=public_only)
    with pytest.raises(UserError, match="cannot be read"):
        load_android_acquisition(path, identity=tmp_path / "missing.txt")
    cut_header = tmp_path / "header.zip.age"
    cut_header.write_bytes(path.read_bytes()[:120])
    owner = tmp_path / "owner.txt"
    owner.write_text(secret)
    with pytest.raises(InputFormatError, match="damaged or incomplete"):
        load_android_acquisition(cut_header, identity=owner)
    cut_body = tmp_path / "body.zip.age"
    cut_body.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(UserError, match="not encrypted for the key"):
        load_android_acquisition(cut_body, identity=wrong)
    with pytest.raises(InputFormatError, match="damaged or incomplete") as err:
        load_android_acquisition(cut_body, identity=owner)
    assert "Copy the .age file again" in err.value.fix


def test_nested_bugreport_replaces_a_missing_dumpsys(tmp_path: Path) -> None:
    folder = write_androidqf(stalkerware_phone(), tmp_path / "aqf", omit=["dumpsys.txt"])
    write_bugreport_zip(stalkerware_phone(), folder / "bugreport.zip")
    acq = load_android_acquisition(folder)
    where = acq.where("accessibility")
    assert where is not None and where.startswith("bugreport.zip/bugreport-panther")
    assert [a.package for a in acq.device_admins] == [SPY]
    assert not any(n.what == "dumpsys.txt" for n in acq.not_checked)


def test_copied_folder_keeps_working(tmp_path: Path, mvt: Path) -> None:
    copy = shutil.copytree(mvt / "androidqf", tmp_path / "copy")
    (copy / "files.json").write_text("")
    acq = load_android_acquisition(copy)
    assert any(n.what == "files.json" and n.why == "the file is empty" for n in acq.not_checked)
    assert len(acq.packages) == 7


def test_sniff_looks_only_near_the_top(tmp_path: Path) -> None:
    write_androidqf(everyday_phone(), tmp_path / "case" / "phone" / "aqf")
    assert sniff_androidqf(tmp_path / "case" / "phone") == 100  # acquisition one folder down
    assert sniff_androidqf(tmp_path / "case") == 0  # two folders down: not this input
