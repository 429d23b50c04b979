"""Timeline events: the first contact with each named host, and each timed piece of evidence."""

from __future__ import annotations

from collections.abc import Iterable

from stalkerscan.detect.net.evidence import CAPTURE_INPUT, iso_time
from stalkerscan.detect.net.naming import CaptureView, SightingKind
from stalkerscan.model import Finding, TimelineEvent

_KINDS = {kind.value: kind for kind in SightingKind}


def source_of(locator: str) -> str:
    """The record kind of an evidence locator ``packet 12 (DNS query)`` -> ``dns``."""
    if locator.endswith(")") and "(" in locator:
        kind = _KINDS.get(locator[locator.rindex("(") + 1 : -1])
        if kind is not None:
            return kind.source
    return "network"


def first_contacts(view: CaptureView) -> tuple[TimelineEvent, ...]:
    """One event per named host: when and how its name was first seen."""
    events = []
    for name in view.names:
        time, packet, kind = view.names.first(name)
        events.append(
            TimelineEvent(
                time=iso_time(time),
                input=CAPTURE_INPUT,
                source=kind.source,
                description=f"First contact with {name} ({kind.value}, packet {packet})",
            )
        )
    return tuple(sorted(events, key=lambda e: (e.time, e.description)))


def evidence_events(findings: Iterable[Finding]) -> tuple[TimelineEvent, ...]:
    """One event per timed evidence line of each finding."""
    events = [
        TimelineEvent(
            time=evidence.time,
            input=evidence.input,
            source=source_of(evidence.locator),
            description=f"{finding.title} — {evidence.locator}: {evidence.observed}",
            rule=finding.rule,
        )
        for finding in findings
        for evidence in finding.evidence
        if evidence.time
    ]
    return tuple(sorted(events, key=lambda e: (e.time, e.rule or "", e.description)))
