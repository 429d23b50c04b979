"""Damaged input never stops a scan: random bytes into every parser, mutated captures end to end."""

from __future__ import annotations

import random
from pathlib import Path

from stalkerscan.extract.net import extract_capture
from stalkerscan.extract.net.dhcp import parse_dhcp_request
from stalkerscan.extract.net.dns import parse_dns
from stalkerscan.extract.net.http import RequestStream
from stalkerscan.extract.net.quic import crypto_frames, decrypt_initial, initial_header
from stalkerscan.extract.net.tls import certificate_list, parse_client_hello, parse_server_version
from stalkerscan.extract.net.tlsflow import TlsHandshake
from stalkerscan.model.errors import InputFormatError
from support.netgen_msgs import client_hello, dhcp_request, dns_message

from .conftest import phone_session


def _mutants(seed: bytes, count: int, rng: random.Random) -> list[bytes]:
    out = []
    for _ in range(count):
        data = bytearray(seed)
        for _ in range(rng.choice((1, 3, 20))):
            data[rng.randrange(len(data))] = rng.randrange(256)
        out.append(bytes(data[: rng.randrange(1, len(data) + 1)]))
    return out


def test_parsers_take_any_bytes() -> None:
    rng = random.Random(2024)
    hello = client_hello("fuzz.example")
    dns = dns_message(
        1, "a.fuzz.example", "A", (("a.fuzz.example", "CNAME", "b.fuzz.example", 5),), True
    )
    dhcp = dhcp_request(b"\x02" * 6, 1, "host", "vendor", "10.0.0.9")
    for data in _mutants(hello[4:], 400, rng):
        parse_client_hello(data)
        parse_server_version(data)
        certificate_list(data)
    for data in _mutants(dns, 400, rng):
        parse_dns(data)
    for data in _mutants(dhcp, 300, rng):
        parse_dhcp_request(data)
    for data in _mutants(b"GET /x HTTP/1.1\r\nHost: a:1\r\nContent-Length: 3\r\n\r\nabc", 300, rng):
        RequestStream().feed(data)
    for data in _mutants(b"\x16\x03\x01\x00\x30" + hello[:48], 300, rng):
        TlsHandshake().data(0, data)
        TlsHandshake().data(1, data)
    for data in _mutants(b"\xc3\x00\x00\x00\x01\x08" + bytes(1250), 300, rng):
        head = initial_header(data)
        if head is not None:
            decrypt_initial(data, head)
        crypto_frames(data)


def test_mutated_captures_are_read_without_error(tmp_path: Path) -> None:
    rng = random.Random(7)
    base = phone_session().write_pcap(tmp_path / "base.pcap").read_bytes()
    path = tmp_path / "mutant.pcap"
    read = 0
    for _ in range(150):
        data = bytearray(base)
        for _ in range(rng.choice((1, 10, 100))):
            data[rng.randrange(24, len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        try:
            got = extract_capture(path)
        except InputFormatError:
            continue
        read += 1
        assert got.summary.packets <= len(data) // 16
    assert read > 100
