"""dumpsys appops: modes per uid and package, with accesses and rejections."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.extract.android.appops import parse_appops
from stalkerscan.model.android import AppOpEvent


def test_real_sample_request_install_packages(shared_data: Path) -> None:
    ops = parse_appops(
        (shared_data / "mvt-artifacts" / "android_data" / "dumpsys_appops.txt").read_bytes()
    )
    installs = [o for o in ops if o.op == "REQUEST_INSTALL_PACKAGES"]
    assert [(o.uid, o.package, o.mode) for o in installs] == [
        ("u0a104", "org.mozilla.firefox", "allow"),
        ("u0a110", "org.fdroid.fdroid", "allow"),
    ]
    assert installs[0].events == ()
    assert installs[1].events == (AppOpEvent("access", "2022-02-02T23:20:13.096", "top-s", None),)
    assert not any(o.op == "RECEIVE_MMS" for o in ops)  # only listed in "Op mode watchers"


def test_real_sample_uid_modes_and_rejections(shared_data: Path) -> None:
    ops = parse_appops(
        (shared_data / "mvt-artifacts" / "android_data" / "dumpsys_appops.txt").read_bytes()
    )
    uid_ops = [(o.uid, o.op, o.mode) for o in ops if o.package is None]
    assert ("u0a103", "COARSE_LOCATION", "ignore") in uid_ops
    assert ("1000", "LEGACY_STORAGE", "allow") in uid_ops
    facebook = {o.op: o for o in ops if o.package == "com.facebook.katana"}
    assert facebook["WRITE_SMS"].mode == "ignore"
    assert [e.kind for e in facebook["WRITE_SMS"].events] == ["reject"] * 3
    assert facebook["WRITE_SMS"].events[0].time == "2021-05-19T22:02:52.054"
    assert facebook["WAKE_LOCK"].events[1].duration == "+33ms"
    assert facebook["READ_CONTACTS"].events[0].state == "bg-tpd"


def test_android_11_op_lines_and_attribution_tags() -> None:
    text = """Current AppOps Service state:
  Uid u0a230:
    state=top
    capability=LCMN
    Package com.spy.app:
      REQUEST_INSTALL_PACKAGES (allow / switch REQUEST_INSTALL_PACKAGES=allow):
        null=[
          Access: [top-s] 2024-03-01 21:04:11.512 (-19d14h2m1s30ms)
        ]
      READ_SMS (foreground):
          Reject: [bg-s]2024-03-02 01:00:00.000 (-1d)
  Uid 2000:
    Package com.android.shell:
      READ_CLIPBOARD (allow):
"""
    ops = parse_appops(text)
    assert [(o.uid, o.package, o.op, o.mode, len(o.events)) for o in ops] == [
        ("u0a230", "com.spy.app", "REQUEST_INSTALL_PACKAGES", "allow", 1),
        ("u0a230", "com.spy.app", "READ_SMS", "foreground", 1),
        ("2000", "com.android.shell", "READ_CLIPBOARD", "allow", 0),
    ]
    assert parse_appops(b"\x00\xff") == ()
