"""The network detectors as ``Detector`` values, with their rules and examples.

The module constants use the packaged allowlist and lists (read on first use); the factories take
others, for an examiner's own allowlist or for tests.
"""

from __future__ import annotations

from functools import partial

from stalkerscan.detect.base import Detector, DetectorResult
from stalkerscan.detect.net import catalog as c
from stalkerscan.detect.net.coverage import run_coverage
from stalkerscan.detect.net.examples_heuristics import HEURISTIC_EXAMPLES
from stalkerscan.detect.net.examples_ioc import IOC_EXAMPLES
from stalkerscan.detect.net.heuristics import run_heuristics
from stalkerscan.detect.net.ioc import run_ioc
from stalkerscan.detect.net.lists import NetLists
from stalkerscan.indicators.allowlist import Allowlist
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model.net import NetworkCapture


def ioc_detector(lists: NetLists | None = None) -> Detector[NetworkCapture]:
    """Indicator rules (never quieted by any allowlist)."""
    run = partial(run_ioc, lists=lists)
    return Detector("net.ioc", c.IOC_RULES, run, IOC_EXAMPLES)


def heuristics_detector(
    allowlist: Allowlist | None = None, lists: NetLists | None = None
) -> Detector[NetworkCapture]:
    """Heuristic rules and the per-host grouping."""
    run = partial(run_heuristics, allowlist=allowlist, lists=lists)
    return Detector(
        "net.heuristics", (*c.HEURISTIC_RULES, c.SEVERAL_SIGNS), run, HEURISTIC_EXAMPLES
    )


def coverage_detector(lists: NetLists | None = None) -> Detector[NetworkCapture]:
    """Coverage facts, gaps and first contacts (no rules of its own)."""

    def run(capture: NetworkCapture, index: IndicatorIndex) -> DetectorResult:
        return run_coverage(capture, index, lists)

    return Detector("net.coverage", (), run, ())


IOC = ioc_detector()
HEURISTICS = heuristics_detector()
COVERAGE = coverage_detector()
