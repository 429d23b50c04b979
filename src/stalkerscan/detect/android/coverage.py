"""What an acquisition let the scan see: measured facts, "not checked" parts, gaps, the timeline.

A scan never reads as "nothing found" when it could not look: without a list of installed apps, or
without any indicator list of Android apps, nothing can be concluded about known stalkerware and a
``CoverageGap`` makes the verdict inconclusive. What the acquisition itself could not read
(``acquisition.not_checked``) is passed on unchanged.
"""

from __future__ import annotations

from stalkerscan.detect.android.context import AndroidView
from stalkerscan.detect.android.evidence import plural
from stalkerscan.detect.android.timeline import timeline_events
from stalkerscan.detect.base import DetectorResult
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import CoverageFact, CoverageGap, NotChecked
from stalkerscan.model.android import AndroidAcquisition, HashStatus

AREA = "android"
APP_INDICATOR_KINDS = (
    "android_package",
    "app_id",
    "cert_md5",
    "cert_sha1",
    "cert_sha256",
    "file_md5",
    "file_sha1",
    "file_sha256",
)
"""Indicator kinds that can recognise an installed Android app."""

NO_PACKAGES = CoverageGap(
    AREA,
    "The list of installed apps could not be read (packages.json and the package section of "
    "dumpsys are missing or unreadable), so installed stalkerware cannot be recognised.",
    "Collect the phone's data again with androidqf, letting it finish every step (or make an "
    "adb bugreport), and scan the new acquisition.",
)
NO_APP_INDICATORS = CoverageGap(
    AREA,
    "No indicator list of Android apps was loaded, so the installed apps could not be compared "
    "with known stalkerware; only the warning signs were checked.",
    "Load the stalkerware indicators (stalkerscan indicators update, or import the Echap "
    "stalkerware-indicators folder) and scan again.",
)


def _fact(name: str, value: int | float | str | bool, label: str) -> CoverageFact:
    return CoverageFact(area=AREA, name=name, value=value, label=label)


def _device_fact(acq: AndroidAcquisition) -> CoverageFact:
    d = acq.device
    parts = [" ".join(p for p in (d.manufacturer, d.model) if p) or "An unnamed phone"]
    if d.android_version:
        parts.append(f"Android {d.android_version}" + (f" (SDK {d.sdk})" if d.sdk else ""))
    if d.security_patch:
        parts.append(f"security patch {d.security_patch}")
    text = ", ".join(parts)
    return _fact("device", text, text)


def _acquisition_fact(acq: AndroidAcquisition) -> CoverageFact:
    info = acq.info
    tool = f" ({info.tool_version})" if info.tool_version else ""
    when = f", started {info.started}" if info.started else ", start time unknown"
    text = f"{info.source.value.replace('_', ' ')}{tool}{when}"
    return _fact("acquisition", text, f"Read from an {text}")


def _app_facts(view: AndroidView, index: IndicatorIndex) -> list[CoverageFact]:
    apps = list(view.apps.values())
    third = [a for a in apps if a.system is False]
    system = [a for a in apps if a.system]
    with_cert = [a for a in third if a.package and any(f.certificate for f in a.package.files)]
    with_hash = [a for a in third if a.package and any(f.sha256 or f.md5 for f in a.package.files)]
    counts = index.counts()
    indicators = sum(counts.get(k, 0) for k in APP_INDICATOR_KINDS)
    return [
        _fact(
            "packages_checked",
            len(apps),
            f"{plural(len(apps), 'app')} checked against the indicator lists",
        ),
        _fact("third_party_apps", len(third), f"{plural(len(third), 'app')} installed by a user"),
        _fact("system_apps", len(system), f"{plural(len(system), 'system app')}"),
        _fact(
            "certificates_available",
            len(with_cert),
            f"Signing certificates read for {len(with_cert)} of {len(third)} user apps "
            "(androidqf reads them only from the APK files it copies)",
        ),
        _fact(
            "apk_hashes_available",
            len(with_hash),
            f"APK file hashes read for {len(with_hash)} of {len(third)} user apps",
        ),
        _fact(
            "app_indicators",
            indicators,
            f"{plural(indicators, 'app indicator')} loaded (package names, certificates, hashes)",
        ),
    ]


def _record_facts(acq: AndroidAcquisition) -> list[CoverageFact]:
    read = sorted({o.what for o in acq.origins})
    out = [
        _fact(
            "records_read",
            ", ".join(read),
            f"Records read: {', '.join(read)}" if read else "No record could be read",
        ),
        _fact(
            "settings_read",
            bool(acq.settings),
            f"{plural(len(acq.settings), 'setting')} read"
            if acq.settings
            else "No setting could be read (Play Protect, unknown sources, notification access)",
        ),
    ]
    if acq.hash_checks:
        ok = sum(1 for h in acq.hash_checks if h.status is HashStatus.OK)
        changed = sum(
            1 for h in acq.hash_checks if h.status is HashStatus.MISMATCH and h.note is None
        )
        missing = sum(1 for h in acq.hash_checks if h.status is HashStatus.MISSING)
        out.append(
            _fact(
                "hashes_verified",
                ok,
                f"hashes.csv: {plural(ok, 'file')} as recorded, {changed} changed, "
                f"{missing} missing",
            )
        )
    return out


def _not_checked(view: AndroidView) -> list[NotChecked]:
    out = list(view.acq.not_checked)
    files = [
        f for a in view.apps.values() if a.system is False and a.package for f in a.package.files
    ]
    if files and not any(f.certificate for f in files):
        out.append(
            NotChecked(
                "the apps' signing certificates",
                "the acquisition holds none (androidqf did not copy the APK files, or this is a "
                "bugreport), so apps were matched by package name and file hash only: a renamed "
                "stalkerware app could be missed",
            )
        )
    return out


def run_coverage(view: AndroidView, index: IndicatorIndex) -> DetectorResult:
    """Coverage facts, gaps, "not checked" parts and the timeline of one acquisition."""
    acq = view.acq
    facts = [
        _device_fact(acq),
        _acquisition_fact(acq),
        *_app_facts(view, index),
        *_record_facts(acq),
    ]
    gaps = []
    if not view.package_list_read:
        gaps.append(NO_PACKAGES)
    counts = index.counts()
    if not any(counts.get(k) for k in APP_INDICATOR_KINDS):
        gaps.append(NO_APP_INDICATORS)
    return DetectorResult(
        not_checked=tuple(_not_checked(view)),
        coverage=tuple(facts),
        gaps=tuple(gaps),
        timeline=timeline_events(view),
    )
