"""Fixtures of the Android detection tests: real indicator sets and generated acquisitions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.model.android import AndroidAcquisition
from stalkerscan.pipeline.android_loader import load_android_acquisition
from support.androidgen import Phone, write_androidqf, write_bugreport_zip


@pytest.fixture(scope="session")
def echap_index(echap_dir: Path) -> IndicatorIndex:
    """The real Echap stalkerware-indicators (ioc.yaml, watchware.yaml, samples.csv)."""
    return IndicatorIndex(load_path(echap_dir))


@pytest.fixture(scope="session")
def full_index(echap_dir: Path, shared_data: Path) -> IndicatorIndex:
    """Echap first, then ISDi's app-flags.csv (stalkerware, spyware and dual-use apps)."""
    return IndicatorIndex(load_path(echap_dir) + load_path(shared_data / "isdi" / "app-flags.csv"))


Acquire = Callable[..., AndroidAcquisition]


@pytest.fixture
def acquire(tmp_path: Path) -> Acquire:
    """Write a generated phone as androidqf (or a bugreport with ``bugreport=True``) and load it."""
    counter = iter(range(1000))

    def run(phone: Phone, *, bugreport: bool = False, **options: object) -> AndroidAcquisition:
        target = tmp_path / f"phone{next(counter)}"
        if bugreport:
            return load_android_acquisition(write_bugreport_zip(phone, target.with_suffix(".zip")))
        return load_android_acquisition(write_androidqf(phone, target, **options))

    return run
