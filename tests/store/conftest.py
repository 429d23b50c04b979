"""Fixtures of the store tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stalkerscan home of the test's own, with the indicator cache turned on."""
    monkeypatch.setenv("STALKERSCAN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("STALKERSCAN_NO_CACHE", raising=False)
