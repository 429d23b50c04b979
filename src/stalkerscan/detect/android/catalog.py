"""The Android rules: ids, default severity and confidence, thresholds, and the fields each fills.

Words live in ``detect/messages/android.en.yaml`` under the same ids. ``FIELDS`` lists the
``{placeholders}`` each rule's words may use; ``make_finding`` refuses any other set, so a missing
or misspelt field is caught by the example tests, not by a reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from stalkerscan.detect.android import thresholds as t
from stalkerscan.detect.rules import Rule
from stalkerscan.model import Confidence, Evidence, Finding, Indicator, Severity

_S, _C = Severity, Confidence

# ---- indicators: one finding per app, the strongest match wins ---------------------------------

CERTIFICATE = Rule(
    "android.ioc.certificate",
    _S.CRITICAL,
    _C.CONFIRMED,
    "an installed app's APK signing certificate (SHA-1, SHA-256 or MD5) equals a certificate "
    "indicator of a stalkerware or spyware app (public test keys excepted)",
)
APK_HASH = Rule(
    "android.ioc.apk_hash",
    _S.CRITICAL,
    _C.CONFIRMED,
    "an installed app's APK file hash (MD5, SHA-1 or SHA-256) equals a stalkerware sample hash",
)
PACKAGE = Rule(
    "android.ioc.package",
    _S.CRITICAL,
    _C.CONFIRMED,
    "an installed app's package name equals a stalkerware or spyware package indicator; high and "
    f"likely when only a generic name matched (at most {t.GENERIC_PACKAGE_MAX_LENGTH} characters, "
    f"or two parts with a last part of at most {t.GENERIC_PACKAGE_MAX_LAST_LABEL}), when it is a "
    "system app, or when it is signed by a well-known developer",
)
PROCESS = Rule(
    "android.ioc.process",
    _S.CRITICAL,
    _C.CONFIRMED,
    "a running process is named after a stalkerware package or process indicator, and that "
    "package is not in the list of apps read",
)
WATCHWARE = Rule(
    "android.ioc.watchware",
    _S.MEDIUM,
    _C.CONFIRMED,
    "an installed app is listed as a monitoring app that does not hide (watchware, tracker); "
    "higher when its signs add up to more; high when another list calls it stalkerware on no "
    "stronger evidence (the lists disagree)",
)
DUAL_USE = Rule(
    "android.ioc.dual_use",
    _S.LOW,
    _C.CONFIRMED,
    "an installed app is listed as a legitimate app that can be misused to watch someone; medium "
    "when it also shows signs (sideloaded, accessibility, no icon...), information for a "
    "preinstalled system app",
)
SUSPICIOUS = Rule(
    "android.ioc.suspicious",
    _S.MEDIUM,
    _C.LIKELY,
    "an installed app is on an indicator list as suspicious, without being named stalkerware",
)
TRACE = Rule(
    "android.ioc.trace",
    _S.HIGH,
    _C.LIKELY,
    "a stalkerware package is named in the phone's battery history of installs and removals "
    "but is not installed now",
)
FILE = Rule(
    "android.ioc.file",
    _S.HIGH,
    _C.CONFIRMED,
    "a file on the phone matches a file name, path or hash indicator",
)

# ---- apps: one finding per app combining its signs ---------------------------------------------

COMBINATION = Rule(
    "android.app.risky_combination",
    _S.MEDIUM,
    _C.POSSIBLE,
    f"an app's signs add up to >= {t.COMBINATION_SCORE} points over >= 2 signs (sideloaded "
    f"{t.WEIGHT_SIDELOADED}, accessibility/notification access/device admin {t.WEIGHT_ACCESS}, "
    f"no icon {t.WEIGHT_HIDDEN}, each kind of data {t.WEIGHT_DATA} up to {t.MAX_DATA_WEIGHT}, "
    f"other installer or store {t.WEIGHT_OTHER_INSTALLER}, installs apps "
    f"{t.WEIGHT_INSTALLS_APPS}); high (likely) from {t.HIGH_SCORE} with an access or hiding "
    "sign; apps from an app store: data counts nothing, one step lower, at most medium; "
    "system apps stay information",
)
SIGN = Rule(
    "android.app.risky_sign",
    _S.LOW,
    _C.POSSIBLE,
    f"an app with signs worth less than {t.COMBINATION_SCORE} points, or a single sign: low from "
    f"{t.LOW_SCORE} points, information below; a single sign of an app-store app is information; "
    "data permissions alone are never reported",
)

# ---- device-wide ---------------------------------------------------------------------------------

PLAY_PROTECT = Rule(
    "android.settings.play_protect_off",
    _S.MEDIUM,
    _C.LIKELY,
    "a Play Protect setting has an 'off' value (package_verifier_enable=0, "
    "verifier_verify_adb_installs=0, package_verifier_user_consent=-1); low when only "
    "upload_apk_enable=0 or package_verifier_state=0",
)
UNKNOWN_SOURCES = Rule(
    "android.settings.unknown_sources",
    _S.MEDIUM,
    _C.POSSIBLE,
    "install_non_market_apps=1 on Android 7 or older (on Android 8 and later this setting means "
    "nothing: each app's 'install unknown apps' right is an app sign instead)",
)
DEBUGGING = Rule(
    "android.settings.debugging",
    _S.INFO,
    _C.CONFIRMED,
    "adb_enabled=1 or development_settings_enabled=1 (information: needed to collect the data); "
    "low when wireless debugging (adb_wifi_enabled=1) is on",
)
REPORTING = Rule(
    "android.settings.reporting_off",
    _S.LOW,
    _C.POSSIBLE,
    "an error or security report setting is off (send_security_reports, samsung_errorlog_agree, "
    "send_action_app_error, adb_install_need_confirm = 0)",
)
TRUSTED_COMPUTER = Rule(
    "android.adb.trusted_computer",
    _S.INFO,
    _C.CONFIRMED,
    "computers are trusted for USB or wireless debugging (information); low when a trusted key "
    "differs from the computer that made the acquisition (recorded, or else the only key that "
    "connected within a day of its start), or when there are several and that computer is not "
    "known",
)
USER_CA = Rule(
    "android.network.user_ca",
    _S.MEDIUM,
    _C.POSSIBLE,
    "a certificate authority was added by the user (/data/misc/user/N/cacerts-added/)",
)
VPN_PROXY = Rule(
    "android.network.vpn_proxy",
    _S.LOW,
    _C.POSSIBLE,
    "an always-on VPN app is set (low), or a global HTTP proxy (medium)",
)
SECURITY_PATCH = Rule(
    "android.device.security_patch",
    _S.LOW,
    _C.CONFIRMED,
    f"the security patch is more than {t.PATCH_MAX_AGE_MONTHS} months older than the "
    "acquisition date (never compared with today's date)",
)
UNINSTALLED = Rule(
    "android.history.uninstalled",
    _S.LOW,
    _C.POSSIBLE,
    "the battery history records an app removal (Uninstall, or an update to version 0)",
)
DOWNGRADED = Rule(
    "android.history.downgraded",
    _S.LOW,
    _C.POSSIBLE,
    "the battery history records an app update to a lower version than before",
)
ROOT = Rule(
    "android.root.signs",
    _S.HIGH,
    _C.LIKELY,
    "root tools (su, magisk...), a rooting app or a system partition mounted writable (high); "
    "only SELinux not enforcing or boot and build properties (bootloader unlocked, debug build, "
    "test keys): medium",
)
TMP_FILES = Rule(
    "android.files.tmp",
    _S.MEDIUM,
    _C.POSSIBLE,
    "files in /data/local/tmp other than androidqf's own (high when one is executable)",
)
HASH_MISMATCH = Rule(
    "android.evidence.hash_mismatch",
    _S.LOW,
    _C.CONFIRMED,
    "a file differs from, or is missing against, the SHA-256 androidqf recorded in hashes.csv "
    "(differences androidqf itself causes are ignored)",
)

IOC_RULES = (CERTIFICATE, APK_HASH, PACKAGE, PROCESS, WATCHWARE, DUAL_USE, SUSPICIOUS, TRACE, FILE)
APP_RULES = (COMBINATION, SIGN)
DEVICE_RULES = (
    PLAY_PROTECT,
    UNKNOWN_SOURCES,
    DEBUGGING,
    REPORTING,
    TRUSTED_COMPUTER,
    USER_CA,
    VPN_PROXY,
    SECURITY_PATCH,
    UNINSTALLED,
    DOWNGRADED,
)
ROOT_RULES = (ROOT, TMP_FILES)
EVIDENCE_RULES = (HASH_MISMATCH,)

_APP_IOC = frozenset({"listed", "set", "matched", "signs", "installed", "note"})

FIELDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        **{
            r.id: _APP_IOC
            for r in (CERTIFICATE, APK_HASH, PACKAGE, PROCESS, WATCHWARE, DUAL_USE, SUSPICIOUS)
        },
        TRACE.id: frozenset({"listed", "set", "seen", "note"}),
        FILE.id: frozenset({"listed", "set", "path", "matched", "note"}),
        COMBINATION.id: frozenset({"count", "signs", "installed"}),
        SIGN.id: frozenset({"count", "signs", "installed"}),
        PLAY_PROTECT.id: frozenset({"settings"}),
        UNKNOWN_SOURCES.id: frozenset({"setting"}),
        DEBUGGING.id: frozenset({"settings", "note"}),
        REPORTING.id: frozenset({"settings"}),
        TRUSTED_COMPUTER.id: frozenset({"count", "computers", "note"}),
        USER_CA.id: frozenset({"count", "files"}),
        VPN_PROXY.id: frozenset({"settings"}),
        SECURITY_PATCH.id: frozenset({"patch", "date", "months"}),
        UNINSTALLED.id: frozenset({"when", "note"}),
        DOWNGRADED.id: frozenset({"versions", "when"}),
        ROOT.id: frozenset({"count", "signs"}),
        TMP_FILES.id: frozenset({"count", "files"}),
        HASH_MISMATCH.id: frozenset({"count", "files"}),
    }
)
"""Rule id -> the detail fields it fills (``subject`` and ``app`` are always available)."""

ALWAYS_FIELDS = frozenset({"subject", "app"})


def make_finding(
    rule: Rule,
    *,
    evidence: tuple[Evidence, ...],
    subject: str,
    app: str | None = None,
    indicator: Indicator | None = None,
    severity: Severity | None = None,
    confidence: Confidence | None = None,
    reasons: tuple[str, ...] = (),
    **details: str | int | float,
) -> Finding:
    """A finding of a Android rule, its details checked against the rule's declared fields."""
    return rule.finding(
        evidence=evidence,
        subject=subject,
        app=app,
        indicator=indicator,
        severity=severity,
        confidence=confidence,
        reasons=reasons,
        expected=FIELDS[rule.id],
        **details,
    )
