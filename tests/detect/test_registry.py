"""Walk the registry: every rule has words and examples; positives fire, negatives stay silent."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import pytest
import yaml

from stalkerscan.detect.base import Detector, Example
from stalkerscan.detect.registry import (
    ALL_DETECTORS,
    ANDROID_DETECTORS,
    COMMON_FIELDS,
    NETWORK_DETECTORS,
    RULE_FIELDS,
    example_index,
)
from stalkerscan.detect.rules import area_catalog, catalog, placeholders

RULES = [(d, r) for d in ALL_DETECTORS for r in d.rules]
EXAMPLES = [(d, e) for d in ALL_DETECTORS for e in d.examples]


def test_rule_ids_are_unique_stable_slugs() -> None:
    ids = [r.id for _, r in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+){2,}", i) for i in ids)


@pytest.mark.parametrize(("detector", "rule"), RULES, ids=[r.id for _, r in RULES])
def test_rule_has_words_with_known_placeholders(detector: Detector[Any], rule: Any) -> None:
    words = catalog()[rule.id]
    assert words.title and words.explanation and words.advice
    assert rule.id in RULE_FIELDS, f"{rule.id}: declare its fields in registry.RULE_FIELDS"
    known = RULE_FIELDS[rule.id] | COMMON_FIELDS
    for text in (words.title, words.explanation, words.advice):
        assert placeholders(text) <= known, f"{rule.id}: unknown placeholder"
    assert rule.threshold, f"{rule.id}: threshold in words missing"
    assert "clean" not in (words.title + words.explanation + words.advice).lower()


@pytest.mark.parametrize(("detector", "rule"), RULES, ids=[r.id for _, r in RULES])
def test_rule_has_a_positive_and_a_negative_example(detector: Detector[Any], rule: Any) -> None:
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


@pytest.mark.parametrize(
    ("words_file", "detectors"),
    [("net.en.yaml", NETWORK_DETECTORS), ("android.en.yaml", ANDROID_DETECTORS)],
)
def test_words_files_have_no_orphan_entries(
    words_file: str, detectors: tuple[Detector[Any], ...]
) -> None:
    text = (resources.files("stalkerscan") / "detect" / "messages" / words_file).read_text()
    ids = set(yaml.safe_load(text))
    assert ids == {r.id for d in detectors for r in d.rules}


def test_every_area_declares_exactly_its_rules_fields() -> None:
    assert set(RULE_FIELDS) == {r.id for _, r in RULES}


@pytest.mark.parametrize(("detector", "rule"), RULES, ids=[r.id for _, r in RULES])
def test_rule_words_come_from_the_file_of_its_area(detector: Detector[Any], rule: Any) -> None:
    area = rule.id.split(".")[0]
    assert rule.id in area_catalog(area), f"{rule.id}: not in messages/{area}.en.yaml"
    assert rule.message == catalog()[rule.id]


def test_catalog_is_every_area_file_together() -> None:
    merged = {**area_catalog("android"), **area_catalog("net")}
    assert catalog() == merged
    assert area_catalog("nosuch") == {}
