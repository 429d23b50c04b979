"""The network detectors as ``Detector`` values, with their rules and examples.

The module constants use the packaged allowlist and lists (read on first use); the factories take
others, for an examiner's own allowlist or for tests.

A capture is indexed (``naming.build_view``) once per scan: ``detect_network`` builds the view and
hands it to each detector's ``ViewRun.body``. Called as ``Detector.run(capture, index)`` (rule
examples, third-party callers), a detector builds the view itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stalkerscan.detect.base import Detector, DetectorResult
from stalkerscan.detect.net import catalog as c
from stalkerscan.detect.net.coverage import run_coverage
from stalkerscan.detect.net.examples_heuristics import HEURISTIC_EXAMPLES
from stalkerscan.detect.net.examples_ioc import IOC_EXAMPLES
from stalkerscan.detect.net.heuristics import run_heuristics
from stalkerscan.detect.net.ioc import run_ioc
from stalkerscan.detect.net.lists import NetLists
from stalkerscan.detect.net.naming import CaptureView, build_view
from stalkerscan.indicators.allowlist import Allowlist
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model.net import NetworkCapture


@dataclass(frozen=True, slots=True)
class ViewRun:
    """A network detector's ``run``: a body over an indexed capture."""

    body: Callable[[CaptureView, IndicatorIndex], DetectorResult]
    """The detector itself, given the capture's view."""

    def __call__(self, capture: NetworkCapture, index: IndicatorIndex) -> DetectorResult:
        """Index ``capture``, then run the body."""
        return self.body(build_view(capture), index)


def ioc_detector(lists: NetLists | None = None) -> Detector[NetworkCapture]:
    """Indicator rules (never quieted by any allowlist)."""

    def body(view: CaptureView, index: IndicatorIndex) -> DetectorResult:
        return run_ioc(view.capture, index, lists, view=view)

    return Detector("net.ioc", c.IOC_RULES, ViewRun(body), IOC_EXAMPLES)


def heuristics_detector(
    allowlist: Allowlist | None = None, lists: NetLists | None = None
) -> Detector[NetworkCapture]:
    """Heuristic rules and the per-host grouping."""

    def body(view: CaptureView, index: IndicatorIndex) -> DetectorResult:
        return run_heuristics(view.capture, index, allowlist, lists, view=view)

    return Detector(
        "net.heuristics", (*c.HEURISTIC_RULES, c.SEVERAL_SIGNS), ViewRun(body), HEURISTIC_EXAMPLES
    )


def coverage_detector(lists: NetLists | None = None) -> Detector[NetworkCapture]:
    """Coverage facts, gaps and first contacts (no rules of its own)."""

    def body(view: CaptureView, index: IndicatorIndex) -> DetectorResult:
        return run_coverage(view.capture, index, lists, view=view)

    return Detector("net.coverage", (), ViewRun(body), ())


IOC = ioc_detector()
HEURISTICS = heuristics_detector()
COVERAGE = coverage_detector()

NETWORK_DETECTORS: tuple[Detector[NetworkCapture], ...] = (IOC, HEURISTICS, COVERAGE)
"""Network capture detectors, run in this order by ``detect_network``; listed in the registry."""
