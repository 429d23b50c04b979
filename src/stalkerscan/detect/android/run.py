"""``detect_android``: the single entry point the pipeline calls for Android device data."""

from __future__ import annotations

from dataclasses import replace

from stalkerscan.detect.android.detectors import (
    ANDROID_DETECTORS,
    apps_detector,
    coverage_detector,
    device_detector,
    ioc_detector,
    root_detector,
)
from stalkerscan.detect.android.lists import AndroidLists
from stalkerscan.detect.base import Detector, DetectorResult, failed, relabel
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import TimelineEvent, finding_order
from stalkerscan.model.android import AndroidAcquisition


def _run_one(
    detector: Detector[AndroidAcquisition], acq: AndroidAcquisition, index: IndicatorIndex
) -> DetectorResult:
    """One detector; a failure becomes a "not checked" entry instead of ending the scan."""
    try:
        return detector.run(acq, index)
    except Exception as exc:  # a bug in one detector must not hide the others' findings
        return failed(f"the Android checks of {detector.name}", exc)


def _tie(event: TimelineEvent, rules: dict[str, str], input_name: str) -> TimelineEvent:
    """The event with ``input_name``, and the rule of the finding about its app, if any."""
    subject = event.description.split(":", 1)[0] if ":" in event.description else ""
    return replace(event, input=input_name, rule=event.rule or rules.get(subject))


def android_detectors(
    lists: AndroidLists | None = None,
) -> tuple[Detector[AndroidAcquisition], ...]:
    """The Android detectors in the order ``detect_android`` runs them."""
    return (
        ioc_detector(lists),
        apps_detector(lists),
        device_detector(lists),
        root_detector(lists),
        coverage_detector(lists),
    )


def detect_android(
    acq: AndroidAcquisition,
    index: IndicatorIndex,
    input_name: str,
    *,
    lists: AndroidLists | None = None,
    detectors: tuple[Detector[AndroidAcquisition], ...] | None = None,
) -> DetectorResult:
    """Run the Android detectors over ``acq`` and merge their results.

    Findings come sorted (most serious first, then rule id, subject, title), with evidence naming
    ``input_name``; timeline events about an app carry the rule of the finding about that app.
    ``lists`` replaces the packaged Android lists; ``detectors`` the packaged detectors.
    """
    if detectors is None:
        detectors = ANDROID_DETECTORS if lists is None else android_detectors(lists)
    total = DetectorResult()
    for detector in detectors:
        total += _run_one(detector, acq, index)
    findings = tuple(sorted((relabel(f, input_name) for f in total.findings), key=finding_order))
    rules: dict[str, str] = {}
    for finding in reversed(findings):  # the most serious finding of a subject wins
        if finding.subject:
            rules[finding.subject] = finding.rule
    timeline = tuple(
        sorted(
            (_tie(e, rules, input_name) for e in total.timeline),
            key=lambda e: (e.time, e.rule or "", e.description),
        )
    )
    return DetectorResult(
        findings=findings,
        not_checked=tuple(dict.fromkeys(total.not_checked)),
        coverage=total.coverage,
        gaps=total.gaps,
        timeline=timeline,
    )
