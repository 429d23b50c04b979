"""The capture view: sightings in time order with their words, names per connection, one view
shared by the detectors."""

from __future__ import annotations

import gc
from dataclasses import replace

from detect.net.helpers import index_of
from stalkerscan.detect import registry
from stalkerscan.detect.net import detect_network
from stalkerscan.detect.net.build import RESOLVER, START, CaptureBuilder
from stalkerscan.detect.net.naming import SightingKind, build_view
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Indicator, IndicatorKind, Role, Threat
from stalkerscan.model.net import NetworkCapture

HOST = "sync.example-tracker.net"
ADDRESS = "51.15.20.30"


def _capture() -> NetworkCapture:
    b = CaptureBuilder()
    early = b.flow(ADDRESS, 443, at=5.0, app="tls")
    b.tls(early, HOST)
    b.dns("cdn.example-tracker.net", "2001:0db8:0000:0000:0000:0000:0000:0001", at=10.0, cname=HOST)
    b.http(b.flow("51.15.20.31", 80, at=20.0, app="http"), "POST", HOST.upper(), "/up", body=900)
    b.flow(ADDRESS, 443, at=30.0, app="tls")
    return b.build()


def test_sightings_come_in_time_order_with_their_words() -> None:
    view = build_view(_capture())
    sightings = view.names[HOST]
    assert [(s.kind, round(s.time - START, 2)) for s in sightings] == [
        (SightingKind.TLS_SNI, 5.05),
        (SightingKind.DNS_ANSWER, 10.02),
        (SightingKind.DNS_ANSWER, 10.02),
        (SightingKind.HTTP_HOST, 20.05),
    ]
    assert sightings[0].observed == f"TLS connection to {ADDRESS} port 443 with server name {HOST}"
    assert sightings[1].observed == (
        f"DNS answer for cdn.example-tracker.net: cdn.example-tracker.net CNAME {HOST}"
    )
    assert sightings[2].observed == (
        f"DNS answer for cdn.example-tracker.net: {HOST} AAAA "
        "2001:0db8:0000:0000:0000:0000:0000:0001"
    )
    assert sightings[3].observed == (
        f"HTTP POST http://{HOST}/up to 51.15.20.31 port 80, 900 bytes of body"
    )
    asked = view.names["cdn.example-tracker.net"]
    assert [s.observed for s in asked] == [
        f"DNS query for cdn.example-tracker.net (AAAA) to {RESOLVER}",
        "DNS answer for cdn.example-tracker.net: CNAME "
        f"{HOST}, AAAA 2001:0db8:0000:0000:0000:0000:0000:0001",
    ]
    first_time, first_packet, first_kind = view.names.first(HOST)
    assert (first_time, first_packet, first_kind) == (
        sightings[0].time,
        sightings[0].packet,
        sightings[0].kind,
    )
    assert view.names.kinds(HOST) == {
        SightingKind.TLS_SNI,
        SightingKind.DNS_ANSWER,
        SightingKind.HTTP_HOST,
    }
    assert view.names.kinds("never.example") == frozenset()
    assert "never.example" not in view.names
    assert len(view.names) == len(list(view.names)) == 2


def test_addresses_are_named_by_dns_in_compressed_form() -> None:
    view = build_view(_capture())
    assert view.ip_names["2001:db8::1"] == ("cdn.example-tracker.net", HOST)
    [answer] = view.ip_answers["2001:db8::1"]
    assert answer.subject == "2001:db8::1"
    assert answer.observed == f"DNS answer for cdn.example-tracker.net: {HOST} AAAA 2001:db8::1"


def test_a_connection_gets_the_name_a_sibling_showed() -> None:
    capture = _capture()
    view = build_view(capture)
    early, later = (f for f in capture.flows if f.key.dst == ADDRESS)
    assert view.flow_names(early) == (HOST,)
    assert view.flow_names(later) == (HOST,)  # no name of its own: its sibling's
    assert view.flow_subject(later) == HOST
    # an equal flow that is not the capture's own object gets the same answer
    copy = replace(later, name=None)
    assert copy is not later
    assert view.flow_names(copy) == (HOST,)
    stranger = replace(later, key=replace(later.key, dst="51.15.99.99"))
    assert view.flow_names(stranger) == ()
    assert view.flow_subject(stranger) == "51.15.99.99"


def _index() -> IndicatorIndex:
    return index_of(
        Indicator(
            IndicatorKind.DOMAIN,
            "example-tracker.net",
            "TrackerApp",
            Role.C2,
            Threat.STALKERWARE,
            "test",
        )
    )


def test_the_shared_view_gives_what_each_detector_finds_alone() -> None:
    capture, index = _capture(), _index()
    together = detect_network(capture, index, "phone.pcap")
    alone = [
        finding
        for detector in registry.NETWORK_DETECTORS
        for finding in detector.run(capture, index).findings
    ]
    assert together.findings
    assert sorted((f.rule, f.subject, f.title) for f in together.findings) == sorted(
        (f.rule, f.subject, f.title) for f in alone
    )
    coverage = registry.NETWORK_DETECTORS[-1].run(capture, index)
    assert together.coverage == coverage.coverage


def test_detection_leaves_the_garbage_collector_as_it_found_it() -> None:
    capture, index = _capture(), _index()
    assert gc.isenabled()
    detect_network(capture, index, "phone.pcap")
    assert gc.isenabled()
    gc.disable()
    try:
        detect_network(capture, index, "phone.pcap")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_documentation_addresses_count_as_internet_hosts() -> None:
    """Examples and generated captures use RFC 5737/3849 addresses for Internet servers."""
    from stalkerscan.detect.net.naming import is_public  # noqa: PLC0415

    assert is_public("203.0.113.50") and is_public("198.51.100.7") and is_public("192.0.2.1")
    assert is_public("2001:db8::5")
    assert is_public("8.8.8.8")
    assert not is_public("192.168.1.1") and not is_public("10.0.0.1")
    assert not is_public("224.0.0.251") and not is_public("fe80::1")
