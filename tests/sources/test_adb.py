"""The adb source: the system adb's device list, the choice of a phone and read-only commands.

The live tests go through the real adb server to a fake phone speaking the adb protocol over TCP
(tests/support/fakeadb.py); they skip when adb is not installed, except in CI where they fail.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from stalkerscan.extract.android.packages import parse_packages
from stalkerscan.model.errors import UserError
from stalkerscan.sources.adb import (
    Adb,
    ListedDevice,
    ListedPackage,
    PackageFlags,
    check_ready,
    find_adb,
    is_read_only,
    packages_json,
    parse_devices,
    parse_pm_list,
    parse_pm_path,
    parse_sha256sum,
    read_only_command,
)
from support.androidgen import everyday_phone, stalkerware_phone
from support.fakeadb import AdbEnv, adb_env, adb_required

__all__ = ["adb_env"]  # the fixture, used by name

DEVICES = """\
* daemon not running; starting now at tcp:5037
* daemon started successfully
List of devices attached
0B201JEC205091         device usb:1-4 product:panther model:Pixel_7 device:panther transport_id:3
R58M42ABCDE            unauthorized usb:1-2 transport_id:4
emulator-5554          offline transport_id:1
"""
NO_PERMISSIONS = (
    "????????????           no permissions (user in plugdev group; are your udev rules wrong?); "
    "see [http://developer.android.com/tools/device.html] usb:1-1 transport_id:2\n\n"
)


def test_parse_devices_reads_states_and_fields() -> None:
    devices = parse_devices(DEVICES + NO_PERMISSIONS)
    assert [d.serial for d in devices] == [
        "0B201JEC205091",
        "R58M42ABCDE",
        "emulator-5554",
        "????????????",
    ]
    assert devices[0] == ListedDevice("0B201JEC205091", "device", "Pixel_7", "1-4")
    assert devices[1].state == "unauthorized" and devices[1].usb == "1-2"
    assert devices[2].state == "offline" and devices[2].model is None
    assert devices[3].state.startswith("no permissions (user in plugdev group")
    assert devices[3].usb == "1-1"
    assert parse_devices("List of devices attached\n\n") == ()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("unauthorized", "accept the prompt"),
        ("offline", "reconnect the USB cable"),
        ("no permissions (user in plugdev group)", "plugdev group"),
        ("recovery", "Start the phone normally"),
    ],
)
def test_a_phone_not_ready_gets_a_plain_fix(state: str, expected: str) -> None:
    with pytest.raises(UserError) as caught:
        check_ready(ListedDevice("R58M42ABCDE", state, None, "1-2"))
    assert expected in caught.value.fix
    assert "R58M42ABCDE" in caught.value.problem or "permissions" in caught.value.problem
    check_ready(ListedDevice("R58M42ABCDE", "device", None, None))  # ready: no error


def test_only_read_only_commands_are_run() -> None:
    assert read_only_command(["pm", "path", "com.whatsapp"]) == "pm path com.whatsapp"
    assert read_only_command(["sha256sum", "/data/app/~~a==/x/base.apk"]) == (
        "sha256sum '/data/app/~~a==/x/base.apk'"
    )
    quoted = read_only_command(["find", "/data/local/tmp/", "-printf", "%p\\n"])
    assert shlex.split(quoted) == ["find", "/data/local/tmp/", "-printf", "%p\\n"]
    for argv in (
        ["settings", "put", "global", "adb_enabled", "0"],
        ["cmd", "settings", "put", "secure", "x", "1"],
        ["pm", "uninstall", "com.system.update.service"],
        ["rm", "-rf", "/data/local/tmp/x"],
        ["find", "/data/local/tmp/", "-delete"],
        ["find", "/", "-exec", "rm", "{}", ";"],
        ["mount", "-o", "remount,rw", "/system"],
        ["dumpsys", "batterystats", "--reset"],
        ["dumpsys", "battery", "set", "level", "5"],
        ["getprop", "x; reboot"],
        ["pm", "path", "com.x;reboot"],
        ["sha256sum", "-c", "/sdcard/list"],
        ["reboot"],
        [],
    ):
        assert not is_read_only(argv), argv
        with pytest.raises(ValueError, match="not a read-only command"):
            read_only_command(argv)


def test_pm_outputs_in_the_real_format() -> None:
    listed = parse_pm_list(
        "package:com.whatsapp  installer=com.android.vending uid:10271\n"
        "package:com.android.settings  installer=null uid:1000\n"
        "package:com.work.app  installer=com.android.vending uid:10300,1010300\n"
        "package:com.old.phone  installer=null\n"
        "package:com.bad$name  installer=x\n"
        "WARNING: linker: something\n"
    )
    assert listed == (
        ListedPackage("com.whatsapp", "com.android.vending", 10271),
        ListedPackage("com.android.settings", "null", 1000),
        ListedPackage("com.work.app", "com.android.vending", 10300),
        ListedPackage("com.old.phone", "null", None),
    )
    assert parse_pm_path(
        "package:/data/app/~~x==/com.a-y==/base.apk\npackage:/data/app/~~x==/com.a-y==/split_config.arm64_v8a.apk\n"
    ) == (
        "/data/app/~~x==/com.a-y==/base.apk",
        "/data/app/~~x==/com.a-y==/split_config.arm64_v8a.apk",
    )
    digest = "A" * 64
    assert parse_sha256sum(f"{digest}  /data/app/a.apk\nsha256sum: /x: No such file\n") == {
        "/data/app/a.apk": "a" * 64
    }


def test_packages_json_is_read_by_the_androidqf_parser_unchanged() -> None:
    listed = parse_pm_list(
        "package:com.android.settings  installer=null uid:1000\n"
        "package:com.system.update.service  installer=null uid:10399\n"
        "package:com.whatsapp  installer=com.android.vending uid:10271\n"
    )
    flags = PackageFlags(
        disabled=frozenset({"com.whatsapp"}),
        system=frozenset({"com.android.settings"}),
        third_party=frozenset({"com.system.update.service", "com.whatsapp"}),
    )
    spy_apk = "/data/app/~~Zm9v==/com.system.update.service-YmF6==/base.apk"
    data = packages_json(
        listed,
        flags,
        {"com.system.update.service": (spy_apk,), "com.whatsapp": ("/data/app/w/base.apk",)},
        {spy_apk: "b" * 64},
        {"/data/app/w/base.apk": "not hashed: `sha256sum` failed with exit status 1"},
    )
    raw = json.loads(data)
    assert set(raw[0]) == {"name", "files", "installer", "uid", "disabled", "system", "third_party"}
    packages = {p.name: p for p in parse_packages(data)}
    spy = packages["com.system.update.service"]
    assert spy.installer is None and spy.uid == 10399 and spy.third_party and not spy.system
    assert spy.files[0].path == spy_apk and spy.files[0].sha256 == "b" * 64
    assert spy.files[0].certificate is None  # not pulled: androidqf leaves it empty too
    assert packages["com.whatsapp"].disabled
    assert packages["com.whatsapp"].files[0].error is not None
    assert packages["com.android.settings"].system and packages["com.android.settings"].files == ()


def test_missing_adb_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UserError) as caught:
        find_adb()
    assert "install the Debian package adb" in caught.value.fix
    with pytest.raises(UserError):
        Adb()


# ---------------------------------------------------------------- through the real adb


def test_no_phone_explains_usb_debugging_and_that_it_is_visible(adb_env: AdbEnv) -> None:
    with pytest.raises(UserError) as caught:
        Adb().choose(None)
    assert caught.value.problem == "no phone with USB debugging was found"
    assert "Connect the phone with a USB cable and allow USB debugging" in caught.value.fix
    assert "Enabling USB debugging is visible on the phone" in caught.value.fix


def test_one_phone_is_chosen_and_answers(adb_env: AdbEnv) -> None:
    fake = adb_env.phone(everyday_phone())
    device = adb_env.connect(fake)
    adb = Adb()
    chosen = adb.choose(None)
    assert chosen.serial == device.serial and chosen.model == "Pixel_7"
    assert chosen.state == "device"
    result = adb.phone(chosen).run(["getenforce"], timeout=10)
    assert result.ok and result.stdout == b"Enforcing\n"
    assert fake.seen == ["getenforce"]
    assert fake.stdin_closes == 1  # adb closes the command's stdin (shell v2 packet id 4)


def test_several_phones_need_serial(adb_env: AdbEnv) -> None:
    first = adb_env.connect(adb_env.phone(everyday_phone()))
    second = adb_env.connect(adb_env.phone(stalkerware_phone(), banner_model="SM_A505F"))
    with pytest.raises(UserError) as caught:
        Adb().choose(None)
    assert "several phones are connected" in caught.value.problem
    assert first.serial in caught.value.problem and second.serial in caught.value.problem
    assert "--serial" in caught.value.fix
    assert Adb().choose(second.serial).model == "SM_A505F"
    with pytest.raises(UserError, match="no phone with serial 0000 is connected"):
        Adb().choose("0000")


def test_unauthorized_phone(adb_env: AdbEnv) -> None:
    device = adb_env.connect(adb_env.phone(everyday_phone(), authorize=False))
    with pytest.raises(UserError) as caught:
        Adb().choose(None)
    assert device.serial in caught.value.problem
    assert "has not allowed this computer" in caught.value.problem
    assert "Unlock the phone and accept the prompt" in caught.value.fix


def test_offline_phone(adb_env: AdbEnv) -> None:
    device = adb_env.connect(adb_env.phone(everyday_phone(), silent=True))
    with pytest.raises(UserError) as caught:
        Adb().choose(device.serial)
    assert caught.value.problem == f"the phone {device.serial} is offline"


def test_failures_timeouts_and_exit_status(adb_env: AdbEnv) -> None:
    fake = adb_env.phone(
        everyday_phone(),
        replies={"getenforce": (1, b"", b"getenforce: Permission denied\n")},
        hang={"dumpsys"},
    )
    adb_env.connect(fake)
    shell = Adb().phone(Adb().choose(None))
    failed = shell.run(["getenforce"], timeout=10)
    assert failed.status == 1 and not failed.ok
    assert (
        failed.problem() == "`getenforce` failed with exit status 1: getenforce: Permission denied"
    )
    hung = shell.run(["dumpsys"], timeout=1)
    assert hung.status is None
    assert hung.problem() == "`dumpsys` did not finish within 1 seconds"
    assert shell.run(["which", "-a", "su"], timeout=10).status == 1  # nothing found


def test_shell_v1_phone_gives_output_without_exit_status(adb_env: AdbEnv) -> None:
    fake = adb_env.phone(everyday_phone(), shell_v2=False, replies={"getenforce": (1, b"", b"x\n")})
    adb_env.connect(fake)
    shell = Adb().phone(Adb().choose(None))
    assert shell.run(["getprop"], timeout=10).stdout.count(b"[ro.build.version.sdk]: [34]") == 1
    assert shell.run(["getenforce"], timeout=10).status == 0  # v1 cannot carry the status


def test_a_phone_unplugged_midway_stops_with_a_clear_error(adb_env: AdbEnv) -> None:
    fake = adb_env.phone(everyday_phone(), unplug_on="getenforce")
    adb_env.connect(fake)
    shell = Adb().phone(Adb().choose(None))
    with pytest.raises(UserError) as caught:
        shell.run(["getenforce"], timeout=10)
        shell.run(["getprop"], timeout=10)
    assert "stopped answering while it was being read" in caught.value.problem
    assert "start again in a new empty folder" in caught.value.fix


def test_live_tests_skip_without_adb_but_fail_in_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="adb is not installed"):
        adb_required()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the live-phone tests"):
        adb_required()
