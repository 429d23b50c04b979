"""Coverage: facts, gaps, "not checked" parts, the timeline, and detect_android's own duties."""

from __future__ import annotations

from dataclasses import replace

from stalkerscan.detect.android import ANDROID_DETECTORS, detect_android
from stalkerscan.detect.android.build import AcquisitionBuilder, AppSpec
from stalkerscan.detect.android.evidence import phone_time
from stalkerscan.detect.android.examples_ioc import indicator
from stalkerscan.detect.base import Detector, DetectorResult
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import NotChecked
from stalkerscan.model.android import AndroidAcquisition

from .helpers import index_of

LISTED = index_of(indicator("com.systemservice", "TheTruthSpy"))


def _facts(result: DetectorResult) -> dict[str, object]:
    return {c.name: c.value for c in result.coverage if c.area == "android"}


def test_facts_count_apps_certificates_and_indicators() -> None:
    b = AcquisitionBuilder().app("com.whatsapp").app("org.example.x", certificate=False)
    b.app("com.android.settings", system=True, installer=None)
    result = detect_android(b.build(), LISTED, "phone")
    facts = _facts(result)
    assert facts["packages_checked"] == 3
    assert facts["third_party_apps"] == 2
    assert facts["system_apps"] == 1
    assert facts["certificates_available"] == 1
    assert facts["app_indicators"] == 1
    assert facts["device"] == "Google Pixel 7, Android 14 (SDK 34), security patch 2024-03-05"
    assert not result.gaps


def test_certificates_missing_everywhere_is_not_checked() -> None:
    b = AcquisitionBuilder().app("com.whatsapp", certificate=False)
    result = detect_android(b.build(), LISTED, "phone")
    assert "the apps' signing certificates" in {n.what for n in result.not_checked}


def test_gaps_without_app_list_or_without_app_indicators() -> None:
    empty = AcquisitionBuilder().setting("global", "adb_enabled", "1").build()
    result = detect_android(empty, LISTED, "phone")
    assert [g.reason.split(" (")[0] for g in result.gaps] == [
        "The list of installed apps could not be read"
    ]
    with_apps = AcquisitionBuilder().app("com.whatsapp").build()
    no_indicators = detect_android(with_apps, IndicatorIndex([]), "phone")
    assert len(no_indicators.gaps) == 1
    assert "No indicator list of Android apps" in no_indicators.gaps[0].reason


def test_acquisition_not_checked_is_passed_on_once() -> None:
    acq = AcquisitionBuilder().app("com.whatsapp").build()
    missing = NotChecked("selinux.txt", "not in the acquisition")
    acq = replace(acq, not_checked=(missing,))
    result = detect_android(acq, LISTED, "phone")
    assert result.not_checked.count(missing) == 1


def test_a_failing_detector_becomes_not_checked() -> None:
    def broken(acq: AndroidAcquisition, index: IndicatorIndex) -> DetectorResult:
        raise RuntimeError("boom")

    detectors = (*ANDROID_DETECTORS, Detector("android.broken", (), broken, ()))
    acq = AcquisitionBuilder().app("com.systemservice", installer=None).build()
    result = detect_android(acq, LISTED, "phone", detectors=detectors)
    assert any(f.rule == "android.ioc.package" for f in result.findings)
    failed = [n for n in result.not_checked if "android.broken" in n.what]
    assert failed and "RuntimeError: boom" in failed[0].why


def test_evidence_and_timeline_name_the_input() -> None:
    acq = AcquisitionBuilder(input_name="inside").app("com.systemservice", installer=None).build()
    result = detect_android(acq, LISTED, "/cases/phone.zip")
    assert {e.input for f in result.findings for e in f.evidence} == {"/cases/phone.zip"}
    assert {e.input for e in result.timeline} == {"/cases/phone.zip"}


def test_times_without_a_known_zone_stay_phone_times() -> None:
    paris = phone_time("2024-03-01T21:05:03", "Europe/Paris")
    assert paris is not None and paris.utc == "2024-03-01T20:05:03+00:00"
    unknown = phone_time("2024-03-01T21:05:03", "Mars/Olympus_Mons")
    assert unknown is not None and unknown.utc is None
    assert unknown.text == "2024-03-01 21:05:03 (phone time)"
    acq = AcquisitionBuilder(timezone=None).app("org.example.x", AppSpec(installer=None)).build()
    result = detect_android(acq, LISTED, "phone")
    installed = [e for e in result.timeline if e.description.startswith("org.example.x: installed")]
    assert installed[0].time == "2024-02-10T09:15:42"
    assert installed[0].description.endswith("(phone time; its time zone is unknown)")
    assert installed[0].rule == "android.app.risky_sign"
    evidence = [e for f in result.findings for e in f.evidence if "first installed" in e.observed]
    assert evidence and evidence[0].time is None, "no UTC time is invented"
