"""Load a saved JSON report back into a ReportDocument, to re-render it without re-analysis.

Loading is the exact inverse of ``render_json.document_to_dict`` for the current format. In order:

1. the JSON must be an object with a ``schema_version`` and ``tool.name == "stalkerscan"``
   (otherwise it is "not a stalkerscan report");
2. a newer major version is refused (this stalkerscan cannot know what changed);
3. older versions are brought up to date by the ``MIGRATIONS`` steps, one version at a time;
4. the result is validated against ``report.schema.json``;
5. the records are built. The loaded document is always in this stalkerscan's format
   (``SCHEMA_VERSION``): keys added by a newer minor version are dropped.

Every failure is an ``InputFormatError`` naming the file, what is wrong, and what to do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from stalkerscan.model import (
    Confidence,
    CoverageFact,
    CoverageGap,
    Evidence,
    Finding,
    Indicator,
    IndicatorKind,
    IndicatorSetInfo,
    InputKind,
    InputRef,
    NotChecked,
    Role,
    Severity,
    Threat,
    TimelineEvent,
)
from stalkerscan.model.errors import InputFormatError, UserError
from stalkerscan.model.packaged import read_packaged_text
from stalkerscan.report.document import SCHEMA_VERSION, ReportDocument, ToolInfo, Verdict

JsonObject = dict[str, Any]
Migration = Callable[[JsonObject], JsonObject]
"""One migration step: takes a report dict of one version, returns a new dict of a later version."""

_VERSION = re.compile(r"(\d+)\.(\d+)")
_FIX_ORIGINAL = (
    "The file may have been edited or damaged: use the original file saved by the scan, "
    "or scan the inputs again"
)


def _from_0_9(data: JsonObject) -> JsonObject:
    """Format 0.9 (pre-release) -> 1.0.

    0.9 had no ``gaps`` and no ``verdict_reason``, and ``coverage`` was a flat list of
    ``{area, name, value, label}``. 1.0 groups coverage by area, and records the gaps and the
    reason for the verdict; 0.9 did not save them, so the reason says so and gaps stay empty.
    """
    out = dict(data)
    facts = data.get("coverage", [])
    if isinstance(facts, list) and all(isinstance(f, Mapping) for f in facts):
        coverage: JsonObject = {}
        for fact in facts:
            area = coverage.setdefault(str(fact.get("area")), {})
            area[str(fact.get("name"))] = {"value": fact.get("value"), "label": fact.get("label")}
        out["coverage"] = coverage
    # any other shape is left as it is: validation then names what is wrong with it
    out["gaps"] = []
    out["verdict_reason"] = (
        "This report was saved by an older stalkerscan (format 0.9), "
        "which did not record the reason for its verdict."
    )
    out["schema_version"] = "1.0"
    return out


MIGRATIONS: tuple[tuple[str, Migration], ...] = (("0.9", _from_0_9),)
"""Migration steps as (from_version, step); each returns a later version. One per format change."""


def load_report(path: str | Path) -> ReportDocument:
    """Read a saved JSON report file."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise UserError(
            f"{file} does not exist", "Check the path of the saved JSON report"
        ) from None
    except IsADirectoryError:
        raise UserError(f"{file} is a folder", "Give the saved .json report file itself") from None
    except OSError as err:
        raise UserError(
            f"cannot read {file}: {err.strerror or err}", "Check the path and its permissions"
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFormatError(
            f"{file} is not a JSON report (it is not UTF-8 text)", _fix_give_report()
        ) from None
    return parse_report(text, origin=str(file))


def parse_report(text: str, *, origin: str = "the report") -> ReportDocument:
    """Parse the text of a saved JSON report; ``origin`` names it in error messages."""
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise InputFormatError(
            f"{origin} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})",
            _fix_give_report(),
        ) from None
    except ValueError as err:
        raise InputFormatError(f"{origin} is not valid JSON ({err})", _fix_give_report()) from None
    return document_from_dict(data, origin=origin)


def document_from_dict(data: object, *, origin: str = "the report") -> ReportDocument:
    """The ReportDocument a JSON report dict describes: version check, migration, validation."""
    report, version = _report_header(data, origin)
    current = _parse_version(SCHEMA_VERSION)
    if version[0] > current[0]:
        raise InputFormatError(
            f"{origin} is a report in format {_fmt(version)}, newer than this stalkerscan reads "
            f"({current[0]}.x)",
            "Update stalkerscan to a version that reads it, or open it with the stalkerscan "
            "that wrote it",
        )
    migrated = migrate(dict(report))
    migrated_version = _parse_version(str(migrated["schema_version"]))
    if migrated_version[0] < current[0]:
        raise InputFormatError(
            f"{origin} is a report in format {_fmt(version)}, too old for this stalkerscan "
            f"(it reads {current[0]}.x and knows no way to convert {_fmt(version)})",
            "Open it with the stalkerscan version that wrote it, or scan the inputs again",
        )
    _validate(migrated, origin, newer=migrated_version > current)
    return _build(migrated)


def migrate(data: JsonObject, steps: tuple[tuple[str, Migration], ...] = MIGRATIONS) -> JsonObject:
    """Apply migration steps until no step starts at the data's version."""
    by_version = dict(steps)
    while (version := str(data.get("schema_version"))) in by_version:
        before = _parse_version(version)
        data = by_version[version](data)
        after = _parse_version(str(data.get("schema_version")))
        if after <= before:
            raise ValueError(f"migration from {version} did not move to a later version")
    return data


@cache
def report_schema() -> JsonObject:
    """The JSON Schema (draft 2020-12) of the current report format."""
    text = read_packaged_text("report", "report.schema.json")
    schema: JsonObject = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(report_schema())


def _validate(data: JsonObject, origin: str, *, newer: bool) -> None:
    error = best_match(_validator().iter_errors(data))
    if error is None:
        return
    message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
    fix = (
        "It was written by a newer stalkerscan: update stalkerscan to read it"
        if newer
        else _FIX_ORIGINAL
    )
    raise InputFormatError(
        f"{origin} is not a valid stalkerscan report (at {error.json_path}: {message})", fix
    )


def _report_header(data: object, origin: str) -> tuple[Mapping[str, Any], tuple[int, int]]:
    """The data as a mapping and its format version, if it is a stalkerscan report at all."""
    report = data if isinstance(data, Mapping) else {}
    tool = report.get("tool")
    version = report.get("schema_version")
    parsed = _VERSION.fullmatch(version) if isinstance(version, str) else None
    if not isinstance(tool, Mapping) or tool.get("name") != "stalkerscan" or parsed is None:
        raise InputFormatError(
            f"{origin} is JSON but not a stalkerscan report (no stalkerscan tool name and "
            "schema_version)",
            _fix_give_report(),
        )
    return report, (int(parsed.group(1)), int(parsed.group(2)))


def _parse_version(text: str) -> tuple[int, int]:
    match = _VERSION.fullmatch(text)
    if match is None:
        raise ValueError(f"not a MAJOR.MINOR version: {text!r}")
    return int(match.group(1)), int(match.group(2))


def _fmt(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def _fix_give_report() -> str:
    return "Give the .json report file saved by `stalkerscan scan`"


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not allowed in a report")


def _build(d: JsonObject) -> ReportDocument:
    return ReportDocument(
        schema_version=SCHEMA_VERSION,
        tool=ToolInfo(name=d["tool"]["name"], version=d["tool"]["version"]),
        generated_at=d["generated_at"],
        inputs=tuple(
            InputRef(path=i["path"], kind=InputKind(i["kind"]), sha256=i["sha256"], size=i["size"])
            for i in d["inputs"]
        ),
        indicator_sets=tuple(_indicator_set(s) for s in d["indicator_sets"]),
        verdict=Verdict(d["verdict"]),
        verdict_reason=d["verdict_reason"],
        findings=tuple(_finding(f) for f in d["findings"]),
        not_checked=tuple(NotChecked(what=n["what"], why=n["why"]) for n in d["not_checked"]),
        coverage=tuple(
            CoverageFact(area=area, name=name, value=fact["value"], label=fact["label"])
            for area, facts in d["coverage"].items()
            for name, fact in facts.items()
        ),
        gaps=tuple(
            CoverageGap(area=g["area"], reason=g["reason"], advice=g["advice"]) for g in d["gaps"]
        ),
        timeline=tuple(
            TimelineEvent(
                time=e["time"],
                input=e["input"],
                source=e["source"],
                description=e["description"],
                rule=e["rule"],
            )
            for e in d["timeline"]
        ),
    )


def _indicator_set(s: JsonObject) -> IndicatorSetInfo:
    return IndicatorSetInfo(
        name=s["name"],
        source=s["source"],
        sha256=s["sha256"],
        format=s["format"],
        counts=tuple((str(kind), int(n)) for kind, n in s["counts"].items()),
        skipped=s["skipped"],
        retrieved_at=s["retrieved_at"],
        licence=s["licence"],
    )


def _finding(f: JsonObject) -> Finding:
    ind = f["indicator"]
    return Finding(
        rule=f["rule"],
        severity=Severity(f["severity"]),
        confidence=Confidence(f["confidence"]),
        title=f["title"],
        explanation=f["explanation"],
        advice=f["advice"],
        subject=f["subject"],
        app=f["app"],
        indicator=None
        if ind is None
        else Indicator(
            kind=IndicatorKind(ind["kind"]),
            value=ind["value"],
            app=ind["app"],
            role=Role(ind["role"]),
            threat=Threat(ind["threat"]),
            set_name=ind["set"],
            tags=tuple(ind["tags"]),
        ),
        evidence=tuple(
            Evidence(input=e["input"], locator=e["locator"], observed=e["observed"], time=e["time"])
            for e in f["evidence"]
        ),
        reasons=tuple(f["reasons"]),
    )
