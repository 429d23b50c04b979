"""Processes (ps tables and collector JSON), files.json, root traces and mounts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stalkerscan.extract.android.common import ArtifactError
from stalkerscan.extract.android.files import parse_files, user_ca_certificates
from stalkerscan.extract.android.mounts import parse_mounts
from stalkerscan.extract.android.processes import parse_processes
from stalkerscan.extract.android.root import parse_root_binaries, parse_selinux
from support.androidgen import dumpstate, stalkerware_phone


@pytest.fixture(scope="module")
def mvt(shared_data: Path) -> Path:
    return shared_data / "mvt-artifacts"


def test_real_ps_samples(mvt: Path) -> None:
    processes = parse_processes((mvt / "androidqf" / "ps.txt").read_bytes())
    assert len(processes) == 15
    assert (processes[0].pid, processes[0].ppid, processes[0].user, processes[0].name) == (
        1,
        0,
        "root",
        "init",
    )
    assert processes[1].name == "[kthreadd]"
    assert len(parse_processes((mvt / "android_data" / "ps.txt").read_bytes())) == 17


def test_bugreport_thread_table_keeps_one_row_per_process() -> None:
    text = dumpstate(stalkerware_phone()).decode("utf-8", errors="replace")
    start = text.index("------ PROCESSES AND THREADS")
    processes = parse_processes(text[start : text.index("------ 0.210s")])
    assert len(processes) == 10 and len({p.pid for p in processes}) == 10
    spy = next(p for p in processes if p.name == "com.system.update.service")
    assert spy.label == "u:r:untrusted_app:s0:c1,c2" and spy.user == "u0_a399"


def test_collector_json_and_short_rows() -> None:
    raw = [{"pid": 4242, "uid": 10245, "ppid": 700, "filename": "(spy.app:remote)",
            "context": "u:r:untrusted_app:s0", "command_line": ["com.spy.app:remote", "-x"]},
           {"pid": 7, "filename": "(kworker/0:1)", "command_line": None},
           {"no": "pid"}]  # fmt: skip
    first, second = parse_processes(json.dumps(raw))
    assert (first.name, first.uid, first.command_line) == (
        "com.spy.app:remote",
        10245,
        ("com.spy.app:remote", "-x"),
    )
    assert second.name == "kworker/0:1" and second.label is None
    table = "USER PID PPID VSZ RSS WCHAN ADDR S NAME\nu0_a1 99 1 1000 200 0 S com.short.row\n"
    assert parse_processes(table)[0].name == "com.short.row"
    with pytest.raises(ArtifactError):
        parse_processes("[{broken")
    with pytest.raises(ArtifactError):
        parse_processes("   ")


def test_real_files_json(mvt: Path) -> None:
    files = parse_files((mvt / "androidqf" / "files.json").read_bytes())
    assert [f.path for f in files] == [
        "/sdcard/.profig.os",
        "/sdcard/Android/data/.nomedia",
        "/sdcard/Android/data/com.android.providers.media/albumthumbs/1588851275201",
    ]
    first = files[0]
    assert (first.size, first.mode, first.user, first.group) == (36, "-rw-rw----", "0", "1015")
    assert (
        first.modified == "2020-06-25T18:25:32+00:00"
        and first.changed == "2019-02-14T14:47:52+00:00"
    )
    assert first.sha256 is None and first.context == "u:object_r:sdcardfs:s0"


def test_files_jsonl_find_style_and_user_ca() -> None:
    lines = [
        {
            "path": "/data/local/tmp/agent",
            "mode": "755",
            "size": 10,
            "user_name": "shell",
            "modified_time": 1710000000,
        },
        {"path": "/data/misc/user/0/cacerts-added/a1b2c3d4.0"},
        {"path": ""},
    ]
    files = parse_files("\n".join(json.dumps(x) for x in lines))
    assert [f.path for f in files] == [
        "/data/local/tmp/agent",
        "/data/misc/user/0/cacerts-added/a1b2c3d4.0",
    ]
    assert files[0].mode == "755" and files[0].user == "shell" and files[0].accessed is None
    assert [f.path for f in user_ca_certificates(files)] == [
        "/data/misc/user/0/cacerts-added/a1b2c3d4.0"
    ]
    with pytest.raises(ArtifactError):
        parse_files("{not json\nat all")


def test_real_root_binaries_and_selinux(mvt: Path) -> None:
    assert parse_root_binaries((mvt / "androidqf" / "root_binaries.json").read_bytes()) == (
        "/system/bin/su",
        "/system/xbin/busybox",
        "/data/local/tmp/magisk",
        "/system/bin/magiskhide",
    )
    assert parse_root_binaries('["/sbin/su\\n/system/bin/su", "which: not found"]') == (
        "/sbin/su",
        "/system/bin/su",
    )
    assert parse_root_binaries("[]") == () and parse_root_binaries("null") == ()
    with pytest.raises(ArtifactError):
        parse_root_binaries('{"su": true}')
    assert parse_selinux("Permissive\n") == "Permissive"
    assert parse_selinux("enforcing") == "Enforcing"
    assert parse_selinux("getenforce: not found") is None


def test_mounts_both_shapes_deduplicated() -> None:
    lines = [
        "/dev/block/dm-0 on /system type ext4 (rw,seclabel,relatime)",
        "/dev/block/dm-0 /system ext4 rw,seclabel,relatime 0 0",
        "/dev/block/dm-1 /vendor ext4 ro,seclabel 0 0",
        "garbage",
    ]
    mounts = parse_mounts(json.dumps(lines))
    assert [(m.mount_point, m.read_write) for m in mounts] == [
        ("/system", True),
        ("/vendor", False),
    ]
    assert mounts[0].options == ("rw", "seclabel", "relatime") and mounts[0].fs_type == "ext4"
    assert parse_mounts("/dev/root on / type ext4 (ro)\n")[0].mount_point == "/"
