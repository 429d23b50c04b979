"""Records about the phone: settings, properties, processes, files, adb, mounts, battery."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SettingsEntry:
    """One Android setting."""

    namespace: str
    """``system``, ``secure``, ``global`` (or the suffix of a ``settings_<x>.txt`` file)."""
    key: str
    value: str | None
    """None when the dump says ``null``."""
    user: int | None = None
    """The user, when the dump says (bugreport ``SECURE SETTINGS (user 0)``)."""
    package: str | None = None
    """The package that last wrote the value (``pkg:`` of its ``dumpsys settings`` row):
    ``android`` for the system itself, ``com.android.settings`` for the Settings app,
    ``com.android.shell`` for a computer's adb commands, ``root`` for a root shell; None when not
    shown (androidqf's ``settings_<ns>.txt`` alone, old Android versions)."""


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """One line of a settings namespace's "Historical operations" (``dumpsys settings``).

    Android keeps the last 20 changes of each namespace, and prints them only on debuggable
    builds (userdebug or eng: many custom ROMs, test phones). A line names the setting but neither
    its value nor the package that made the change: the current row says both for the last one.
    """

    namespace: str
    """``global``, ``secure``, ``system`` or ``config``, from the block's header."""
    user: int | None
    """The user of the block (``GLOBAL SETTINGS (user 0)``)."""
    key: str
    """The setting's name (``package_verifier_enable``)."""
    operation: str
    """As printed: ``update`` (inserted or changed), ``delete``, ``reset`` (``insert`` on some
    builds)."""
    time: str
    """Phone local time, ``YYYY-MM-DDTHH:MM:SS[.fff]`` without offset (``DeviceInfo.timezone``)."""


@dataclass(frozen=True, slots=True)
class Property:
    """One system property (getprop)."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """Who the phone is, read from its properties."""

    manufacturer: str | None
    model: str | None
    android_version: str | None
    """``ro.build.version.release`` (``14``)."""
    sdk: int | None
    security_patch: str | None
    """``ro.build.version.security_patch`` (``2024-03-05``)."""
    build_fingerprint: str | None
    timezone: str | None
    """``persist.sys.timezone`` (``Europe/Paris``): the zone of the phone's local times."""


@dataclass(frozen=True, slots=True)
class Process:
    """A process running when the data was collected."""

    pid: int
    ppid: int | None
    user: str | None
    """User name (``u0_a123``, ``root``), when the table gives it."""
    uid: int | None
    name: str
    """Process name (``com.app:remote``, ``init``, ``[kthreadd]``)."""
    label: str | None
    """SELinux context, when given."""
    command_line: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A file on the phone as listed by androidqf (files.json)."""

    path: str
    size: int | None
    mode: str | None
    """As listed: ``-rwxr-xr-x`` (collector) or octal ``755`` (find)."""
    user: str | None
    group: str | None
    modified: str | None
    """UTC ISO 8601."""
    changed: str | None
    accessed: str | None
    md5: str | None
    sha1: str | None
    sha256: str | None
    context: str | None
    """SELinux label."""
    error: str | None


@dataclass(frozen=True, slots=True)
class BatteryDailyUpdate:
    """A package change recorded in batterystats daily stats: a trace that survives uninstalling."""

    package: str
    action: str
    """``update`` (install or update) or ``uninstall``."""
    version_code: int | None
    """``vers=`` of an update; 0 is written for a package that was removed."""
    day_start: str | None
    """Start of the daily period (phone local time)."""
    day_end: str | None
    """End of the period; None for the current, unfinished day."""


@dataclass(frozen=True, slots=True)
class AdbKey:
    """A computer key trusted for USB or wireless debugging (dumpsys adb)."""

    key: str
    """Base64 RSA public key in adb's format."""
    comment: str | None
    """The ``user@host`` that follows the key."""
    fingerprint: str | None
    """MD5 of the decoded key, as the phone shows it (``F0:A1:...``); None if not base64."""
    last_connection: str | None
    """UTC ISO 8601, from the keystore, when readable."""
    source: str
    """``user_keys``, ``keystore xml`` or ``keystore abx``."""


@dataclass(frozen=True, slots=True)
class AdbState:
    """The ADB manager state (dumpsys adb)."""

    connected: bool | None
    """A computer was connected over adb at dump time (usually the one collecting)."""
    last_key_fingerprint: str | None
    wifi_enabled: bool | None
    """Wireless debugging was on."""


@dataclass(frozen=True, slots=True)
class Mount:
    """A mounted file system (mounts.json or /proc/mounts)."""

    device: str
    mount_point: str
    fs_type: str | None
    options: tuple[str, ...]
    read_write: bool
    """Mounted writable (``rw``)."""
