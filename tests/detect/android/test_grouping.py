"""The per-app grouping policy: one finding per app, its severity from the combination of signs."""

from __future__ import annotations

from dataclasses import replace

import pytest

from stalkerscan.detect.android import detect_android
from stalkerscan.detect.android.build import AcquisitionBuilder, AppSpec
from stalkerscan.detect.android.context import build_view
from stalkerscan.detect.android.lists import packaged_android_lists
from stalkerscan.detect.android.signals import app_signs, grade
from stalkerscan.model import Confidence, Severity
from stalkerscan.model.android import AdminRole, AndroidAcquisition, ResolverEntry

from .helpers import about, index_of, one

APP = "com.example.target"


def _one_app(spec: AppSpec) -> AndroidAcquisition:
    return AcquisitionBuilder().app("com.whatsapp").app(APP, spec).build()


def _finding_severity(spec: AppSpec) -> Severity | None:
    result = detect_android(_one_app(spec), index_of(), "phone")
    found = about(result, APP)
    assert len(found) <= 1, "never more than one finding per app"
    return found[0].severity if found else None


SIDELOADED = AppSpec(installer=None)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # brief: sideloaded + accessibility/admin/notification listener + SMS/location = high
        (replace(SIDELOADED, accessibility=True, permissions=("READ_SMS",)), Severity.HIGH),
        (
            replace(SIDELOADED, admin=AdminRole.ADMIN, permissions=("ACCESS_FINE_LOCATION",)),
            Severity.HIGH,
        ),
        (replace(SIDELOADED, listener=True, permissions=("READ_SMS",)), Severity.HIGH),
        # two signs without personal data, or a lot of data without powers: medium
        (replace(SIDELOADED, accessibility=True), Severity.MEDIUM),
        (replace(SIDELOADED, launcher=False), Severity.MEDIUM),
        (
            replace(SIDELOADED, permissions=("READ_SMS", "READ_CALL_LOG", "RECORD_AUDIO")),
            Severity.MEDIUM,
        ),
        # one weak sign alone: low or information
        (SIDELOADED, Severity.LOW),
        (replace(SIDELOADED, permissions=("READ_CONTACTS",)), Severity.LOW),
        (AppSpec(installer="org.fdroid.fdroid"), Severity.INFO),
        (AppSpec(installer="com.example.loader"), Severity.INFO),
        (AppSpec(install_packages=True), Severity.INFO),
        # data permissions alone never
        (AppSpec(permissions=("READ_SMS", "ACCESS_FINE_LOCATION", "RECORD_AUDIO")), None),
        (AppSpec(installer=None, in_packages_json=False, in_package_dump=False), None),
    ],
)
def test_severity_ladder(spec: AppSpec, expected: Severity | None) -> None:
    assert _finding_severity(spec) == expected


def test_store_apps_are_one_step_lower_and_single_signs_information() -> None:
    assert _finding_severity(AppSpec(accessibility=True)) is Severity.INFO
    assert _finding_severity(AppSpec(accessibility=True, listener=True)) is Severity.MEDIUM
    assert (
        _finding_severity(
            AppSpec(accessibility=True, listener=True, admin=AdminRole.ADMIN, launcher=False)
        )
        is Severity.MEDIUM
    ), "an app-store app is never above medium without an indicator"


def test_system_apps_stay_quiet_unless_updated_from_a_file() -> None:
    quiet = AppSpec(
        system=True, installer=None, accessibility=True, listener=True, permissions=("READ_SMS",)
    )
    assert _finding_severity(quiet) is None
    updated = AppSpec(system=True, installer="com.google.android.packageinstaller")
    assert _finding_severity(updated) is Severity.INFO


def test_reasons_list_each_sign_in_a_short_phrase() -> None:
    spec = AppSpec(
        installer="com.android.chrome",
        launcher=False,
        accessibility=True,
        listener=True,
        admin=AdminRole.ADMIN,
        permissions=("READ_SMS", "ACCESS_BACKGROUND_LOCATION", "ACCESS_FINE_LOCATION"),
        receivers=("android.provider.Telephony.SMS_RECEIVED",),
        install_packages=True,
    )
    result = detect_android(_one_app(spec), index_of(), "phone")
    finding = one(result, APP)
    assert finding.rule == "android.app.risky_combination"
    assert (finding.severity, finding.confidence) == (Severity.HIGH, Confidence.LIKELY)
    assert finding.reasons == (
        "sideloaded from a browser download (Chrome)",
        "accessibility service enabled",
        "reads all notifications",
        "device administrator",
        "no launcher icon",
        "reads SMS, reacts to incoming SMS",
        "uses location in the background",
        "allowed to install other apps",
    ), "background location replaces plain location; each category once"
    assert "combines 8 signs" in finding.title
    assert all(e.input == "phone" for e in finding.evidence)


def test_no_icon_is_claimed_only_when_the_dump_can_tell() -> None:
    acq = _one_app(AppSpec(installer=None, launcher=False))
    assert "no launcher icon" in one(detect_android(acq, index_of(), "p"), APP).reasons
    # the full dump without filters lists MAIN activities: present -> an icon is possible
    shown = replace(
        acq,
        resolver_entries=(
            *acq.resolver_entries,
            ResolverEntry(
                "activity",
                "Non-Data Actions",
                "android.intent.action.MAIN",
                f"{APP}/.Settings",
                APP,
                (),
                False,
            ),
        ),
    )
    assert "no launcher icon" not in one(detect_android(shown, index_of(), "p"), APP).reasons
    # filters printed (dumpsys package <pkg>) without the LAUNCHER category: certainly no icon
    filtered = replace(
        acq,
        resolver_entries=(
            *acq.resolver_entries,
            ResolverEntry(
                "activity",
                "Non-Data Actions",
                "android.intent.action.MAIN",
                f"{APP}/.Settings",
                APP,
                ("android.intent.category.DEFAULT",),
                True,
            ),
        ),
    )
    assert "no launcher icon" in one(detect_android(filtered, index_of(), "p"), APP).reasons
    # an app missing from the package dump: nothing is claimed
    undumped = _one_app(AppSpec(installer=None, launcher=False, in_package_dump=False))
    assert "no launcher icon" not in one(detect_android(undumped, index_of(), "p"), APP).reasons


def test_grade_score_counts_data_at_most_three() -> None:
    spec = replace(
        SIDELOADED,
        permissions=("READ_SMS", "READ_CALL_LOG", "RECORD_AUDIO", "CAMERA", "READ_CONTACTS"),
    )
    view = build_view(_one_app(spec), packaged_android_lists())
    app = view.apps[APP]
    graded = grade(view, app, app_signs(view, app))
    assert graded is not None
    assert graded.score == 2 + 3
    assert graded.severity is Severity.MEDIUM
