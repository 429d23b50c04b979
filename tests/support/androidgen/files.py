"""The androidqf files of a generated phone, in androidqf's own formats."""

from __future__ import annotations

import json
from typing import Any

from support.androidgen.phone import App, Phone

UUID = "3f1c2b9e-8d47-4c2a-9b1e-5a6d7e8f9012"


def _certificate(app: App) -> dict[str, Any]:
    cert = app.cert
    return {
        "Md5": cert["md5"],
        "Sha1": cert["sha1"],
        "Sha256": cert["sha256"],
        "ValidFrom": "2019-05-02T10:11:12Z",
        "ValidTo": "2049-04-25T10:11:12Z",
        "Issuer": app.signer,
        "Subject": app.signer,
        "SignatureAlgorithm": "SHA256-RSA",
        "SerialNumber": 1277507236,
    }


def packages_json(phone: Phone) -> bytes:
    """packages.json: a list of packages with files, hashes and certificates (androidqf layout)."""
    out = []
    for app in phone.apps:
        out.append(
            {
                "name": app.name,
                "files": [
                    {
                        "path": app.apk_path,
                        "local_name": "",
                        "md5": app.apk_hash("md5"),
                        "sha1": app.apk_hash("sha1"),
                        "sha256": app.apk_hash("sha256"),
                        "sha512": app.apk_hash("sha512"),
                        "error": "",
                        "verified_certificate": True,
                        "certificate": _certificate(app),
                        "certificate_error": "",
                        "trusted_certificate": app.system,
                    }
                ],
                "installer": app.installer or "null",
                "uid": app.uid,
                "disabled": app.disabled,
                "system": app.system,
                "third_party": not app.system,
            }
        )
    return json.dumps(out, indent=4).encode()


def getprop(phone: Phone) -> bytes:
    props = {
        "ro.build.fingerprint": (
            f"google/panther/panther:{phone.android}/AP1A.240305.019/1:user/release-keys"
        ),
        "ro.build.version.release": str(phone.android),
        "ro.build.version.sdk": str(phone.sdk()),
        "ro.build.version.security_patch": phone.security_patch,
        "ro.product.manufacturer": phone.manufacturer,
        "ro.product.model": phone.model,
        "persist.sys.timezone": phone.timezone,
        "ro.boot.verifiedbootstate": "green",
        "gsm.sim.operator.iso-country": "fr",
    }
    return "".join(f"[{k}]: [{v}]\n" for k, v in props.items()).encode()


def settings(phone: Phone, namespace: str) -> bytes:
    values = phone.all_settings().get(namespace, {})
    return "".join(f"{k}={v}\n" for k, v in values.items()).encode()


def _ps_rows(phone: Phone) -> list[tuple[str, int, int, str]]:
    rows = [
        ("root", 1, 0, "init"),
        ("root", 2, 0, "[kthreadd]"),
        ("system", 1203, 1, "system_server"),
    ]
    for index, app in enumerate(a for a in phone.apps if not a.disabled):
        rows.append((f"u0_a{app.uid - 10000}", 3000 + index, 700, app.name))
    return rows


def processes_txt(phone: Phone) -> bytes:
    """``ps -A`` output (processes.txt without the collector)."""
    lines = ["USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME"]
    for user, pid, ppid, name in _ps_rows(phone):
        lines.append(f"{user:<12}{pid:>6}{ppid:>6} 1234567  98765 do_epoll_wait       0 S {name}")
    return ("\n".join(lines) + "\n").encode()


def processes_json(phone: Phone) -> bytes:
    """The collector's processes.json."""
    out = []
    for user, pid, ppid, name in _ps_rows(phone):
        uid = 0 if user == "root" else (1000 if user == "system" else 10000 + int(user[4:]))
        out.append(
            {
                "pid": pid,
                "uid": uid,
                "ppid": ppid,
                "pgroup": pid,
                "psid": pid,
                "filename": f"({name[-15:]})",
                "priority": 20,
                "state": "S",
                "user_time": 3,
                "kernel_time": 1,
                "path": "",
                "context": "u:r:untrusted_app:s0",
                "previous_context": "",
                "command_line": [name],
                "env": [],
                "cwd": "/",
            }
        )
    return json.dumps(out).encode()


def _file_entry(path: str, mode: str, size: int) -> dict[str, Any]:
    return {
        "path": path,
        "size": size,
        "mode": mode,
        "user_id": 2000,
        "user_name": "shell",
        "group_id": 2000,
        "group_name": "shell",
        "changed_time": 1710000000,
        "modified_time": 1710000000,
        "access_time": 1710003600,
        "error": "",
        "context": "u:object_r:shell_data_file:s0",
        "sha1": "",
        "sha256": "",
        "sha512": "",
        "md5": "",
    }


def files_json(phone: Phone) -> bytes:
    entries = [
        _file_entry("/sdcard/DCIM/Camera/IMG_20240301_101010.jpg", "-rw-rw----", 2345678),
        _file_entry("/data/local/tmp/collector", "-rwxr-xr-x", 4200000),
    ]
    entries += [_file_entry(p, "-rwxr-xr-x", 81920) for p in phone.tmp_files]
    entries += [
        _file_entry(f"/data/misc/user/0/cacerts-added/{n}", "-rw-r--r--", 1400)
        for n in phone.user_ca
    ]
    return json.dumps(entries).encode()


def mounts_json(phone: Phone) -> bytes:
    mode = "rw" if phone.system_rw else "ro"
    lines = [
        f"/dev/block/dm-3 on / type ext4 ({mode},seclabel,relatime)",
        f"/dev/block/dm-3 / ext4 {mode},seclabel,relatime 0 0",
        "/dev/block/dm-5 on /system_ext type ext4 (ro,seclabel,relatime)",
    ]
    return json.dumps(lines, indent=4).encode()


def acquisition_json(phone: Phone, *, collector: bool) -> bytes:
    info = {
        "uuid": UUID,
        "androidqf_version": "v1.8.3",
        "storage_path": f"/home/examiner/androidqf/{UUID}",
        "started": "2024-03-21T10:02:11.123456Z",
        "completed": "2024-03-21T10:09:45.654321Z",
        "collector": {
            "ExePath": "/data/local/tmp/collector",
            "Installed": True,
            "Adb": {},
            "Architecture": "arm64",
        }
        if collector
        else None,
        "tmp_dir": "/data/local/tmp/",
        "sdcard": "/sdcard/",
        "cpu": "arm64-v8a",
        "streaming_mode": False,
    }
    del phone
    return json.dumps(info, indent=1).encode()
