"""Real benign phone captures (nDPI test data): a phone with nothing on it stays below medium."""

from __future__ import annotations

from pathlib import Path

import pytest

from detect.net.helpers import index_of, load_echap_indicators
from stalkerscan.detect.net import detect_network
from stalkerscan.extract.net import extract_capture
from stalkerscan.model import Severity
from stalkerscan.report.document import Verdict, compute_verdict


@pytest.mark.parametrize("name", ["android.pcap", "iphone.pcap", "googledns_android10.pcap"])
def test_benign_capture_has_no_finding_above_low(
    shared_data: Path, echap_dir: Path, name: str
) -> None:
    path = shared_data / "pcaps" / "benign" / name
    capture = extract_capture(path, lambda done, total: None)
    result = detect_network(capture, index_of(*load_echap_indicators(echap_dir)), str(path))
    assert [f for f in result.findings if f.severity > Severity.LOW] == []
    verdict, _ = compute_verdict(result.findings, result.gaps, True)
    assert verdict is not Verdict.STALKERWARE and verdict is not Verdict.SUSPICIOUS
    assert result.gaps  # these captures are a few minutes long: never "nothing found"


def test_private_dns_capture_is_reported_dns_blind(shared_data: Path) -> None:
    path = shared_data / "pcaps" / "benign" / "googledns_android10.pcap"
    capture = extract_capture(path, lambda done, total: None)
    result = detect_network(capture, index_of(), str(path))
    assert any("Not one plain DNS answer" in g.reason for g in result.gaps)
    facts = {f.name: f.value for f in result.coverage}
    assert facts["private_dns"] is True
    assert {f.rule for f in result.findings} == {"net.dns.encrypted"}
