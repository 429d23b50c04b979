"""Evidence lines for network findings: packet locators, UTC times, sizes in words."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from stalkerscan.detect.net.naming import Sighting, SightingKind, endpoint
from stalkerscan.detect.net.thresholds import MAX_EVIDENCE
from stalkerscan.model import Evidence
from stalkerscan.model.net import Flow

CAPTURE_INPUT = "network capture"
"""The input name detectors put in evidence; ``detect_network`` replaces it with the real one."""


def iso_time(posix: float) -> str:
    """ISO 8601 UTC with milliseconds, e.g. ``2026-11-25T13:40:55.123+00:00``."""
    return datetime.fromtimestamp(posix, tz=UTC).isoformat(timespec="milliseconds")


def size_text(count: int) -> str:
    """Bytes in words: ``812 bytes``, ``12.3 kB``, ``4.5 MB``."""
    if count < 1_000:
        return f"{count} bytes"
    if count < 1_000_000:
        return f"{count / 1_000:.1f} kB"
    return f"{count / 1_000_000:.1f} MB"


def plural(count: int, noun: str) -> str:
    """``1 connection``, ``2 connections``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def duration_text(seconds: float) -> str:
    """Seconds in words: ``45 s``, ``12 min 5 s``, ``1 h 3 min``."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {(whole % 3600) // 60} min"


def locator(packet: int, kind: SightingKind) -> str:
    """``packet 123 (DNS query)``."""
    return f"packet {packet} ({kind.value})"


def sighting_evidence(sighting: Sighting) -> Evidence:
    """The evidence line of one sighting."""
    return Evidence(
        input=CAPTURE_INPUT,
        locator=locator(sighting.packet, sighting.kind),
        observed=sighting.observed,
        time=iso_time(sighting.time),
    )


def flow_text(flow: Flow, name: str | None = None) -> str:
    """``TCP 10.0.0.2:40000 -> 1.2.3.4 port 443 (x.example), 1.2 MB sent, 3.0 kB received, 5 s``."""
    key = flow.key
    named = f" ({name})" if name and name != key.dst else ""
    return (
        f"{key.transport.value.upper()} {key.src}:{key.sport} -> {key.dst} port {key.dport}"
        f"{named}, {size_text(flow.bytes_out)} sent, {size_text(flow.bytes_in)} received, "
        f"lasted {duration_text(flow.last_seen - flow.first_seen)}"
    )


def flow_evidence(flow: Flow, name: str | None = None) -> Evidence:
    """The evidence line of one connection."""
    return Evidence(
        input=CAPTURE_INPUT,
        locator=locator(flow.first_packet, SightingKind.CONNECTION),
        observed=flow_text(flow, name),
        time=iso_time(flow.first_seen),
    )


def flow_sighting(flow: Flow, subject: str, name: str | None = None) -> Sighting:
    """A connection as a sighting of ``subject`` (for timelines and evidence)."""
    return Sighting(
        subject, SightingKind.CONNECTION, flow.first_packet, flow.first_seen, flow_text(flow, name)
    )


def server_text(flow: Flow) -> str:
    """``TCP 1.2.3.4 port 443``."""
    return endpoint(flow.key)


def _packet_of(evidence: Evidence) -> int:
    words = evidence.locator.split()
    return int(words[1]) if len(words) > 1 and words[1].isdigit() else 0


def cap_evidence(items: Iterable[Evidence]) -> tuple[Evidence, ...]:
    """Unique evidence in time order; past ``MAX_EVIDENCE`` lines, one line sums up the rest."""
    unique = sorted(set(items), key=lambda e: (e.time or "", _packet_of(e), e.locator, e.observed))
    if len(unique) <= MAX_EVIDENCE:
        return tuple(unique)
    kept = unique[: MAX_EVIDENCE - 1]
    rest = unique[MAX_EVIDENCE - 1 :]
    first, last = _packet_of(rest[0]), _packet_of(rest[-1])
    summary = Evidence(
        input=CAPTURE_INPUT,
        locator=f"packets {first} to {last}",
        observed=f"{len(rest)} more observations of the same kind, not listed one by one",
        time=rest[0].time,
    )
    return (*kept, summary)
