"""``detect_network``: the single entry point the pipeline calls for a capture.

A capture is indexed (``naming.build_view``) once per scan and handed to each detector's
``ViewRun.body``. The runs are listed here, without their rules' worked examples: those are
built in ``detectors.py``, which the registry imports and a scan does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from stalkerscan.detect.base import DetectorResult, failed, relabel
from stalkerscan.detect.net.coverage import run_coverage
from stalkerscan.detect.net.heuristics import run_heuristics
from stalkerscan.detect.net.ioc import run_ioc
from stalkerscan.detect.net.lists import NetLists
from stalkerscan.detect.net.naming import CaptureView, build_view
from stalkerscan.detect.net.timeline import evidence_events
from stalkerscan.indicators.allowlist import Allowlist
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import TimelineEvent, finding_order
from stalkerscan.model.collector import collector_paused
from stalkerscan.model.net import NetworkCapture


@dataclass(frozen=True, slots=True)
class ViewRun:
    """A network detector's ``run``: a body over an indexed capture."""

    body: Callable[[CaptureView, IndicatorIndex], DetectorResult]
    """The detector itself, given the capture's view."""

    def __call__(self, capture: NetworkCapture, index: IndicatorIndex) -> DetectorResult:
        """Index ``capture``, then run the body."""
        return self.body(build_view(capture), index)


def network_runs(
    allowlist: Allowlist | None = None, lists: NetLists | None = None
) -> tuple[tuple[str, ViewRun], ...]:
    """Each network detector's name and run, in the order they run: indicator rules (never
    quieted by any allowlist), heuristic rules with the per-host grouping, then coverage facts,
    gaps and first contacts. ``None`` means the packaged allowlist and lists (read on first use).
    """

    def ioc(view: CaptureView, index: IndicatorIndex) -> DetectorResult:
        return run_ioc(view.capture, index, lists, view=view)

    def heuristics(view: CaptureView, index: IndicatorIndex) -> DetectorResult:
        return run_heuristics(view.capture, index, allowlist, lists, view=view)

    def coverage(view: CaptureView, index: IndicatorIndex) -> DetectorResult:
        return run_coverage(view.capture, index, lists, view=view)

    return (
        ("net.ioc", ViewRun(ioc)),
        ("net.heuristics", ViewRun(heuristics)),
        ("net.coverage", ViewRun(coverage)),
    )


_PACKAGED_RUNS = network_runs()


def _run_one(
    name: str,
    run: ViewRun,
    capture: NetworkCapture,
    view: CaptureView | None,
    index: IndicatorIndex,
) -> DetectorResult:
    """One detector (given the shared ``view`` when there is one); a failure becomes a "not
    checked" entry instead of ending the scan."""
    try:
        if view is not None:
            return run.body(view, index)
        return run(capture, index)
    except Exception as exc:  # a bug in one detector must not hide the others' findings
        return failed(f"the network checks of {name}", exc)


def detect_network(
    capture: NetworkCapture,
    index: IndicatorIndex,
    input_name: str,
    *,
    allowlist: Allowlist | None = None,
    lists: NetLists | None = None,
) -> DetectorResult:
    """Run the network detectors over ``capture`` and merge their results.

    Findings come sorted (most serious first, then rule id, subject, title), with evidence naming
    ``input_name``; the timeline holds the first contact with each named host and one event per
    timed evidence line. ``allowlist``/``lists`` replace the packaged ones (heuristics only: no
    allowlist ever suppresses an indicator finding).
    """
    runs = _PACKAGED_RUNS
    if allowlist is not None or lists is not None:
        runs = network_runs(allowlist, lists)
    # the detectors make many short-lived objects and no cycles: each full collection would only
    # walk the whole capture again (23,000 connections: 0.1-0.3 s, as much as the detection)
    with collector_paused():
        return _merged(_run_all(runs, capture, index), input_name)


def _run_all(
    runs: tuple[tuple[str, ViewRun], ...], capture: NetworkCapture, index: IndicatorIndex
) -> DetectorResult:
    """Every detector over ``capture``, sharing one view of it."""
    view: CaptureView | None
    try:
        view = build_view(capture)
    except Exception:  # each detector then meets the same error and reports it as "not checked"
        view = None
    total = DetectorResult()
    for name, run in runs:
        total += _run_one(name, run, capture, view, index)
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
