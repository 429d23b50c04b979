"""Records read from Android device data (androidqf acquisitions, bugreports).

Times are ISO 8601 text. Times that the phone printed in its own local time, with no zone
(appops, batterystats, dumpsys package), are kept as ``YYYY-MM-DDTHH:MM:SS[.fff]`` without an
offset; the phone's zone is ``DeviceInfo.timezone``. Times given as POSIX seconds or milliseconds
(files.json, adb keys, acquisition.json) are converted to UTC and end in ``+00:00``.

The records are grouped in ``apps`` (packages and their components), ``device`` (the phone's state)
and ``artifacts`` (what a source hands to the extractors); everything is importable from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from stalkerscan.model.android.apps import (
    AccessibilityService,
    AccessibilityState,
    AdminRole,
    AndroidPackage,
    AppOp,
    AppOpEvent,
    DeviceAdmin,
    NotificationListener,
    PackageCertificate,
    PackageDetails,
    PackageFile,
    PackageUserState,
    PermissionGrant,
    ResolverEntry,
)
from stalkerscan.model.android.artifacts import (
    AcquisitionInfo,
    AndroidArtifact,
    AndroidArtifactSet,
    AndroidSource,
    ArtifactBytes,
    ArtifactOrigin,
    HashCheck,
    HashStatus,
)
from stalkerscan.model.android.device import (
    AdbKey,
    AdbState,
    BatteryDailyUpdate,
    DeviceInfo,
    FileEntry,
    Mount,
    Process,
    Property,
    SettingsChange,
    SettingsEntry,
)
from stalkerscan.model.finding import NotChecked

__all__ = [
    "AccessibilityService",
    "AccessibilityState",
    "AcquisitionInfo",
    "AdbKey",
    "AdbState",
    "AdminRole",
    "AndroidAcquisition",
    "AndroidArtifact",
    "AndroidArtifactSet",
    "AndroidPackage",
    "AndroidSource",
    "AppOp",
    "AppOpEvent",
    "ArtifactBytes",
    "ArtifactOrigin",
    "BatteryDailyUpdate",
    "DeviceAdmin",
    "DeviceInfo",
    "FileEntry",
    "HashCheck",
    "HashStatus",
    "Mount",
    "NotificationListener",
    "PackageCertificate",
    "PackageDetails",
    "PackageFile",
    "PackageUserState",
    "PermissionGrant",
    "Process",
    "Property",
    "ResolverEntry",
    "SettingsChange",
    "SettingsEntry",
]


@dataclass(frozen=True, slots=True)
class AndroidAcquisition:
    """Everything read from one Android input, and what could not be read."""

    input: str
    """The path as given."""
    info: AcquisitionInfo
    device: DeviceInfo
    packages: tuple[AndroidPackage, ...]
    package_details: tuple[PackageDetails, ...]
    resolver_entries: tuple[ResolverEntry, ...]
    accessibility: tuple[AccessibilityService, ...]
    device_admins: tuple[DeviceAdmin, ...]
    notification_listeners: tuple[NotificationListener, ...]
    appops: tuple[AppOp, ...]
    settings: tuple[SettingsEntry, ...]
    properties: tuple[Property, ...]
    processes: tuple[Process, ...]
    files: tuple[FileEntry, ...]
    battery_updates: tuple[BatteryDailyUpdate, ...]
    adb_keys: tuple[AdbKey, ...]
    adb_state: AdbState | None
    mounts: tuple[Mount, ...]
    root_binaries: tuple[str, ...]
    """Paths of root tools found by ``which -a`` (``/system/bin/su``, ``.../magisk``)."""
    selinux: str | None
    """``Enforcing``, ``Permissive`` or ``Disabled``, when collected."""
    hash_checks: tuple[HashCheck, ...]
    origins: tuple[ArtifactOrigin, ...]
    not_checked: tuple[NotChecked, ...]
    settings_changes: tuple[SettingsChange, ...] = ()
    """The settings' recent history ("Historical operations" of ``dumpsys settings``), as
    printed; empty when the phone does not keep it (non-debuggable builds) or no dump was read."""

    def setting(self, namespace: str, key: str) -> str | None:
        """The value of one setting, or None if absent (or ``null``)."""
        for entry in self.settings:
            if entry.namespace == namespace and entry.key == key:
                return entry.value
        return None

    def prop(self, name: str) -> str | None:
        """The value of one system property, or None if absent."""
        for entry in self.properties:
            if entry.name == name:
                return entry.value
        return None

    def where(self, what: str) -> str | None:
        """Where records of kind ``what`` were read from, for evidence locators."""
        for origin in self.origins:
            if origin.what == what:
                return origin.location
        return None
