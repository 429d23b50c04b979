"""The whole pipeline on the repository's example capture, compared with a golden JSON report."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from report.golden import assert_golden
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.pipeline import ScanOptions, run_scan
from stalkerscan.report.render_json import render_json

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def test_example_capture_report_matches_golden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    index = IndicatorIndex(load_path(Path("examples/indicators")))
    clock = lambda: datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)  # noqa: E731
    doc = run_scan(["examples/phone-capture.pcapng"], index, ScanOptions(clock=clock))
    assert_golden("example-capture.json", render_json(doc), HERE / "golden")
