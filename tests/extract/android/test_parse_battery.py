"""batterystats daily package changes: updates, uninstalls, downgrades."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.extract.android.battery import parse_battery_daily


def test_real_battery_sample(shared_data: Path) -> None:
    data = (shared_data / "mvt-artifacts" / "android_data" / "dumpsys_battery.txt").read_bytes()
    updates = parse_battery_daily(data)
    assert len(updates) == 18
    assert {u.package for u in updates} == {
        "com.facebook.services", "com.facebook.katana", "com.facebook.system",
    }  # fmt: skip
    first = updates[0]
    assert (first.action, first.version_code) == ("update", 385230290)
    assert (first.day_start, first.day_end) == ("2022-08-16T15:56:39", "2022-08-17T01:15:45")


def test_real_androidqf_dumpsys_battery(shared_data: Path) -> None:
    data = (shared_data / "mvt-artifacts" / "androidqf" / "dumpsys.txt").read_bytes()
    updates = parse_battery_daily(data)
    assert [u.package for u in updates].count("org.mozilla.firefox") == 4
    assert len(updates) == 11 and all(u.day_end == "2023-07-27T02:02:56" for u in updates)


def test_uninstall_current_day_and_downgrade() -> None:
    text = """Daily stats:
  Current start time: 2024-03-21-02-02-56
  Package changes:
    Update com.spy.app vers=9
  Daily from 2024-03-20-03-02-02 to 2024-03-21-02-02-56:
    Package changes:
      Update com.spy.app vers=12
      Uninstall com.old.monitor
      Update com.gone vers=0

Statistics since last charge:
      Update com.not.daily vers=1
"""
    got = [
        (u.package, u.action, u.version_code, u.day_start, u.day_end)
        for u in parse_battery_daily(text)
    ]
    assert got == [
        ("com.spy.app", "update", 9, "2024-03-21T02:02:56", None),
        ("com.spy.app", "update", 12, "2024-03-20T03:02:02", "2024-03-21T02:02:56"),
        ("com.old.monitor", "uninstall", None, "2024-03-20T03:02:02", "2024-03-21T02:02:56"),
        ("com.gone", "update", 0, "2024-03-20T03:02:02", "2024-03-21T02:02:56"),
    ]
