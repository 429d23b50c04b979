"""docs/detection-android.md documents every Android rule and the numbers in use."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.detect.android import ANDROID_DETECTORS
from stalkerscan.detect.android import thresholds as t

DOC = Path(__file__).resolve().parents[3] / "docs" / "detection-android.md"


def test_every_android_rule_is_documented() -> None:
    text = DOC.read_text("utf-8")
    missing = [r.id for d in ANDROID_DETECTORS for r in d.rules if f"`{r.id}`" not in text]
    assert missing == []


def test_documented_numbers_match_the_thresholds() -> None:
    text = DOC.read_text("utf-8")
    assert f"score ≥ {t.HIGH_SCORE} with at least two signs" in text
    assert f"score ≥ {t.COMBINATION_SCORE} with at least two signs" in text
    assert f"score ≥ {t.LOW_SCORE}" in text
    assert f"≤ {t.GENERIC_PACKAGE_MAX_LENGTH} characters" in text
    assert f"last is ≤ {t.GENERIC_PACKAGE_MAX_LAST_LABEL}" in text
    assert f"more than {t.PATCH_MAX_AGE_MONTHS} months" in text
    assert f"at most {t.MAX_DATA_WEIGHT} together" in text
    assert f"At most {t.MAX_EVIDENCE} evidence lines" in text
    for weight in (t.WEIGHT_SIDELOADED, t.WEIGHT_ACCESS, t.WEIGHT_HIDDEN):
        assert f"| {weight} |" in text
