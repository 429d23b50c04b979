"""Small helpers of the Android detection tests."""

from __future__ import annotations

from stalkerscan.detect.base import DetectorResult
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Finding, Indicator, IndicatorSet, IndicatorSetInfo


def index_of(*indicators: Indicator, name: str = "examples") -> IndicatorIndex:
    """An index over ``indicators`` as one set."""
    info = IndicatorSetInfo(name, "test", "0" * 64, "examples", (), 0)
    return IndicatorIndex([IndicatorSet(info, tuple(indicators))])


def about(result: DetectorResult, subject: str) -> list[Finding]:
    """The findings about ``subject``."""
    return [f for f in result.findings if f.subject == subject]


def one(result: DetectorResult, subject: str) -> Finding:
    """The single finding about ``subject`` (fails if there are none or several)."""
    found = about(result, subject)
    assert len(found) == 1, [(f.rule, f.title) for f in found]
    return found[0]


def rules(result: DetectorResult) -> set[str]:
    return {f.rule for f in result.findings}
