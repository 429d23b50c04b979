"""``detect_network``: the single entry point the pipeline calls for a capture."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from stalkerscan.detect.base import Detector, DetectorResult, failed, relabel
from stalkerscan.detect.net.detectors import (
    NETWORK_DETECTORS,
    ViewRun,
    coverage_detector,
    heuristics_detector,
    ioc_detector,
)
from stalkerscan.detect.net.lists import NetLists
from stalkerscan.detect.net.naming import CaptureView, build_view
from stalkerscan.detect.net.timeline import evidence_events
from stalkerscan.indicators.allowlist import Allowlist
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import TimelineEvent, finding_order
from stalkerscan.model.net import NetworkCapture


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the detectors run.

    The detectors make many short-lived objects and no reference cycles, so each full collection
    they would set off only walks the whole capture again (measured on a capture of 23,000
    connections: two or three full collections, 0.1-0.3 s, as much as the detection itself).
    Their objects are freed by reference counting as usual.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _run_one(
    detector: Detector[NetworkCapture],
    capture: NetworkCapture,
    view: CaptureView | None,
    index: IndicatorIndex,
) -> DetectorResult:
    """One detector (given the shared ``view`` when it takes one); a failure becomes a "not
    checked" entry instead of ending the scan."""
    try:
        run = detector.run
        if view is not None and isinstance(run, ViewRun):
            return run.body(view, index)
        return run(capture, index)
    except Exception as exc:  # a bug in one detector must not hide the others' findings
        return failed(f"the network checks of {detector.name}", exc)


def detect_network(
    capture: NetworkCapture,
    index: IndicatorIndex,
    input_name: str,
    *,
    allowlist: Allowlist | None = None,
    lists: NetLists | None = None,
) -> DetectorResult:
    """Run the registry's network detectors over ``capture`` and merge their results.

    Findings come sorted (most serious first, then rule id, subject, title), with evidence naming
    ``input_name``; the timeline holds the first contact with each named host and one event per
    timed evidence line. ``allowlist``/``lists`` replace the packaged ones (heuristics only: no
    allowlist ever suppresses an indicator finding).
    """
    detectors = NETWORK_DETECTORS
    if allowlist is not None or lists is not None:
        detectors = (
            ioc_detector(lists),
            heuristics_detector(allowlist, lists),
            coverage_detector(lists),
        )
    with _collector_paused():
        return _merged(_run_all(detectors, capture, index), input_name)


def _run_all(
    detectors: tuple[Detector[NetworkCapture], ...],
    capture: NetworkCapture,
    index: IndicatorIndex,
) -> DetectorResult:
    """Every detector over ``capture``, sharing one view of it."""
    view: CaptureView | None
    try:
        view = build_view(capture)
    except Exception:  # each detector then meets the same error and reports it as "not checked"
        view = None
    total = DetectorResult()
    for detector in detectors:
        total += _run_one(detector, capture, view, index)
    return total


def _merged(total: DetectorResult, input_name: str) -> DetectorResult:
    """The detectors' results, sorted, with evidence naming ``input_name``."""
    findings = tuple(sorted((relabel(f, input_name) for f in total.findings), key=finding_order))
    timeline: list[TimelineEvent] = [replace(e, input=input_name) for e in total.timeline]
    timeline += evidence_events(findings)
    return DetectorResult(
        findings=findings,
        not_checked=total.not_checked,
        coverage=total.coverage,
        gaps=total.gaps,
        timeline=tuple(sorted(timeline, key=lambda e: (e.time, e.rule or "", e.description))),
    )
