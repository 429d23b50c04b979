"""``dumpsys batterystats`` daily stats: package installs, updates and uninstalls per day.

The daily stats keep, for about ten days, the package changes of each day::

    Daily stats:
      Current start time: 2022-08-17-01-15-45
      ...
      Package changes:                       <- the current day (optional)
        Update com.app vers=12
      Daily from 2022-08-16-15-56-39 to 2022-08-17-01-15-45:
        ...
        Package changes:
          Update com.facebook.katana vers=315814651
          Uninstall com.spy.app

These lines outlive the app: an app that was installed and removed still shows here, and a version
lower than the one before is a downgrade. Times are the phone's local time.
"""

from __future__ import annotations

import re

from stalkerscan.extract.android.common import as_text, local_time
from stalkerscan.model.android import BatteryDailyUpdate

_DAILY = re.compile(r"^\s*Daily from (\S+) to (\S+?):?\s*$")
_CURRENT = re.compile(r"^\s*Current start time:\s*(\S+)")
_UPDATE = re.compile(r"^\s+Update (\S+) vers=(-?\d+)")
_UNINSTALL = re.compile(r"^\s+Uninstall (\S+)")


def parse_battery_daily(data: str | bytes) -> tuple[BatteryDailyUpdate, ...]:
    """Every package change of the daily stats, oldest period first as printed."""
    out: list[BatteryDailyUpdate] = []
    inside = False
    start: str | None = None
    end: str | None = None
    for line in as_text(data).splitlines():
        if line.startswith("Daily stats:"):
            inside = True
            continue
        if not inside:
            continue
        if line.strip() and not line.startswith(" "):
            inside = False
            continue
        if (current := _CURRENT.match(line)) is not None:
            start, end = local_time(current.group(1)), None
        elif (daily := _DAILY.match(line)) is not None:
            start, end = local_time(daily.group(1)), local_time(daily.group(2))
        elif (update := _UPDATE.match(line)) is not None:
            vers = int(update.group(2))
            out.append(BatteryDailyUpdate(update.group(1), "update", vers, start, end))
        elif (uninstall := _UNINSTALL.match(line)) is not None:
            out.append(BatteryDailyUpdate(uninstall.group(1), "uninstall", None, start, end))
    return tuple(out)
