"""Device-wide rules: settings, trusted computers, interception, patch age, history, root."""

from __future__ import annotations

from stalkerscan.detect.android import detect_android
from stalkerscan.detect.android.build import AcquisitionBuilder
from stalkerscan.detect.base import DetectorResult
from stalkerscan.model import Severity
from stalkerscan.model.android import AdbState

from .helpers import about, index_of, one, rules


def _run(b: AcquisitionBuilder) -> DetectorResult:
    return detect_android(b.build(), index_of(), "phone")


def test_play_protect_weak_keys_alone_are_low() -> None:
    weak = _run(AcquisitionBuilder().setting("global", "upload_apk_enable", "0"))
    assert one(weak, "Play Protect").severity is Severity.LOW
    consent = _run(AcquisitionBuilder().setting("global", "package_verifier_user_consent", "-1"))
    assert one(consent, "Play Protect").severity is Severity.MEDIUM
    on = _run(AcquisitionBuilder().setting("global", "package_verifier_user_consent", "1"))
    assert not about(on, "Play Protect")


def test_unknown_sources_needs_the_android_version() -> None:
    b = AcquisitionBuilder(android="", sdk=None).setting("secure", "install_non_market_apps", "1")
    result = _run(b)
    assert "android.settings.unknown_sources" not in rules(result)
    assert "the 'unknown sources' setting" in {n.what for n in result.not_checked}


def test_wireless_debugging_is_low() -> None:
    b = AcquisitionBuilder().setting("global", "adb_enabled", "1")
    b.adb_state = AdbState(True, None, True)
    finding = one(_run(b), "USB debugging")
    assert finding.severity is Severity.LOW
    assert "Wi-Fi" in finding.explanation


def test_trusted_computers_against_the_acquiring_one() -> None:
    only = AcquisitionBuilder().adb_key("camille@laptop")
    acq = only.build()
    only.adb_state = AdbState(True, acq.adb_keys[0].fingerprint, False)
    finding = one(_run(only), "trusted computers")
    assert finding.severity is Severity.INFO
    assert "It is the computer that made this acquisition." in finding.explanation
    by_host_key = AcquisitionBuilder().adb_key("camille@laptop").adb_key("root@kali")
    by_host_key.host_key = by_host_key.build().adb_keys[0].key + " camille@laptop"
    finding = one(_run(by_host_key), "trusted computers")
    assert finding.severity is Severity.LOW
    assert "1 of them is not the computer that made this acquisition" in finding.explanation


def test_acquiring_computer_inferred_from_its_last_connection() -> None:
    b = AcquisitionBuilder().adb_key("camille@laptop", last="2024-03-21T09:58:40+00:00")
    finding = one(_run(b), "trusted computers")
    assert finding.severity is Severity.INFO
    assert "connected when this acquisition began" in finding.explanation
    b.adb_key("root@kali", last="2024-03-03T21:06:40+00:00")
    finding = one(_run(b), "trusted computers")
    assert finding.severity is Severity.LOW
    assert "1 of them is not the computer that connected" in finding.explanation
    stale = AcquisitionBuilder().adb_key("a@x", last="2024-03-01T00:00:00+00:00")
    stale.adb_key("b@y", last="2024-03-02T00:00:00+00:00")
    assert "is not recorded" in one(_run(stale), "trusted computers").explanation


def test_security_patch_age_uses_the_acquisition_date_only() -> None:
    old = _run(AcquisitionBuilder(security_patch="2023-09-01"))
    finding = one(old, "security patch")
    assert finding.title == "The phone's security patch is 6 months old"
    assert "collected on 2024-03-21" in finding.explanation
    recent = _run(AcquisitionBuilder(security_patch="2023-09-21"))
    assert not about(recent, "security patch"), "exactly six months is not older than six"
    undated = _run(AcquisitionBuilder(security_patch="2019-01-01", started=None))
    assert not about(undated, "security patch"), "never compared with today's date"
    assert "how old the security patch is" in {n.what for n in undated.not_checked}


def test_vpn_alone_is_low_and_proxy_medium() -> None:
    vpn = _run(AcquisitionBuilder().setting("secure", "always_on_vpn_app", "com.vpn.app"))
    assert one(vpn, "VPN or proxy").severity is Severity.LOW
    proxy = _run(AcquisitionBuilder().setting("global", "global_http_proxy_host", "10.0.0.9"))
    assert one(proxy, "VPN or proxy").severity is Severity.MEDIUM


def test_removed_app_that_is_back_says_so() -> None:
    b = AcquisitionBuilder().app("com.example.notes").battery("uninstall", "com.example.notes")
    finding = one(_run(b), "com.example.notes")
    assert finding.rule == "android.history.uninstalled"
    assert "It is installed again now." in finding.explanation
    zero = _run(AcquisitionBuilder().battery("update", "com.gone.app", 0))
    assert one(zero, "com.gone.app").rule == "android.history.uninstalled", "vers=0 is a removal"


def test_root_properties_without_tools_are_medium() -> None:
    b = AcquisitionBuilder().prop("ro.boot.verifiedbootstate", "orange")
    b.prop("ro.build.tags", "release-keys")
    finding = one(_run(b), "root")
    assert finding.severity is Severity.MEDIUM
    assert finding.reasons == ("verified boot state orange (bootloader unlocked)",)
    rooting_app = _run(AcquisitionBuilder().app("com.topjohnwu.magisk", installer=None))
    assert one(rooting_app, "root").severity is Severity.HIGH


def test_tmp_files_non_executable_are_medium_and_folders_ignored() -> None:
    b = AcquisitionBuilder().file("/data/local/tmp/notes.txt", mode="644")
    b.file("/data/local/tmp/.sys", mode="drwxr-xr-x")
    finding = one(_run(b), "/data/local/tmp/")
    assert finding.severity is Severity.MEDIUM
    assert finding.reasons == ("/data/local/tmp/notes.txt",)
