"""Root and tampering: root tools, rooting apps, writable system partitions, SELinux, boot state,
and files left in /data/local/tmp.

Root removes Android's protections: any app given root can read every other app's data. Rooting
is not needed by most stalkerware, but some use it to read messengers (Chatterjee et al. 2018),
and a rooted phone the owner did not root was worked on by someone else. All root traces form one
finding (``android.root.signs``); files in /data/local/tmp (where tools are pushed from a
computer) are another.
"""

from __future__ import annotations

from stalkerscan.detect.android import catalog as c
from stalkerscan.detect.android.context import AndroidView
from stalkerscan.detect.android.evidence import acquisition_time, line, listing
from stalkerscan.model import Evidence, Finding, Severity

SYSTEM_MOUNTS = ("/", "/system", "/vendor", "/product", "/system_ext", "/odm")
"""Mount points of the system image: read-only on an unmodified phone."""
TMP_DIR = "/data/local/tmp/"
_BOOT_STATES = {"orange": "bootloader unlocked", "yellow": "custom boot key", "red": "failed"}


def _property_signs(view: AndroidView) -> list[tuple[str, Evidence, bool]]:
    """(phrase, evidence, strong) for properties that say the system was opened up."""
    acq = view.acq
    out: list[tuple[str, Evidence, bool]] = []
    checks = (
        ("ro.boot.verifiedbootstate", lambda v: v in _BOOT_STATES),
        ("ro.debuggable", lambda v: v == "1"),
        ("ro.secure", lambda v: v == "0"),
        ("ro.build.tags", lambda v: "test-keys" in v),
        ("ro.boot.flash.locked", lambda v: v == "0"),
    )
    for name, test in checks:
        value = acq.prop(name)
        if value is None or not test(value.strip().lower()):
            continue
        if name == "ro.boot.verifiedbootstate":
            phrase = f"verified boot state {value} ({_BOOT_STATES[value.strip().lower()]})"
        elif name == "ro.boot.flash.locked":
            phrase = "bootloader unlocked"
        elif name == "ro.build.tags":
            phrase = "system built with public test keys"
        else:
            phrase = f"debug build ({name}={value})"
        out.append((phrase, line(acq, "getprop", f"{name}={value}"), False))
    return out


def _signs(view: AndroidView) -> list[tuple[str, Evidence, bool]]:
    acq = view.acq
    out = [
        (f"root tool {path}", line(acq, "root_binaries", path), True) for path in acq.root_binaries
    ]
    for name, app in view.apps.items():
        if name.lower() in view.lists.root_packages:
            what = "packages" if app.package is not None else "package_details"
            out.append((f"rooting app {name} installed", line(acq, what, name), True))
    for mount in acq.mounts:
        if mount.read_write and mount.mount_point in SYSTEM_MOUNTS:
            observed = f"{mount.device} on {mount.mount_point} ({','.join(mount.options)})"
            phrase = f"system partition {mount.mount_point} mounted writable"
            out.append((phrase, line(acq, "mounts", observed), True))
    if acq.selinux is not None and acq.selinux != "Enforcing":
        seen = line(acq, "selinux", f"getenforce: {acq.selinux}")
        out.append((f"SELinux protection {acq.selinux.lower()}", seen, False))
    return out + _property_signs(view)


def root_findings(view: AndroidView) -> list[Finding]:
    """One finding listing every root trace, if any."""
    signs = _signs(view)
    if not signs:
        return []
    strong = any(s for _, _, s in signs)
    phrases = [p for p, _, _ in signs]
    return [
        c.make_finding(
            c.ROOT,
            evidence=tuple(e for _, e, _ in signs),
            subject="root",
            severity=None if strong else Severity.MEDIUM,
            reasons=tuple(phrases),
            count=len(signs),
            signs=listing(phrases),
        )
    ]


def _executable(mode: str | None) -> bool:
    if not mode:
        return False
    if mode.isdigit():
        return any(int(d) % 2 for d in mode[-3:])
    return "x" in mode[1:] or "s" in mode[1:]


def tmp_findings(view: AndroidView) -> list[Finding]:
    """Files in /data/local/tmp other than the acquisition tool's own."""
    acq = view.acq
    tmp = acq.info.tmp_dir or TMP_DIR
    tmp = tmp if tmp.endswith("/") else tmp + "/"
    files = [
        f
        for f in acq.files
        if f.path.startswith((tmp, TMP_DIR))
        and f.path.rstrip("/") not in view.lists.tool_files
        and f.path.rstrip("/") + "/" not in (tmp, TMP_DIR)
        and not (f.mode or "").startswith("d")
    ]
    if not files:
        return []
    executable = [f for f in files if _executable(f.mode)]
    evidence = tuple(
        line(
            acq,
            "files",
            f"{f.path} ({f.mode or 'mode unknown'}, {f.size if f.size is not None else '?'} bytes"
            f", owner {f.user or '?'})",
            acquisition_time(acq, f.modified),
        )
        for f in files
    )
    return [
        c.make_finding(
            c.TMP_FILES,
            evidence=evidence,
            subject=TMP_DIR,
            severity=Severity.HIGH if executable else None,
            reasons=tuple(f"{f.path}{' (executable)' if f in executable else ''}" for f in files),
            count=len(files),
            files=listing(f.path for f in files),
        )
    ]
