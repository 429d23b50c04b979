"""When, and by which package, Play Protect and other protections were changed."""

from __future__ import annotations

from dataclasses import replace

from stalkerscan.detect.android import detect_android
from stalkerscan.detect.android.build import AcquisitionBuilder
from stalkerscan.detect.android.context import build_view
from stalkerscan.detect.android.lists import packaged_android_lists
from stalkerscan.detect.android.settings_history import (
    changer,
    last_change,
    settings_timeline,
)
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Severity
from stalkerscan.model.android import (
    AndroidAcquisition,
    ArtifactOrigin,
    SettingsChange,
    SettingsEntry,
)
from support.androidgen import everyday_phone, stalkerware_phone
from support.androidgen.phone import SettingChange

from .conftest import Acquire
from .helpers import index_of, one

DUMP = "dumpsys.txt, DUMP OF SERVICE settings"
SPY = "com.tool.helper"
G = "global"


def _acq(
    entries: tuple[SettingsEntry, ...],
    changes: tuple[SettingsChange, ...] = (),
    **options: object,
) -> AndroidAcquisition:
    """A Pixel with a sideloaded app ``SPY``, WhatsApp from the Play Store, and these settings."""
    b = AcquisitionBuilder(**options)  # type: ignore[arg-type]
    acq = b.app(SPY, installer=None).app("com.whatsapp").build()
    origins = (ArtifactOrigin("settings_changes", DUMP), ArtifactOrigin("settings_packages", DUMP))
    return replace(acq, settings=entries, settings_changes=changes, origins=acq.origins + origins)


def _entry(key: str, value: str, package: str | None, user: int | None = None) -> SettingsEntry:
    return SettingsEntry(G, key, value, user, package)


def _change(key: str, time: str, operation: str = "update", user: int | None = 0) -> SettingsChange:
    return SettingsChange(G, user, key, operation, time)


def test_off_with_time_and_the_settings_app_stays_medium() -> None:
    acq = _acq(
        (_entry("package_verifier_enable", "0", "com.android.settings"),),
        (_change("package_verifier_enable", "2024-03-01T21:04:12"),),
    )
    finding = one(detect_android(acq, index_of(), "phone"), "Play Protect")
    assert finding.severity is Severity.MEDIUM
    assert (
        "package_verifier_enable=0 (Play Protect app scanning is off), turned off on "
        "2024-03-01 21:04:12 (phone time), last changed by the phone's Settings app "
        "(com.android.settings)." in finding.explanation
    )
    history = [e for e in finding.evidence if e.locator == DUMP]
    assert [(e.observed, e.time) for e in history] == [
        (
            "GLOBAL SETTINGS (user 0), Historical operations: 2024-03-01 21:04:12 update "
            "package_verifier_enable",
            "2024-03-01T20:04:12+00:00",  # Paris time converted to UTC
        )
    ]
    row = finding.evidence[0]
    assert row.observed == "global package_verifier_enable=0, last changed by com.android.settings"
    assert row.locator == f"settings_global.txt; {DUMP}"


def test_off_by_an_installed_app_is_one_step_higher_and_says_why() -> None:
    acq = _acq((_entry("package_verifier_enable", "0", SPY), _entry("upload_apk_enable", "0", SPY)))
    finding = one(detect_android(acq, index_of(), "phone"), "Play Protect")
    assert finding.severity is Severity.HIGH, "medium raised one step"
    assert f"turned off by the installed app {SPY}" in finding.reasons
    assert finding.explanation.count("stronger sign") == 1, "said once per app"
    assert "turned off on" not in finding.explanation, "no history: no time claimed"
    weak = _acq((_entry("upload_apk_enable", "0", SPY),))
    assert one(detect_android(weak, index_of(), "phone"), "Play Protect").severity is (
        Severity.MEDIUM
    ), "low raised one step"


def test_system_apps_and_unknown_packages_do_not_raise_it() -> None:
    for package in ("com.google.android.gms", "com.android.shell", "com.gone.app", "android"):
        acq = _acq((_entry("package_verifier_enable", "0", package),))
        finding = one(detect_android(acq, index_of(), "phone"), "Play Protect")
        assert finding.severity is Severity.MEDIUM, package
        assert "last changed by " in finding.explanation
    gone = _acq((_entry("package_verifier_enable", "0", "com.gone.app"),))
    text = one(detect_android(gone, index_of(), "phone"), "Play Protect").explanation
    assert "com.gone.app, not in the list of installed apps now" in text


def test_without_package_or_history_the_words_are_as_before() -> None:
    acq = _acq((_entry("package_verifier_enable", "0", None),))
    finding = one(detect_android(acq, index_of(), "phone"), "Play Protect")
    assert (
        "These settings are off: package_verifier_enable=0 (Play Protect app scanning is off)."
        in (finding.explanation)
    )
    assert [e.observed for e in finding.evidence] == ["global package_verifier_enable=0"]


def test_unknown_time_zone_keeps_the_phone_time_only() -> None:
    acq = _acq(
        (_entry("package_verifier_enable", "0", "com.android.settings"),),
        (_change("package_verifier_enable", "2024-03-01T21:04:12"),),
        timezone=None,
    )
    result = detect_android(acq, index_of(), "phone")
    finding = one(result, "Play Protect")
    assert "turned off on 2024-03-01 21:04:12 (phone time)" in finding.explanation
    assert all(e.time is None for e in finding.evidence)
    events = settings_timeline(build_view(acq, packaged_android_lists()))
    assert [(e.time, e.description) for e in events] == [
        (
            "2024-03-01T21:04:12",
            "Play Protect: global setting package_verifier_enable changed to 0 by the phone's "
            "Settings app (com.android.settings) (phone time; its time zone is unknown)",
        )
    ]


def test_the_last_setting_change_of_the_same_block_counts() -> None:
    entry = _entry("package_verifier_enable", "0", None)
    changes = (
        _change("package_verifier_enable", "2024-03-01T21:00:00"),
        _change("package_verifier_enable", "2024-03-02T08:00:00", "delete"),
        _change("package_verifier_enable", "2024-03-01T22:00:00"),
        _change("package_verifier_enable", "2024-03-03T08:00:00", user=10),
        SettingsChange("secure", 0, "package_verifier_enable", "update", "2024-03-04T08:00:00"),
        _change("adb_enabled", "2024-03-05T08:00:00"),
    )
    assert last_change(changes, entry) == changes[2]
    assert last_change(changes, replace(entry, user=10)) == changes[3]
    assert last_change(changes[3:], entry) is None
    reset = _acq((entry,), (_change("package_verifier_enable", "2024-03-01T21:00:00", "reset"),))
    text = one(detect_android(reset, index_of(), "phone"), "Play Protect").explanation
    assert "reset to its default on 2024-03-01 21:00:00 (phone time)" in text


def test_changer_words() -> None:
    view = build_view(_acq(()), packaged_android_lists())
    assert changer(view, "com.android.shell").text.startswith("commands from a computer")
    assert changer(view, SPY).third_party
    assert changer(view, "com.whatsapp").third_party, "a Play Store app needs the same rights"
    assert not changer(view, "root").third_party
    no_list = build_view(AcquisitionBuilder().build(), packaged_android_lists())
    assert changer(no_list, "com.x.y").text == "com.x.y"


def test_debugging_and_unknown_sources_tell_it_too() -> None:
    acq = _acq(
        (_entry("adb_enabled", "1", SPY),),
        (_change("adb_enabled", "2024-03-01T20:58:52"),),
    )
    debugging = one(detect_android(acq, index_of(), "phone"), "USB debugging")
    assert debugging.severity is Severity.LOW, "information raised one step"
    assert "USB debugging on, turned on at 2024-03-01 20:58:52 (phone time)" in (
        debugging.explanation
    )
    old = _acq(
        (SettingsEntry("secure", "install_non_market_apps", "1", None, SPY),),
        (SettingsChange("secure", 0, "install_non_market_apps", "update", "2024-03-01T21:00:00"),),
        android="7.1",
        sdk=25,
    )
    sources = one(detect_android(old, index_of(), "phone"), "unknown sources")
    assert sources.severity is Severity.HIGH
    assert sources.explanation.startswith(
        "install_non_market_apps=1 (Android 7.1), turned on at 2024-03-01 21:00:00 (phone time), "
        f"last changed by {SPY}, an installed app that is not part of the system"
    )


def test_timeline_of_the_security_settings_only() -> None:
    acq = _acq(
        (
            _entry("package_verifier_enable", "0", SPY),
            _entry("device_name", "Pixel", "com.android.settings"),
            SettingsEntry("secure", "enabled_accessibility_services", "a/b:" * 20, None, "android"),
        ),
        (
            _change("package_verifier_enable", "2024-03-01T21:04:12"),
            _change("package_verifier_enable", "2024-02-01T09:00:00"),
            _change("device_name", "2024-03-01T21:00:00"),
            SettingsChange(
                "secure", 0, "enabled_accessibility_services", "update", "2024-03-01T21:05:00"
            ),
        ),
    )
    events = settings_timeline(build_view(acq, packaged_android_lists()))
    assert [(e.time, e.source, e.description) for e in events] == [
        (
            "2024-02-01T08:00:00+00:00",
            "settings",
            "Play Protect: global setting package_verifier_enable changed",
        ),
        (
            "2024-03-01T20:04:12+00:00",
            "settings",
            f"Play Protect: global setting package_verifier_enable changed to 0 by {SPY}, an "
            "installed app that is not part of the system",
        ),
        (
            "2024-03-01T20:05:00+00:00",
            "settings",
            "accessibility: secure setting enabled_accessibility_services changed to its current "
            "value by the Android system itself (android)",
        ),
    ]


def test_generated_stalkerware_phone_story(acquire: Acquire, echap_index: IndicatorIndex) -> None:
    spy = "com.system.update.service"
    result = detect_android(acquire(stalkerware_phone()), echap_index, "phone")
    play = one(result, "Play Protect")
    assert play.severity is Severity.HIGH
    assert f"turned off by the installed app {spy}" in play.reasons
    assert (
        "verifier_verify_adb_installs=0 (apps installed from a computer are not checked), turned "
        f"off on 2024-03-01 21:06:30 (phone time), last changed by {spy}, an installed app"
    ) in play.explanation
    assert "last changed by Google Play services (com.google.android.gms)" in play.explanation
    times = sorted(e.time for e in play.evidence if e.time)
    assert times == [
        "2024-03-01T20:04:12+00:00",
        "2024-03-01T20:04:12+00:00",
        "2024-03-01T20:06:30+00:00",
    ]
    debugging = one(result, "USB debugging")
    assert debugging.severity is Severity.INFO, "turned on in Settings: no raise"
    assert "turned on at 2024-03-01 20:58:52 (phone time)" in debugging.explanation


def test_bugreport_and_everyday_phone(acquire: Acquire, echap_index: IndicatorIndex) -> None:
    bug = acquire(stalkerware_phone(), bugreport=True)
    play = one(detect_android(bug, echap_index, "phone"), "Play Protect")
    assert play.severity is Severity.HIGH
    assert "(user 0), last changed by com.system.update.service" in play.evidence[1].observed
    # an everyday phone on a debuggable build, Play Protect turned off in Settings by its owner
    phone = everyday_phone(
        settings={"global": {"package_verifier_enable": "0"}},
        settings_changed_by={"package_verifier_enable": "com.android.settings"},
        settings_history=[
            SettingChange("2024-01-05 18:00:00", "global", "package_verifier_enable")
        ],
    )
    calm = one(detect_android(acquire(phone), echap_index, "phone"), "Play Protect")
    assert calm.severity is Severity.MEDIUM
    assert (
        "turned off on 2024-01-05 18:00:00 (phone time), last changed by the phone's Settings"
        in (calm.explanation)
    )
