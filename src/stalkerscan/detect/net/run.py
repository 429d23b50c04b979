"""``detect_network``: the single entry point the pipeline calls for a capture."""

from __future__ import annotations

from dataclasses import replace

from stalkerscan.detect import registry
from stalkerscan.detect.base import Detector, DetectorResult
from stalkerscan.detect.net.detectors import coverage_detector, heuristics_detector, ioc_detector
from stalkerscan.detect.net.lists import NetLists
from stalkerscan.detect.net.timeline import evidence_events
from stalkerscan.indicators.allowlist import Allowlist
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Finding, NotChecked, TimelineEvent
from stalkerscan.model.net import NetworkCapture


def _sort_key(finding: Finding) -> tuple[int, str, str, str]:
    return (-finding.severity.rank, finding.rule, finding.subject or "", finding.title)


def _relabel(finding: Finding, input_name: str) -> Finding:
    evidence = tuple(replace(e, input=input_name) for e in finding.evidence)
    return replace(finding, evidence=evidence)


def _run_one(
    detector: Detector[NetworkCapture], capture: NetworkCapture, index: IndicatorIndex
) -> DetectorResult:
    """One detector; a failure becomes a "not checked" entry instead of ending the scan."""
    try:
        return detector.run(capture, index)
    except Exception as exc:  # a bug in one detector must not hide the others' findings
        return DetectorResult(
            not_checked=(
                NotChecked(
                    what=f"the network checks of {detector.name}",
                    why=f"they failed with an internal error ({exc.__class__.__name__}: {exc})",
                ),
            )
        )


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
    detectors = registry.NETWORK_DETECTORS
    if allowlist is not None or lists is not None:
        detectors = (
            ioc_detector(lists),
            heuristics_detector(allowlist, lists),
            coverage_detector(lists),
        )
    total = DetectorResult()
    for detector in detectors:
        total += _run_one(detector, capture, index)
    findings = tuple(sorted((_relabel(f, input_name) for f in total.findings), key=_sort_key))
    timeline: list[TimelineEvent] = [replace(e, input=input_name) for e in total.timeline]
    timeline += evidence_events(findings)
    return DetectorResult(
        findings=findings,
        not_checked=total.not_checked,
        coverage=total.coverage,
        gaps=total.gaps,
        timeline=tuple(sorted(timeline, key=lambda e: (e.time, e.rule or "", e.description))),
    )
