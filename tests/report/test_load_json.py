"""Loading a saved JSON report: the exact inverse of rendering, with clear errors and migration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from report.documents import DOCUMENTS, stalkerware_document
from stalkerscan.model.errors import InputFormatError, UserError
from stalkerscan.report.document import SCHEMA_VERSION, ReportDocument
from stalkerscan.report.load_json import (
    MIGRATIONS,
    document_from_dict,
    load_report,
    migrate,
    parse_report,
)
from stalkerscan.report.render_json import document_to_dict, render_json


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_round_trip_is_exact(name: str, tmp_path: Path) -> None:
    doc = DOCUMENTS[name]()
    path = tmp_path / "report.json"
    path.write_text(render_json(doc), encoding="utf-8")
    loaded = load_report(path)
    assert loaded == doc
    assert render_json(loaded) == render_json(doc)


def test_document_from_dict_inverts_document_to_dict() -> None:
    doc = stalkerware_document()
    assert document_from_dict(document_to_dict(doc)) == doc


def _saved(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "saved.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _error(tmp_path: Path, content: str | bytes) -> InputFormatError:
    with pytest.raises(InputFormatError) as info:
        load_report(_saved(tmp_path, content))
    return info.value


def test_invalid_json_names_the_place(tmp_path: Path) -> None:
    err = _error(tmp_path, '{"schema_version": "1.0",\n  "tool": }')
    assert "saved.json is not valid JSON (line 2, column 11" in err.problem
    assert "stalkerscan scan" in err.fix
    assert err.line().startswith("error: ")
    assert "\n" not in err.line()


def test_binary_file_is_not_a_report(tmp_path: Path) -> None:
    err = _error(tmp_path, b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00\xff\xfe")
    assert "not UTF-8 text" in err.problem


@pytest.mark.parametrize(
    "content",
    [
        '{"name": "my-package", "version": "1.0.0"}',
        "[1, 2, 3]",
        '"a string"',
        '{"schema_version": "1.0", "tool": {"name": "other-tool", "version": "2"}}',
        '{"schema_version": "one", "tool": {"name": "stalkerscan", "version": "0.1.0"}}',
    ],
)
def test_other_json_is_not_a_stalkerscan_report(tmp_path: Path, content: str) -> None:
    err = _error(tmp_path, content)
    assert "is JSON but not a stalkerscan report" in err.problem


def _report_dict() -> dict[str, Any]:
    return document_to_dict(stalkerware_document())


def test_newer_major_version_is_refused_with_a_fix(tmp_path: Path) -> None:
    data = _report_dict()
    data["schema_version"] = "2.0"
    err = _error(tmp_path, json.dumps(data))
    assert "format 2.0, newer than this stalkerscan reads (1.x)" in err.problem
    assert "Update stalkerscan" in err.fix


def test_newer_minor_version_loads_and_drops_unknown_keys(tmp_path: Path) -> None:
    data = _report_dict()
    data["schema_version"] = "1.4"
    data["case_id"] = "2026-06-23-001"
    data["findings"][0]["mitre"] = ["T1430"]
    loaded = load_report(_saved(tmp_path, json.dumps(data)))
    assert loaded == stalkerware_document()
    assert loaded.schema_version == SCHEMA_VERSION


def test_newer_minor_that_breaks_the_schema_says_to_update(tmp_path: Path) -> None:
    data = _report_dict()
    data["schema_version"] = "1.4"
    data["findings"][0]["severity"] = "urgent"
    err = _error(tmp_path, json.dumps(data))
    assert "newer stalkerscan" in err.fix


def test_schema_violation_names_the_json_path(tmp_path: Path) -> None:
    data = _report_dict()
    data["findings"][1]["severity"] = "urgent"
    err = _error(tmp_path, json.dumps(data))
    assert "is not a valid stalkerscan report (at $.findings[1].severity:" in err.problem
    assert "'urgent' is not one of" in err.problem
    assert "original file" in err.fix


def test_missing_key_is_a_schema_violation(tmp_path: Path) -> None:
    data = _report_dict()
    del data["findings"][0]["evidence"][2]["locator"]
    err = _error(tmp_path, json.dumps(data))
    assert "$.findings[0].evidence[2]" in err.problem
    assert "'locator' is a required property" in err.problem


def test_nan_is_refused(tmp_path: Path) -> None:
    text = render_json(stalkerware_document()).replace('"value": 0.93', '"value": NaN')
    err = _error(tmp_path, text)
    assert "NaN is not allowed" in err.problem


def test_missing_file_and_folder_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        load_report(tmp_path / "nope.json")
    with pytest.raises(UserError, match="is a folder"):
        load_report(tmp_path)


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    doc = stalkerware_document()
    path = _saved(tmp_path, "\ufeff" + render_json(doc))
    assert load_report(path) == doc


def _as_0_9(doc: ReportDocument) -> dict[str, Any]:
    """The pre-1.0 shape (format 0.9): no gaps, no verdict_reason, coverage as a flat list."""
    data = document_to_dict(doc)
    del data["gaps"]
    del data["verdict_reason"]
    data["coverage"] = [
        {"area": f.area, "name": f.name, "value": f.value, "label": f.label} for f in doc.coverage
    ]
    data["schema_version"] = "0.9"
    return data


def test_format_0_9_is_migrated() -> None:
    doc = stalkerware_document()
    loaded = parse_report(json.dumps(_as_0_9(doc)), origin="old.json")
    assert loaded.schema_version == SCHEMA_VERSION
    assert loaded.coverage == doc.coverage
    assert loaded.findings == doc.findings
    assert loaded.gaps == ()
    assert "older stalkerscan (format 0.9)" in loaded.verdict_reason
    assert loaded.verdict == doc.verdict


def test_an_old_version_without_a_migration_step_is_too_old() -> None:
    data = _as_0_9(stalkerware_document())
    assert migrate(data, steps=()) is data
    with pytest.raises(InputFormatError, match=r"format 0\.5, too old .* no way to convert 0\.5"):
        document_from_dict({**data, "schema_version": "0.5"}, origin="old.json")


def test_migration_steps_chain_in_order() -> None:
    calls: list[str] = []

    def step(to: str) -> Any:
        def run(data: dict[str, Any]) -> dict[str, Any]:
            calls.append(f"{data['schema_version']}->{to}")
            return {**data, "schema_version": to}

        return run

    out = migrate({"schema_version": "0.7"}, steps=(("0.8", step("0.9")), ("0.7", step("0.8"))))
    assert out == {"schema_version": "0.9"}
    assert calls == ["0.7->0.8", "0.8->0.9"]


def test_a_step_that_does_not_move_forward_is_a_bug() -> None:
    with pytest.raises(ValueError, match="did not move to a later version"):
        migrate({"schema_version": "0.9"}, steps=(("0.9", lambda d: {**d}),))


def test_shipped_migrations_start_below_the_current_version() -> None:
    current = tuple(int(p) for p in SCHEMA_VERSION.split("."))
    for version, _ in MIGRATIONS:
        assert tuple(int(p) for p in version.split(".")) < current


def test_a_damaged_0_9_report_is_reported_not_guessed() -> None:
    data = _as_0_9(stalkerware_document())
    data["coverage"] = {"network": "lots"}
    with pytest.raises(InputFormatError, match=r"at \$\.coverage\.network: 'lots' is not of type"):
        document_from_dict(data, origin="old.json")
