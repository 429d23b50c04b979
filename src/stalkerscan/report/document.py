"""The ReportDocument: the one versioned result of a scan that every renderer reads.

A saved JSON report loads back into this document and re-renders without re-analysis.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from stalkerscan.model import (
    CoverageFact,
    CoverageGap,
    Finding,
    IndicatorSetInfo,
    InputRef,
    NotChecked,
    Severity,
    TimelineEvent,
    finding_order,
)
from stalkerscan.model.indicator import Role, Threat

SCHEMA_VERSION = "1.0"
"""Version of the report format. Bump the minor part for added fields, the major for changes."""


class Verdict(enum.Enum):
    """The one-line answer of a scan. Never "clean": at best, no known stalkerware was found."""

    STALKERWARE = "stalkerware"
    SUSPICIOUS = "suspicious"
    NO_KNOWN_STALKERWARE = "no_known_stalkerware"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True, slots=True)
class ToolInfo:
    name: str
    version: str


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """Everything a reader, a renderer or the case store needs from one scan."""

    schema_version: str
    tool: ToolInfo
    generated_at: str
    """ISO 8601 UTC time the scan finished."""
    inputs: tuple[InputRef, ...]
    indicator_sets: tuple[IndicatorSetInfo, ...]
    verdict: Verdict
    verdict_reason: str
    """One sentence saying why the verdict is what it is."""
    findings: tuple[Finding, ...]
    """Sorted by severity, most serious first."""
    not_checked: tuple[NotChecked, ...]
    coverage: tuple[CoverageFact, ...]
    gaps: tuple[CoverageGap, ...]
    timeline: tuple[TimelineEvent, ...]


def _is_stalkerware_hit(finding: Finding) -> bool:
    ind = finding.indicator
    return (
        ind is not None
        and finding.severity >= Severity.HIGH
        and ind.threat in (Threat.STALKERWARE, Threat.SPYWARE, Threat.UNKNOWN)
        and ind.role not in (Role.WEBSITE, Role.DISTRIBUTION, Role.HEURISTIC)
    )


def compute_verdict(
    findings: Iterable[Finding],
    gaps: Iterable[CoverageGap],
    anything_checked: bool,
) -> tuple[Verdict, str]:
    """The verdict rule, in this order (documented in docs/report-format.md):

    1. ``stalkerware``: a high or critical finding from a stalkerware indicator that marks an
       installed app or its servers (not a vendor website or download site).
    2. ``suspicious``: any finding of medium severity or above (heuristics, watchware, ...).
    3. ``inconclusive``: nothing could be checked, or a coverage gap prevents a conclusion.
    4. ``no_known_stalkerware``: the checks ran and found nothing above low severity. This is
       never "clean": no indicator list is complete.
    """
    items = tuple(findings)
    gap_list = tuple(gaps)
    hits = [f for f in items if _is_stalkerware_hit(f)]
    if hits:
        apps = sorted({f.app for f in hits if f.app})
        named = ", ".join(apps) if apps else "an unnamed stalkerware family"
        return Verdict.STALKERWARE, f"Known stalkerware indicators matched ({named})."
    serious = [f for f in items if f.severity >= Severity.MEDIUM]
    if serious:
        return (
            Verdict.SUSPICIOUS,
            f"{len(serious)} finding(s) of medium severity or above need a closer look.",
        )
    if not anything_checked:
        return Verdict.INCONCLUSIVE, "Nothing in the inputs could be checked."
    if gap_list:
        return Verdict.INCONCLUSIVE, " ".join(g.reason for g in gap_list)
    return (
        Verdict.NO_KNOWN_STALKERWARE,
        "No known stalkerware was found by the checks that ran; this does not prove there is none.",
    )


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Most serious first, then by rule id and subject, for stable output."""
    return tuple(sorted(findings, key=finding_order))
