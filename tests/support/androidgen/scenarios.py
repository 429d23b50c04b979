"""Ready-made phones: with stalkerware, with dual-use apps only, or with nothing of the kind."""

from __future__ import annotations

from support.androidgen.phone import (
    NEW_OUTGOING_CALL,
    PHONE_STATE,
    SMS_RECEIVED,
    SPY_PERMISSIONS,
    AdbKeyGen,
    App,
    Phone,
    SettingChange,
)

OWNER_KEY = AdbKeyGen(
    "QAAAAPUBsVijHeceeK3bETuudn5I+S+ndOZDsxQDvkjKqSZrM+35YWU+U1d7mayQoh5fghnSIChrg0UxNOjcCxM=",
    "camille@laptop",
    1710000000000,
)
OTHER_KEY = AdbKeyGen(
    "QAAAAAcgbytJst31DsaSP7hn8QcBXKR9NPVPK9MZssFVSNIPxYz0123456789abcdefghijklmnop=",
    "root@kali",
    1709500000000,
)


def base_apps() -> list[App]:
    """The apps of an ordinary phone (system apps, a browser, a messenger)."""
    return [
        App(
            "com.android.systemui",
            10090,
            installer=None,
            system=True,
            launcher=False,
            signer="CN=Android, O=Google",
        ),
        App(
            "com.android.settings", 1000, installer=None, system=True, signer="CN=Android, O=Google"
        ),
        App(
            "com.google.android.gms",
            10012,
            system=True,
            launcher=False,
            signer="CN=Android, O=Google",
            notification_listener=None,
        ),
        App(
            "com.google.android.apps.messaging",
            10100,
            system=True,
            signer="CN=Android, O=Google",
            permissions=("android.permission.READ_SMS", "android.permission.RECEIVE_SMS"),
            receivers=(SMS_RECEIVED,),
        ),
        App("com.whatsapp", 10271, signer="CN=Brian Acton, O=WhatsApp Inc."),
        App("org.mozilla.firefox", 10245 + 30, signer="CN=Release Engineering, O=Mozilla"),
    ]


def everyday_phone(**phone: object) -> Phone:
    """A phone with no stalkerware sign: apps from the Play Store, protections on."""
    return Phone(apps=base_apps(), adb_keys=[OWNER_KEY], **phone)  # type: ignore[arg-type]


def dual_use_phone(**phone: object) -> Phone:
    """Apps that can be misused to watch someone, installed normally, with visible icons."""
    apps = [
        *base_apps(),
        App(
            "com.life360.android.safetymapd",
            10310,
            signer="CN=Life360",
            permissions=(
                "android.permission.ACCESS_FINE_LOCATION",
                "android.permission.ACCESS_BACKGROUND_LOCATION",
            ),
        ),
        App(
            "org.findmykids.app",
            10311,
            signer="CN=FindMyKids",
            permissions=(
                "android.permission.ACCESS_FINE_LOCATION",
                "android.permission.RECORD_AUDIO",
            ),
        ),
    ]
    return Phone(apps=apps, adb_keys=[OWNER_KEY], **phone)  # type: ignore[arg-type]


def stalkerware_phone(
    package: str = "com.system.update.service",
    cert_sha1: str = "31a6ecec6e2c2b6b5f3ac5e1b9d0d5b5ef1f0f1c",
    **phone: object,
) -> Phone:
    """A sideloaded hidden app with accessibility, admin, notification access and SMS receivers,
    Play Protect off, debugging on, an unknown trusted computer and traces of a removed app.

    The settings history (a debuggable build) tells the story: developer options and USB
    debugging turned on in Settings at 20:58, Play Protect scanning turned off in Google Play
    services at 21:04, the app installed at 21:05, its accessibility service and notification
    access turned on, then the checking of apps installed from a computer turned off by the app
    itself at 21:06 (it was given WRITE_SECURE_SETTINGS over adb)."""
    spy = App(
        package,
        10399,
        installer=None,
        signer="CN=Update, O=Unknown",
        cert_sha1=cert_sha1,
        launcher=False,
        accessibility=f"{package}.AccessService",
        accessibility_enabled=True,
        device_admin=".AdminReceiver",
        notification_listener=f"{package}.NotifyService",
        permissions=SPY_PERMISSIONS,
        receivers=(SMS_RECEIVED, NEW_OUTGOING_CALL, PHONE_STATE),
        first_install="2024-03-01 21:05:03",
    )
    apps = base_apps()
    apps[5].request_install_packages = True  # the browser that downloaded the APK
    settings = {
        "global": {
            "package_verifier_enable": "0",
            "verifier_verify_adb_installs": "0",
            "upload_apk_enable": "0",
            "adb_enabled": "1",
            "development_settings_enabled": "1",
        },
        "secure": {"install_non_market_apps": "1"},
    }
    defaults: dict[str, object] = {
        "settings": settings,
        "adb_keys": [OWNER_KEY, OTHER_KEY],
        "tmp_files": ["/data/local/tmp/.sys/agent"],
        "package_changes": [
            ("update", package, 12),
            ("uninstall", "com.old.monitor", None),
            ("update", "com.whatsapp", 231),
            ("update", "com.whatsapp", 198),
        ],
        "user_ca": ["a1b2c3d4.0"],
        "settings_changed_by": {
            "development_settings_enabled": "com.android.settings",
            "adb_enabled": "com.android.settings",
            "package_verifier_enable": "com.google.android.gms",
            "upload_apk_enable": "com.google.android.gms",
            "verifier_verify_adb_installs": package,
            "enabled_accessibility_services": "com.android.settings",
            "accessibility_enabled": "com.android.settings",
            "enabled_notification_listeners": "com.android.settings",
        },
        "settings_history": [
            SettingChange("2024-03-01 20:58:40", "global", "development_settings_enabled"),
            SettingChange("2024-03-01 20:58:52", "global", "adb_enabled"),
            SettingChange("2024-03-01 21:04:12", "global", "package_verifier_enable"),
            SettingChange("2024-03-01 21:04:12", "global", "upload_apk_enable"),
            SettingChange("2024-03-01 21:05:40", "secure", "enabled_accessibility_services"),
            SettingChange("2024-03-01 21:05:40", "secure", "accessibility_enabled"),
            SettingChange("2024-03-01 21:05:58", "secure", "enabled_notification_listeners"),
            SettingChange("2024-03-01 21:06:30", "global", "verifier_verify_adb_installs"),
        ],
    }
    defaults.update(phone)
    return Phone(apps=[*apps, spy], **defaults)  # type: ignore[arg-type]


def rooted(phone: Phone) -> Phone:
    """Add root traces: su and magisk, SELinux permissive, / mounted writable."""
    phone.root_binaries = ["/system/bin/su", "/data/local/tmp/magisk"]
    phone.selinux = "Permissive"
    phone.system_rw = True
    return phone
