"""Hand-built Android acquisitions for rule examples and tests.

``AcquisitionBuilder`` writes the records the extractors would have produced from an androidqf
acquisition of a Pixel on Android 14 in Paris: one app at a time (packages.json entry, package
dump with permissions, launcher activity, accessibility service, device admin, notification
listener, app ops, receivers, process), settings, battery history, debugging keys, files and
root traces. Certificates and APK hashes are derived from the package name unless given. Nothing
here reads a file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from stalkerscan.extract.android.resolver import LAUNCHER_ACTION
from stalkerscan.model import NotChecked
from stalkerscan.model.android import (
    AccessibilityService,
    AccessibilityState,
    AcquisitionInfo,
    AdbKey,
    AdbState,
    AdminRole,
    AndroidAcquisition,
    AndroidPackage,
    AndroidSource,
    AppOp,
    AppOpEvent,
    ArtifactOrigin,
    BatteryDailyUpdate,
    DeviceAdmin,
    DeviceInfo,
    FileEntry,
    HashCheck,
    HashStatus,
    Mount,
    NotificationListener,
    PackageCertificate,
    PackageDetails,
    PackageFile,
    PackageUserState,
    PermissionGrant,
    Process,
    Property,
    ResolverEntry,
    SettingsEntry,
)

_P = "android.permission."
ORIGINS = (
    ("packages", "packages.json"),
    ("package_details", "dumpsys.txt, DUMP OF SERVICE package"),
    ("resolver_entries", "dumpsys.txt, DUMP OF SERVICE package"),
    ("accessibility", "dumpsys.txt, DUMP OF SERVICE accessibility"),
    ("device_admins", "dumpsys.txt, DUMP OF SERVICE device_policy"),
    ("appops", "dumpsys.txt, DUMP OF SERVICE appops"),
    ("battery_updates", "dumpsys.txt, DUMP OF SERVICE batterystats"),
    ("adb_keys", "dumpsys.txt, DUMP OF SERVICE adb"),
    ("adb_state", "dumpsys.txt, DUMP OF SERVICE adb"),
    ("settings_global", "settings_global.txt"),
    ("settings_secure", "settings_secure.txt"),
    ("settings_system", "settings_system.txt"),
    ("notification_listeners", "settings_secure.txt"),
    ("getprop", "getprop.txt"),
    ("processes", "processes.json"),
    ("files", "files.json"),
    ("mounts", "mounts.json"),
    ("root_binaries", "root_binaries.json"),
    ("selinux", "selinux.txt"),
    ("acquisition", "acquisition.json"),
)


def digest(algorithm: str, text: str) -> str:
    """A stable hex digest of ``text`` (certificates and APK hashes of built apps)."""
    return hashlib.new(algorithm, text.encode(), usedforsecurity=False).hexdigest()


def permission(name: str) -> str:
    """``READ_SMS`` -> ``android.permission.READ_SMS``."""
    return name if "." in name else _P + name


@dataclass
class _Records:
    packages: list[AndroidPackage] = field(default_factory=list)
    details: list[PackageDetails] = field(default_factory=list)
    resolver: list[ResolverEntry] = field(default_factory=list)
    accessibility: list[AccessibilityService] = field(default_factory=list)
    admins: list[DeviceAdmin] = field(default_factory=list)
    listeners: list[NotificationListener] = field(default_factory=list)
    appops: list[AppOp] = field(default_factory=list)
    processes: list[Process] = field(default_factory=list)
    settings: list[SettingsEntry] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    files: list[FileEntry] = field(default_factory=list)
    battery: list[BatteryDailyUpdate] = field(default_factory=list)
    adb_keys: list[AdbKey] = field(default_factory=list)
    mounts: list[Mount] = field(default_factory=list)
    root_binaries: list[str] = field(default_factory=list)
    hash_checks: list[HashCheck] = field(default_factory=list)
    not_checked: list[NotChecked] = field(default_factory=list)


def _certificate(name: str, sha1: str | None) -> PackageCertificate:
    seed = f"cert:{name}"
    return PackageCertificate(
        md5=digest("md5", seed),
        sha1=(sha1 or digest("sha1", seed)).lower(),
        sha256=digest("sha256", seed),
        subject=f"CN={name}",
        issuer=f"CN={name}",
        valid_from="2019-05-02T10:11:12Z",
        valid_to="2049-04-25T10:11:12Z",
        serial="1277507236",
        signature_algorithm="SHA256-RSA",
    )


@dataclass(frozen=True, slots=True)
class AppSpec:
    """How a built app looks; the defaults are an ordinary app from the Play Store."""

    installer: str | None = "com.android.vending"
    """The installing package; None is androidqf's ``null`` (no installer)."""
    system: bool = False
    """Part of the system image."""
    launcher: bool = True
    """Has a MAIN activity (an icon); False: none at all."""
    permissions: tuple[str, ...] = ()
    """Granted runtime permissions (``READ_SMS`` or full names)."""
    accessibility: bool = False
    """An enabled accessibility service."""
    accessibility_off: bool = False
    """An accessibility service that is installed but not turned on."""
    admin: AdminRole | None = None
    """An active device admin, device owner or profile owner."""
    listener: bool = False
    """An enabled notification listener."""
    receivers: tuple[str, ...] = ()
    """Broadcast actions a receiver of the app listens for."""
    install_packages: bool = False
    """App op REQUEST_INSTALL_PACKAGES allowed, used once."""
    app_ops: tuple[str, ...] = ()
    """App ops in mode allow (``SYSTEM_ALERT_WINDOW``...)."""
    cert_sha1: str | None = None
    """The signing certificate's SHA-1; derived from the name when None."""
    certificate: bool = True
    """androidqf copied the APK and read its signing certificate."""
    trusted: bool = False
    """androidqf's list of well-known signers holds the certificate."""
    sha256: str | None = None
    """The APK's SHA-256; derived from the name when None."""
    installed: str = "2024-02-10T09:15:42"
    """First install time, phone local time."""
    in_packages_json: bool = True
    """Listed in packages.json."""
    in_package_dump: bool = True
    """Listed in ``dumpsys package``."""
    running: bool = False
    """A process of the app runs."""
    hidden: bool = False
    """Hidden by the package manager for user 0."""


class AcquisitionBuilder:
    """Collects records, then ``build()`` returns the ``AndroidAcquisition``."""

    def __init__(
        self,
        *,
        android: str = "14",
        sdk: int | None = 34,
        security_patch: str | None = "2024-03-05",
        timezone: str | None = "Europe/Paris",
        started: str | None = "2024-03-21T10:02:11.123456+00:00",
        input_name: str = "example-acquisition",
    ) -> None:
        self.r = _Records()
        self.input = input_name
        self.device = DeviceInfo("Google", "Pixel 7", android, sdk, security_patch, None, timezone)
        self.started = started
        self.selinux: str | None = "Enforcing"
        self.adb_state: AdbState | None = AdbState(True, None, False)
        self.host_key: str | None = None

    def app(self, name: str, spec: AppSpec | None = None, **options: Any) -> AcquisitionBuilder:
        """Add an installed app (``options`` override ``spec``'s fields)."""
        s = replace(spec or AppSpec(), **options)
        uid = 10100 + len(self.r.details) + len(self.r.packages)
        self._package(name, uid, s)
        self._components(name, uid, s)
        return self

    def _package(self, name: str, uid: int, s: AppSpec) -> None:
        path = f"/system/app/{name}/{name}.apk" if s.system else f"/data/app/~~a==/{name}/base.apk"
        if s.in_packages_json:
            apk = f"apk:{name}"
            file = PackageFile(
                path=path,
                local_name=None if s.system else f"apks/{name}.apk",
                md5=digest("md5", apk),
                sha1=digest("sha1", apk),
                sha256=s.sha256 or digest("sha256", apk),
                sha512=None,
                certificate=_certificate(name, s.cert_sha1) if s.certificate else None,
                certificate_verified=s.certificate,
                certificate_trusted=s.trusted,
                error=None,
                certificate_error=None,
            )
            self.r.packages.append(
                AndroidPackage(name, s.installer, uid, s.system, not s.system, False, (file,))
            )
        if s.in_package_dump:
            grants = tuple(PermissionGrant(permission(p), True, True, 0) for p in s.permissions)
            self.r.details.append(
                PackageDetails(
                    name=name,
                    uid=uid,
                    version_code=100,
                    version_name="1.0",
                    installer=s.installer,
                    code_path=path.rsplit("/", 1)[0],
                    flags=("SYSTEM", "HAS_CODE") if s.system else ("HAS_CODE",),
                    first_install_time=s.installed,
                    last_update_time=s.installed,
                    requested_permissions=tuple(permission(p) for p in s.permissions),
                    permissions=grants,
                    users=(PackageUserState(0, True, True, False, False, 0, None),)
                    if s.hidden
                    else (),
                )
            )

    def _components(self, name: str, uid: int, s: AppSpec) -> None:
        r = self.r
        if s.launcher:
            r.resolver.append(
                ResolverEntry(
                    "activity",
                    "Non-Data Actions",
                    LAUNCHER_ACTION,
                    f"{name}/.Main",
                    name,
                    (),
                    False,
                )
            )
        for action in s.receivers:
            r.resolver.append(
                ResolverEntry(
                    "receiver", "Non-Data Actions", action, f"{name}/.Events", name, (), False
                )
            )
        if s.accessibility or s.accessibility_off:
            state = AccessibilityState.ENABLED if s.accessibility else AccessibilityState.INSTALLED
            r.accessibility.append(
                AccessibilityService(f"{name}/.Access", name, state, 0, "dumpsys accessibility")
            )
        if s.admin is not None:
            policies = ("watch-login", "force-lock", "wipe-data")
            r.admins.append(DeviceAdmin(f"{name}/.Admin", name, s.admin, 0, uid, policies))
        if s.listener:
            source = "settings secure enabled_notification_listeners"
            r.listeners.append(NotificationListener(f"{name}/.Notify", name, source))
        ops = (*s.app_ops, *(("REQUEST_INSTALL_PACKAGES",) if s.install_packages else ()))
        for op in ops:
            events = (AppOpEvent("access", "2024-03-01T21:04:11.512", "top-s", None),)
            r.appops.append(AppOp(f"u0a{uid - 10000}", name, op, "allow", events))
        if s.running:
            r.processes.append(
                Process(3000 + uid % 1000, 700, f"u0_a{uid - 10000}", uid, name, None, (name,))
            )

    def setting(self, namespace: str, key: str, value: str | None) -> AcquisitionBuilder:
        self.r.settings.append(SettingsEntry(namespace, key, value))
        return self

    def prop(self, name: str, value: str) -> AcquisitionBuilder:
        self.r.properties.append(Property(name, value))
        return self

    def battery(
        self, action: str, package: str, version: int | None = None, day: str = "2024-03-20"
    ) -> AcquisitionBuilder:
        start, end = f"{day}T03:02:02", "2024-03-21T02:02:56"
        self.r.battery.append(BatteryDailyUpdate(package, action, version, start, end))
        return self

    def adb_key(
        self,
        comment: str,
        *,
        key: str | None = None,
        fingerprint: str | None = None,
        last: str | None = "2024-03-09T16:00:00+00:00",
    ) -> AcquisitionBuilder:
        text = key or "QAAAA" + digest("sha256", comment)
        fp = fingerprint or ":".join(
            digest("md5", text)[i : i + 2].upper() for i in range(0, 32, 2)
        )
        self.r.adb_keys.append(AdbKey(text, comment, fp, last, "user_keys"))
        return self

    def file(
        self, path: str, *, mode: str = "-rw-r--r--", sha256: str | None = None
    ) -> AcquisitionBuilder:
        self.r.files.append(
            FileEntry(
                path,
                1400,
                mode,
                "shell",
                "shell",
                "2024-03-09T16:00:00+00:00",
                None,
                None,
                None,
                None,
                sha256,
                None,
                None,
            )
        )
        return self

    def mount(self, point: str, *, rw: bool) -> AcquisitionBuilder:
        options = ("rw" if rw else "ro", "seclabel", "relatime")
        self.r.mounts.append(Mount("/dev/block/dm-3", point, "ext4", options, rw))
        return self

    def root_binary(self, path: str) -> AcquisitionBuilder:
        self.r.root_binaries.append(path)
        return self

    def process(self, name: str, pid: int = 4242) -> AcquisitionBuilder:
        self.r.processes.append(Process(pid, 1, "root", 0, name, None, (name,)))
        return self

    def hash_check(
        self, path: str, status: HashStatus, note: str | None = None
    ) -> AcquisitionBuilder:
        actual = None if status is HashStatus.MISSING else digest("sha256", f"now:{path}")
        expected = digest("sha256", f"then:{path}") if status is not HashStatus.OK else actual
        self.r.hash_checks.append(
            HashCheck(path, None if actual is None else path, expected or "", actual, status, note)
        )
        return self

    def build(self) -> AndroidAcquisition:
        r = self.r
        info = AcquisitionInfo(
            AndroidSource.ANDROIDQF_FOLDER,
            "3f1c2b9e",
            "v1.8.3",
            self.started,
            self.started,
            True,
            self.host_key,
            "/data/local/tmp/",
        )
        props = list(r.properties)
        if self.device.security_patch:
            props.append(Property("ro.build.version.security_patch", self.device.security_patch))
        return AndroidAcquisition(
            input=self.input,
            info=info,
            device=self.device,
            packages=tuple(r.packages),
            package_details=tuple(r.details),
            resolver_entries=tuple(r.resolver),
            accessibility=tuple(r.accessibility),
            device_admins=tuple(r.admins),
            notification_listeners=tuple(r.listeners),
            appops=tuple(r.appops),
            settings=tuple(r.settings),
            properties=tuple(props),
            processes=tuple(r.processes),
            files=tuple(r.files),
            battery_updates=tuple(r.battery),
            adb_keys=tuple(r.adb_keys),
            adb_state=self.adb_state,
            mounts=tuple(r.mounts),
            root_binaries=tuple(r.root_binaries),
            selinux=self.selinux,
            hash_checks=tuple(r.hash_checks),
            origins=tuple(ArtifactOrigin(what, where) for what, where in ORIGINS),
            not_checked=tuple(r.not_checked),
        )
