"""Worked examples of the device-wide, root and evidence rules."""

from __future__ import annotations

from dataclasses import replace

from stalkerscan.detect.android import catalog as c
from stalkerscan.detect.android.build import AcquisitionBuilder
from stalkerscan.detect.base import Example
from stalkerscan.model.android import (
    AdbState,
    AndroidAcquisition,
    ArtifactOrigin,
    HashStatus,
    SettingsChange,
    SettingsEntry,
)

_LOG_NOTE = "androidqf keeps writing its log after hashing it, so a difference is expected"


def _phone(**options: object) -> AcquisitionBuilder:
    return AcquisitionBuilder(**options).app("com.whatsapp")  # type: ignore[arg-type]


def _settings(*entries: tuple[str, str, str], **options: object) -> AndroidAcquisition:
    b = _phone(**options)
    for namespace, key, value in entries:
        b.setting(namespace, key, value)
    return b.build()


_DUMP = "dumpsys.txt, DUMP OF SERVICE settings"


def _changed(key: str, value: str, package: str, time: str) -> AndroidAcquisition:
    """A phone whose global ``key`` was last set to ``value`` by ``package`` at ``time`` (phone
    time), as dumpsys settings' row and "Historical operations" say."""
    acq = _phone().app("com.tool.helper", installer=None).build()
    return replace(
        acq,
        settings=(SettingsEntry("global", key, value, 0, package),),
        settings_changes=(SettingsChange("global", 0, key, "update", time),),
        origins=(
            *acq.origins,
            ArtifactOrigin("settings_changes", _DUMP),
            ArtifactOrigin("settings_packages", _DUMP),
        ),
    )


def _keys(*comments: str, acquiring: str | None = None) -> AndroidAcquisition:
    b = _phone()
    for comment in comments:
        b.adb_key(comment)
    acq = b.build()
    if acquiring is None:
        b.adb_state = AdbState(True, None, False)
        return b.build()
    fingerprint = next(k.fingerprint for k in acq.adb_keys if k.comment == acquiring)
    b.adb_state = AdbState(True, fingerprint, False)
    return b.build()


def _with_files(*paths: tuple[str, str]) -> AndroidAcquisition:
    b = _phone()
    for path, mode in paths:
        b.file(path, mode=mode)
    return b.build()


def _battery(*changes: tuple[str, str, int | None]) -> AndroidAcquisition:
    b = _phone()
    for action, package, version in changes:
        b.battery(action, package, version)
    return b.build()


def _rooted(
    *, su: bool = False, selinux: str = "Enforcing", rw: bool = False
) -> AndroidAcquisition:
    b = _phone()
    if su:
        b.root_binary("/system/bin/su")
    b.selinux = selinux
    b.mount("/", rw=rw)
    return b.build()


def _hashes(status: HashStatus, note: str | None = None) -> AndroidAcquisition:
    return _phone().hash_check("packages.json", status, note).build()


_G, _S = "global", "secure"

DEVICE_EXAMPLES: tuple[Example[AndroidAcquisition], ...] = (
    Example(
        c.PLAY_PROTECT.id,
        True,
        "Play Protect scanning and adb checks turned off",
        _settings((_G, "package_verifier_enable", "0"), (_G, "verifier_verify_adb_installs", "0")),
    ),
    Example(
        c.PLAY_PROTECT.id,
        True,
        "Play Protect scanning turned off by a sideloaded app at 21:04 (high: a stronger sign)",
        _changed("package_verifier_enable", "0", "com.tool.helper", "2024-03-01T21:04:12"),
    ),
    Example(
        c.PLAY_PROTECT.id,
        False,
        "Play Protect turned back on by a sideloaded app",
        _changed("package_verifier_enable", "1", "com.tool.helper", "2024-03-01T21:04:12"),
    ),
    Example(
        c.PLAY_PROTECT.id,
        False,
        "Play Protect on",
        _settings((_G, "package_verifier_enable", "1"), (_G, "upload_apk_enable", "1")),
    ),
    Example(
        c.UNKNOWN_SOURCES.id,
        True,
        "unknown sources allowed on Android 7",
        _settings((_S, "install_non_market_apps", "1"), android="7.1", sdk=25),
    ),
    Example(
        c.UNKNOWN_SOURCES.id,
        False,
        "the same value on Android 14 means nothing (it always reads 1)",
        _settings((_S, "install_non_market_apps", "1")),
    ),
    Example(
        c.DEBUGGING.id,
        True,
        "USB debugging on (as the acquisition needs)",
        _settings((_G, "adb_enabled", "1"), (_G, "development_settings_enabled", "1")),
    ),
    Example(
        c.DEBUGGING.id,
        False,
        "debugging off",
        _settings((_G, "adb_enabled", "0"), (_G, "adb_wifi_enabled", "0")),
    ),
    Example(
        c.REPORTING.id,
        True,
        "error logs not sent to Samsung (MVT's samsung_errorlog_agree)",
        _settings(("random", "samsung_errorlog_agree", "0")),
    ),
    Example(
        c.REPORTING.id,
        False,
        "security reports sent",
        _settings((_G, "send_security_reports", "1")),
    ),
    Example(
        c.TRUSTED_COMPUTER.id,
        True,
        "two computers trusted, one of them made the acquisition",
        _keys("camille@laptop", "root@kali", acquiring="camille@laptop"),
    ),
    Example(
        c.TRUSTED_COMPUTER.id,
        False,
        "no computer trusted",
        _keys(),
    ),
    Example(
        c.USER_CA.id,
        True,
        "a certificate authority added by hand",
        _with_files(("/data/misc/user/0/cacerts-added/a1b2c3d4.0", "-rw-r--r--")),
    ),
    Example(
        c.USER_CA.id,
        False,
        "only the system's certificates",
        _with_files(("/system/etc/security/cacerts/a1b2c3d4.0", "-rw-r--r--")),
    ),
    Example(
        c.VPN_PROXY.id,
        True,
        "a global HTTP proxy",
        _settings((_G, "http_proxy", "192.168.1.20:8080")),
    ),
    Example(
        c.VPN_PROXY.id,
        False,
        "the proxy setting cleared",
        _settings((_G, "http_proxy", ":0")),
    ),
    Example(
        c.SECURITY_PATCH.id,
        True,
        "a patch from 2023-01 on a phone collected in 2024-03",
        _phone(security_patch="2023-01-05").build(),
    ),
    Example(
        c.SECURITY_PATCH.id,
        False,
        "a patch from the same month",
        _phone(security_patch="2024-03-05").build(),
    ),
    Example(
        c.UNINSTALLED.id,
        True,
        "the battery history shows an app removed",
        _battery(("uninstall", "com.old.monitor", None)),
    ),
    Example(
        c.UNINSTALLED.id,
        False,
        "only updates",
        _battery(("update", "com.whatsapp", 231)),
    ),
    Example(
        c.DOWNGRADED.id,
        True,
        "an app put back from version 231 to 198",
        _battery(("update", "com.whatsapp", 231), ("update", "com.whatsapp", 198)),
    ),
    Example(
        c.DOWNGRADED.id,
        False,
        "an app updated to a newer version",
        _battery(("update", "com.whatsapp", 198), ("update", "com.whatsapp", 231)),
    ),
)
"""Examples of the device-wide rules."""

ROOT_EXAMPLES: tuple[Example[AndroidAcquisition], ...] = (
    Example(c.ROOT.id, True, "su found and / mounted writable", _rooted(su=True, rw=True)),
    Example(c.ROOT.id, True, "SELinux permissive only (medium)", _rooted(selinux="Permissive")),
    Example(c.ROOT.id, False, "no root trace", _rooted()),
    Example(
        c.TMP_FILES.id,
        True,
        "an executable left in /data/local/tmp",
        _with_files(("/data/local/tmp/.sys/agent", "-rwxr-xr-x")),
    ),
    Example(
        c.TMP_FILES.id,
        False,
        "only androidqf's own collector",
        _with_files(("/data/local/tmp/collector", "-rwxr-xr-x")),
    ),
    Example(
        c.HASH_MISMATCH.id,
        True,
        "packages.json changed after the acquisition",
        _hashes(HashStatus.MISMATCH),
    ),
    Example(
        c.HASH_MISMATCH.id,
        False,
        "the log androidqf keeps writing (an expected difference)",
        _hashes(HashStatus.MISMATCH, _LOG_NOTE),
    ),
)
"""Examples of the root, temporary-file and evidence rules."""
