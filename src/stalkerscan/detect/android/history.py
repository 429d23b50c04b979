"""The battery history of app changes: apps removed, and apps put back to an older version.

Android's battery statistics keep, per day, the packages that were installed, updated or removed;
the trace stays after the app is gone (MVT's DumpsysBatteryDaily). People remove apps every day,
so a removal is low; it matters when nobody using the phone remembers removing it. Packages that
are on an indicator list are reported by the indicator rules instead (``android.ioc.trace``).
"""

from __future__ import annotations

from collections import defaultdict

from stalkerscan.detect.android import catalog as c
from stalkerscan.detect.android.context import AndroidView
from stalkerscan.detect.android.evidence import acquisition_time, line
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Evidence, Finding
from stalkerscan.model.android import BatteryDailyUpdate


def _removed(update: BatteryDailyUpdate) -> bool:
    return update.action == "uninstall" or update.version_code == 0


def _period(view: AndroidView, update: BatteryDailyUpdate) -> str:
    start = acquisition_time(view.acq, update.day_start)
    end = acquisition_time(view.acq, update.day_end)
    text = f"during the day from {start.text if start else 'an unknown time'}"
    return text + (f" to {end.text}" if end else " (the day of the acquisition)")


def _evidence(view: AndroidView, update: BatteryDailyUpdate, what: str) -> Evidence:
    return line(
        view.acq,
        "battery_updates",
        f"{update.package}: {what} {_period(view, update)}",
        acquisition_time(view.acq, update.day_start),
    )


def history_findings(view: AndroidView, index: IndicatorIndex) -> list[Finding]:
    """Removals and downgrades of packages that no indicator lists."""
    by_package: dict[str, list[BatteryDailyUpdate]] = defaultdict(list)
    for update in view.acq.battery_updates:
        by_package[update.package].append(update)
    out: list[Finding] = []
    for package, updates in sorted(by_package.items()):
        if index.match_package(package):
            continue
        ordered = sorted(updates, key=lambda u: u.day_start or "")
        removed = [u for u in ordered if _removed(u)]
        if removed:
            back = " It is installed again now." if package in view.apps else ""
            out.append(
                c.make_finding(
                    c.UNINSTALLED,
                    evidence=tuple(_evidence(view, u, "removed") for u in removed),
                    subject=package,
                    reasons=tuple(dict.fromkeys(f"removed {_period(view, u)}" for u in removed)),
                    when=_period(view, removed[-1]),
                    note=back,
                )
            )
        out += _downgrade(view, package, [u for u in ordered if not _removed(u)])
    return out


def _downgrade(view: AndroidView, package: str, updates: list[BatteryDailyUpdate]) -> list[Finding]:
    highest: BatteryDailyUpdate | None = None
    for update in updates:
        version = update.version_code
        if version is None:
            continue
        top = highest.version_code if highest is not None else None
        if highest is not None and top is not None and version < top:
            versions = f"from version {top} to version {version}"
            seen = _evidence(view, update, f"version {top}, then version {version}")
            return [
                c.make_finding(
                    c.DOWNGRADED,
                    evidence=(seen,),
                    subject=package,
                    reasons=(f"put back {versions}",),
                    versions=versions,
                    when=_period(view, update),
                )
            ]
        if top is None or top < version:
            highest = update
    return []
