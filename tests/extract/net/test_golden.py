"""Golden file: every record extracted from a small generated phone session."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.model.net import NetworkCapture
from support import check_golden

GOLDEN = Path(__file__).parent / "golden" / "phone_session.json"


def test_phone_session_golden(session_capture: NetworkCapture) -> None:
    check_golden(GOLDEN, session_capture)
