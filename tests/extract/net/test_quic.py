"""QUIC: the version and the SNI from really encrypted v1 Initial packets."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.extract.net.quic import QUIC_V2, client_keys, initial_header
from stalkerscan.model.net import NameSource, Transport
from support.netgen import CaptureBuilder

from .conftest import extract


def test_rfc9001_appendix_a_keys() -> None:
    # the client Initial keys published in RFC 9001, Appendix A.1
    key, iv, hp = client_keys(1, bytes.fromhex("8394c8f03e515708"))
    assert key.hex() == "1f369613dd76d5467730efcbe3b1a22d"
    assert iv.hex() == "fa044b2f42a3fd3b46fb255c"
    assert hp.hex() == "9f50449e04a0e810283a1e9933adedd2"


def test_sni_from_one_initial(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=41)
    cap.quic_session("142.250.1.1", "www.youtube.example", cap.start)
    got = extract(cap, tmp_path)
    (quic,) = got.quic
    assert (quic.version, quic.sni, quic.packet) == ("0x00000001", "www.youtube.example", 1)
    assert quic.key.transport is Transport.UDP and quic.key.dport == 443
    flow = got.flows[0]
    assert (flow.app_protocol, flow.name, flow.name_source) == (
        "quic",
        "www.youtube.example",
        NameSource.SNI,
    )


def test_sni_from_a_hello_split_over_two_initials(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=42)
    cap.quic_session("2001:db8::443", "split.quic.example", cap.start, split=True)
    (quic,) = extract(cap, tmp_path).quic
    assert quic.sni == "split.quic.example"
    assert quic.key.src == "2001:db8:1::23"


def test_other_udp_is_not_quic(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=43)
    cap.udp(cap.start, cap.phone, 40000, "198.51.100.1", 443, b"\xc3" + b"\x00" * 1300)  # version 0
    cap.udp(cap.start + 1, cap.phone, 40001, "198.51.100.1", 443, b"\x40" + b"\x11" * 100)
    cap.udp(cap.start + 2, cap.phone, 40002, "198.51.100.1", 443, b"\x00" + b"\x11" * 100)
    cap.ntp(cap.start + 3)
    got = extract(cap, tmp_path)
    assert got.quic == ()
    # version negotiation (version 0) and short-header packets to UDP 443 look like QUIC seen
    # after its handshake: no record, but the flow says quic; without the fixed bit it is not
    assert [f.app_protocol for f in got.flows] == ["quic", "quic", None, "ntp"]


def test_initial_header_rejects_short_and_odd_packets() -> None:
    assert initial_header(b"") is None
    assert initial_header(b"\xc0\x00\x00\x00\x01\x30") is None  # connection id over 20 bytes


def test_rfc9369_appendix_a_v2_keys() -> None:
    # QUIC version 2 uses another salt and labels; the client keys published in RFC 9369 A.1
    key, iv, hp = client_keys(QUIC_V2, bytes.fromhex("8394c8f03e515708"))
    assert key.hex() == "8b1a0bc121284290a29e0971b5cd045d"
    assert iv.hex() == "91f73e2351d8fa91660e909f"
    assert hp.hex() == "45b95e15235d6f45a6b19cbcb0294ba9"
