"""Accessibility services in the pre-14 and 14+ dumpsys layouts, and from settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from stalkerscan.extract.android.accessibility import (
    SOURCE_SETTINGS,
    accessibility_from_settings,
    parse_accessibility,
)
from stalkerscan.extract.android.dumpsys import cut_dumpsys, find_section
from stalkerscan.model.android import AccessibilityState, SettingsEntry


@pytest.fixture(scope="module")
def mvt(shared_data: Path) -> Path:
    return shared_data / "mvt-artifacts"


def test_android_14_format_gives_exactly_the_enabled_malware_service(mvt: Path) -> None:
    data = (mvt / "android_data" / "dumpsys_accessibility_v14_or_later.txt").read_bytes()
    services = parse_accessibility(data)
    assert [(s.component, s.package, s.state, s.user) for s in services] == [
        (
            "com.malware.accessibility/com.malware.service.malwareservice",
            "com.malware.accessibility",
            AccessibilityState.ENABLED,
            0,
        )
    ]  # registered clients such as com.android.launcher3 are not services


def test_pre_14_format_lists_four_installed_services_none_enabled(mvt: Path) -> None:
    services = parse_accessibility(
        (mvt / "android_data" / "dumpsys_accessibility.txt").read_bytes()
    )
    assert [s.state for s in services] == [AccessibilityState.INSTALLED] * 4
    assert services[0].component == (
        "com.android.settings/com.samsung.android.settings.development.gpuwatch.GPUWatchInterceptor"
    )
    assert (
        services[1].component == "com.samsung.accessibility/.universalswitch.UniversalSwitchService"
    )


def test_androidqf_section_with_a_repeated_header_still_parses(mvt: Path) -> None:
    section = find_section(
        cut_dumpsys((mvt / "androidqf" / "dumpsys.txt").read_bytes()), "accessibility"
    )
    assert section is not None
    services = parse_accessibility(section.data)
    assert len(services) == 4 and {s.package for s in services} == {
        "com.android.settings", "com.samsung.accessibility", "com.sec.android.app.camera",
    }  # fmt: skip


def test_several_enabled_and_crashed_services_in_the_14_format() -> None:
    text = (
        "User state[\n     attributes:{id=10, installedServiceCount=3}\n"
        "     Enabled services:{{com.a.b/.S}, {com.c.d/com.c.d.T}}\n"
        "     Binding services:{{com.e.f/.U}}\n     Crashed services:{{com.a.b/.S}}\n"
    )
    got = [(s.component, s.state.value, s.user) for s in parse_accessibility(text)]
    assert got == [
        ("com.a.b/.S", "enabled", 10),
        ("com.c.d/com.c.d.T", "enabled", 10),
        ("com.e.f/.U", "binding", 10),
        ("com.a.b/.S", "crashed", 10),
    ]


def test_pre_14_enabled_block_and_garbage_are_tolerated() -> None:
    text = (
        "User state[attributes:{id=0, currentUser=true\n  }\n  installed services: {\n"
        "    0 : com.spy.app/.Svc\n  }\n  enabled services: {\n    0 : com.spy.app/.Svc\n  }\n"
        "\x00\ufffd junk {{{\n"
    )
    got = [(s.component, s.state) for s in parse_accessibility(text)]
    assert got == [
        ("com.spy.app/.Svc", AccessibilityState.INSTALLED),
        ("com.spy.app/.Svc", AccessibilityState.ENABLED),
    ]
    assert parse_accessibility(b"") == ()


def test_enabled_services_from_the_secure_setting() -> None:
    settings = (
        SettingsEntry("secure", "enabled_accessibility_services", "com.a.b/.S:com.c.d/com.c.d.T"),
        SettingsEntry("global", "enabled_accessibility_services", "com.x.y/.Z"),
    )
    got = accessibility_from_settings(settings)
    assert [(s.package, s.state, s.source) for s in got] == [
        ("com.a.b", AccessibilityState.ENABLED, SOURCE_SETTINGS),
        ("com.c.d", AccessibilityState.ENABLED, SOURCE_SETTINGS),
    ]
