"""What every detector returns, and how it declares its rules and examples."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from stalkerscan.detect.rules import Rule
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import (
    CoverageFact,
    CoverageGap,
    Finding,
    Indicator,
    NotChecked,
    TimelineEvent,
)

RecordsT = TypeVar("RecordsT")


@dataclass(frozen=True, slots=True)
class DetectorResult:
    """The output of one detector over one input's records."""

    findings: tuple[Finding, ...] = ()
    not_checked: tuple[NotChecked, ...] = ()
    coverage: tuple[CoverageFact, ...] = ()
    gaps: tuple[CoverageGap, ...] = ()
    """Limits that stop any conclusion (the verdict becomes ``inconclusive``)."""
    timeline: tuple[TimelineEvent, ...] = ()

    def __add__(self, other: DetectorResult) -> DetectorResult:
        return DetectorResult(
            findings=self.findings + other.findings,
            not_checked=self.not_checked + other.not_checked,
            coverage=self.coverage + other.coverage,
            gaps=self.gaps + other.gaps,
            timeline=self.timeline + other.timeline,
        )


def relabel(finding: Finding, input_name: str) -> Finding:
    """The finding with every evidence line naming ``input_name``."""
    evidence = tuple(replace(e, input=input_name) for e in finding.evidence)
    return replace(finding, evidence=evidence)


def failed(what: str, exc: Exception) -> DetectorResult:
    """A detector that crashed: "not checked" instead of an ended scan (``what``: its checks)."""
    why = f"they failed with an internal error ({exc.__class__.__name__}: {exc})"
    return DetectorResult(not_checked=(NotChecked(what=what, why=why),))


@dataclass(frozen=True, slots=True)
class Example(Generic[RecordsT]):
    """A worked example of one rule: records, indicators, and whether the rule must fire."""

    rule: str
    fires: bool
    description: str
    records: RecordsT
    indicators: tuple[Indicator, ...] = ()


@dataclass(frozen=True, slots=True)
class Detector(Generic[RecordsT]):
    """A pure detector: records + index -> findings. Registered in ``detect/registry.py``."""

    name: str
    """Stable name, e.g. ``net.ioc``."""
    rules: tuple[Rule, ...]
    run: Callable[[RecordsT, IndicatorIndex], DetectorResult]
    examples: tuple[Example[RecordsT], ...]
