"""Whole phones in the real androidqf and bugreport formats, against the real indicator lists."""

from __future__ import annotations

import pytest

from stalkerscan.detect.android import detect_android
from stalkerscan.detect.base import DetectorResult
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Confidence, Severity, Threat
from stalkerscan.report.document import Verdict, compute_verdict
from support.androidgen import (
    OWNER_KEY,
    App,
    Phone,
    dual_use_phone,
    everyday_phone,
    rooted,
    stalkerware_phone,
)
from support.androidgen.scenarios import base_apps

from .conftest import Acquire
from .helpers import about, one, rules

TTS_PACKAGE = "com.systemservice"
TTS_CERT = "31A6ECECD97CF39BC4126B8745CD94A7C30BF81C"
"""TheTruthSpy's package and one of its signing certificates, as listed in Echap's ioc.yaml."""


def _scan(acq_result: DetectorResult) -> Verdict:
    return compute_verdict(acq_result.findings, acq_result.gaps, True)[0]


@pytest.fixture
def spy_phone() -> Phone:
    return stalkerware_phone(TTS_PACKAGE, TTS_CERT)


def test_stalkerware_phone_is_stalkerware_naming_the_app(
    acquire: Acquire, spy_phone: Phone, echap_index: IndicatorIndex
) -> None:
    result = detect_android(acquire(spy_phone), echap_index, "phone")
    verdict, reason = compute_verdict(result.findings, result.gaps, True)
    assert verdict is Verdict.STALKERWARE
    assert "TheTruthSpy" in reason
    spy = one(result, TTS_PACKAGE)  # one line for the app, not one per sign
    assert spy.rule == "android.ioc.certificate", "a certificate match is the strongest"
    assert (spy.severity, spy.confidence) == (Severity.CRITICAL, Confidence.CONFIRMED)
    assert spy.indicator is not None and spy.indicator.threat is Threat.STALKERWARE
    for sign in (
        "sideloaded (installer: none)",
        "accessibility service enabled",
        "reads all notifications",
        "device administrator",
        "no launcher icon",
        "reads SMS, reacts to incoming SMS",
        "uses location in the background",
    ):
        assert sign in spy.reasons
    assert "It was first installed on 2024-03-01 21:05:03 (phone time)." in spy.explanation
    assert result.findings[0] is spy, "the most serious finding comes first"


def test_stalkerware_phone_device_wide_signs_are_separate_findings(
    acquire: Acquire, spy_phone: Phone, echap_index: IndicatorIndex
) -> None:
    result = detect_android(acquire(spy_phone), echap_index, "phone")
    assert {
        "android.settings.play_protect_off",
        "android.settings.debugging",
        "android.adb.trusted_computer",
        "android.files.tmp",
        "android.network.user_ca",
        "android.history.uninstalled",
        "android.history.downgraded",
    } <= rules(result)
    # one Play Protect setting was turned off by the spy app itself (settings history)
    assert one(result, "Play Protect").severity is Severity.HIGH
    assert one(result, "trusted computers").severity is Severity.LOW, "two computers, one unknown"
    assert one(result, "/data/local/tmp/").severity is Severity.HIGH, "an executable"
    assert one(result, "com.old.monitor").rule == "android.history.uninstalled"
    # the browser that downloaded the APK: a Play Store app with one sign stays information
    assert one(result, "org.mozilla.firefox").severity is Severity.INFO
    # Android 14: install_non_market_apps=1 means nothing any more
    assert "android.settings.unknown_sources" not in rules(result)


def test_timeline_ties_events_to_the_app_finding(
    acquire: Acquire, spy_phone: Phone, echap_index: IndicatorIndex
) -> None:
    result = detect_android(acquire(spy_phone), echap_index, "phone")
    first = f"{TTS_PACKAGE}: installed (installer"
    install = [e for e in result.timeline if e.description.startswith(first)]
    assert len(install) == 1
    assert install[0].time == "2024-03-01T20:05:03+00:00", "Paris time converted to UTC"
    assert install[0].rule == "android.ioc.certificate"
    times = [e.time for e in result.timeline]
    assert times == sorted(times)
    sources = {e.source for e in result.timeline}
    assert {"package", "appops", "battery", "adb", "files", "acquisition"} <= sources


def test_renamed_stalkerware_is_found_by_its_certificate(
    acquire: Acquire, echap_index: IndicatorIndex
) -> None:
    phone = stalkerware_phone("com.android.battery.saver", TTS_CERT)
    result = detect_android(acquire(phone), echap_index, "phone")
    hit = one(result, "com.android.battery.saver")
    assert (hit.rule, hit.app, hit.severity) == (
        "android.ioc.certificate",
        "TheTruthSpy",
        Severity.CRITICAL,
    )


def test_unknown_hidden_app_is_one_high_combination(
    acquire: Acquire, echap_index: IndicatorIndex
) -> None:
    result = detect_android(acquire(stalkerware_phone()), echap_index, "phone")
    spy = one(result, "com.system.update.service")
    assert spy.rule == "android.app.risky_combination"
    assert (spy.severity, spy.confidence) == (Severity.HIGH, Confidence.LIKELY)
    assert _scan(result) is Verdict.SUSPICIOUS, "no indicator: suspicious, never stalkerware"


def test_everyday_phone_gives_nothing_above_low(
    acquire: Acquire, full_index: IndicatorIndex
) -> None:
    result = detect_android(acquire(everyday_phone()), full_index, "phone")
    assert all(f.severity <= Severity.LOW for f in result.findings), [
        (f.rule, f.subject) for f in result.findings
    ]
    assert _scan(result) is Verdict.NO_KNOWN_STALKERWARE
    assert not result.gaps


def _dual_use_only() -> Phone:
    apps = [
        *base_apps(),
        App("com.anydesk.anydeskandroid", 10320, signer="CN=AnyDesk"),
        App(
            "com.glympse.android.glympse",
            10321,
            signer="CN=Glympse",
            permissions=("android.permission.ACCESS_FINE_LOCATION",),
        ),
        App("com.google.android.apps.adm", 10322, system=True, installer=None),
    ]
    return Phone(apps=apps, adb_keys=[OWNER_KEY])


def test_dual_use_only_phone_is_not_stalkerware(
    acquire: Acquire, full_index: IndicatorIndex
) -> None:
    result = detect_android(acquire(_dual_use_only()), full_index, "phone")
    anydesk = one(result, "com.anydesk.anydeskandroid")
    assert (anydesk.rule, anydesk.severity) == ("android.ioc.dual_use", Severity.LOW)
    assert "did you install it yourself" in anydesk.advice.lower()
    assert one(result, "com.google.android.apps.adm").severity is Severity.INFO
    assert _scan(result) is Verdict.NO_KNOWN_STALKERWARE


def test_dual_use_app_with_risky_signs_is_medium(
    acquire: Acquire, full_index: IndicatorIndex
) -> None:
    phone = _dual_use_only()
    anydesk = phone.app("com.anydesk.anydeskandroid")
    anydesk.installer = None
    anydesk.accessibility, anydesk.accessibility_enabled = "ControlService", True
    result = detect_android(acquire(phone), full_index, "phone")
    hit = one(result, "com.anydesk.anydeskandroid")
    assert hit.rule == "android.ioc.dual_use"
    assert hit.severity >= Severity.MEDIUM
    assert "accessibility service enabled" in hit.reasons
    assert _scan(result) is Verdict.SUSPICIOUS


def test_generated_dual_use_phone_lists_disagree_about_findmykids(
    acquire: Acquire, full_index: IndicatorIndex
) -> None:
    """androidgen's dual-use phone holds org.findmykids.app, which Echap lists both in ioc.yaml
    (stalkerware) and in watchware.yaml, and ISDi copies as stalkerware: it is reported as a
    monitoring app, raised to high, and the phone is suspicious, not "stalkerware"."""
    result = detect_android(acquire(dual_use_phone()), full_index, "phone")
    kids = one(result, "org.findmykids.app")
    assert (kids.rule, kids.severity) == ("android.ioc.watchware", Severity.HIGH)
    assert "The lists disagree" in kids.explanation
    life360 = one(result, "com.life360.android.safetymapd")
    assert (life360.rule, life360.severity) == ("android.ioc.watchware", Severity.MEDIUM)
    assert _scan(result) is Verdict.SUSPICIOUS


@pytest.mark.parametrize("android", [10, 11, 12, 13, 14, 15])
def test_accessibility_is_read_before_and_after_android_14(
    acquire: Acquire, echap_index: IndicatorIndex, android: int
) -> None:
    result = detect_android(acquire(stalkerware_phone(android=android)), echap_index, "phone")
    spy = one(result, "com.system.update.service")
    assert "accessibility service enabled" in spy.reasons
    located = [e for e in spy.evidence if "AccessService" in e.observed]
    assert located and located[0].locator == "dumpsys.txt, DUMP OF SERVICE accessibility"


def test_bugreport_without_certificates_still_finds_the_package(
    acquire: Acquire, spy_phone: Phone, echap_index: IndicatorIndex
) -> None:
    result = detect_android(acquire(spy_phone, bugreport=True), echap_index, "bugreport")
    hit = one(result, TTS_PACKAGE)
    assert (hit.rule, hit.severity) == ("android.ioc.package", Severity.CRITICAL)
    assert _scan(result) is Verdict.STALKERWARE
    assert "packages.json" in {n.what for n in result.not_checked}


def test_rooted_phone_gives_one_root_finding(acquire: Acquire, echap_index: IndicatorIndex) -> None:
    result = detect_android(acquire(rooted(everyday_phone())), echap_index, "phone")
    root = one(result, "root")
    assert root.severity is Severity.HIGH
    assert set(root.reasons) == {
        "root tool /system/bin/su",
        "root tool /data/local/tmp/magisk",
        "system partition / mounted writable",
        "SELinux protection permissive",
    }


@pytest.mark.parametrize(
    ("slot", "missing_rule"),
    [
        ("packages.json", None),
        ("dumpsys.txt", "android.history.uninstalled"),
        ("settings_global.txt", "android.settings.play_protect_off"),
        ("files.json", "android.files.tmp"),
    ],
)
def test_a_broken_file_is_not_checked_and_the_rest_still_is(
    acquire: Acquire,
    spy_phone: Phone,
    echap_index: IndicatorIndex,
    slot: str,
    missing_rule: str | None,
) -> None:
    acq = acquire(spy_phone, broken={slot: b"\x00\x01 not what androidqf writes {"})
    result = detect_android(acq, echap_index, "phone")
    if slot.endswith(".json"):
        assert slot in {n.what for n in result.not_checked}
    if missing_rule:
        assert missing_rule not in rules(result)
    # the app is still recognised from what remains (certificate, package dump or both)
    assert about(result, TTS_PACKAGE)
    assert _scan(result) is Verdict.STALKERWARE


def test_without_any_app_list_the_scan_cannot_conclude(
    acquire: Acquire, echap_index: IndicatorIndex
) -> None:
    acq = acquire(everyday_phone(), omit=("packages.json", "dumpsys.txt"))
    result = detect_android(acq, echap_index, "phone")
    assert [g.area for g in result.gaps] == ["android"]
    assert _scan(result) is Verdict.INCONCLUSIVE


def test_changed_file_after_acquisition_is_an_evidence_finding(
    acquire: Acquire, spy_phone: Phone, echap_index: IndicatorIndex
) -> None:
    acq = acquire(spy_phone, tamper={"getprop.txt": b"[ro.build.version.release]: [14]\n"})
    result = detect_android(acq, echap_index, "phone")
    integrity = one(result, "hashes.csv")
    assert integrity.rule == "android.evidence.hash_mismatch"
    assert "getprop.txt (changed)" in integrity.reasons
    assert "not about stalkerware" in integrity.explanation
    # androidqf's own expected differences (command.log, hashes.csv) are not reported
    assert len(integrity.reasons) == 1
