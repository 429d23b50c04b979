"""The explicit registry of built-in detectors, one tuple per area.

The pipeline runs an area's tuple over that area's records (``detect.net.detect_network`` for
captures, ``detect.android.detect_android`` for phone data). To add an area: add its tuple here,
list it in ``ALL_DETECTORS``, and merge its rules' fields into ``RULE_FIELDS``;
``tests/detect/test_registry.py`` then checks its rules' words and examples.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from stalkerscan.detect.android import catalog as android_catalog
from stalkerscan.detect.android.detectors import ANDROID_DETECTORS
from stalkerscan.detect.base import Detector, Example
from stalkerscan.detect.net import catalog as net_catalog
from stalkerscan.detect.net import detectors as net
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import IndicatorSet, IndicatorSetInfo
from stalkerscan.model.net import NetworkCapture

NETWORK_DETECTORS: tuple[Detector[NetworkCapture], ...] = net.NETWORK_DETECTORS
"""Network capture detectors, run in this order by ``detect_network``."""

__all__ = ["ALL_DETECTORS", "ANDROID_DETECTORS", "NETWORK_DETECTORS", "RULE_FIELDS"]

ALL_DETECTORS: tuple[Detector[Any], ...] = (*NETWORK_DETECTORS, *ANDROID_DETECTORS)
"""Every built-in detector, for registry-wide checks (rule words, examples, docs)."""

RULE_FIELDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {**net_catalog.FIELDS, **android_catalog.FIELDS}
)
"""Rule id -> the ``{placeholders}`` its words may use besides ``subject`` and ``app``.
An area adds its own mapping here with its tuple."""

COMMON_FIELDS = frozenset({"subject", "app"})
"""Placeholders ``Rule.finding`` always fills."""


def example_index(example: Example[Any]) -> IndicatorIndex:
    """An index holding exactly the indicators of ``example``."""
    info = IndicatorSetInfo(
        name="examples",
        source="rule examples",
        sha256="0" * 64,
        format="examples",
        counts=(),
        skipped=0,
    )
    return IndicatorIndex([IndicatorSet(info, example.indicators)])
