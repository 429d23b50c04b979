"""dumpsys package: per-package details, permissions, resolver tables (launchers, SMS receivers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stalkerscan.extract.android.dumpsys import cut_dumpsys, find_section
from stalkerscan.extract.android.package_dump import parse_package_details
from stalkerscan.extract.android.resolver import launcher_packages, parse_resolver_tables


@pytest.fixture(scope="module")
def mvt(shared_data: Path) -> Path:
    return shared_data / "mvt-artifacts"


def test_real_package_details_and_permissions(mvt: Path) -> None:
    details = parse_package_details((mvt / "android_data" / "dumpsys_packages.txt").read_bytes())
    assert [d.name for d in details] == [
        "com.samsung.android.provider.filterprovider",
        "com.sec.android.app.DataCreate",
    ]
    filterprovider, datacreate = details
    assert filterprovider.uid == 1000 and filterprovider.system
    assert filterprovider.version_code == 500700000 and filterprovider.version_name == "5.0.07"
    assert filterprovider.first_install_time == "2008-12-31T16:00:00"
    assert filterprovider.requested_permissions == ()
    assert datacreate.uid == 10143 and datacreate.code_path == "/system/app/AutomationTest_FB"
    assert "android.permission.RECEIVE_BOOT_COMPLETED" in datacreate.requested_permissions
    grants = {(g.name, g.runtime): g for g in datacreate.permissions}
    assert grants[("android.permission.WRITE_SMS", False)].granted
    assert grants[("android.permission.WRITE_SMS", False)].user is None
    read_sms = grants[("android.permission.READ_SMS", True)]
    assert not read_sms.granted and read_sms.user == 0
    assert len([g for g in datacreate.permissions if g.runtime]) == 13
    (user,) = datacreate.users
    assert user.user == 0 and user.installed and user.hidden is False and user.enabled == 0


def test_real_resolver_tables(mvt: Path) -> None:
    entries = parse_resolver_tables((mvt / "android_data" / "dumpsys_packages.txt").read_bytes())
    activities = [e for e in entries if e.table == "activity"]
    receivers = [e for e in entries if e.table == "receiver"]
    assert len(activities) == 10 and len(receivers) == 9
    assert activities[0].section == "Full MIME Types"
    assert activities[0].key == "text/comma-separated-values"
    assert activities[0].component == "com.samsung.android.messaging/.ui.RcsTransferContent"
    assert not activities[0].filter_shown
    assert (
        receivers[-1].component
        == "com.samsung.cmh/.core.SystemBroadcastReceiver$CMHBroadcastReceiver"
    )


def test_sms_and_call_receivers_in_the_androidqf_dumpsys(mvt: Path) -> None:
    sections = cut_dumpsys((mvt / "androidqf" / "dumpsys.txt").read_bytes())
    package = find_section(sections, "package")
    assert package is not None
    entries = parse_resolver_tables(package.data)
    by_key: dict[str, list[str]] = {}
    for entry in entries:
        by_key.setdefault(entry.key, []).append(entry.package)
    assert by_key["android.intent.action.PHONE_STATE"] == [
        "com.facebook.katana",
        "com.samsung.android.app.contacts",
        "com.sec.hearingadjust",
        "com.samsung.android.messaging",
    ]
    assert by_key["android.intent.action.NEW_OUTGOING_CALL"] == [
        "com.sec.android.app.safetyassurance",
        "com.google.android.gms",
    ]
    assert len(parse_package_details(package.data)) == 2


PER_PACKAGE_DUMP = """Activity Resolver Table:
  Non-Data Actions:
      android.intent.action.MAIN:
        fa79018 com.visible.app/.MainActivity filter 2cfda71
          Action: "android.intent.action.MAIN"
          Category: "android.intent.category.LAUNCHER"
        eeccba6 com.tv.only/.TvActivity filter 94379e7
          Action: "android.intent.action.MAIN"
          Category: "android.intent.category.LEANBACK_LAUNCHER"

Receiver Resolver Table:
  Non-Data Actions:
      android.provider.Telephony.SMS_RECEIVED:
        b74a056 com.spy.app/.SmsReceiver filter 36acad
          Action: "android.provider.Telephony.SMS_RECEIVED"
          mPriority=999, mOrder=0, mHasStaticPartialTypes=false

Packages:
  Package [com.spy.app] (368e481):
    appId=10245
    versionCode=12 minSdk=24 targetSdk=28
    versionName=2.1 beta
    flags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ]
    installerPackageName=null
    requested permissions:
      android.permission.READ_SMS: restricted=true
      android.permission.RECEIVE_SMS
    User 0: ceDataInode=12 installed=true hidden=false suspended=false stopped=true enabled=0
      installReason=0
      firstInstallTime=2024-03-01 21:05:03
      runtime permissions:
        android.permission.READ_SMS: granted=true, flags=[ USER_SET ]
    User 10: ceDataInode=0 installed=false hidden=false suspended=false stopped=true enabled=0
"""


def test_filters_printed_per_package_and_android_13_user_lines() -> None:
    entries = parse_resolver_tables(PER_PACKAGE_DUMP)
    main = [e for e in entries if e.table == "activity"]
    assert all(e.filter_shown for e in main)
    assert main[0].categories == ("android.intent.category.LAUNCHER",)
    assert launcher_packages(entries) == frozenset({"com.visible.app"})
    (details,) = parse_package_details(PER_PACKAGE_DUMP)
    assert details.uid == 10245 and details.installer is None and not details.system
    assert details.version_name == "2.1 beta"
    assert details.requested_permissions == (
        "android.permission.READ_SMS",
        "android.permission.RECEIVE_SMS",
    )
    assert [u.user for u in details.users] == [0, 10]
    assert details.users[0].first_install_time == "2024-03-01T21:05:03"
    assert details.users[0].stopped is True and details.users[1].installed is False
    assert details.first_install_time == "2024-03-01T21:05:03"
    assert [(g.name, g.granted, g.user) for g in details.permissions] == [
        ("android.permission.READ_SMS", True, 0)
    ]


def test_full_dump_main_entries_count_as_launchers_when_filters_are_not_printed(mvt: Path) -> None:
    text = "Activity Resolver Table:\n  Non-Data Actions:\n      android.intent.action.MAIN:\n"
    text += "        5a4cfd2 com.a.b/.Main\n        1b2c3d4 com.c.d/.Home (2 filters)\n"
    assert launcher_packages(parse_resolver_tables(text)) == frozenset({"com.a.b", "com.c.d"})
    assert parse_resolver_tables("garbage\n  \x00 : : }\n") == ()
