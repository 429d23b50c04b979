"""Golden file: everything the Android checks say about one generated stalkerware phone.

The phone (support.androidgen's stalkerware scenario with TheTruthSpy's real package and signing
certificate, rooted) is written in androidqf's format, read back, and checked against the real
Echap indicators. Findings, "not checked" parts, gaps and the timeline are dumped as sorted JSON;
``UPDATE_GOLDENS=1`` rewrites the file after a deliberate change.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from conftest import update_goldens
from stalkerscan.detect.android import detect_android
from stalkerscan.indicators.index import IndicatorIndex
from support import dump_json
from support.androidgen import rooted, stalkerware_phone

from .conftest import Acquire

GOLDEN = Path(__file__).parent / "golden" / "stalkerware_phone.json"


def test_stalkerware_phone_golden(acquire: Acquire, echap_index: IndicatorIndex) -> None:
    phone = rooted(
        stalkerware_phone("com.systemservice", "31A6ECECD97CF39BC4126B8745CD94A7C30BF81C")
    )
    result = detect_android(acquire(phone), echap_index, "stalkerware-phone")
    actual = dump_json(
        {
            "findings": result.findings,
            "not_checked": result.not_checked,
            "gaps": result.gaps,
            "timeline": result.timeline,
        }
    )
    if update_goldens():
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8")
        return
    if not GOLDEN.is_file():
        pytest.fail(f"{GOLDEN} is missing: run the tests with UPDATE_GOLDENS=1 to write it")
    expected = GOLDEN.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), actual.splitlines(True), str(GOLDEN), "now", n=2
            )
        )
        pytest.fail(f"findings differ from the golden file (UPDATE_GOLDENS=1 rewrites):\n{diff}")
