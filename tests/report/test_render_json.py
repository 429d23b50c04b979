"""The JSON report: schema-valid, deterministic, complete, in the documented key order."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from jsonschema import Draft202012Validator

from report.documents import DOCUMENTS, stalkerware_document
from report.golden import assert_golden
from report.schema_tools import shipped_validator, strict_validator
from stalkerscan.model import (
    Confidence,
    CoverageFact,
    IndicatorKind,
    InputKind,
    Role,
    Severity,
    Threat,
)
from stalkerscan.report.document import SCHEMA_VERSION, Verdict
from stalkerscan.report.load_json import report_schema
from stalkerscan.report.render_json import document_to_dict, render_json

TOP_KEYS = [
    "schema_version",
    "tool",
    "generated_at",
    "inputs",
    "indicator_sets",
    "verdict",
    "verdict_reason",
    "findings",
    "not_checked",
    "coverage",
    "gaps",
    "timeline",
]


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(report_schema())
    assert report_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_rendered_json_matches_golden(name: str) -> None:
    assert_golden(f"{name}.json", render_json(DOCUMENTS[name]()))


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_rendered_json_is_valid_against_strict_schema(name: str) -> None:
    data = json.loads(render_json(DOCUMENTS[name]()))
    errors = [e.message for e in strict_validator().iter_errors(data)]
    assert errors == []
    assert list(data) == TOP_KEYS
    assert data["schema_version"] == SCHEMA_VERSION


def test_rendering_is_deterministic() -> None:
    assert render_json(stalkerware_document()) == render_json(stalkerware_document())


def test_finding_fields_are_all_written() -> None:
    data = document_to_dict(stalkerware_document())
    c2 = data["findings"][0]
    assert c2["rule"] == "net.ioc.c2_domain"
    assert c2["severity"] == "critical"
    assert c2["confidence"] == "confirmed"
    assert c2["indicator"] == {
        "kind": "domain",
        "value": "media-sync-a748.thetruthspy.com",
        "set": "echap-stalkerware-indicators",
        "app": "TheTruthSpy",
        "role": "c2",
        "threat": "stalkerware",
        "tags": [],
    }
    assert len(c2["evidence"]) == 7
    assert c2["evidence"][5] == {
        "input": "captures/phone-2026-06-23.pcapng",
        "locator": "packet 1440",
        "observed": "TLS connection to 69.64.81.49 naming media-sync-a748.thetruthspy.com",
        "time": None,
    }
    heuristic = data["findings"][1]
    assert heuristic["indicator"] is None
    assert heuristic["reasons"][1] == "it uses port 8443, not a usual web port"
    assert data["coverage"]["network"]["named_flow_share"] == {
        "value": 0.93,
        "label": "93% of connections had a server name (DNS, TLS or HTTP)",
    }
    assert data["indicator_sets"][0]["counts"]["domain"] == 3874
    assert data["inputs"][0]["size"] == 18_734_112


def test_non_ascii_is_written_as_utf8_not_escaped() -> None:
    text = render_json(DOCUMENTS["suspicious"]())
    assert "“System Service”" in text
    assert "\\u201c" not in text
    assert text.endswith("}\n")


def test_coverage_groups_by_area_in_first_seen_order() -> None:
    doc = replace(
        stalkerware_document(),
        coverage=(
            CoverageFact("network", "packets", 10, "10 packets read"),
            CoverageFact("android", "packages", 3, "3 apps checked"),
            CoverageFact("network", "truncated", True, "The capture ended early"),
        ),
    )
    coverage = document_to_dict(doc)["coverage"]
    assert list(coverage) == ["network", "android"]
    assert list(coverage["network"]) == ["packets", "truncated"]
    assert coverage["network"]["truncated"]["value"] is True


def test_duplicate_coverage_fact_is_refused() -> None:
    doc = replace(
        stalkerware_document(),
        coverage=(
            CoverageFact("network", "packets", 10, "10 packets read"),
            CoverageFact("network", "packets", 12, "12 packets read"),
        ),
    )
    with pytest.raises(ValueError, match="share area 'network' and name 'packets'"):
        document_to_dict(doc)


def test_not_a_number_is_refused_rather_than_written_as_invalid_json() -> None:
    doc = replace(
        stalkerware_document(),
        coverage=(CoverageFact("network", "named_flow_share", float("nan"), "no flows"),),
    )
    with pytest.raises(ValueError, match="JSON compliant"):
        render_json(doc)


def _enum(path: list[str]) -> list[str]:
    node = report_schema()
    for key in path:
        node = node[key]
    return list(node["enum"])


@pytest.mark.parametrize(
    ("path", "values"),
    [
        (["properties", "verdict"], [v.value for v in Verdict]),
        (["$defs", "finding", "properties", "severity"], [s.value for s in Severity]),
        (["$defs", "finding", "properties", "confidence"], [c.value for c in Confidence]),
        (["$defs", "input", "properties", "kind"], [k.value for k in InputKind]),
        (["$defs", "indicator", "properties", "kind"], [k.value for k in IndicatorKind]),
        (["$defs", "indicator", "properties", "role"], [r.value for r in Role]),
        (["$defs", "indicator", "properties", "threat"], [t.value for t in Threat]),
    ],
)
def test_schema_enums_match_the_model(path: list[str], values: list[str]) -> None:
    assert _enum(path) == values


def test_schema_rejects_a_bad_enum_and_a_missing_key() -> None:
    data = document_to_dict(stalkerware_document())
    data["findings"][0]["severity"] = "urgent"
    del data["gaps"]
    messages = sorted(e.message for e in shipped_validator().iter_errors(data))
    assert any("'urgent' is not one of" in m for m in messages)
    assert "'gaps' is a required property" in messages
