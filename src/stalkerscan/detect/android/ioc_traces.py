"""Indicator rules for what is left behind: removed apps in the battery history, and files.

The battery statistics keep a daily list of package changes ("Update pkg vers=12", "Uninstall
pkg") that survives removing the app. A stalkerware package named there but not installed now
was on the phone: it may have been removed (perhaps by the person who installed it, to hide it),
or renamed. A file whose name, path or hash is listed (an APK left in Downloads, a tool in
/data/local/tmp) is reported where it lies.
"""

from __future__ import annotations

from collections import defaultdict

from stalkerscan.detect.android import catalog as c
from stalkerscan.detect.android.context import AndroidView
from stalkerscan.detect.android.evidence import acquisition_time, cap_evidence, line, listing
from stalkerscan.detect.android.ioc import AppClass, classify
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Finding, IndicatorMatch, Severity
from stalkerscan.model.android import BatteryDailyUpdate, FileEntry

_LISTED = (AppClass.STALKERWARE, AppClass.SUSPICIOUS)


def _rank(match: IndicatorMatch) -> tuple[int, str, str]:
    ind = match.indicator
    return (tuple(AppClass).index(classify(ind)), ind.app or "\uffff", ind.set_name)


def _change_text(view: AndroidView, update: BatteryDailyUpdate) -> str:
    start = acquisition_time(view.acq, update.day_start)
    end = acquisition_time(view.acq, update.day_end)
    period = f"on the day from {start.text if start else 'an unknown time'}"
    period += f" to {end.text}" if end else " (the current day)"
    if update.action == "uninstall" or update.version_code == 0:
        return f"removed {period}"
    return f"installed or updated to version {update.version_code} {period}"


def trace_findings(view: AndroidView, index: IndicatorIndex) -> list[Finding]:
    """Listed packages that only the battery history names."""
    by_package: dict[str, list[BatteryDailyUpdate]] = defaultdict(list)
    for update in view.acq.battery_updates:
        if update.package not in view.apps:
            by_package[update.package].append(update)
    out = []
    for package, updates in sorted(by_package.items()):
        matches = sorted(
            (m for m in index.match_package(package) if classify(m.indicator) in _LISTED),
            key=_rank,
        )
        if not matches:
            continue
        best = matches[0]
        changes = list(dict.fromkeys(_change_text(view, u) for u in updates))
        evidence = [
            line(
                view.acq,
                "battery_updates",
                f"{package}: {_change_text(view, u)}",
                acquisition_time(view.acq, u.day_start),
            )
            for u in updates
        ]
        others = sorted(
            {m.indicator.app for m in matches if m.indicator.app} - {best.indicator.app}
        )
        out.append(
            c.make_finding(
                c.TRACE,
                evidence=cap_evidence(evidence),
                subject=package,
                app=best.indicator.app,
                indicator=best.indicator,
                severity=None
                if classify(best.indicator) is AppClass.STALKERWARE
                else Severity.MEDIUM,
                reasons=(
                    f"{package} is listed for {best.indicator.app or 'a listed app'}",
                    *changes,
                ),
                listed=best.indicator.value,
                set=listing(sorted({m.indicator.set_name for m in matches})),
                seen="; ".join(changes),
                note=f"It is also listed for: {', '.join(others)}." if others else "",
            )
        )
    return out


def _file_matches(entry: FileEntry, index: IndicatorIndex) -> list[tuple[IndicatorMatch, str]]:
    out = [(m, f"its path {entry.path}") for m in index.match_file(entry.path)]
    for algorithm, digest in (("SHA-256", entry.sha256), ("SHA-1", entry.sha1), ("MD5", entry.md5)):
        if digest:
            out += [(m, f"its {algorithm} {digest}") for m in index.match_file_hash(digest)]
    return [(m, what) for m, what in out if classify(m.indicator) in _LISTED]


def file_findings(view: AndroidView, index: IndicatorIndex) -> list[Finding]:
    """Files on the phone whose name, path or hash is listed."""
    out = []
    for entry in view.acq.files:
        found = sorted(_file_matches(entry, index), key=lambda pair: _rank(pair[0]))
        if not found:
            continue
        best, matched = found[0]
        modified = acquisition_time(view.acq, entry.modified)
        size = f"{entry.size} bytes" if entry.size is not None else "size unknown"
        when = f", modified {modified.text}" if modified else ""
        evidence = (line(view.acq, "files", f"{entry.path} ({size}{when})", modified),)
        others = sorted(
            {m.indicator.app for m, _ in found if m.indicator.app} - {best.indicator.app}
        )
        out.append(
            c.make_finding(
                c.FILE,
                evidence=evidence,
                subject=entry.path,
                app=best.indicator.app,
                indicator=best.indicator,
                severity=None
                if classify(best.indicator) is AppClass.STALKERWARE
                else Severity.MEDIUM,
                reasons=tuple(
                    dict.fromkeys(f"{w} is listed ({m.indicator.set_name})" for m, w in found)
                ),
                listed=best.indicator.value,
                set=listing(sorted({m.indicator.set_name for m, _ in found})),
                path=entry.path,
                matched=matched,
                note=f"It is also listed for: {', '.join(others)}." if others else "",
            )
        )
    return out
