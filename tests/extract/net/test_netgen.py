"""The capture writer used by the tests and benchmarks: deterministic, and read alike by tshark."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from stalkerscan.extract.net import extract_capture
from support.netgen import CaptureBuilder

from .conftest import phone_session


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    one = phone_session(seed=3).write_pcapng(tmp_path / "one.pcapng").read_bytes()
    two = phone_session(seed=3).write_pcapng(tmp_path / "two.pcapng").read_bytes()
    other = phone_session(seed=4).write_pcapng(tmp_path / "other.pcapng").read_bytes()
    assert one == two
    assert one != other


def test_flush_writes_in_time_order(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=8)
    path = tmp_path / "sliced.pcap"
    with cap.open_pcap(path) as writer:
        t = cap.tls_session("203.0.113.1", "one.example", cap.start)
        written = cap.flush(writer, before=t - 0.01)
        cap.tls_session("203.0.113.2", "two.example", t)
        written += cap.flush(writer)
    got = extract_capture(path)
    assert got.summary.packets == written
    assert [t.sni for t in got.tls] == ["one.example", "two.example"]
    assert len(cap) == 0


def test_tshark_reads_the_same_names(tmp_path: Path) -> None:
    tshark = shutil.which("tshark")
    if tshark is None:
        pytest.skip("tshark is not installed (it is only an oracle for this test)")
    path = phone_session().write_pcapng(tmp_path / "session.pcapng")
    fields = [
        "dns.qry.name",
        "http.host",
        "tls.handshake.extensions_server_name",
        "dhcp.option.hostname",
    ]
    out = subprocess.run(
        [tshark, "-r", str(path), "-T", "fields", *[a for f in fields for a in ("-e", f)]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    columns: list[set[str]] = [set() for _ in fields]
    for line in out.splitlines():
        for i, value in enumerate(line.split("\t")):
            if value:
                columns[i].add(value)
    got = extract_capture(path)
    assert columns[0] == {d.query for d in got.dns}
    assert columns[1] == {"Upload.Example.com:8080"} and [h.host for h in got.http] == [
        "upload.example.com"
    ]
    # tshark decrypts the QUIC Initial too: its SNI is among the ClientHello names
    assert columns[2] == {t.sni for t in got.tls} | {q.sni for q in got.quic}
    assert columns[3] == {d.hostname for d in got.dhcp}


def _tshark_fields(path: Path, *args: str) -> str:
    tshark = shutil.which("tshark")
    if tshark is None:
        pytest.skip("tshark is not installed (it is only an oracle for this test)")
    return subprocess.run(
        [tshark, "-r", str(path), *args], capture_output=True, text=True, check=True
    ).stdout


def test_flow_packet_counts_and_certificates_agree_with_tshark(tmp_path: Path) -> None:
    cap = phone_session(seed=9)
    t = cap.tls_session("2001:db8::20", "six.example", cap.start + 5, split_certificate=True)
    cap.tls_session("203.0.113.44", "rec.example", t, record_size=500, download=20_000)
    path = cap.write_pcap(tmp_path / "s.pcap")
    got = extract_capture(path)
    totals: dict[frozenset[str], int] = {}
    for line in _tshark_fields(path, "-q", "-z", "conv,tcp", "-z", "conv,udp").splitlines():
        if "<->" in line:
            parts = line.split()
            totals[frozenset((parts[0], parts[2]))] = int(parts[9].replace(",", ""))
    ours = {
        frozenset((f"{f.key.src}:{f.key.sport}", f"{f.key.dst}:{f.key.dport}")): f.packets_out
        + f.packets_in
        for f in got.flows
    }
    assert ours == totals
    der_hex = _tshark_fields(path, "-T", "fields", "-e", "tls.handshake.certificate").split()
    theirs = {
        hashlib.sha1(bytes.fromhex(h.replace(":", ""))).hexdigest()
        for line in der_hex
        for h in line.split(",")
    }
    assert {c.sha1 for t in got.tls for c in t.certificates} == theirs
