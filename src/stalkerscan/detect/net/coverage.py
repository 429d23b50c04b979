"""What a capture let the scan see: measured facts, the gaps that stop a conclusion, first contacts.

A scan never reads as "nothing found" when it could not look: a short capture, a capture where DNS
was hidden (Private DNS, DNS over HTTPS) or one with almost no traffic gives a ``CoverageGap``,
which makes the verdict inconclusive, with advice on how to capture better.
"""

from __future__ import annotations

from collections.abc import Iterable

from stalkerscan.detect.base import DetectorResult
from stalkerscan.detect.net import thresholds as t
from stalkerscan.detect.net.context import is_internet
from stalkerscan.detect.net.evidence import duration_text, iso_time, plural
from stalkerscan.detect.net.heur_names import encrypted_dns_method
from stalkerscan.detect.net.lists import NetLists, packaged_net_lists
from stalkerscan.detect.net.naming import CaptureView, build_view, is_public
from stalkerscan.detect.net.timeline import first_contacts
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import CoverageFact, CoverageGap, NotChecked
from stalkerscan.model.net import Flow, NetworkCapture

AREA = "network"

CAPTURE_ADVICE = (
    f"Capture again for at least {t.RECOMMENDED_CAPTURE_MINUTES} minutes while the phone is used "
    "as usual: send a message, take a photo, open a few apps, and restart the phone once during "
    "the capture (many apps, stalkerware included, connect when the phone starts). Keep the phone "
    "on the capture Wi-Fi the whole time."
)
PRIVATE_DNS_ADVICE = (
    "Only if it is safe to change the phone's settings (someone who checks the phone could "
    "notice): turn off Private DNS for the capture (Settings > Network & internet > Private DNS > "
    "Off), restart the phone so that names are looked up again, and turn it back on afterwards. "
    "If that is not safe, the capture can still show which addresses were contacted, but not "
    "their names."
)


def _fact(name: str, value: int | float | str | bool, label: str) -> CoverageFact:
    return CoverageFact(area=AREA, name=name, value=value, label=label)


def _share(part: float, whole: float) -> float:
    return round(part / whole, 3) if whole else 0.0


def _duration(capture: NetworkCapture) -> float | None:
    first, last = capture.summary.first_time, capture.summary.last_time
    if first is None or last is None:
        return None
    return max(0.0, last - first)


def _naming_facts(view: CaptureView, talking: list[Flow]) -> list[CoverageFact]:
    named = [f for f in talking if view.flow_names(f)]
    total_bytes = sum(f.bytes_out + f.bytes_in for f in talking)
    named_bytes = sum(f.bytes_out + f.bytes_in for f in named)
    flow_share = _share(len(named), len(talking))
    byte_share = _share(named_bytes, total_bytes)
    missing = (
        ": most had none, probably looked up before the capture began"
        if talking and flow_share < t.NAMED_SHARE_LOW
        else ""
    )
    return [
        _fact(
            "internet_connections",
            len(talking),
            f"{plural(len(talking), 'Internet connection')} carried data",
        ),
        _fact(
            "named_flow_share",
            flow_share,
            f"{flow_share:.0%} of them had a name (DNS, server name or Host){missing}",
        ),
        _fact(
            "named_byte_share", byte_share, f"{byte_share:.0%} of their bytes went to named hosts"
        ),
    ]


def _encrypted_dns(view: CaptureView, lists: NetLists) -> dict[int, tuple[Flow, str]]:
    """``id(flow)`` -> (flow, method) for each connection that carried encrypted DNS."""
    out: dict[int, tuple[Flow, str]] = {}
    for flow in view.capture.flows:
        method = encrypted_dns_method(view, lists, flow)
        if method is not None:
            out[id(flow)] = (flow, method)
    return out


def _dns_facts(view: CaptureView, encrypted: dict[int, tuple[Flow, str]]) -> list[CoverageFact]:
    methods = sorted({f"{method} to {flow.key.dst}" for flow, method in encrypted.values()})
    visible = view.plain_dns_answers > 0
    dot = any(m.startswith("DNS over TLS") for m in methods)
    return [
        _fact(
            "dns_visible",
            visible,
            f"{plural(view.plain_dns_answers, 'plain DNS answer')} seen: names are visible"
            if visible
            else "No plain DNS answer was seen: the names the phone looked up are not visible",
        ),
        _fact(
            "encrypted_dns",
            ", ".join(methods) if methods else "none seen",
            f"Encrypted DNS: {', '.join(methods[:5])}" if methods else "No encrypted DNS was seen",
        ),
        _fact(
            "private_dns",
            dot,
            "DNS over TLS was used, as Android's Private DNS does: names are hidden"
            if dot
            else "No DNS over TLS (Android Private DNS) was seen",
        ),
    ]


def _tls_facts(capture: NetworkCapture) -> list[CoverageFact]:
    versions = [r for r in capture.tls if r.server_version or r.certificate_encrypted]
    tls13 = [r for r in versions if r.server_version == "TLS 1.3" or r.certificate_encrypted]
    share = _share(len(tls13), len(versions))
    quic = {q.key for q in capture.quic} | {
        f.key for f in capture.flows if f.app_protocol == "quic"
    }
    return [
        _fact(
            "tls13_share",
            share,
            f"{share:.0%} of {plural(len(versions), 'TLS connection')} used TLS 1.3 "
            "(certificates not visible)",
        ),
        _fact("quic_connections", len(quic), f"{plural(len(quic), 'QUIC connection')} (HTTP/3)"),
    ]


def _device_facts(capture: NetworkCapture) -> list[CoverageFact]:
    out: list[CoverageFact] = []
    if not capture.dhcp:
        return out
    first = capture.dhcp[0]
    out.append(_fact("device_mac", first.mac, f"The phone's Wi-Fi hardware address: {first.mac}"))
    hostname = next((d.hostname for d in capture.dhcp if d.hostname), None)
    if hostname:
        out.append(_fact("device_hostname", hostname, f"The phone called itself {hostname!r}"))
    vendor = next((d.vendor_class for d in capture.dhcp if d.vendor_class), None)
    if vendor:
        out.append(_fact("device_vendor_class", vendor, f"Its DHCP vendor class: {vendor}"))
    return out


def _gaps(
    capture: NetworkCapture,
    view: CaptureView,
    talking: list[Flow],
    encrypted: dict[int, tuple[Flow, str]],
) -> Iterable[CoverageGap]:
    duration = _duration(capture)
    active = [f for f in capture.flows if f.payload_out + f.payload_in and is_public(f.key.dst)]
    hidden_dns = [f for f in active if id(f) in encrypted]
    if capture.summary.packets < t.MIN_TRAFFIC_PACKETS or len(active) < t.MIN_TRAFFIC_CONNECTIONS:
        yield CoverageGap(
            AREA,
            f"The capture holds almost no traffic ({capture.summary.packets} packets, "
            f"{plural(len(active), 'Internet connection')} with data): the phone may not have "
            "been on the capture network, or was idle.",
            "Check that the phone is connected to the capture Wi-Fi (or that the capture app is "
            f"running) before starting. {CAPTURE_ADVICE}",
        )
    if duration is not None and duration < t.MIN_CAPTURE_SECONDS:
        yield CoverageGap(
            AREA,
            f"The capture lasted only {duration_text(duration)}: stalkerware may report every few "
            "minutes or only when something happens, so a short capture can miss it.",
            CAPTURE_ADVICE,
        )
    if view.plain_dns_answers == 0 and (len(talking) >= t.DNS_BLIND_MIN_CONNECTIONS or hidden_dns):
        how = (
            "the phone sent its DNS questions encrypted, in "
            f"{plural(len(hidden_dns), 'connection')}"
            if hidden_dns
            else "Private DNS, DNS over HTTPS, or names looked up before the capture began"
        )
        yield CoverageGap(
            AREA,
            f"Not one plain DNS answer was seen ({how}). The capture cannot show most of the "
            "names the phone contacted, and known stalkerware servers are mostly recognised by "
            "name, so they could be missed.",
            f"{PRIVATE_DNS_ADVICE} {CAPTURE_ADVICE}",
        )


def run_coverage(
    capture: NetworkCapture,
    index: IndicatorIndex,
    lists: NetLists | None = None,
    *,
    view: CaptureView | None = None,
) -> DetectorResult:
    """Coverage facts, gaps, not-checked parts and first contacts of one capture (``view``: its
    view, if already built)."""
    del index  # coverage does not depend on the indicators
    view = build_view(capture) if view is None else view
    encrypted = _encrypted_dns(view, lists or packaged_net_lists())
    summary = capture.summary
    talking = [f for f in capture.flows if f.payload_out + f.payload_in and is_internet(f.key)]
    duration = _duration(capture)
    span = (
        f"The capture lasted {duration_text(duration)}, from {iso_time(summary.first_time or 0)}"
        if duration is not None
        else "The capture holds no timed packet"
    )
    facts = [
        _fact("capture_duration_seconds", round(duration or 0.0, 3), span),
        _fact("packets", summary.packets, f"{plural(summary.packets, 'packet')} read"),
        _fact(
            "undecoded_packets",
            summary.undecoded_packets,
            f"{plural(summary.undecoded_packets, 'packet')} not decoded (other link types, ARP...)",
        ),
        _fact("flows", len(capture.flows), f"{plural(len(capture.flows), 'connection')} in all"),
        *_naming_facts(view, talking),
        *_dns_facts(view, encrypted),
        *_tls_facts(capture),
        *_device_facts(capture),
    ]
    not_checked: tuple[NotChecked, ...] = ()
    if summary.stopped_early:
        not_checked = (
            NotChecked(
                what="the part of the capture after the point where reading stopped",
                why=summary.stopped_early,
            ),
        )
    return DetectorResult(
        not_checked=not_checked,
        coverage=tuple(facts),
        gaps=tuple(_gaps(capture, view, talking, encrypted)),
        timeline=first_contacts(view),
    )
