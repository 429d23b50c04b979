"""The JSON report: a ReportDocument as plain JSON, the format ``load_json`` reads back.

Keys come in a fixed, documented order (``schema_version`` first, then what was read, then the
verdict and what supports it) rather than alphabetically, so a person reading the file meets the
answer early. Lists keep the document's order (findings are already sorted, most serious first).
The output is deterministic: the same document always gives the same bytes.

``coverage`` is an object ``area -> {name: {value, label}}``: areas appear in the order of their
first fact, names in document order. A document must not hold two facts with the same area and
name (the object could not keep both); that is a pipeline bug and raises ``ValueError``.
"""

from __future__ import annotations

import json
from typing import Any

from stalkerscan.model import (
    CoverageFact,
    CoverageGap,
    Evidence,
    Finding,
    Indicator,
    IndicatorSetInfo,
    InputRef,
    NotChecked,
    TimelineEvent,
)
from stalkerscan.report.document import ReportDocument

JsonObject = dict[str, Any]
"""A JSON object as Python builds it; only this module and ``load_json`` handle it."""


def document_to_dict(doc: ReportDocument) -> JsonObject:
    """The document as JSON-ready Python values, keys in the documented order."""
    return {
        "schema_version": doc.schema_version,
        "tool": {"name": doc.tool.name, "version": doc.tool.version},
        "generated_at": doc.generated_at,
        "inputs": [_input(i) for i in doc.inputs],
        "indicator_sets": [_indicator_set(s) for s in doc.indicator_sets],
        "verdict": doc.verdict.value,
        "verdict_reason": doc.verdict_reason,
        "findings": [_finding(f) for f in doc.findings],
        "not_checked": [_not_checked(n) for n in doc.not_checked],
        "coverage": _coverage(doc.coverage),
        "gaps": [_gap(g) for g in doc.gaps],
        "timeline": [_event(e) for e in doc.timeline],
    }


def render_json(doc: ReportDocument) -> str:
    """The JSON report as text: indent 2, UTF-8 characters kept as they are, one final newline."""
    text = json.dumps(document_to_dict(doc), indent=2, ensure_ascii=False, allow_nan=False)
    return text + "\n"


def _input(ref: InputRef) -> JsonObject:
    return {"path": ref.path, "kind": ref.kind.value, "sha256": ref.sha256, "size": ref.size}


def _indicator_set(info: IndicatorSetInfo) -> JsonObject:
    return {
        "name": info.name,
        "source": info.source,
        "sha256": info.sha256,
        "format": info.format,
        "counts": dict(info.counts),
        "skipped": info.skipped,
        "retrieved_at": info.retrieved_at,
        "licence": info.licence,
    }


def _indicator(ind: Indicator | None) -> JsonObject | None:
    if ind is None:
        return None
    return {
        "kind": ind.kind.value,
        "value": ind.value,
        "set": ind.set_name,
        "app": ind.app,
        "role": ind.role.value,
        "threat": ind.threat.value,
        "tags": list(ind.tags),
    }


def _evidence(ev: Evidence) -> JsonObject:
    return {"input": ev.input, "locator": ev.locator, "observed": ev.observed, "time": ev.time}


def _finding(f: Finding) -> JsonObject:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "confidence": f.confidence.value,
        "title": f.title,
        "explanation": f.explanation,
        "advice": f.advice,
        "subject": f.subject,
        "app": f.app,
        "indicator": _indicator(f.indicator),
        "evidence": [_evidence(e) for e in f.evidence],
        "reasons": list(f.reasons),
    }


def _not_checked(n: NotChecked) -> JsonObject:
    return {"what": n.what, "why": n.why}


def _coverage(facts: tuple[CoverageFact, ...]) -> JsonObject:
    out: JsonObject = {}
    for fact in facts:
        area: JsonObject = out.setdefault(fact.area, {})
        if fact.name in area:
            raise ValueError(
                f"two coverage facts share area {fact.area!r} and name {fact.name!r}; "
                "each must be unique in a report (add the input to the name)"
            )
        area[fact.name] = {"value": fact.value, "label": fact.label}
    return out


def _gap(g: CoverageGap) -> JsonObject:
    return {"area": g.area, "reason": g.reason, "advice": g.advice}


def _event(e: TimelineEvent) -> JsonObject:
    return {
        "time": e.time,
        "input": e.input,
        "source": e.source,
        "description": e.description,
        "rule": e.rule,
    }
