"""Helpers for tests of the indicator cache: the user's cache and a freshly built index (the
``private_home`` fixture is in tests/store/conftest.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.store.indicator_cache import IndicatorCache, default_cache


def user_cache() -> IndicatorCache:
    """The cache a scan would use now (the test's home)."""
    cache = default_cache()
    assert cache is not None
    return cache


def fresh_index(paths: Sequence[Path]) -> IndicatorIndex:
    """The index of ``paths`` parsed and built without the cache."""
    return IndicatorIndex([s for p in paths for s in load_path(p)])
