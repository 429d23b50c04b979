"""TLS: ClientHello fields, JA3/JA4, ServerHello version, certificates, reassembly."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from stalkerscan.extract.net.tls import ClientHello, is_grease, ja4, parse_client_hello
from stalkerscan.model.net import NetworkCapture, TlsRecord
from support import netgen_certs
from support.netgen import CaptureBuilder
from support.netgen_msgs import PROFILES, client_hello

from .conftest import extract

SERVER = "203.0.113.10"


def _one(cap: CaptureBuilder, tmp_path: Path) -> TlsRecord:
    got = extract(cap, tmp_path)
    assert len(got.tls) == 1
    return got.tls[0]


def _hand_ja3(profile: str) -> str:
    """The JA3 string of a netgen profile, worked out from the profile's own lists."""
    prof = PROFILES[profile]

    def dashed(values: tuple[int, ...]) -> str:
        return "-".join(str(v) for v in values if v != 0x0A0A)

    return f"771,{dashed(prof.ciphers)},{dashed(prof.extensions)},{dashed(prof.groups)},0"


@pytest.mark.parametrize("profile", ["chrome", "okhttp", "firefox", "legacy12"])
def test_ja3_matches_the_hand_computed_value(profile: str, tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=11)
    cap.tls_session(SERVER, "api.example.com", cap.start, profile=profile)
    tls = _one(cap, tmp_path)
    expected = _hand_ja3(profile)
    assert tls.ja3 == expected
    assert tls.ja3_hash == hashlib.md5(expected.encode()).hexdigest()


def test_ja4_is_the_specification_example(tmp_path: Path) -> None:
    # netgen's chrome profile carries the cipher, extension and signature lists of the worked
    # example in the FoxIO JA4 specification, whose published fingerprint is this one
    cap = CaptureBuilder(seed=12)
    cap.tls_session(SERVER, "api.example.com", cap.start, profile="chrome")
    tls = _one(cap, tmp_path)
    assert tls.ja4 == "t13d1516h2_8daaf6152771_e5627efa2ab1"
    assert tls.client_version == "TLS 1.3"
    assert tls.alpn == ("h2", "http/1.1")


def test_ja4_without_sni_alpn_or_tls13(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=13)
    cap.tls_session(SERVER, None, cap.start, profile="legacy12", alpn=())
    tls = _one(cap, tmp_path)
    assert tls.sni is None
    assert tls.client_version == "TLS 1.2"
    assert tls.ja4 is not None
    a, b, c = tls.ja4.split("_")
    assert a == "t12i0706" + "00"  # 7 ciphers; 8 profile extensions minus SNI and ALPN = 6
    assert b == hashlib.sha256(b"000a,0035,003c,009e,c027,c02f,c030").hexdigest()[:12]
    assert (
        c == hashlib.sha256(b"000a,000b,000d,0017,0023,ff01_0401,0501,0601,0201").hexdigest()[:12]
    )


def _hello(alpn: tuple[bytes, ...]) -> ClientHello:
    return ClientHello(0x0303, (0x1301,), (0x0010,), (), (), (), (0x0304,), None, alpn)


@pytest.mark.parametrize(
    ("alpn", "chars"),
    [
        ((b"http/1.1",), "h1"),
        ((b"\xab",), "ab"),
        ((b"\xab\xcd",), "ad"),
        ((b"0\xab",), "3b"),
        ((b"0\xab\xcd1",), "01"),
        ((b"x",), "xx"),
        ((b"",), "00"),
        ((), "00"),
    ],
)
def test_ja4_alpn_characters(alpn: tuple[bytes, ...], chars: str) -> None:
    assert ja4(_hello(alpn))[:10] == "t13i0101" + chars


def test_grease_values() -> None:
    assert all(is_grease(0x0A0A + 0x1010 * i) for i in range(16))
    assert not is_grease(0x0A0B) and not is_grease(0x1301)


def test_client_hello_parses_sni_and_versions() -> None:
    msg = client_hello("Mixed.Case.Example", ("h2",), "chrome")
    hello = parse_client_hello(msg[4:])
    assert hello is not None
    assert hello.sni == "mixed.case.example"
    assert hello.alpn == (b"h2",)
    assert hello.highest_version == 0x0304
    assert parse_client_hello(msg[4:40]) is None  # cut short: not a hello


@pytest.mark.parametrize(
    "options",
    [
        {"split_client_hello": True},
        {"reorder_client_hello": True},
        {"split_certificate": True},
        {"record_size": 200},
        {"split_certificate": True, "split_client_hello": True, "record_size": 700},
    ],
)
def test_reassembly(options: dict[str, object], tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=14)
    cap.tls_session(SERVER, "split.example.com", cap.start, **options)  # type: ignore[arg-type]
    tls = _one(cap, tmp_path)
    assert tls.sni == "split.example.com"
    assert tls.ja4 == "t13d1516h2_8daaf6152771_e5627efa2ab1"
    assert [c.position for c in tls.certificates] == [0, 1]
    leaf_der = netgen_certs.chain("split.example.com")[0]
    assert tls.certificates[0].sha1 == hashlib.sha1(leaf_der).hexdigest()
    assert tls.server_version == "TLS 1.2" and not tls.certificate_encrypted


def test_tls13_certificate_is_encrypted(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=15)
    cap.tls_session("2001:db8::10", "v6.example.org", cap.start, version="1.3")
    tls = _one(cap, tmp_path)
    assert tls.server_version == "TLS 1.3"
    assert tls.certificate_encrypted
    assert tls.certificates == ()
    assert tls.key.src == "2001:db8:1::23" and tls.key.dport == 443


def test_certificate_fields(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=16)
    own = netgen_certs.self_signed("selfsigned.example", ("selfsigned.example", "alt.example"))
    t = cap.tls_session(SERVER, "selfsigned.example", cap.start, chain=[own])
    cap.tls_session("203.0.113.11", "chained.example", t)
    got = extract(cap, tmp_path)
    own_rec = got.tls[0].certificates[0]
    assert own_rec.self_signed
    assert own_rec.subject == own_rec.issuer == "CN=selfsigned.example"
    assert own_rec.san == ("selfsigned.example", "alt.example")
    assert (own_rec.not_before, own_rec.not_after) == (
        "2024-01-01T00:00:00Z",
        "2027-01-01T00:00:00Z",
    )
    assert own_rec.sha256 == hashlib.sha256(own).hexdigest()
    leaf, ca = got.tls[1].certificates
    assert not leaf.self_signed  # signed by the CA
    assert leaf.issuer == "O=Example Trust,CN=Example Issuing CA" == ca.subject
    assert ca.self_signed and ca.position == 1


def test_same_issuer_but_wrong_signature_is_not_self_signed(tmp_path: Path) -> None:
    # a leaf whose issuer name equals its subject, but signed by a CA key: not self-signed
    leaf = netgen_certs.chain("Example Issuing CA")[0]
    cap = CaptureBuilder(seed=17)
    cap.tls_session(SERVER, "x.example", cap.start, chain=[leaf])
    cert = _one(cap, tmp_path).certificates[0]
    assert "CN=Example Issuing CA" in cert.subject
    assert not cert.self_signed


def test_unparsable_certificate_keeps_its_hashes(tmp_path: Path) -> None:
    junk = b"\x30\x82\x01\x00" + b"\x07" * 256
    cap = CaptureBuilder(seed=18)
    cap.tls_session(SERVER, "junk.example", cap.start, chain=[junk])
    cert = _one(cap, tmp_path).certificates[0]
    assert cert.sha1 == hashlib.sha1(junk).hexdigest()
    assert cert.subject == "" and not cert.self_signed


def _tshark_ja3(path: Path) -> Counter[tuple[str, str]]:
    tshark = shutil.which("tshark")
    if tshark is None:
        pytest.skip("tshark is not installed (it is only an oracle for this test)")
    out = subprocess.run(
        [
            tshark,
            "-r",
            str(path),
            "-Y",
            "tls.handshake.type == 1",
            "-T",
            "fields",
            "-e",
            "tls.handshake.extensions_server_name",
            "-e",
            "tls.handshake.ja3",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return Counter(tuple(line.split("\t")) for line in out.splitlines() if line)  # type: ignore[misc]


def _ours(got: NetworkCapture) -> Counter[tuple[str, str]]:
    return Counter((t.sni or "", t.ja3_hash or "") for t in got.tls)


def test_ja3_agrees_with_tshark_on_generated_sessions(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=19)
    t = cap.start
    for i, profile in enumerate(PROFILES):
        t = cap.tls_session(
            f"203.0.113.{20 + i}",
            f"{profile}.example",
            t,
            profile=profile,
            split_client_hello=i % 2 == 1,
        )
    path = cap.write_pcap(tmp_path / "profiles.pcap")
    from stalkerscan.extract.net import extract_capture  # noqa: PLC0415

    assert _ours(extract_capture(path)) == _tshark_ja3(path)


def test_ja3_agrees_with_tshark_on_real_captures(shared_data: Path) -> None:
    from stalkerscan.extract.net import extract_capture  # noqa: PLC0415

    for name in ("android.pcap", "iphone.pcap", "googledns_android10.pcap"):
        path = shared_data / "pcaps" / "benign" / name
        assert _ours(extract_capture(path)) == _tshark_ja3(path), name


def test_sequence_numbers_wrapping_and_retransmissions(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=20)
    conv = cap.tcp(SERVER, 443, cap.start)
    conv.cseq = 0xFFFFFFFF - 100  # the ClientHello crosses the 2**32 wrap
    conv.handshake()
    hello = client_hello("wrap.example", rng=cap.rng)
    record = b"\x16\x03\x01" + len(hello).to_bytes(2, "big") + hello
    conv.send(record, split_at=[50, 150])
    conv.cseq -= len(record)
    conv.send(record)  # the whole hello again: a retransmission, read once
    conv.close()
    got = extract(cap, tmp_path)
    assert [t.sni for t in got.tls] == ["wrap.example"]
