"""Shared test fixtures. Real data from ../shared/data is found here, and only here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.build import stale_builds

REPO = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """Stop before any test if a compiled module is stale: the tests would run the old build."""
    stale = stale_builds(REPO / "src")
    if stale:
        pytest.exit(
            f"{', '.join(stale)} changed after it was compiled: run `.venv/bin/pip install -e .` "
            "to build it again (or install with STALKERSCAN_PURE_PYTHON=1 to run it as Python)",
            returncode=2,
        )


def _shared_data_dir() -> Path | None:
    env = os.environ.get("STALKERSCAN_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared" / "data", REPO.parent.parent / "shared" / "data"]
    for path in candidates:
        if (path / "stalkerware-indicators" / "ioc.yaml").is_file():
            return path
    return None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real test data (Echap indicators, MVT artifacts, benign captures, ISDi list).

    Set STALKERSCAN_SHARED_DATA to point at it; CI always has it beside the repository.
    """
    path = _shared_data_dir()
    if path is None:
        pytest.skip(
            "real test data not found: set STALKERSCAN_SHARED_DATA to the shared/data folder "
            "(it holds the Echap indicators, MVT artifacts and benign captures)"
        )
    return path


@pytest.fixture(scope="session")
def echap_dir(shared_data: Path) -> Path:
    """The Echap stalkerware-indicators folder."""
    return shared_data / "stalkerware-indicators"


def update_goldens() -> bool:
    """Golden files are rewritten instead of compared when UPDATE_GOLDENS=1."""
    return os.environ.get("UPDATE_GOLDENS") == "1"
