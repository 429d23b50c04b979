"""The Android detectors as ``Detector`` values, with their rules and examples.

The module constants use the packaged lists (read on first use); the factories take others, for
an examiner's own lists or for tests. Every detector builds the per-app view itself, so each one
runs on its own (the registry walks them one by one).
"""

from __future__ import annotations

from collections.abc import Callable

from stalkerscan.detect.android import catalog as c
from stalkerscan.detect.android.apps import app_sign_findings
from stalkerscan.detect.android.context import AndroidView, build_view
from stalkerscan.detect.android.coverage import run_coverage
from stalkerscan.detect.android.device import (
    debugging_findings,
    interception_findings,
    play_protect_findings,
    reporting_findings,
    security_patch_findings,
    trusted_computer_findings,
    unknown_sources_findings,
)
from stalkerscan.detect.android.examples_apps import APP_EXAMPLES
from stalkerscan.detect.android.examples_device import DEVICE_EXAMPLES, ROOT_EXAMPLES
from stalkerscan.detect.android.examples_ioc import IOC_EXAMPLES
from stalkerscan.detect.android.history import history_findings
from stalkerscan.detect.android.integrity import integrity_findings
from stalkerscan.detect.android.ioc import app_finding, app_matches, process_findings
from stalkerscan.detect.android.ioc_traces import file_findings, trace_findings
from stalkerscan.detect.android.lists import AndroidLists, packaged_android_lists
from stalkerscan.detect.android.root import root_findings, tmp_findings
from stalkerscan.detect.android.settings_history import settings_timeline
from stalkerscan.detect.base import Detector, DetectorResult
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model.android import AndroidAcquisition

Run = Callable[[AndroidAcquisition, IndicatorIndex], DetectorResult]


def _with_view(
    lists: AndroidLists | None, body: Callable[[AndroidView, IndicatorIndex], DetectorResult]
) -> Run:
    def run(acq: AndroidAcquisition, index: IndicatorIndex) -> DetectorResult:
        return body(build_view(acq, lists or packaged_android_lists()), index)

    return run


def _ioc(view: AndroidView, index: IndicatorIndex) -> DetectorResult:
    findings = []
    for app in view.apps.values():
        notes: list[str] = []
        matches = app_matches(view, app, index, notes)
        if matches:
            findings.append(app_finding(view, app, matches, notes))
    findings += process_findings(view, index)
    findings += trace_findings(view, index)
    findings += file_findings(view, index)
    return DetectorResult(findings=tuple(findings))


def _apps(view: AndroidView, index: IndicatorIndex) -> DetectorResult:
    return DetectorResult(findings=tuple(app_sign_findings(view, index)))


def _device(view: AndroidView, index: IndicatorIndex) -> DetectorResult:
    sources, sources_nc = unknown_sources_findings(view)
    patch, patch_nc = security_patch_findings(view)
    findings = [
        *play_protect_findings(view),
        *sources,
        *debugging_findings(view),
        *reporting_findings(view),
        *trusted_computer_findings(view),
        *interception_findings(view),
        *patch,
        *history_findings(view, index),
    ]
    return DetectorResult(
        findings=tuple(findings),
        not_checked=(*sources_nc, *patch_nc),
        timeline=settings_timeline(view),
    )


def _root(view: AndroidView, index: IndicatorIndex) -> DetectorResult:
    del index  # root traces do not depend on indicators
    return DetectorResult(findings=(*root_findings(view), *tmp_findings(view)))


def _evidence(view: AndroidView, index: IndicatorIndex) -> DetectorResult:
    del index
    return DetectorResult(findings=tuple(integrity_findings(view)))


def ioc_detector(lists: AndroidLists | None = None) -> Detector[AndroidAcquisition]:
    """Indicator rules: apps, processes, removed apps and files that are on a list."""
    return Detector("android.ioc", c.IOC_RULES, _with_view(lists, _ioc), IOC_EXAMPLES)


def apps_detector(lists: AndroidLists | None = None) -> Detector[AndroidAcquisition]:
    """One finding per app combining its signs (apps without an indicator match)."""
    return Detector("android.apps", c.APP_RULES, _with_view(lists, _apps), APP_EXAMPLES)


def device_detector(lists: AndroidLists | None = None) -> Detector[AndroidAcquisition]:
    """Device-wide settings, trusted computers, interception, patch level, app history."""
    return Detector("android.device", c.DEVICE_RULES, _with_view(lists, _device), DEVICE_EXAMPLES)


def root_detector(lists: AndroidLists | None = None) -> Detector[AndroidAcquisition]:
    """Root traces, files in /data/local/tmp, and the acquisition's own hash checks."""
    rules = (*c.ROOT_RULES, *c.EVIDENCE_RULES)
    run = _with_view(lists, lambda v, i: _root(v, i) + _evidence(v, i))
    return Detector("android.root", rules, run, ROOT_EXAMPLES)


def coverage_detector(lists: AndroidLists | None = None) -> Detector[AndroidAcquisition]:
    """Coverage facts, gaps, "not checked" parts and the timeline (no rules of its own)."""
    return Detector("android.coverage", (), _with_view(lists, run_coverage), ())


IOC = ioc_detector()
APPS = apps_detector()
DEVICE = device_detector()
ROOT = root_detector()
COVERAGE = coverage_detector()

ANDROID_DETECTORS: tuple[Detector[AndroidAcquisition], ...] = (IOC, APPS, DEVICE, ROOT, COVERAGE)
"""Android detectors, run in this order by ``detect_android``."""
