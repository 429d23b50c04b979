"""docs/detection-network.md documents every network rule and the thresholds in use."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.detect.net import thresholds as t
from stalkerscan.detect.registry import NETWORK_DETECTORS

DOC = Path(__file__).resolve().parents[3] / "docs" / "detection-network.md"


def test_every_network_rule_is_documented() -> None:
    text = DOC.read_text("utf-8")
    missing = [r.id for d in NETWORK_DETECTORS for r in d.rules if f"`{r.id}`" not in text]
    assert missing == []


def test_documented_numbers_match_the_thresholds() -> None:
    text = DOC.read_text("utf-8")
    ports = ", ".join(str(p) for p in sorted(t.TLS_STANDARD_PORTS))
    assert ports in text
    assert f">= {t.BEACON_MIN_CONTACTS} contacts" in text
    assert f"coefficient of variation < {t.BEACON_MAX_CV}" in text
    assert f">= {t.GROUP_MIN_SIGNS} distinct heuristics" in text
    assert f"under {t.MIN_CAPTURE_SECONDS / 60:g} minutes" in text
    assert f"at least {t.RECOMMENDED_CAPTURE_MINUTES} minutes" in text
    assert f"> {t.UPLOAD_MIN_BYTES // 1_000_000} MB sent" in text
