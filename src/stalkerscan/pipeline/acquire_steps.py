"""The steps of a live collection: each runs read-only commands and adds androidqf's files.

Each step has a time limit per command (``Timeouts``); a command that fails or times out becomes a
not-checked entry naming the file and why, and the next step runs. Where phones differ, a step
tries the older form too (``pm list packages -U -u -i``, then without ``-U``; ``cmd settings
list``, then ``settings list``; ``ps -A``, then ``ps``; a full ``dumpsys``, then one service at a
time).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from stalkerscan.extract.android.acquisition import DUMPSYS_SERVICES
from stalkerscan.model import NotChecked
from stalkerscan.model.android import AndroidArtifact, ArtifactBytes
from stalkerscan.pipeline.progress import Progress
from stalkerscan.sources.adb import (
    ListedPackage,
    PackageFlags,
    PhoneShell,
    ShellResult,
    is_package_name,
    packages_json,
    parse_pm_list,
    parse_pm_path,
    parse_sha256sum,
)

ROOT_BINARIES = (
    "su", "busybox", "supersu", "Superuser.apk", "KingoUser.apk", "SuperSu.apk",
    "magisk", "magiskhide", "magiskinit", "magiskpolicy",
)  # fmt: skip
TMP_DIR = "/data/local/tmp/"
_FIND_FORMAT = "%T@ %m %s %u %g %p\\n"
_HASH_BATCH = 16
_PROPERTY = re.compile(rb"^\[[^\]]+\]: \[", re.MULTILINE)
_SELINUX = (b"Enforcing", b"Permissive", b"Disabled")


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Time limits in seconds (a full dumpsys on a busy phone can take minutes)."""

    command: float = 30.0
    packages: float = 60.0
    """One ``pm list packages``."""
    app_file: float = 20.0
    """One ``pm path``."""
    app_files_total: float = 300.0
    """All ``pm path`` and ``sha256sum`` calls together; apps left after it are not hashed."""
    hashing: float = 180.0
    """One ``sha256sum`` of a batch of APKs."""
    dumpsys: float = 600.0
    dumpsys_service: float = 120.0


@dataclass(frozen=True, slots=True)
class CommandRecord:
    """One command run on the phone, for ``acquisition.json`` (what was done, for the record)."""

    command: str
    status: int | None
    """Exit status; None when it did not finish in time."""
    seconds: float
    stdout_bytes: int
    stderr: str
    """The start of what it printed on stderr."""


@dataclass
class Collector:
    """One collection: the commands' results become artifacts, extra files and not-checked."""

    shell: PhoneShell
    progress: Progress
    timeouts: Timeouts
    artifacts: list[ArtifactBytes] = field(default_factory=list)
    extra: dict[str, bytes] = field(default_factory=dict)
    """Files written to the folder that no extractor reads (``services.txt``)."""
    not_checked: list[NotChecked] = field(default_factory=list)
    log: list[CommandRecord] = field(default_factory=list)

    def run(self, argv: Sequence[str], timeout: float | None = None) -> ShellResult:
        result = self.shell.run(argv, timeout or self.timeouts.command)
        said = result.stderr.decode("utf-8", "replace").strip()[:300]
        seconds = round(result.seconds, 3)
        self.log.append(
            CommandRecord(result.command, result.status, seconds, len(result.stdout), said)
        )
        return result

    def add(self, kind: AndroidArtifact, name: str, data: bytes) -> None:
        self.artifacts.append(ArtifactBytes(kind, name, data, hashlib.sha256(data).hexdigest()))

    def miss(self, name: str, why: str) -> None:
        self.not_checked.append(NotChecked(name, why))


def _getprop(c: Collector) -> None:
    result = c.run(["getprop"])
    if result.ok and _PROPERTY.search(result.stdout):
        c.add(AndroidArtifact.GETPROP, "getprop.txt", result.stdout)
    else:
        c.miss(
            "getprop.txt", f"{result.problem()}; the Android version and patch level are unknown"
        )


def _pm_list(c: Collector) -> tuple[tuple[str, ...], tuple[ListedPackage, ...]] | None:
    """The first ``pm list packages`` form the phone supports (old ones lack -U), and its list."""
    problems = []
    for flags in (("-U", "-u", "-i"), ("-u", "-i"), ()):
        result = c.run(["pm", "list", "packages", *flags], c.timeouts.packages)
        listed = parse_pm_list(result.stdout.decode("utf-8", "replace"))
        if result.ok and listed:
            return flags, listed
        problems.append(result.problem())
    c.miss("packages.json", "the installed apps could not be listed: " + "; ".join(problems))
    return None


def _flags(c: Collector, flags: tuple[str, ...]) -> PackageFlags:
    found: list[frozenset[str]] = []
    for flag, what in (("-d", "disabled"), ("-s", "system"), ("-3", "third-party")):
        result = c.run(["pm", "list", "packages", *flags, flag], c.timeouts.packages)
        if result.ok:
            listed = parse_pm_list(result.stdout.decode("utf-8", "replace"))
            found.append(frozenset(p.name for p in listed))
        else:
            found.append(frozenset())
            c.miss("packages.json", f"which apps are {what} is not known: {result.problem()}")
    return PackageFlags(*found)


def _app_paths(
    c: Collector, names: list[str], deadline: float
) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """``pm path`` of each app until the deadline; the apps not reached are returned too."""
    paths: dict[str, tuple[str, ...]] = {}
    late: list[str] = []
    for done, name in enumerate(names):
        c.progress("Finding app files (pm path)", done, len(names))
        if time.monotonic() > deadline:
            late.append(name)
            continue
        result = c.run(["pm", "path", name], c.timeouts.app_file)
        found = parse_pm_path(result.stdout.decode("utf-8", "replace"))
        if found:
            paths[name] = found
        else:
            c.miss("packages.json", f"the files of {name} were not found: {result.problem()}")
    c.progress("Finding app files (pm path)", len(names), len(names))
    return paths, late


def _app_hashes(
    c: Collector, paths: list[str], deadline: float
) -> tuple[dict[str, str], dict[str, str]]:
    """SHA-256 of each APK, computed on the phone by ``sha256sum``, in batches."""
    hashes: dict[str, str] = {}
    errors: dict[str, str] = {}
    batches = [paths[i : i + _HASH_BATCH] for i in range(0, len(paths), _HASH_BATCH)]
    for done, batch in enumerate(batches):
        c.progress("Hashing app files (sha256sum)", done, len(batches))
        if time.monotonic() > deadline:
            errors.update(dict.fromkeys(batch, "not hashed: the time limit for app files passed"))
            continue
        result = c.run(["sha256sum", *batch], c.timeouts.hashing)
        hashes.update(parse_sha256sum(result.stdout.decode("utf-8", "replace")))
        errors.update({p: f"not hashed: {result.problem()}" for p in batch if p not in hashes})
    c.progress("Hashing app files (sha256sum)", len(batches), len(batches))
    return hashes, errors


def _packages(c: Collector) -> None:
    listing = _pm_list(c)
    if listing is None:
        return
    flags, listed = listing
    known = _flags(c, flags)
    names = [p.name for p in listed if is_package_name(p.name)]
    if known.third_party:
        names = [n for n in names if n in known.third_party]
    elif known.system:
        names = [n for n in names if n not in known.system]
    deadline = time.monotonic() + c.timeouts.app_files_total
    paths, late = _app_paths(c, names, deadline)
    apks = [p for name in names for p in paths.get(name, ())]
    hashes, errors = _app_hashes(c, apks, deadline)
    if late:
        c.miss(
            "packages.json",
            f"the files of {len(late)} apps were not listed or hashed: the time limit of "
            f"{c.timeouts.app_files_total:.0f} seconds passed (first: {', '.join(late[:5])})",
        )
    c.add(
        AndroidArtifact.PACKAGES,
        "packages.json",
        packages_json(listed, known, paths, hashes, errors),
    )


EXTRA_SERVICES = ("settings",)
"""Services read one by one besides those the checks need: ``settings`` names the package that
last changed each setting, and (on debuggable builds) when it changed."""


def _dumpsys(c: Collector) -> None:
    result = c.run(["dumpsys"], c.timeouts.dumpsys)
    if result.ok and b"DUMP OF SERVICE" in result.stdout:
        c.add(AndroidArtifact.DUMPSYS, "dumpsys.txt", result.stdout)
        return
    sections: list[bytes] = []
    services = (*DUMPSYS_SERVICES, *EXTRA_SERVICES)
    for done, service in enumerate(services):
        c.progress("Reading services one by one (dumpsys)", done, len(services))
        one = c.run(["dumpsys", service], c.timeouts.dumpsys_service)
        if one.ok and one.stdout.strip() and b"Can't find service" not in one.stderr:
            header = f"{'-' * 79}\nDUMP OF SERVICE {service}:\n".encode()
            sections.append(header + one.stdout.rstrip(b"\n") + b"\n")
    read = [s.split(b"DUMP OF SERVICE ", 1)[1].split(b":", 1)[0].decode() for s in sections]
    why = f"{result.problem()}; only these services were read one by one: {', '.join(read)}"
    c.miss("dumpsys.txt", why if read else f"{result.problem()}, and no service could be read")
    if sections:
        c.add(AndroidArtifact.DUMPSYS, "dumpsys.txt", b"".join(sections))


def _processes(c: Collector) -> None:
    problems = []
    for argv in (["ps", "-A"], ["ps"]):
        result = c.run(argv)
        lines = result.stdout.splitlines()
        if result.ok and len(lines) > 1 and b"PID" in lines[0]:
            c.add(AndroidArtifact.PROCESSES, "processes.txt", result.stdout)
            return
        problems.append(result.problem())
    c.miss("processes.txt", "; ".join(problems))


def _services(c: Collector) -> None:
    result = c.run(["service", "list"])
    if result.ok:
        c.extra["services.txt"] = result.stdout


def _settings(c: Collector) -> None:
    for namespace in ("system", "secure", "global"):
        problems = []
        for argv in (["cmd", "settings", "list", namespace], ["settings", "list", namespace]):
            result = c.run(argv)
            if result.ok and (b"=" in result.stdout or not result.stdout.strip()):
                c.add(AndroidArtifact.SETTINGS, f"settings_{namespace}.txt", result.stdout)
                break
            problems.append(result.problem())
        else:
            c.miss(f"settings_{namespace}.txt", "; ".join(problems))


def _selinux(c: Collector) -> None:
    result = c.run(["getenforce"])
    if result.ok and result.stdout.strip().startswith(_SELINUX):
        c.add(AndroidArtifact.SELINUX, "selinux.txt", result.stdout)
    else:
        c.miss("selinux.txt", result.problem())


def _root_binaries(c: Collector) -> None:
    result = c.run(["which", "-a", *ROOT_BINARIES])
    found = [line.strip() for line in result.stdout.decode("utf-8", "replace").splitlines()]
    if result.status in (0, 1) and all(p.startswith("/") for p in found if p):
        paths = list(dict.fromkeys(p for p in found if p))
        c.add(
            AndroidArtifact.ROOT_BINARIES,
            "root_binaries.json",
            json.dumps(paths, indent=4).encode(),
        )
    else:
        c.miss("root_binaries.json", result.problem())


def _mounts(c: Collector) -> None:
    lines: list[str] = []
    problems = []
    for argv in (["mount"], ["cat", "/proc/mounts"]):
        result = c.run(argv)
        if result.ok:
            lines += result.stdout.decode("utf-8", "replace").splitlines()
        else:
            problems.append(result.problem())
    if lines:
        unique = list(dict.fromkeys(line for line in lines if line.strip()))
        c.add(AndroidArtifact.MOUNTS, "mounts.json", json.dumps(unique, indent=4).encode())
    else:
        c.miss("mounts.json", "; ".join(problems))


def _mode(octal: str) -> str:
    """``755`` -> ``-rwxr-xr-x`` (the listing has regular files only)."""
    if not re.fullmatch(r"[0-7]{3,4}", octal):
        return octal
    bits = int(octal, 8)
    return "-" + "".join(c if bits & (1 << (8 - i)) else "-" for i, c in enumerate("rwxrwxrwx"))


def _file_entry(line: str) -> dict[str, object] | None:
    parts = line.split(None, 5)
    if len(parts) == 1 and parts[0].startswith("/"):
        return {"path": parts[0]}
    if len(parts) < 6 or not parts[5].startswith("/"):
        return None
    try:
        modified, size = int(float(parts[0])), int(parts[2])
    except ValueError:
        return None
    mode, user, group = _mode(parts[1]), parts[3], parts[4]
    return {"path": parts[5], "size": size, "mode": mode, "user_name": user,
            "group_name": group, "modified_time": modified}  # fmt: skip


def _files(c: Collector) -> None:
    problems = []
    for argv in (
        ["find", TMP_DIR, "-type", "f", "-printf", _FIND_FORMAT],
        ["find", TMP_DIR, "-type", "f"],
    ):
        result = c.run(argv)
        text = result.stdout.decode("utf-8", "replace")
        entries = [_file_entry(line) for line in text.splitlines() if line.strip()]
        if result.status in (0, 1) and all(entries) and (entries or result.ok):
            c.add(AndroidArtifact.FILES, "files.json", json.dumps(entries, indent=4).encode())
            return
        problems.append(result.problem())
    c.miss("files.json", "; ".join(problems))


STEPS = (
    ("Phone properties (getprop)", _getprop),
    ("Installed apps (pm list packages)", _packages),
    ("System services (dumpsys)", _dumpsys),
    ("Running apps (ps)", _processes),
    ("Service list", _services),
    ("Settings", _settings),
    ("SELinux (getenforce)", _selinux),
    ("Root tools (which)", _root_binaries),
    ("Mounted partitions (mount)", _mounts),
    ("Files in /data/local/tmp (find)", _files),
)
"""The collection, in androidqf's order as far as it applies."""
