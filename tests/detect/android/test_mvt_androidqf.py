"""MVT's androidqf test folder (real androidqf formats): every alert MVT raises is reported too.

MVT on this folder (device-tools.md §4): packages.json gives 5 alerts without indicators
(com.whatsapp installed with no installer, app.revanced.manager.flutter / com.google.android.youtube
/ org.fdroid.fdroid through the package installer, org.nuclearfog.apollo from F-Droid), 4 root
binaries, settings samsung_errorlog_agree=0, accessibility services, and REQUEST_INSTALL_PACKAGES
for Firefox in appops; indicator hits by package name, APK SHA-256 and certificate.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stalkerscan.detect.android import detect_android
from stalkerscan.detect.base import DetectorResult
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Confidence, Indicator, IndicatorKind, Role, Severity, Threat
from stalkerscan.model.android import AndroidAcquisition
from stalkerscan.pipeline.android_loader import load_android_acquisition
from stalkerscan.report.document import Verdict, compute_verdict

from .helpers import about, index_of, one

MVT_PACKAGE_ALERTS = (
    "com.whatsapp",
    "app.revanced.manager.flutter",
    "com.google.android.youtube",
    "org.fdroid.fdroid",
    "org.nuclearfog.apollo",
)
MVT_ROOT_BINARIES = (
    "/system/bin/su",
    "/system/xbin/busybox",
    "/data/local/tmp/magisk",
    "/system/bin/magiskhide",
)
MVT_ACCESSIBILITY = (
    "com.android.settings/com.samsung.android.settings.development.gpuwatch.GPUWatchInterceptor",
    "com.samsung.accessibility/.universalswitch.UniversalSwitchService",
    "com.samsung.accessibility/com.samsung.android.app.talkback.TalkBackService",
    "com.sec.android.app.camera/com.samsung.android.glview.AccessibilityGestureHandler",
)


@pytest.fixture(scope="module")
def acq(shared_data: Path) -> AndroidAcquisition:
    return load_android_acquisition(shared_data / "mvt-artifacts" / "androidqf")


@pytest.fixture(scope="module")
def result(acq: AndroidAcquisition, full_index: IndicatorIndex) -> DetectorResult:
    return detect_android(acq, full_index, "mvt/androidqf")


def test_every_mvt_package_alert_is_reported(result: DetectorResult) -> None:
    for package in MVT_PACKAGE_ALERTS:
        assert about(result, package), f"{package}: MVT alerts on it, stalkerscan must too"
    whatsapp = one(result, "com.whatsapp")
    assert whatsapp.rule == "android.app.risky_sign"
    assert whatsapp.severity is Severity.LOW
    assert whatsapp.reasons == ("sideloaded (installer: none)",)
    revanced = one(result, "app.revanced.manager.flutter")
    assert "sideloaded from a file (Android package installer)" in revanced.reasons
    apollo = one(result, "org.nuclearfog.apollo")
    assert apollo.severity is Severity.INFO
    assert apollo.reasons == ("installed from another app store (F-Droid)",)
    youtube = one(result, "com.google.android.youtube")
    assert youtube.severity is Severity.INFO, "a preinstalled app updated from a file"


def test_system_apps_without_installer_stay_quiet(result: DetectorResult) -> None:
    assert not about(result, "com.malware.blah")
    assert not about(result, "com.malware.muahaha")


def test_root_binaries_are_one_high_finding(result: DetectorResult) -> None:
    root = one(result, "root")
    assert root.rule == "android.root.signs"
    assert root.severity is Severity.HIGH
    observed = {e.observed for e in root.evidence}
    assert observed == set(MVT_ROOT_BINARIES)
    assert all(e.locator == "root_binaries.json" for e in root.evidence)


def test_samsung_error_log_setting_is_reported(result: DetectorResult) -> None:
    reports = one(result, "error reports")
    assert reports.rule == "android.settings.reporting_off"
    assert "samsung_errorlog_agree=0" in reports.explanation
    assert reports.evidence[0].locator == "settings_random.txt"


def test_every_accessibility_service_is_reported(result: DetectorResult) -> None:
    seen = {
        e.observed.split(":", 1)[0]
        for f in result.findings
        for e in f.evidence
        if e.locator.endswith("DUMP OF SERVICE accessibility")
    }
    assert seen == set(MVT_ACCESSIBILITY)
    for package in ("com.android.settings", "com.samsung.accessibility"):
        finding = one(result, package)
        assert finding.severity is Severity.INFO, "installed but not turned on"
        assert finding.reasons == ("offers an accessibility service (turned off)",)


def test_firefox_allowed_to_install_apps(result: DetectorResult) -> None:
    firefox = one(result, "org.mozilla.firefox")
    assert "allowed to install other apps" in firefox.reasons
    assert any("REQUEST_INSTALL_PACKAGES" in e.observed for e in firefox.evidence)


def test_verdict_and_what_could_not_be_checked(result: DetectorResult) -> None:
    verdict, _ = compute_verdict(result.findings, result.gaps, True)
    assert verdict is Verdict.SUSPICIOUS, "root tools are serious; no listed app is installed"
    assert not [f for f in result.findings if f.severity is Severity.CRITICAL]
    missing = {n.what for n in result.not_checked}
    assert {"hashes.csv", "settings_secure.txt", "how old the security patch is"} <= missing
    assert not result.gaps
    facts = {c.name: c.value for c in result.coverage}
    assert facts["certificates_available"] == 4
    assert facts["third_party_apps"] == 4
    assert all(e.input == "mvt/androidqf" for f in result.findings for e in f.evidence)


def _ind(kind: IndicatorKind, value: str) -> Indicator:
    return Indicator(kind, value, "MalwareX", Role.APP, Threat.STALKERWARE, "mvt-tests")


def test_package_name_hit_like_mvt(acq: AndroidAcquisition) -> None:
    result = detect_android(acq, index_of(_ind(IndicatorKind.APP_ID, "com.malware.blah")), "x")
    hit = one(result, "com.malware.blah")
    assert hit.rule == "android.ioc.package"
    assert hit.app == "MalwareX"
    # a system app matched by name only: still reported, said to be weaker
    assert (hit.severity, hit.confidence) == (Severity.HIGH, Confidence.LIKELY)
    assert "part of the phone's system" in hit.explanation


def test_apk_sha256_hit_like_mvt(acq: AndroidAcquisition) -> None:
    digest = "31037a27af59d4914906c01ad14a318eee2f3e31d48da8954dca62a99174e3fa"
    result = detect_android(acq, index_of(_ind(IndicatorKind.FILE_SHA256, digest)), "x")
    hit = one(result, "com.malware.muahaha")
    assert (hit.rule, hit.severity) == ("android.ioc.apk_hash", Severity.CRITICAL)
    assert not about(result, "com.malware.blah")


def test_certificate_hit_flags_both_apps_signed_with_it(acq: AndroidAcquisition) -> None:
    cert = "4BA9D1F82ADB7BE841BCF53B03DDAE857747199A".lower()
    result = detect_android(acq, index_of(_ind(IndicatorKind.CERT_SHA1, cert)), "x")
    for package in ("com.malware.blah", "com.malware.muahaha"):
        hit = one(result, package)
        assert (hit.rule, hit.severity) == ("android.ioc.certificate", Severity.CRITICAL)
    verdict, reason = compute_verdict(result.findings, result.gaps, True)
    assert verdict is Verdict.STALKERWARE
    assert "MalwareX" in reason
