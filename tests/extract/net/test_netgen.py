"""The capture writer used by the tests and benchmarks: deterministic, and read alike by tshark."""

from __future__ import annotations

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
