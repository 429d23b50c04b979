"""Typed, frozen records that cross module boundaries."""

from stalkerscan.model.finding import (
    Confidence,
    CoverageFact,
    CoverageGap,
    Evidence,
    Finding,
    NotChecked,
    TimelineEvent,
    finding_order,
)
from stalkerscan.model.indicator import (
    Indicator,
    IndicatorKind,
    IndicatorMatch,
    IndicatorSet,
    IndicatorSetInfo,
    MatchHow,
    Role,
    SkippedEntry,
    Threat,
)
from stalkerscan.model.inputs import InputKind, InputRef
from stalkerscan.model.severity import Severity

__all__ = [
    "Confidence",
    "CoverageFact",
    "CoverageGap",
    "Evidence",
    "Finding",
    "Indicator",
    "IndicatorKind",
    "IndicatorMatch",
    "IndicatorSet",
    "IndicatorSetInfo",
    "InputKind",
    "InputRef",
    "MatchHow",
    "NotChecked",
    "Role",
    "Severity",
    "SkippedEntry",
    "Threat",
    "TimelineEvent",
    "finding_order",
]
