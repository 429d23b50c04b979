"""One artifact set -> one AndroidAcquisition: what loads, and what is reported as not checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

from stalkerscan.extract.android.acquisition import extract_android_acquisition
from stalkerscan.model.android import (
    AccessibilityState,
    AndroidArtifact,
    AndroidArtifactSet,
    AndroidSource,
    ArtifactBytes,
)
from stalkerscan.pipeline.android_loader import load_android_acquisition
from support import check_golden
from support.androidgen import acquisition, stalkerware_phone

GOLDEN = Path(__file__).parent / "golden"
KINDS = {
    "acquisition.json": AndroidArtifact.ACQUISITION_INFO,
    "packages.json": AndroidArtifact.PACKAGES,
    "dumpsys.txt": AndroidArtifact.DUMPSYS,
    "getprop.txt": AndroidArtifact.GETPROP,
    "files.json": AndroidArtifact.FILES,
    "processes.json": AndroidArtifact.PROCESSES,
    "root_binaries.json": AndroidArtifact.ROOT_BINARIES,
    "mounts.json": AndroidArtifact.MOUNTS,
    "selinux.txt": AndroidArtifact.SELINUX,
    "settings_secure.txt": AndroidArtifact.SETTINGS,
    "settings_global.txt": AndroidArtifact.SETTINGS,
}


def artifact_set(files: dict[str, bytes]) -> AndroidArtifactSet:
    items = tuple(
        ArtifactBytes(KINDS[name], name, data, hashlib.sha256(data).hexdigest())
        for name, data in files.items()
        if name in KINDS
    )
    return AndroidArtifactSet("phone", AndroidSource.ANDROIDQF_FOLDER, items, (), ())


def test_every_record_kind_of_a_stalkerware_phone() -> None:
    acq = extract_android_acquisition(artifact_set(acquisition(stalkerware_phone(), hashes=None)))
    assert acq.not_checked == ()
    assert acq.info.uuid == "3f1c2b9e-8d47-4c2a-9b1e-5a6d7e8f9012" and acq.info.collector is True
    assert acq.device.android_version == "14"
    spy = "com.system.update.service"
    assert {p.name for p in acq.packages} >= {spy, "com.whatsapp"}
    assert [(a.package, a.state) for a in acq.accessibility] == [(spy, AccessibilityState.ENABLED)]
    assert [a.package for a in acq.device_admins] == [spy]
    assert [n.package for n in acq.notification_listeners] == [spy, "com.google.android.gms"]
    assert acq.setting("global", "package_verifier_enable") == "0"
    assert acq.setting("global", "adb_enabled") == "1"
    assert acq.prop("persist.sys.timezone") == "Europe/Paris"
    assert len(acq.adb_keys) == 2 and all(k.last_connection for k in acq.adb_keys)
    assert [(u.package, u.action) for u in acq.battery_updates][:2] == [
        (spy, "update"),
        ("com.old.monitor", "uninstall"),
    ]
    assert any(f.path == "/data/local/tmp/.sys/agent" for f in acq.files)
    assert acq.selinux == "Enforcing" and acq.root_binaries == ()
    assert acq.where("accessibility") == "dumpsys.txt, DUMP OF SERVICE accessibility"
    assert acq.where("notification_listeners") == "settings_secure.txt"
    assert acq.where("resolver_entries") == "dumpsys.txt, DUMP OF SERVICE package"


def test_a_broken_or_empty_file_is_not_checked_and_the_rest_loads() -> None:
    files = acquisition(stalkerware_phone(), hashes=None)
    files["packages.json"] = b""
    files["files.json"] = b'[{"path": "/x", '
    files["dumpsys.txt"] = files["dumpsys.txt"].replace(
        b"DUMP OF SERVICE appops:", b"DUMP OF SERVICE zzz:"
    )
    acq = extract_android_acquisition(artifact_set(files))
    why = {n.what: n.why for n in acq.not_checked}
    assert why["packages.json"] == "the file is empty"
    assert why["files.json"].startswith("files could not be read: not valid JSON")
    assert "missing or empty" in why["dumpsys.txt, DUMP OF SERVICE appops"]
    assert acq.packages == () and acq.files == () and acq.appops == ()
    assert acq.device_admins and acq.accessibility and acq.settings  # the rest still loads


def test_dumpsys_without_sections_reports_each_check() -> None:
    acq = extract_android_acquisition(artifact_set({"dumpsys.txt": b"some random text\n"}))
    missing = sorted(n.what for n in acq.not_checked)
    assert missing == [
        f"dumpsys.txt, DUMP OF SERVICE {s}"
        for s in sorted(
            ("accessibility", "adb", "appops", "batterystats", "device_policy", "package")
        )
    ]
    assert acq.info.source is AndroidSource.ANDROIDQF_FOLDER and acq.info.uuid is None


def test_real_androidqf_sample_golden(shared_data: Path) -> None:
    acq = load_android_acquisition(shared_data / "mvt-artifacts" / "androidqf")
    assert len(acq.packages) == 7 and len(acq.root_binaries) == 4
    assert acq.setting("random", "samsung_errorlog_agree") == "0"
    check_golden(GOLDEN / "mvt_androidqf.json", {**_without_input(acq)})


def _without_input(acq: object) -> dict[str, object]:
    from support import plain  # noqa: PLC0415

    value = plain(acq)
    assert isinstance(value, dict)
    value["input"] = "mvt-artifacts/androidqf"
    return value
