"""Findings, the evidence behind them, and what could not be checked."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from stalkerscan.model.indicator import Indicator
from stalkerscan.model.severity import Severity


class Confidence(enum.Enum):
    """How sure a finding is, in words a reader can weigh."""

    CONFIRMED = "confirmed"
    """A known indicator matched exactly (an installed package, a C2 server contacted)."""
    LIKELY = "likely"
    """Strong signs that together point at surveillance."""
    POSSIBLE = "possible"
    """A sign that also has innocent explanations."""

    @property
    def sentence(self) -> str:
        """One plain sentence saying how sure this is."""
        return _SENTENCES[self]


_SENTENCES = {
    Confidence.CONFIRMED: "This matches a known indicator exactly; it is strong evidence.",
    Confidence.LIKELY: (
        "Several signs point the same way; it is likely but should be checked by hand."
    ),
    Confidence.POSSIBLE: (
        "This has innocent explanations too; it is a reason to look closer, not proof."
    ),
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One observation behind a finding, precise enough to be checked by hand."""

    input: str
    """The input it was seen in (the path as given to the scan)."""
    locator: str
    """Where inside the input: packet number, file inside a folder and line, section name."""
    observed: str
    """What was seen there, as text."""
    time: str | None = None
    """When it happened, ISO 8601 in UTC, if the input says."""


@dataclass(frozen=True, slots=True)
class Finding:
    """Something seen that matters, explained for people."""

    rule: str
    """Stable dotted rule id, e.g. ``net.ioc.c2_domain``."""
    severity: Severity
    confidence: Confidence
    title: str
    """One line: what was seen."""
    explanation: str
    """Why it matters, in plain words."""
    advice: str
    """What to do and what not to do."""
    subject: str | None
    """What the finding is about: a host name, an IP, an app package."""
    app: str | None
    """The stalkerware or monitoring app family, when known."""
    indicator: Indicator | None
    """The indicator that matched, for indicator rules."""
    evidence: tuple[Evidence, ...]
    reasons: tuple[str, ...] = ()
    """For grouped findings: each sign that was combined, one short phrase each."""


def finding_order(finding: Finding) -> tuple[int, str, str, str]:
    """Sort key of findings everywhere: most serious first, then rule id, subject and title."""
    return (-finding.severity.rank, finding.rule, finding.subject or "", finding.title)


@dataclass(frozen=True, slots=True)
class NotChecked:
    """A part of the input or a check that could not be done, and why; never silent."""

    what: str
    why: str


@dataclass(frozen=True, slots=True)
class CoverageFact:
    """One measured fact about how much a scan could see."""

    area: str
    """The area it belongs to: ``indicators``, ``network``, ``android``..."""
    name: str
    """A stable key, e.g. ``named_flow_share``."""
    value: int | float | str | bool
    label: str
    """The same fact in words for people."""


@dataclass(frozen=True, slots=True)
class CoverageGap:
    """A limit of the scan that prevents any conclusion (makes the verdict inconclusive)."""

    area: str
    reason: str
    """Why nothing can be concluded, in plain words."""
    advice: str
    """How to get a scan that can conclude."""


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A timed event worth putting on a timeline."""

    time: str
    """ISO 8601 in UTC."""
    input: str
    source: str
    """What kind of record it came from (``dns``, ``tls``, ``package``...)."""
    description: str
    rule: str | None = None
    """The rule of the finding it belongs to, if any."""
