"""Beaconing: an app checking in with one host on a timer.

Connections to one host (name, else address) are reduced to contacts (connections opened within
``BEACON_BURST_SECONDS`` of each other are one contact). With at least ``BEACON_MIN_CONTACTS``
contacts, the intervals between contact starts are regular when their coefficient of variation
(population standard deviation / mean) is below ``BEACON_MAX_CV`` and their mean lies between
``BEACON_MIN_INTERVAL_SECONDS`` and ``BEACON_MAX_INTERVAL_SECONDS``. People using apps produce
bursts and long pauses (coefficient of variation near or above 1); timers do not.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from stalkerscan.detect.net import catalog as c
from stalkerscan.detect.net import thresholds as t
from stalkerscan.detect.net.context import HeuristicContext
from stalkerscan.detect.net.evidence import cap_evidence, duration_text, flow_evidence
from stalkerscan.model import Finding


@dataclass(frozen=True, slots=True)
class Regularity:
    """How regular a series of contacts is."""

    contacts: int
    mean_interval: float
    """Seconds between contact starts, on average."""
    cv: float
    """Coefficient of variation of the intervals."""

    @property
    def is_beacon(self) -> bool:
        return (
            self.contacts >= t.BEACON_MIN_CONTACTS
            and self.cv < t.BEACON_MAX_CV
            and t.BEACON_MIN_INTERVAL_SECONDS <= self.mean_interval <= t.BEACON_MAX_INTERVAL_SECONDS
        )


def contact_starts(times: list[float]) -> list[float]:
    """Start times with bursts (``BEACON_BURST_SECONDS`` apart or less) merged into one."""
    out: list[float] = []
    for time in sorted(times):
        if not out or time - out[-1] > t.BEACON_BURST_SECONDS:
            out.append(time)
    return out


def regularity(times: list[float]) -> Regularity | None:
    """The regularity of connection start ``times``; None with fewer than two contacts."""
    starts = contact_starts(times)
    if len(starts) < 2:
        return None
    import statistics  # noqa: PLC0415  (with fractions and decimal: only for repeated contacts)

    intervals = [b - a for a, b in itertools.pairwise(starts)]
    mean = statistics.fmean(intervals)
    if mean <= 0:
        return None
    cv = statistics.pstdev(intervals) / mean
    return Regularity(contacts=len(starts), mean_interval=mean, cv=cv)


def beaconing(ctx: HeuristicContext) -> list[Finding]:
    """Hosts contacted on a regular timer (not on the allowlist)."""
    out = []
    for subject, flows in ctx.loud_by_subject.items():
        found = regularity([f.first_seen for f in flows])
        if found is None or not found.is_beacon:
            continue
        out.append(
            c.make_finding(
                c.BEACONING,
                evidence=cap_evidence(flow_evidence(f, subject) for f in flows),
                subject=subject,
                contacts=found.contacts,
                interval=duration_text(found.mean_interval),
                cv=f"{found.cv:.2f}",
            )
        )
    return out
