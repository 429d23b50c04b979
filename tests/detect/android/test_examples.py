"""Walk ANDROID_DETECTORS: words, examples; positives fire and negatives stay silent."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import pytest
import yaml

from stalkerscan.detect.android import ANDROID_DETECTORS
from stalkerscan.detect.android.catalog import ALWAYS_FIELDS, FIELDS
from stalkerscan.detect.base import Detector, Example
from stalkerscan.detect.registry import example_index
from stalkerscan.detect.rules import Rule, catalog, placeholders
from stalkerscan.model import Severity

RULES = [(d, r) for d in ANDROID_DETECTORS for r in d.rules]
EXAMPLES = [(d, e) for d in ANDROID_DETECTORS for e in d.examples]


def test_rule_ids_are_unique_android_slugs() -> None:
    ids = [r.id for _, r in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"android(\.[a-z0-9_]+){2,}", i) for i in ids)
    assert set(FIELDS) == set(ids), "FIELDS must declare exactly the Android rules"


@pytest.mark.parametrize(("detector", "rule"), RULES, ids=[r.id for _, r in RULES])
def test_rule_has_words_with_only_known_placeholders(detector: Detector[Any], rule: Rule) -> None:
    words = catalog()[rule.id]
    assert words.title and words.explanation and words.advice
    known = FIELDS[rule.id] | ALWAYS_FIELDS
    for text in (words.title, words.explanation, words.advice):
        assert placeholders(text) <= known, f"{rule.id}: unknown placeholder in {text!r}"
    assert rule.threshold, f"{rule.id}: threshold in words missing"
    everything = (words.title + words.explanation + words.advice).lower()
    assert "clean" not in everything


@pytest.mark.parametrize(("detector", "rule"), RULES, ids=[r.id for _, r in RULES])
def test_rule_has_a_positive_and_a_negative_example(detector: Detector[Any], rule: Rule) -> None:
    mine = [e for e in detector.examples if e.rule == rule.id]
    assert any(e.fires for e in mine), f"{rule.id}: no positive example"
    assert any(not e.fires for e in mine), f"{rule.id}: no negative example"


@pytest.mark.parametrize(
    ("detector", "example"), EXAMPLES, ids=[f"{e.rule}:{e.description}" for _, e in EXAMPLES]
)
def test_example_fires_or_stays_silent(detector: Detector[Any], example: Example[Any]) -> None:
    result = detector.run(example.records, example_index(example))
    fired = [f for f in result.findings if f.rule == example.rule]
    assert bool(fired) == example.fires, example.description
    for finding in fired:
        assert finding.evidence, "a finding without evidence cannot be checked by hand"
        assert "{" not in finding.title + finding.explanation + finding.advice
        assert finding.subject


def test_every_example_names_a_rule_of_its_detector() -> None:
    for detector, example in EXAMPLES:
        assert example.rule in {r.id for r in detector.rules}


def test_android_words_file_has_no_orphan_entries() -> None:
    folder = resources.files("stalkerscan") / "detect" / "messages"
    ids = set(yaml.safe_load((folder / "android.en.yaml").read_text("utf-8")))
    assert ids == {r.id for _, r in RULES}


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
