"""What a generated phone holds: apps, settings, debugging keys, root traces."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

P = "android.permission."
SPY_PERMISSIONS = (
    f"{P}READ_SMS",
    f"{P}RECEIVE_SMS",
    f"{P}READ_CALL_LOG",
    f"{P}ACCESS_FINE_LOCATION",
    f"{P}ACCESS_BACKGROUND_LOCATION",
    f"{P}RECORD_AUDIO",
    f"{P}CAMERA",
    f"{P}READ_CONTACTS",
)
SMS_RECEIVED = "android.provider.Telephony.SMS_RECEIVED"
PHONE_STATE = "android.intent.action.PHONE_STATE"
NEW_OUTGOING_CALL = "android.intent.action.NEW_OUTGOING_CALL"


def hexdigest(algorithm: str, text: str) -> str:
    """A stable digest of ``text`` (used to make certificate and APK hashes)."""
    return hashlib.new(algorithm, text.encode()).hexdigest()


@dataclass
class App:
    """One installed app and everything the phone's dumps say about it."""

    name: str
    uid: int
    installer: str | None = "com.android.vending"
    """None is written as "null" (sideloaded or preinstalled)."""
    system: bool = False
    disabled: bool = False
    version_code: int = 100
    version_name: str = "1.0"
    signer: str = "CN=Example Developer, O=Example"
    cert_sha1: str | None = None
    """Force the signing certificate SHA-1 (lower or upper case hex)."""
    launcher: bool = True
    """Has a MAIN/LAUNCHER activity (an app icon)."""
    accessibility: str | None = None
    """Class name of an accessibility service the app declares."""
    accessibility_enabled: bool = False
    device_admin: str | None = None
    """Class name of an active device-admin receiver."""
    notification_listener: str | None = None
    """Class name of an enabled notification listener."""
    permissions: tuple[str, ...] = ()
    """Requested runtime permissions, all granted."""
    receivers: tuple[str, ...] = ()
    """Broadcast actions a receiver listens for (SMS_RECEIVED...)."""
    request_install_packages: bool = False
    """App op REQUEST_INSTALL_PACKAGES allowed, with one recorded access."""
    first_install: str = "2024-02-10 09:15:42"

    @property
    def cert_der_seed(self) -> str:
        return f"cert:{self.signer}"

    @property
    def cert(self) -> dict[str, str]:
        """md5/sha1/sha256 of the (synthetic) signing certificate, lower-case hex."""
        sha1 = (self.cert_sha1 or hexdigest("sha1", self.cert_der_seed)).lower()
        return {
            "md5": hexdigest("md5", self.cert_der_seed),
            "sha1": sha1,
            "sha256": hexdigest("sha256", self.cert_der_seed),
        }

    @property
    def apk_path(self) -> str:
        if self.system:
            return f"/system/app/{self.name.rsplit('.', 1)[-1]}/{self.name.rsplit('.', 1)[-1]}.apk"
        return f"/data/app/~~Zm9vYmFy==/{self.name}-YmF6cXV4==/base.apk"

    def apk_hash(self, algorithm: str) -> str:
        return hexdigest(algorithm, f"apk:{self.name}:{self.version_code}")


@dataclass
class AdbKeyGen:
    """A computer trusted for debugging."""

    key: str
    comment: str
    last_connection_ms: int


@dataclass(frozen=True)
class SettingChange:
    """One change of a setting, as a debuggable build's ``dumpsys settings`` keeps it."""

    time: str
    """Phone local time, ``YYYY-MM-DD HH:MM:SS``."""
    namespace: str
    key: str
    operation: str = "update"


@dataclass
class Phone:
    """A whole phone, rendered into androidqf or bugreport files by the writers."""

    apps: list[App]
    android: int = 14
    """Android version; 14+ uses the new accessibility dump layout."""
    manufacturer: str = "Google"
    model: str = "Pixel 7"
    security_patch: str = "2024-03-05"
    timezone: str = "Europe/Paris"
    settings: dict[str, dict[str, str]] = field(default_factory=dict)
    settings_changed_by: dict[str, str] = field(default_factory=dict)
    """Setting key -> the package that last wrote it (``pkg:`` in dumpsys settings); others
    say ``android``."""
    settings_history: list[SettingChange] = field(default_factory=list)
    """Recent setting changes, printed as dumpsys settings' "Historical operations" (as debuggable
    builds do); empty: no history block, as on ordinary (user) builds."""
    adb_keys: list[AdbKeyGen] = field(default_factory=list)
    keystore: str = "abx"
    """How dumpsys adb prints the keystore: ``abx`` (Android 12+), ``xml`` or ``none``."""
    tmp_files: list[str] = field(default_factory=list)
    root_binaries: list[str] = field(default_factory=list)
    system_rw: bool = False
    selinux: str = "Enforcing"
    package_changes: list[tuple[str, str, int | None]] = field(default_factory=list)
    """Battery daily changes: (``update``/``uninstall``, package, version)."""
    user_ca: list[str] = field(default_factory=list)
    """File names of user-installed CA certificates."""

    def app(self, name: str) -> App:
        return next(a for a in self.apps if a.name == name)

    def sdk(self) -> int:
        return {10: 29, 11: 30, 12: 31, 13: 33, 14: 34, 15: 35}.get(self.android, 34)

    def all_settings(self) -> dict[str, dict[str, str]]:
        """Defaults of a phone with protections on, overridden by ``settings``, plus what the
        apps' enabled accessibility services and notification listeners imply."""
        base: dict[str, dict[str, str]] = {
            "system": {"screen_brightness": "102", "time_12_24": "24"},
            "secure": {"accessibility_enabled": "0", "install_non_market_apps": "0"},
            "global": {
                "adb_enabled": "0",
                "development_settings_enabled": "0",
                "package_verifier_enable": "1",
                "verifier_verify_adb_installs": "1",
                "upload_apk_enable": "1",
                "device_name": "Pixel de Camille",
            },
        }
        services = [f"{a.name}/{a.accessibility}" for a in self.apps if a.accessibility_enabled]
        if services:
            base["secure"]["enabled_accessibility_services"] = ":".join(services)
            base["secure"]["accessibility_enabled"] = "1"
        listeners = [
            f"{a.name}/{a.notification_listener}" for a in self.apps if a.notification_listener
        ]
        listeners.append("com.google.android.gms/.nearby.sharing.SharingNotificationListener")
        base["secure"]["enabled_notification_listeners"] = ":".join(listeners)
        for namespace, values in self.settings.items():
            base.setdefault(namespace, {}).update(values)
        return base
