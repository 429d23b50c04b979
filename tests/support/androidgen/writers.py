"""Write a generated phone as an androidqf folder, zip or .zip.age, or as a bugreport zip."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyrage

from support.androidgen import dumpsys as ds
from support.androidgen import files as fs
from support.androidgen.phone import Phone

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def androidqf_files(phone: Phone, *, collector: bool = True, apks: bool = True) -> dict[str, bytes]:
    """Every file of an androidqf acquisition, by relative path (without hashes.csv)."""
    out = {
        "acquisition.json": fs.acquisition_json(phone, collector=collector),
        "command.log": b"2024-03-21 10:02:11 INFO Started new acquisition 3f1c2b9e\n",
        "packages.json": fs.packages_json(phone),
        "getprop.txt": fs.getprop(phone),
        "dumpsys.txt": ds.dumpsys(phone),
        "settings_system.txt": fs.settings(phone, "system"),
        "settings_secure.txt": fs.settings(phone, "secure"),
        "settings_global.txt": fs.settings(phone, "global"),
        "files.json": fs.files_json(phone),
        "root_binaries.json": json.dumps(phone.root_binaries, indent=4).encode(),
        "mounts.json": fs.mounts_json(phone),
        "selinux.txt": f"{phone.selinux}\n".encode(),
        "env.txt": b"PATH=/product/bin:/system/bin\nTMPDIR=/data/local/tmp\n",
    }
    if collector:
        out["processes.json"] = fs.processes_json(phone)
    else:
        out["processes.txt"] = fs.processes_txt(phone)
    if apks:
        for app in phone.apps:
            if not app.system:
                out[f"apks/{app.name}.apk"] = f"PK\x03\x04 apk of {app.name}".encode()
    return out


def _listed(rel: str, style: str) -> str:
    if style == "absolute":
        return f"/home/examiner/androidqf/{fs.UUID}/{rel}"
    if style == "windows":
        return "C:\\Users\\examiner\\androidqf\\" + fs.UUID + "\\" + rel.replace("/", "\\")
    return rel


def hashes_csv(files: Mapping[str, bytes], style: str) -> bytes:
    """hashes.csv as androidqf writes it (legacy mode lists itself, hashed while still empty)."""
    rows = [(rel, hashlib.sha256(data).hexdigest()) for rel, data in sorted(files.items())]
    if style != "relative":  # legacy folder mode: acquisition.json comes after hashing
        rows = [r for r in rows if r[0] != "acquisition.json"]
        rows.append(("hashes.csv", EMPTY_SHA256))
    return "".join(f"{_listed(rel, style)},{digest}\n" for rel, digest in rows).encode()


def acquisition(
    phone: Phone,
    *,
    collector: bool = True,
    hashes: str | None = "absolute",
    broken: Mapping[str, bytes] | None = None,
    omit: Iterable[str] = (),
    tamper: Mapping[str, bytes] | None = None,
) -> dict[str, bytes]:
    """All files with hashes.csv. ``broken`` replaces a file before hashing (a bad collection),
    ``omit`` drops it, ``tamper`` replaces it after hashing (a change after acquisition)."""
    files = androidqf_files(phone, collector=collector)
    files.update(broken or {})
    for name in omit:
        files.pop(name, None)
    if hashes is not None:
        files["hashes.csv"] = hashes_csv(files, hashes)
        if hashes != "relative":  # legacy androidqf logs on after hashing
            files["command.log"] = files.get("command.log", b"") + b"INFO Acquisition completed.\n"
    files.update(tamper or {})
    return files


def write_androidqf(phone: Phone, folder: Path, **options: object) -> Path:
    """An androidqf acquisition folder (see ``acquisition`` for the options)."""
    for rel, data in acquisition(phone, **options).items():  # type: ignore[arg-type]
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


def zip_bytes(files: Mapping[str, bytes], prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel, data in files.items():
            archive.writestr(prefix + rel, data)
    return buffer.getvalue()


def write_androidqf_zip(
    phone: Phone, path: Path, *, nested: bool = False, **options: object
) -> Path:
    """A zip of the acquisition: entries at the top (streaming mode) or under ``<UUID>/``."""
    files = acquisition(phone, **{"hashes": "relative", **options})  # type: ignore[arg-type]
    path.write_bytes(zip_bytes(files, f"{fs.UUID}/" if nested else ""))
    return path


def write_androidqf_age(phone: Phone, path: Path, recipient: str, **options: object) -> Path:
    """``<UUID>.zip.age``: the zip encrypted to an age X25519 recipient (``age1...``)."""
    files = acquisition(phone, **{"hashes": "relative", **options})  # type: ignore[arg-type]
    path.write_bytes(
        pyrage.encrypt(zip_bytes(files), [pyrage.x25519.Recipient.from_str(recipient)])
    )
    return path


def dumpstate(phone: Phone) -> bytes:
    """A bugreport's main dumpstate text."""
    ps = [
        "LABEL                          USER           PID   TID  PPID     VSZ    RSS "
        "WCHAN            ADDR S PRI  NI RTPRIO SCH PCY     TIME CMD"
    ]
    for user, pid, ppid, name in fs._ps_rows(phone):
        row = (
            f"u:r:untrusted_app:s0:c1,c2    {user:<12}{pid:>6}{{tid:>6}}{ppid:>6} 1234567  98765 "
            "do_epoll_wait       0 S  19   0      -   0  fg 00:00:03 "
        )
        ps.append(row.format(tid=pid) + name)
        ps.append(row.format(tid=pid + 1) + "Binder:1_2")
    head = (
        "========================================================\n"
        "== dumpstate: 2024-03-21 11:07:22\n"
        "========================================================\n\n"
        f"Build: AP1A.240305.019\nBuild fingerprint: 'google/panther/panther:{phone.android}'\n"
        f"Android SDK version: {phone.sdk()}\nBugreport format version: 2.0\n"
        "Dumpstate info: id=1 pid=12345 dry_run=0 parallel_run=1 args=-S bugreport_mode=\n\n"
    )
    body = (
        f"------ SYSTEM PROPERTIES (getprop) ------\n{fs.getprop(phone).decode()}"
        "------ 0.053s was the duration of 'SYSTEM PROPERTIES' ------\n"
        "------ PROCESSES AND THREADS (ps -A -T -Z -O pri,nice,rtprio,sched,pcy,time) ------\n"
        + "\n".join(ps)
        + "\n------ 0.210s was the duration of 'PROCESSES AND THREADS' ------\n"
        "------ DUMPSYS (/system/bin/dumpsys -T 30000) ------\n"
    )
    tail = (
        b"------ 12.345s was the duration of 'DUMPSYS' ------\n"
        b"------ KERNEL LOG (dmesg) ------\n[0.0] x\n"
    )
    return head.encode() + body.encode() + ds.dumpsys(phone, priorities=True) + tail


def bugreport_files(phone: Phone, *, main_entry: bool = True) -> dict[str, bytes]:
    name = "bugreport-panther-AP1A.240305.019-2024-03-21-11-07-22.txt"
    files = {
        name: dumpstate(phone),
        "version.txt": b"2.0",
        "FS/data/misc/adb/adb_keys": b"",
        "dumpstate_board.txt": b"board\n",
    }
    if main_entry:
        files["main_entry.txt"] = name.encode()
    return files


def write_bugreport_zip(phone: Phone, path: Path, *, main_entry: bool = True) -> Path:
    """The zip ``adb bugreport`` writes."""
    path.write_bytes(zip_bytes(bugreport_files(phone, main_entry=main_entry)))
    return path
