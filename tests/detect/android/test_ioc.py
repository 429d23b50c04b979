"""Indicator rules: what matched, which rule wins, when a name alone is weaker evidence."""

from __future__ import annotations

import pytest

from stalkerscan.detect.android import detect_android
from stalkerscan.detect.android.build import AcquisitionBuilder, AppSpec
from stalkerscan.detect.android.examples_ioc import SIDELOADED_SPY, TTS_CERT, indicator
from stalkerscan.detect.android.ioc import is_generic_package
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import (
    Confidence,
    IndicatorKind,
    IndicatorSet,
    IndicatorSetInfo,
    Role,
    Severity,
    Threat,
)
from stalkerscan.model.android import AndroidAcquisition
from stalkerscan.report.document import Verdict, compute_verdict

from .helpers import about, index_of, one, rules

_K = IndicatorKind
AOSP_TEST_KEY = "61ED377E85D386A8DFEE6B864BD85B0BFAA5AF81"


def _phone(name: str, spec: AppSpec | None = None) -> AndroidAcquisition:
    return AcquisitionBuilder().app("com.whatsapp").app(name, spec or AppSpec()).build()


@pytest.mark.parametrize(
    ("name", "generic"),
    [
        ("com.fone", True),
        ("com.guest", True),
        ("com.protect", True),
        ("com.sa.app", True),
        ("com.cocospy", False),
        ("com.systemservice", False),
        ("com.android.core.mntw", False),
        ("net.system_updater_abs341", False),
    ],
)
def test_generic_package_names(name: str, generic: bool) -> None:
    assert is_generic_package(name) is generic


def test_generic_name_alone_is_weaker_but_reported() -> None:
    result = detect_android(
        _phone("com.guest"), index_of(indicator("com.guest", "TheTruthSpy")), "p"
    )
    hit = one(result, "com.guest")
    assert (hit.rule, hit.severity, hit.confidence) == (
        "android.ioc.package",
        Severity.HIGH,
        Confidence.LIKELY,
    )
    assert "weaker evidence" in hit.explanation
    verdict, _ = compute_verdict(result.findings, result.gaps, True)
    assert verdict is Verdict.STALKERWARE, "high and on a stalkerware list"


def test_a_certificate_match_overrides_a_generic_name() -> None:
    index = index_of(
        indicator("com.guest", "TheTruthSpy"),
        indicator(TTS_CERT, "TheTruthSpy", kind=_K.CERT_SHA1),
    )
    hit = one(
        detect_android(_phone("com.guest", AppSpec(cert_sha1=TTS_CERT)), index, "p"), "com.guest"
    )
    assert (hit.rule, hit.severity, hit.confidence) == (
        "android.ioc.certificate",
        Severity.CRITICAL,
        Confidence.CONFIRMED,
    )
    assert "weaker" not in hit.explanation
    assert any("package name listed for TheTruthSpy" in r for r in hit.reasons)


def test_public_test_key_proves_nothing() -> None:
    spec = AppSpec(installer=None, cert_sha1=AOSP_TEST_KEY)
    only_cert = index_of(indicator(AOSP_TEST_KEY, "KidsShield", kind=_K.CERT_SHA1))
    result = detect_android(_phone("com.example.tool", spec), only_cert, "p")
    assert one(result, "com.example.tool").rule == "android.app.risky_sign"
    both = index_of(
        indicator(AOSP_TEST_KEY, "KidsShield", kind=_K.CERT_SHA1),
        indicator("com.example.tool", "KidsShield"),
    )
    hit = one(detect_android(_phone("com.example.tool", spec), both, "p"), "com.example.tool")
    assert hit.rule == "android.ioc.package"
    assert "public Android (AOSP) test key" in hit.explanation


def test_well_known_signer_weakens_a_name_only_match() -> None:
    spec = AppSpec(trusted=True)
    result = detect_android(
        _phone("com.android.phone.dialer", spec),
        index_of(indicator("com.android.phone.dialer", "FlexiSpy")),
        "p",
    )
    hit = one(result, "com.android.phone.dialer")
    assert (hit.severity, hit.confidence) == (Severity.HIGH, Confidence.LIKELY)
    assert "well-known developer" in hit.explanation


def test_spyware_and_unknown_threats_count_as_stalkerware() -> None:
    for threat in (Threat.SPYWARE, Threat.UNKNOWN):
        index = index_of(indicator("com.systemservice", "X", threat=threat))
        hit = one(detect_android(_phone("com.systemservice"), index, "p"), "com.systemservice")
        assert (hit.rule, hit.severity) == ("android.ioc.package", Severity.CRITICAL)


def test_tracker_is_reported_like_watchware() -> None:
    index = index_of(indicator("com.tracker.app", "Tracker", threat=Threat.TRACKER))
    hit = one(detect_android(_phone("com.tracker.app"), index, "p"), "com.tracker.app")
    assert (hit.rule, hit.severity) == ("android.ioc.watchware", Severity.MEDIUM)


def test_watchware_that_hides_like_stalkerware_is_raised() -> None:
    index = index_of(indicator("com.watch.app", "Watcher", threat=Threat.WATCHWARE))
    result = detect_android(_phone("com.watch.app", SIDELOADED_SPY), index, "p")
    hit = one(result, "com.watch.app")
    assert (hit.rule, hit.severity) == ("android.ioc.watchware", Severity.HIGH)
    assert "no launcher icon" in hit.reasons
    assert "android.app.risky_combination" not in rules(result), "one finding per app"


def test_stalkerware_certificate_beats_a_watchware_name() -> None:
    index = index_of(
        indicator("com.watch.app", "Watcher", threat=Threat.WATCHWARE),
        indicator(TTS_CERT, "TheTruthSpy", kind=_K.CERT_SHA1),
    )
    result = detect_android(_phone("com.watch.app", AppSpec(cert_sha1=TTS_CERT)), index, "p")
    assert one(result, "com.watch.app").rule == "android.ioc.certificate"


def _two_sets(first: str, second: str) -> IndicatorIndex:
    sets = []
    for name in (first, second):
        info = IndicatorSetInfo(name, "test", "0" * 64, "examples", (), 0)
        app = "TheTruthSpy" if name == "echap" else "Copy9,GuestSpy,TheTruthSpy"
        ind = indicator("com.systemservice", app, set_name=name)
        sets.append(IndicatorSet(info, (ind,)))
    return IndicatorIndex(sets)


def test_the_set_loaded_first_names_the_app() -> None:
    acq = _phone("com.systemservice")
    hit = one(detect_android(acq, _two_sets("echap", "isdi"), "p"), "com.systemservice")
    assert (hit.app, hit.indicator and hit.indicator.set_name) == ("TheTruthSpy", "echap")
    assert "Copy9,GuestSpy,TheTruthSpy" in hit.explanation, "the other listing is mentioned"
    other = one(detect_android(acq, _two_sets("isdi", "echap"), "p"), "com.systemservice")
    assert other.app == "Copy9,GuestSpy,TheTruthSpy"


def test_a_running_process_of_an_installed_app_is_a_reason() -> None:
    acq = _phone("com.systemservice", AppSpec(running=True))
    hit = one(
        detect_android(acq, index_of(indicator("com.systemservice", "TTS")), "p"),
        "com.systemservice",
    )
    assert hit.rule == "android.ioc.package"
    assert any(r.startswith("a running process (com.systemservice)") for r in hit.reasons)
    assert "android.ioc.process" not in rules(detect_android(acq, index_of(), "p"))


def test_process_indicator_without_app_list() -> None:
    acq = AcquisitionBuilder().process("spyd").build()
    process_ind = indicator("spyd", "SpyD", kind=_K.PROCESS)
    hit = one(detect_android(acq, index_of(process_ind), "p"), "spyd")
    assert (hit.rule, hit.severity) == ("android.ioc.process", Severity.CRITICAL)
    assert hit.evidence[0].locator == "processes.json"


def test_traces_of_watchware_are_not_stalkerware_traces() -> None:
    acq = AcquisitionBuilder().battery("uninstall", "com.life360.android.safetymapd").build()
    index = index_of(
        indicator("com.life360.android.safetymapd", "Life360", threat=Threat.WATCHWARE)
    )
    result = detect_android(acq, index, "p")
    assert "android.ioc.trace" not in rules(result)
    assert not about(result, "com.life360.android.safetymapd"), "listed: not an ordinary removal"


def test_trace_says_when() -> None:
    acq = AcquisitionBuilder().battery("update", "com.systemservice", 12, day="2024-03-18").build()
    hit = one(
        detect_android(acq, index_of(indicator("com.systemservice", "TTS")), "p"),
        "com.systemservice",
    )
    assert hit.rule == "android.ioc.trace"
    assert "installed or updated to version 12" in hit.explanation
    assert hit.evidence[0].time == "2024-03-18T02:02:02+00:00"


def test_file_path_indicator() -> None:
    acq = AcquisitionBuilder().file("/sdcard/.sys_backup/spy.db").build()
    path = indicator("/sdcard/.sys_backup/", "SpyX", kind=_K.FILE_PATH)
    hit = one(detect_android(acq, index_of(path), "p"), "/sdcard/.sys_backup/spy.db")
    assert (hit.rule, hit.severity) == ("android.ioc.file", Severity.HIGH)


def test_dual_use_file_is_not_reported() -> None:
    acq = AcquisitionBuilder().file("/sdcard/Download/anydesk.apk", sha256="ab" * 32).build()
    listed = indicator(
        "ab" * 32, "AnyDesk", kind=_K.FILE_SHA256, threat=Threat.DUAL_USE, role=Role.SAMPLE
    )
    assert not detect_android(acq, index_of(listed), "p").findings
