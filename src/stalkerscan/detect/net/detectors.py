"""The network detectors as ``Detector`` values: each run with its rules and worked examples.

The runs themselves (``run.network_runs``) are what ``detect_network`` executes; a scan does not
import this module, so it does not build the examples' captures. The registry lists these values
for the checks that walk every rule (words, examples, docs).

Called as ``Detector.run(capture, index)`` (rule examples, third-party callers), a detector
indexes the capture itself.
"""

from __future__ import annotations

from stalkerscan.detect.base import Detector, Example
from stalkerscan.detect.net import catalog as c
from stalkerscan.detect.net.examples_heuristics import HEURISTIC_EXAMPLES
from stalkerscan.detect.net.examples_ioc import IOC_EXAMPLES
from stalkerscan.detect.net.lists import NetLists
from stalkerscan.detect.net.run import network_runs
from stalkerscan.detect.rules import Rule
from stalkerscan.indicators.allowlist import Allowlist
from stalkerscan.model.net import NetworkCapture

_DECLARED: dict[str, tuple[tuple[Rule, ...], tuple[Example[NetworkCapture], ...]]] = {
    "net.ioc": (c.IOC_RULES, IOC_EXAMPLES),
    "net.heuristics": ((*c.HEURISTIC_RULES, c.SEVERAL_SIGNS), HEURISTIC_EXAMPLES),
    "net.coverage": ((), ()),
}
"""Each network run's rules and examples, by name (coverage has no rules of its own)."""


def network_detectors(
    allowlist: Allowlist | None = None, lists: NetLists | None = None
) -> tuple[Detector[NetworkCapture], ...]:
    """The network detectors in the order ``detect_network`` runs them; ``allowlist`` and
    ``lists`` replace the packaged ones (an examiner's own, or a test's)."""
    return tuple(
        Detector(name, _DECLARED[name][0], run, _DECLARED[name][1])
        for name, run in network_runs(allowlist, lists)
    )


NETWORK_DETECTORS: tuple[Detector[NetworkCapture], ...] = network_detectors()
"""Network capture detectors, with the packaged allowlist and lists; listed in the registry."""
IOC, HEURISTICS, COVERAGE = NETWORK_DETECTORS
