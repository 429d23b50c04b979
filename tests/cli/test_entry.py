"""The console script: ``run`` keeps ``main``'s exit code and skips the exit-time GC walk."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stalkerscan.cli import run

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def _unfrozen() -> Iterator[None]:
    """Give this test process its collector back after ``run`` froze everything alive."""
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("_unfrozen")
@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--version"], 0),
        (["scan", "no-such-capture.pcap"], 2),
    ],
)
def test_run_keeps_the_exit_code_and_freezes(
    argv: list[str], code: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STALKERSCAN_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["stalkerscan", *argv])
    gc.unfreeze()
    with pytest.raises(SystemExit) as stop:
        run()
    assert (stop.value.code or 0) == code
    assert gc.get_freeze_count() > 0


def test_console_script_points_at_run() -> None:
    text = (REPO / "pyproject.toml").read_text("utf-8")
    assert 'stalkerscan = "stalkerscan.cli:run"' in text
