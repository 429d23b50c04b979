"""Live collection through the real adb server from a fake phone, and the acquisition folder.

The fake phone (tests/support/fakeadb.py) answers with real-format output built from the MVT
samples and an androidgen phone with stalkerware planted, so the same phone can also be written as
an androidqf folder by androidgen and the two compared.
"""

from __future__ import annotations

import json
import shlex
import stat
from pathlib import Path

import pytest

from stalkerscan.extract.android.acquisition import DUMPSYS_SERVICES, extract_android_acquisition
from stalkerscan.model.android import AccessibilityState, AndroidAcquisition, HashStatus
from stalkerscan.model.errors import UserError
from stalkerscan.pipeline.acquire import Timeouts, acquire, acquire_to_folder, collect_live
from stalkerscan.pipeline.acquire_steps import EXTRA_SERVICES
from stalkerscan.pipeline.android_loader import load_android_acquisition
from stalkerscan.sources.adb import is_read_only
from support.androidgen import everyday_phone, rooted, stalkerware_phone, write_androidqf
from support.fakeadb import AdbEnv, FakePhone, adb_env

__all__ = ["adb_env"]  # the fixture, used by name

SPY = "com.system.update.service"


def _live(env: AdbEnv, fake: FakePhone, **options: object) -> AndroidAcquisition:
    env.connect(fake)
    return extract_android_acquisition(collect_live(None, **options))  # type: ignore[arg-type]


def _why(acquisition: AndroidAcquisition, what: str) -> list[str]:
    return [n.why for n in acquisition.not_checked if n.what == what]


def test_live_phone_gives_the_planted_stalkerware(adb_env: AdbEnv) -> None:
    phone = stalkerware_phone()
    fake = adb_env.phone(phone)
    steps: list[tuple[str, int, int]] = []
    device = adb_env.connect(fake)
    artifacts = collect_live(None, lambda label, done, total: steps.append((label, done, total)))
    assert artifacts.input == f"adb:{device.serial}"
    assert artifacts.not_checked == () and artifacts.hash_checks == ()
    live = extract_android_acquisition(artifacts)
    assert live.not_checked == ()
    spy = next(p for p in live.packages if p.name == SPY)
    assert spy.installer is None and spy.third_party and not spy.system and spy.uid == 10399
    assert spy.files[0].sha256 == phone.app(SPY).apk_hash("sha256")  # hashed on the phone
    enabled = [a for a in live.accessibility if a.state is AccessibilityState.ENABLED]
    assert [a.package for a in enabled] == [SPY]
    assert {a.package for a in live.device_admins} >= {SPY}
    assert live.setting("global", "package_verifier_enable") == "0"
    assert SPY in {p.name for p in live.processes}
    assert "init" in {p.name for p in live.processes}  # the MVT sample's ps rows
    assert [f.path for f in live.files] == ["/data/local/tmp/.sys/agent"]
    assert live.files[0].mode == "-rwxr-xr-x" and live.files[0].user == "shell"
    assert live.device.model == "Pixel 7" and live.device.security_patch == "2024-03-05"
    assert live.selinux == "Enforcing" and live.root_binaries == ()
    assert live.info.started and live.info.completed and live.info.collector is False
    key = (adb_env.home / ".android" / "adbkey.pub").read_text().strip()
    assert live.info.adb_host_public_key == key  # tells the examiner's computer from others
    assert steps[-1] == ("Reading the phone", 10, 10)
    assert ("Finding app files (pm path)", 3, 3) in steps  # the three third-party apps
    assert all(is_read_only(shlex.split(line)) for line in fake.seen)  # nothing but reads


def test_live_phone_reads_like_the_androidqf_folder_of_the_same_phone(
    adb_env: AdbEnv, tmp_path: Path
) -> None:
    phone = rooted(stalkerware_phone())
    live = _live(adb_env, adb_env.phone(phone))
    folder = load_android_acquisition(write_androidqf(phone, tmp_path / "aqf", collector=False))

    def apps(acquisition: AndroidAcquisition) -> set[tuple[object, ...]]:
        return {
            (p.name, p.installer, p.uid, p.system, p.third_party, p.disabled)
            for p in acquisition.packages
        }

    assert apps(live) == apps(folder)
    assert live.accessibility == folder.accessibility
    assert live.device_admins == folder.device_admins
    assert live.notification_listeners == folder.notification_listeners
    assert live.appops == folder.appops and live.adb_keys == folder.adb_keys
    assert set(live.settings) == set(folder.settings)
    assert (
        live.root_binaries == folder.root_binaries == ("/system/bin/su", "/data/local/tmp/magisk")
    )
    assert live.selinux == folder.selinux == "Permissive"
    assert {(m.mount_point, m.read_write) for m in live.mounts} >= {("/", True)}


def test_acquire_writes_a_folder_the_androidqf_source_reads_with_all_hashes_ok(
    adb_env: AdbEnv, tmp_path: Path
) -> None:
    adb_env.connect(adb_env.phone(stalkerware_phone()))
    folder = acquire_to_folder(None, tmp_path / "case-17" / "phone")
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        [
            "acquisition.json",
            "dumpsys.txt",
            "files.json",
            "getprop.txt",
            "hashes.csv",
            "mounts.json",
            "packages.json",
            "processes.txt",
            "root_binaries.json",
            "selinux.txt",
            "services.txt",
            "settings_global.txt",
            "settings_secure.txt",
            "settings_system.txt",
        ]
    )
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o400 for p in folder.iterdir())
    loaded = load_android_acquisition(folder)
    assert len(loaded.hash_checks) == len(names) - 1
    assert {c.status for c in loaded.hash_checks} == {HashStatus.OK}
    assert loaded.not_checked == ()
    assert SPY in {p.name for p in loaded.packages}
    info = json.loads((folder / "acquisition.json").read_text())
    assert info["stalkerscan_version"] and info["uuid"] == loaded.info.uuid
    assert info["started"] <= info["completed"] and info["not_collected"] == []
    assert info["device"]["model"] == "Pixel_7"
    assert [c["command"] for c in info["commands"]][:2] == ["getprop", "pm list packages -U -u -i"]
    assert all(c["status"] == 0 for c in info["commands"] if c["command"] != "which -a su "
               "busybox supersu Superuser.apk KingoUser.apk SuperSu.apk magisk magiskhide "
               "magiskinit magiskpolicy")  # fmt: skip


def test_acquire_refuses_a_folder_that_is_not_empty(adb_env: AdbEnv, tmp_path: Path) -> None:
    fake = adb_env.phone(everyday_phone())
    adb_env.connect(fake)
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "packages.json").write_text("[]")
    with pytest.raises(UserError) as caught:
        acquire_to_folder(None, earlier)
    assert caught.value.problem == f"the folder {earlier} is not empty"
    assert "never writes over an earlier acquisition" in caught.value.fix
    assert (earlier / "packages.json").read_text() == "[]"
    with pytest.raises(UserError, match="is a file"):
        acquire_to_folder(None, earlier / "packages.json")
    assert fake.seen == []  # refused before anything was asked of the phone


def test_a_failing_command_is_not_checked_and_the_rest_goes_on(adb_env: AdbEnv) -> None:
    fake = adb_env.phone(
        stalkerware_phone(),
        replies={
            "getenforce": (1, b"", b"getenforce: Permission denied\n"),
            "pm list packages -U -u -i -d": (255, b"", b"Error: unknown option -d\n"),
        },
    )
    live = _live(adb_env, fake)
    assert live.selinux is None
    assert _why(live, "selinux.txt") == [
        "`getenforce` failed with exit status 1: getenforce: Permission denied"
    ]
    assert _why(live, "packages.json") == [
        "which apps are disabled is not known: `pm list packages -U -u -i -d` failed with exit "
        "status 255: Error: unknown option -d"
    ]
    assert SPY in {p.name for p in live.packages} and live.accessibility


def test_older_phones_get_the_older_commands(adb_env: AdbEnv) -> None:
    header = b"USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME\n"
    fake = adb_env.phone(
        stalkerware_phone(),
        replies={
            "pm list packages -U -u -i": (255, b"", b"Error: Unknown option: -U\n"),
            "cmd settings list secure": (255, b"", b"cmd: Can't find service: settings\n"),
            "ps -A": (0, header, b""),  # toolbox ps takes -A as a name filter: nothing listed
            "find /data/local/tmp/ -type f -printf '%T@ %m %s %u %g %p\\n'": (
                1, b"", b"find: Unknown option '-printf'\n",
            ),
        },
    )  # fmt: skip
    live = _live(adb_env, fake)
    assert live.not_checked == ()
    assert "pm list packages -u -i" in fake.seen and "settings list secure" in fake.seen
    assert live.setting("secure", "install_non_market_apps") == "1"
    assert SPY in {p.name for p in live.packages} and SPY in {p.name for p in live.processes}
    assert [(f.path, f.mode) for f in live.files] == [("/data/local/tmp/.sys/agent", None)]


def test_a_dumpsys_that_does_not_finish_is_read_service_by_service(adb_env: AdbEnv) -> None:
    fake = adb_env.phone(stalkerware_phone(), hang={"dumpsys"})
    live = _live(adb_env, fake, timeouts=Timeouts(dumpsys=1))
    services = (*DUMPSYS_SERVICES, *EXTRA_SERVICES)
    assert [f"dumpsys {s}" for s in services] == fake.seen[fake.seen.index("dumpsys") + 1 :][
        : len(services)
    ]
    assert _why(live, "dumpsys.txt") == [
        "`dumpsys` did not finish within 1 seconds; only these services were read one by one: "
        + ", ".join(services)
    ]
    assert live.setting("global", "package_verifier_enable") == "0"
    assert any(c.key == "package_verifier_enable" for c in live.settings_changes)
    assert [a.package for a in live.accessibility if a.state is AccessibilityState.ENABLED] == [SPY]
    assert live.adb_keys and live.appops and live.battery_updates


def test_app_files_past_the_time_limit_are_not_checked(adb_env: AdbEnv) -> None:
    fake = adb_env.phone(stalkerware_phone())
    live = _live(adb_env, fake, timeouts=Timeouts(app_files_total=0))
    assert not any(line.startswith("pm path") for line in fake.seen)
    assert _why(live, "packages.json") == [
        "the files of 3 apps were not listed or hashed: the time limit of 0 seconds passed "
        "(first: com.whatsapp, org.mozilla.firefox, com.system.update.service)"
    ]
    assert all(p.files == () for p in live.packages)
    assert SPY in {p.name for p in live.packages}


def test_a_phone_without_shell_v2_is_read_too(adb_env: AdbEnv) -> None:
    live = _live(adb_env, adb_env.phone(stalkerware_phone(), shell_v2=False))
    assert live.not_checked == ()
    assert SPY in {p.name for p in live.packages} and live.selinux == "Enforcing"


def test_a_phone_unplugged_midway_leaves_no_folder(adb_env: AdbEnv, tmp_path: Path) -> None:
    adb_env.connect(adb_env.phone(stalkerware_phone(), unplug_on="ps -A"))
    with pytest.raises(UserError, match="stopped answering while it was being read"):
        acquire(None, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_no_phone_is_a_user_error_before_anything_is_written(
    adb_env: AdbEnv, tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="no phone with USB debugging was found"):
        acquire(None, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_what_was_not_collected_survives_in_the_folder(tmp_path: Path) -> None:
    """A later scan of an acquired folder still lists what the phone did not give."""
    from stalkerscan.extract.android.acquisition_info import parse_acquisition_json  # noqa: PLC0415
    from stalkerscan.model.android import AndroidSource  # noqa: PLC0415

    raw = json.dumps(
        {
            "uuid": "u",
            "stalkerscan_version": "0.1.0",
            "not_collected": [{"what": "dumpsys batterystats", "why": "timed out after 60 s"}],
        }
    )
    info = parse_acquisition_json(raw, AndroidSource.ANDROIDQF_FOLDER)
    assert info.tool_version == "stalkerscan 0.1.0"
    assert [n.what for n in info.not_collected] == [
        "dumpsys batterystats (not collected from the phone)"
    ]
    assert info.not_collected[0].why == "timed out after 60 s"
