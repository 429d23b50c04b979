"""dumpsys device_policy: admins, device owner and profile owners in old and new layouts."""

from __future__ import annotations

from stalkerscan.extract.android.device_policy import parse_device_policy
from stalkerscan.model.android import AdminRole
from support.androidgen import dumpstate, stalkerware_phone

MODERN = """Current Device Policy Manager state:
  Immutable state:
    mHasFeature=true
  Device Owner:
    admin=ComponentInfo{com.hmdm.launcher/com.hmdm.launcher.AdminReceiver}
    name=Work device user
    package=com.hmdm.launcher
    isOrganizationOwnedDevice=true
    User ID: 0

  Profile Owner (User 10):
    admin=ComponentInfo{com.work.mdm/.Admin}
    name=Work

  Enabled Device Admins (User 0, provisioningState: 3):
    com.hmdm.launcher/.AdminReceiver:
      uid=10170
      testOnlyAdmin=false
      policies:
        wipe-data
        limit-password
      passwordQuality=0x0
    com.spy.app/com.spy.app.Admin:
      uid=10245
      policies:
        force-lock
  mPasswordOwner=-1
"""

LEGACY = """Current Device Policy Manager state:
  Enabled Device Admins (User 0, provisioningState: 0):
    ComponentInfo{com.legacy.admin/com.legacy.admin.Receiver}:
      uid=10001
  Active admin: ComponentInfo{com.evil.ads/com.evil.ads.Admin}
"""


def test_modern_layout() -> None:
    admins = parse_device_policy(MODERN)
    got = [(a.package, a.role, a.user, a.uid, a.policies) for a in admins]
    assert got == [
        ("com.hmdm.launcher", AdminRole.DEVICE_OWNER, 0, None, ()),
        ("com.work.mdm", AdminRole.PROFILE_OWNER, 10, None, ()),
        ("com.hmdm.launcher", AdminRole.ADMIN, 0, 10170, ("wipe-data", "limit-password")),
        ("com.spy.app", AdminRole.ADMIN, 0, 10245, ("force-lock",)),
    ]
    assert admins[0].component == "com.hmdm.launcher/com.hmdm.launcher.AdminReceiver"


def test_legacy_layouts_and_nothing() -> None:
    got = [(a.component, a.role, a.uid) for a in parse_device_policy(LEGACY)]
    assert got == [
        ("com.legacy.admin/com.legacy.admin.Receiver", AdminRole.ADMIN, 10001),
        ("com.evil.ads/com.evil.ads.Admin", AdminRole.ADMIN, None),
    ]
    assert parse_device_policy("Current Device Policy Manager state:\n  Stats:\n") == ()
    assert parse_device_policy(b"\xff\xfe\x00garbage") == ()


def test_generated_bugreport_admin() -> None:
    text = dumpstate(stalkerware_phone(package="com.sc.spyier.v2"))
    start = text.index(b"DUMP OF SERVICE device_policy:")
    (admin,) = parse_device_policy(text[start : start + 2000].split(b"---------")[0])
    assert admin.package == "com.sc.spyier.v2" and admin.uid == 10399
    assert "wipe-data" in admin.policies
