"""Android rule policy: ids, severities, removal advice (the registry walk is in test_registry)."""

from __future__ import annotations

import re

from stalkerscan.detect.android import ANDROID_DETECTORS
from stalkerscan.detect.android.catalog import FIELDS
from stalkerscan.detect.rules import catalog
from stalkerscan.model import Severity

RULES = [(d, r) for d in ANDROID_DETECTORS for r in d.rules]


def test_rule_ids_are_unique_android_slugs() -> None:
    ids = [r.id for _, r in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"android(\.[a-z0-9_]+){2,}", i) for i in ids)
    assert set(FIELDS) == set(ids), "FIELDS must declare exactly the Android rules"


def test_removal_advice_says_to_keep_evidence_and_plan_first() -> None:
    """Every rule about an app on a stalkerware list warns that removal can alert the abuser."""
    for rule_id in ("android.ioc.certificate", "android.ioc.apk_hash", "android.ioc.package"):
        advice = catalog()[rule_id].advice.lower()
        assert "do not uninstall" in advice
        assert "alert" in advice
        assert "safety plan" in advice


def test_stalkerware_rules_are_the_strongest() -> None:
    by_id = {r.id: r for _, r in RULES}
    for rule_id in ("android.ioc.certificate", "android.ioc.apk_hash", "android.ioc.package"):
        assert by_id[rule_id].severity is Severity.CRITICAL
    assert by_id["android.ioc.watchware"].severity is Severity.MEDIUM
    assert by_id["android.ioc.dual_use"].severity is Severity.LOW
