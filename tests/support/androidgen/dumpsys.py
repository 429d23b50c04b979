"""The dumpsys sections of a generated phone, in the layouts real phones print."""

from __future__ import annotations

from support.androidgen.abx import adb_keystore
from support.androidgen.phone import App, Phone, hexdigest

DASHES = "-" * 79


def accessibility(phone: Phone) -> str:
    services = [a for a in phone.apps if a.accessibility]
    enabled = [f"{a.name}/{a.accessibility}" for a in services if a.accessibility_enabled]
    if phone.android >= 14:
        inner = ", ".join("{" + c + "}" for c in enabled)
        return (
            "ACCESSIBILITY MANAGER (dumpsys accessibility)\n\ncurrentUserId=0\n"
            "User state[\n     attributes:{id=0, touchExplorationEnabled=false, "
            f"installedServiceCount={len(services)}}}\n"
            "     shortcut key:{}\n"
            "     Bound services:{Service[label=Accessibility service, "
            "feedbackType[FEEDBACK_GENERIC], capabilities=11, eventTypes=TYPES_ALL_MASK, "
            "notificationTimeout=100]}\n"
            f"     Enabled services:{{{inner}}}\n"
            "     Binding services:{}\n     Crashed services:{}\n"
            "     Client list info:{\n          Registered clients:{\n"
            "[com.android.systemui][com.google.android.apps.nexuslauncher]}]\n"
        )
    lines = [
        "ACCESSIBILITY MANAGER (dumpsys accessibility)",
        "",
        "User state[attributes:{id=0, currentUser=true",
        "  mIsTouchExplorationEnabled = false",
        "  }",
        "  installed services: {",
    ]
    lines += [f"    {i} : {a.name}/{a.accessibility}" for i, a in enumerate(services)]
    lines += ["  }", "  enabled services: {"]
    lines += [f"    {i} : {c}" for i, c in enumerate(enabled)]
    lines += [
        "  }",
        "  binding services: {",
        "  }",
        "  bound services:{",
        "  }",
        "  AccessibilityInputFilter:{",
        "  }]",
        "",
    ]
    return "\n".join(lines) + "\n"


def _resolver(title: str, by_key: dict[str, list[str]]) -> list[str]:
    lines = [f"{title} Resolver Table:", "  Non-Data Actions:"]
    for key, components in by_key.items():
        lines.append(f"      {key}:")
        lines += [f"        {hexdigest('md5', c)[:7]} {c}" for c in components]
    return [*lines, ""]


def _package_details(app: App, android: int) -> list[str]:
    lines = [
        f"  Package [{app.name}] ({hexdigest('md5', app.name)[:7]}):",
        f"    userId={app.uid}",
        f"    pkg=Package{{5be8c47 {app.name}}}",
        f"    codePath={app.apk_path.rsplit('/', 1)[0]}",
        f"    versionCode={app.version_code} minSdk=26 targetSdk=33",
        f"    versionName={app.version_name}",
        "    flags=[ " + ("SYSTEM " if app.system else "") + "HAS_CODE ALLOW_CLEAR_USER_DATA ]",
        f"    installerPackageName={app.installer or 'null'}",
        f"    timeStamp={app.first_install}",
    ]
    if android < 13:
        lines += [f"    firstInstallTime={app.first_install}"]
    lines += [f"    lastUpdateTime={app.first_install}", "    requested permissions:"]
    lines += [f"      {p}" for p in (*app.permissions, "android.permission.INTERNET")]
    lines += ["    install permissions:", "      android.permission.INTERNET: granted=true"]
    enabled = 2 if app.disabled else 0
    lines += [
        f"    User 0: ceDataInode=4242 installed=true hidden=false suspended=false stopped=false "
        f"notLaunched=false enabled={enabled} instant=false virtual=false",
    ]
    if android >= 13:
        lines += [f"      firstInstallTime={app.first_install}"]
    if app.permissions:
        lines += ["      runtime permissions:"]
        lines += [f"        {p}: granted=true, flags=[ USER_SET ]" for p in app.permissions]
    return lines


def package(phone: Phone) -> str:
    launchers: dict[str, list[str]] = {"android.intent.action.MAIN": []}
    receivers: dict[str, list[str]] = {"android.intent.action.BOOT_COMPLETED": []}
    for app in phone.apps:
        if app.launcher:
            launchers["android.intent.action.MAIN"].append(f"{app.name}/.MainActivity")
        for action in app.receivers:
            receivers.setdefault(action, []).append(f"{app.name}/.EventReceiver")
        if app.receivers:
            receivers["android.intent.action.BOOT_COMPLETED"].append(f"{app.name}/.BootReceiver")
    lines = [
        "Database versions:",
        "  Internal:",
        f"    sdkVersion={phone.sdk()} databaseVersion=3",
        "",
        "Verifiers:",
        "  Required: com.android.vending (uid=10019)",
        "",
    ]
    lines += _resolver("Activity", launchers) + _resolver("Receiver", receivers)
    lines += ["Key Set Manager:", "  [android]", "      Signing KeySets: 1", "", "Packages:"]
    for app in phone.apps:
        lines += _package_details(app, phone.android)
    lines += [
        "",
        "Hidden system packages:",
        "  Package [com.google.android.gms] (1a2b3c4):",
        "    userId=10012",
        "    requested permissions:",
        "      android.permission.READ_SMS",
        "",
    ]
    return "\n".join(lines) + "\n"


def appops(phone: Phone) -> str:
    lines = [
        "Current AppOps Service state:",
        "  Settings:",
        "    top_state_settle_time=+30s0ms",
        "",
        "  Op mode watchers:",
        "    Op REQUEST_INSTALL_PACKAGES:",
        "      #0: ModeCallback{b8f1a14 watchinguid=-1 flags=0x1 from uid=1000 pid=4098}",
        "",
    ]
    for app in phone.apps:
        lines += [
            f"  Uid u0a{app.uid - 10000}:",
            "    state=cch",
            "      LEGACY_STORAGE: mode=allow",
            f"    Package {app.name}:",
        ]
        if app.request_install_packages:
            lines += [
                "      REQUEST_INSTALL_PACKAGES (allow):",
                "          Access: [top-s] 2024-03-01 21:04:11.512 (-19d14h2m1s30ms)",
            ]
        if "android.permission.READ_SMS" in app.permissions:
            lines += [
                "      READ_SMS (allow):",
                "          Access: [bg-s] 2024-03-20 23:40:02.100 (-11h27m20s3ms) duration=+12ms",
            ]
        lines += ["      WAKE_LOCK (allow):"]
    return "\n".join(lines) + "\n"


def device_policy(phone: Phone) -> str:
    lines = [
        "Current Device Policy Manager state:",
        "  Immutable state:",
        "    mHasFeature=true",
        "",
    ]
    admins = [a for a in phone.apps if a.device_admin]
    if admins:
        lines += ["  Enabled Device Admins (User 0, provisioningState: 0):"]
        for app in admins:
            lines += [
                f"    {app.name}/{app.device_admin}:",
                f"      uid={app.uid}",
                "      testOnlyAdmin=false",
                "      policies:",
                "        watch-login",
                "        force-lock",
                "        wipe-data",
                "      passwordQuality=0x0",
            ]
    lines += ["", "  Stats:", "    mAffiliationIds=[]"]
    return "\n".join(lines) + "\n"


def adb(phone: Phone) -> bytes:
    key_lines = "\n".join(f"{k.key} {k.comment}" for k in phone.adb_keys)
    head = (
        "ADB MANAGER STATE (dumpsys adb):\n{\n  debugging_manager={\n"
        f"    connected_to_adb=true\n    user_keys={key_lines}\n\n    keystore="
    ).encode()
    pairs = [(f"{k.key} {k.comment}", k.last_connection_ms) for k in phone.adb_keys]
    if phone.keystore == "abx":
        body = adb_keystore(pairs)
    elif phone.keystore == "xml":
        rows = "".join(f'    <adbKey key="{k}" lastConnection="{t}" />\n' for k, t in pairs)
        body = (
            "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n"
            f'    <keyStore version="1">\n{rows}    </keyStore>\n'
        ).encode()
    else:
        body = b""
    tail = b"\n    adb_wifi={\n      enabled=false\n    }\n  }\n}\n"
    return head + body + tail


def batterystats(phone: Phone) -> str:
    lines = [
        "Battery History (0% used, 11KB used of 4096KB, 79 strings using 9632):",
        "                    0 (19) RESET:TIME: 2024-03-14-12-34-18",
        "",
        "",
        "Daily stats:",
        "  Current start time: 2024-03-21-02-02-56",
        "  Next min deadline: 2024-03-22-01-00-00",
        "  Daily from 2024-03-20-03-02-02 to 2024-03-21-02-02-56:",
        "    Discharge step durations:",
        "      #0: +2h21m35s4ms to 75 (screen-off, power-save-off)",
        "    Package changes:",
    ]
    for action, name, version in phone.package_changes:
        lines.append(
            f"      Update {name} vers={version}"
            if action == "update"
            else f"      Uninstall {name}"
        )
    lines += [
        "      Update com.google.android.gms vers=241015044",
        "",
        "Statistics since last charge:",
    ]
    return "\n".join(lines) + "\n"


def _settings_history(phone: Phone, namespace: str) -> list[str]:
    """A namespace's "Historical operations", newest first; each change is followed by the write
    of the settings file (``persist``), as SettingsState records them."""
    if not phone.settings_history:
        return []
    changes = sorted(
        (c for c in phone.settings_history if c.namespace == namespace),
        key=lambda c: c.time,
        reverse=True,
    )
    lines = ["Historical operations"]
    for change in changes:
        lines += [f"{change.time} persist", f"{change.time} {change.operation} {change.key}"]
    return [*lines, "", ""]


def settings_dump(phone: Phone) -> str:
    """``dumpsys settings``: per namespace, rows with the package that last wrote each value
    (``android`` unless ``settings_changed_by`` says), then the history on debuggable phones."""
    lines = []
    for namespace, values in phone.all_settings().items():
        lines.append(f"{namespace.upper()} SETTINGS (user 0)")
        if phone.android >= 15:
            lines.append("version: 218")
        for index, (key, value) in enumerate(values.items()):
            pkg = phone.settings_changed_by.get(key, "android")
            default = "1" if key in ("package_verifier_enable", "upload_apk_enable") else value
            lines.append(
                f"_id:{index + 1} name:{key} pkg:{pkg} value:{value} default:{default} "
                "defaultSystemSet:true"
            )
        lines.append("")
        lines += _settings_history(phone, namespace)
    return "\n".join(lines) + "\n"


PLATFORM_COMPAT = b"ChangeId(168419799; name=DOWNSCALED; disabled; \xff\xfe\x00\x81overridable)\n"


def dumpsys(phone: Phone, *, priorities: bool = False) -> bytes:
    """The full ``dumpsys`` output (androidqf dumpsys.txt), or the bugreport's DUMPSYS block."""
    sections: list[tuple[str, bytes]] = [
        ("accessibility", accessibility(phone).encode()),
        ("adb", adb(phone)),
        ("appops", appops(phone).encode()),
        ("batterystats", batterystats(phone).encode()),
        ("device_policy", device_policy(phone).encode()),
        ("package", package(phone).encode()),
        ("platform_compat", PLATFORM_COMPAT),
        ("settings", settings_dump(phone).encode()),
    ]
    out = b"Currently running services:\n" + b"".join(f"  {n}\n".encode() for n, _ in sections)
    for name, body in sections:
        label = f"HIGH {name}" if priorities and name == "package" else name
        out += f"{DASHES}\nDUMP OF SERVICE {label}:\n".encode() + body
        out += f"--------- 0.012s was the duration of dumpsys {name}, ".encode()
        out += b"ending at: 2024-03-21 11:07:22\n"
    return out
