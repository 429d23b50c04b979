"""File formats and link layers: every one we read gives the same records."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest

from stalkerscan.extract.net import extract_capture
from stalkerscan.extract.net import reader as reader_module
from stalkerscan.extract.net.reader import CaptureReader
from stalkerscan.model.errors import InputFormatError
from support.netgen import CaptureBuilder
from support.netgen_msgs import dns_message
from support.netgen_wire import (
    LINKTYPES,
    PROTO_UDP,
    PcapngWriter,
    PcapWriter,
    frame,
    ipv4,
    ipv6,
    udp,
)

from .conftest import phone_session

LINK_NAMES = {
    "ethernet": "ethernet",
    "vlan": "ethernet",
    "qinq": "ethernet",
    "sll": "linux_sll",
    "sll2": "linux_sll2",
    "raw": "raw",
    "raw12": "raw",
    "raw14": "raw",
    "null": "null",
    "loop": "loop",
    "pktap": "pktap",
}


def _essentials(path: Path) -> tuple[object, ...]:
    cap = extract_capture(path)
    return (
        cap.summary.packets,
        cap.summary.undecoded_packets,
        sorted(d.query for d in cap.dns),
        sorted((t.sni or "", t.ja3_hash or "") for t in cap.tls),
        [(f.key, f.packets_out, f.packets_in, f.bytes_out, f.payload_in) for f in cap.flows],
        [q.sni for q in cap.quic],
        [h.host for h in cap.http],
    )


@pytest.mark.parametrize("link", sorted(LINKTYPES))
def test_every_link_type_gives_the_same_records(link: str, tmp_path: Path) -> None:
    reference = _essentials(phone_session("ethernet").write_pcap(tmp_path / "eth.pcap"))
    cap = phone_session(link)
    path = cap.write_pcap(tmp_path / f"{link}.pcap")
    assert _essentials(path) == reference
    assert extract_capture(path).summary.link_types == (LINK_NAMES[link],)


@pytest.mark.parametrize(
    ("nano", "big_endian"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_pcap_byte_orders_and_resolutions(nano: bool, big_endian: bool, tmp_path: Path) -> None:
    cap = phone_session()
    path = cap.write_pcap(tmp_path / "c.pcap", nano=nano, big_endian=big_endian)
    got = extract_capture(path)
    assert got.summary.file_format == "pcap"
    assert got.summary.packets == len(cap)
    assert got.summary.first_time == pytest.approx(cap.start, abs=1e-6)
    assert got.summary.stopped_early is None
    assert {t.sni for t in got.tls} == {"api.example.com", "v6.example.org"}


@pytest.mark.parametrize(("big_endian", "tsresol"), [(False, 6), (True, 9), (False, 3)])
def test_pcapng_matches_pcap(big_endian: bool, tsresol: int, tmp_path: Path) -> None:
    cap = phone_session()
    as_pcap = _essentials(cap.write_pcap(tmp_path / "c.pcap"))
    path = cap.write_pcapng(tmp_path / "c.pcapng", big_endian=big_endian, tsresol=tsresol)
    assert _essentials(path) == as_pcap
    summary = extract_capture(path).summary
    assert summary.file_format == "pcapng"
    assert summary.first_time == pytest.approx(cap.start, abs=10**-tsresol)


def _dns_frame(link: str, name: str, v6: bool = False) -> bytes:
    payload = udp(40000, 53, dns_message(7, name))
    ip = (
        ipv6("2001:db8::1", "2001:db8::53", PROTO_UDP, payload)
        if v6
        else ipv4("10.0.0.1", "10.0.0.53", PROTO_UDP, payload)
    )
    return frame(link, ip)


def test_pcapng_sections_interfaces_and_block_kinds(tmp_path: Path) -> None:
    path = tmp_path / "multi.pcapng"
    with PcapngWriter(path) as w:
        eth = w.interface(LINKTYPES["ethernet"])
        sll = w.interface(LINKTYPES["sll2"], tsresol=9)
        w.write(1000.5, _dns_frame("ethernet", "one.example"), eth)
        w.write_other(4, b"\x01\x00\x04\x00" + b"\x0a\x00\x00\x01" + b"x.example\x00\x00\x00\x00")
        w.write(1001.25, _dns_frame("sll2", "two.example", v6=True), sll)
        w.write_other(0x40000BAD, b"custom block a reader must skip")
        w.section()  # a new section forgets the interfaces of the last one
        raw = w.interface(LINKTYPES["raw"])
        w.write(1002.0, _dns_frame("raw", "three.example"), raw)
        w.write_simple(_dns_frame("raw", "four.example"))
    got = extract_capture(path)
    assert [d.query for d in got.dns] == [
        "one.example",
        "two.example",
        "three.example",
        "four.example",
    ]
    assert [d.time for d in got.dns] == [1000.5, 1001.25, 1002.0, 1002.0]
    assert got.summary.link_types == ("ethernet", "linux_sll2", "raw")
    assert got.summary.stopped_early is None


def test_truncated_file_keeps_the_packets_before(tmp_path: Path) -> None:
    cap = phone_session()
    path = cap.write_pcap(tmp_path / "whole.pcap")
    data = path.read_bytes()
    # find the start of packet 30 by walking the record headers
    offset = 24
    for _ in range(29):
        offset += 16 + struct.unpack_from("<I", data, offset + 8)[0]
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(data[: offset + 16 + 10])
    got = extract_capture(cut)
    assert got.summary.packets == 29
    assert got.summary.stopped_early == (
        f"the file ends in the middle of packet 30 (byte offset {offset}); "
        "packets before it were analysed"
    )
    assert got.dns and got.dns[0].query == "api.example.com"


def test_truncated_pcapng(tmp_path: Path) -> None:
    path = phone_session().write_pcapng(tmp_path / "whole.pcapng")
    data = path.read_bytes()
    cut = tmp_path / "cut.pcapng"
    cut.write_bytes(data[: len(data) - 50])
    got = extract_capture(cut)
    whole = extract_capture(path)
    assert got.summary.packets == whole.summary.packets - 1
    assert got.summary.stopped_early is not None
    assert "ends in the middle of packet" in got.summary.stopped_early


def test_damaged_record_length_stops_reading(tmp_path: Path) -> None:
    path = tmp_path / "damaged.pcap"
    with PcapWriter(path, 1) as w:
        w.write(1.0, _dns_frame("ethernet", "ok.example"))
    with path.open("ab") as f:
        f.write(struct.pack("<IIII", 2, 0, 0x7FFFFFF0, 60) + b"\x00" * 60)
    got = extract_capture(path)
    assert got.summary.packets == 1
    assert got.summary.stopped_early is not None
    assert "packet 2" in got.summary.stopped_early and "damaged" in got.summary.stopped_early
    assert [d.query for d in got.dns] == ["ok.example"]


def test_not_a_capture(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is a shopping list, not a capture\n" * 10)
    with pytest.raises(InputFormatError) as err:
        extract_capture(path)
    assert "not a network capture" in err.value.problem
    assert "\n" not in err.value.line()


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pcap"
    path.write_bytes(b"")
    with pytest.raises(InputFormatError, match="empty"):
        extract_capture(path)


def test_header_only_capture_has_no_packets(tmp_path: Path) -> None:
    path = CaptureBuilder().write_pcap(tmp_path / "none.pcap")
    got = extract_capture(path)
    assert got.summary.packets == 0
    assert got.summary.first_time is None
    assert got.flows == () and got.summary.stopped_early is None


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="cannot open"):
        extract_capture(tmp_path / "nope.pcap")


def test_progress_reaches_the_file_size(tmp_path: Path) -> None:
    path = phone_session().write_pcap(tmp_path / "c.pcap")
    calls: list[tuple[int, int]] = []
    extract_capture(path, lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert calls and calls[-1] == (size, size)
    assert all(total == size and 0 <= done <= size for done, total in calls)


def test_undecoded_frames_and_ip_quirks(tmp_path: Path) -> None:
    path = tmp_path / "quirks.pcap"
    payload = udp(40000, 53, dns_message(9, "opts.example"))
    arp = b"\xff" * 6 + b"\x02" * 6 + b"\x08\x06" + b"\x00" * 28
    first_frag = ipv4("10.0.0.1", "10.0.0.53", PROTO_UDP, payload, ident=5, frag=0x2000)
    later_frag = ipv4("10.0.0.1", "10.0.0.53", PROTO_UDP, b"\x00" * 16, ident=5, frag=0x0003)
    with PcapWriter(path, 1) as w:
        w.write(1.0, arp)
        w.write(
            2.0,
            frame(
                "ethernet", ipv4("10.0.0.1", "10.0.0.53", PROTO_UDP, payload, options=b"\x01" * 4)
            ),
        )
        w.write(3.0, frame("ethernet", first_frag))
        w.write(4.0, frame("ethernet", later_frag))
        hbh = udp(40001, 53, dns_message(3, "hbh.example"))
        w.write(5.0, frame("ethernet", ipv6("2001:db8::1", "2001:db8::53", PROTO_UDP, hbh, True)))
        w.write(6.0, b"\x00\x01")  # a frame too short for any header
    got = extract_capture(path)
    assert got.summary.packets == 6
    assert got.summary.undecoded_packets == 3  # ARP, the later fragment, the runt
    assert [d.query for d in got.dns] == ["opts.example", "hbh.example"]
    udp_flow = next(f for f in got.flows if f.key.src == "10.0.0.1")
    assert udp_flow.packets_out == 2  # the IP-options packet and the first fragment


def test_damaged_pcapng_block(tmp_path: Path) -> None:
    path = tmp_path / "bad.pcapng"
    with PcapngWriter(path) as w:
        w.interface(LINKTYPES["ethernet"])
        w.write(5.0, _dns_frame("ethernet", "before.example"))
    with path.open("ab") as f:
        f.write(
            struct.pack("<II", 6, 7) + b"\x00" * 40
        )  # a block length that is not a multiple of 4
    got = extract_capture(path)
    assert [d.query for d in got.dns] == ["before.example"]
    assert got.summary.stopped_early is not None and "damaged" in got.summary.stopped_early


def test_gzip_compressed_capture_says_what_to_do(tmp_path: Path) -> None:
    import gzip  # noqa: PLC0415

    path = tmp_path / "c.pcap.gz"
    path.write_bytes(gzip.compress(phone_session().write_pcap(tmp_path / "c.pcap").read_bytes()))
    with pytest.raises(InputFormatError, match="gzip") as err:
        extract_capture(path)
    assert "gunzip" in err.value.fix


# -- pcapng blocks written by hand: every field the reader looks at ------------------------------


def _ng_block(order: str, btype: int, body: bytes) -> bytes:
    body += b"\0" * (-len(body) % 4)
    size = len(body) + 12
    return struct.pack(order + "II", btype, size) + body + struct.pack(order + "I", size)


def _ng_section(order: str) -> bytes:
    return _ng_block(order, 0x0A0D0D0A, struct.pack(order + "IHHq", 0x1A2B3C4D, 1, 0, -1))


def _ng_interface(order: str, link: int, tsresol: int | None = None, offset: int = 0) -> bytes:
    opts = b""
    if tsresol is not None:
        opts += struct.pack(order + "HHB3x", 9, 1, tsresol)
    if offset:
        opts += struct.pack(order + "HHq", 14, 8, offset)
    return _ng_block(order, 1, struct.pack(order + "HHI", link, 0, 65535) + opts + b"\0" * 4)


def _ng_packet(
    order: str, iface: int, ticks: int, data: bytes, caplen: int | None = None, opts: bytes = b""
) -> bytes:
    captured = len(data) if caplen is None else caplen
    head = struct.pack(order + "5I", iface, ticks >> 32, ticks & 0xFFFFFFFF, captured, len(data))
    return _ng_block(order, 6, head + data + b"\0" * (-len(data) % 4) + opts)


def _records(data: bytes) -> tuple[list[tuple[float, int, bytes]], CaptureReader]:
    reader = CaptureReader(io.BytesIO(data), len(data), "t.pcapng", None)
    return list(reader.records()), reader


def test_pcapng_resolutions_offsets_options_and_odd_lengths() -> None:
    eth, raw = LINKTYPES["ethernet"], LINKTYPES["raw"]
    one, two, three = (_dns_frame("ethernet", f"{n}.example") for n in ("one", "two", "three"))
    v4 = _dns_frame("raw", "four.example")
    comment = struct.pack("<HH", 1, 5) + b"hello\0\0\0" + struct.pack("<HH", 0, 0)
    data = b"".join(
        [
            _ng_section("<"),
            _ng_interface("<", eth, tsresol=0x80 | 20),  # 2^-20 s ticks
            _ng_interface("<", raw, tsresol=3, offset=1_600_000_000),
            _ng_packet("<", 0, 1000 * 2**20 + 2**19, one),
            _ng_packet("<", 1, 250, v4, opts=comment),  # options after the data
            _ng_packet("<", 7, 5, two),  # an interface never described: skipped
            _ng_packet("<", 0, 1001 * 2**20, two, caplen=len(two) + 999),  # claims too much
            _ng_packet("<", 0, 1002 * 2**20, three, caplen=20),  # captured only 20 bytes
            _ng_section(">"),  # a new section, big-endian, forgets the interfaces
            _ng_block(">", 3, struct.pack(">I", len(one)) + one),  # no interface yet: skipped
            _ng_interface(">", raw, tsresol=9),
            _ng_packet(">", 0, 2_000_000_000_123, v4),
            _ng_block(">", 3, struct.pack(">I", len(v4)) + v4),  # simple: the time before
            _ng_block(">", 0x40000BAD, b"a custom block"),
        ]
    )
    got, reader = _records(data)
    padded = two + b"\0" * (-len(two) % 4)  # clamped to what the block holds
    assert got == [
        (1000.5, eth, one),
        (1_600_000_000.25, raw, v4),
        (1001.0, eth, padded),
        (1002.0, eth, three[:20]),
        (2000.000000123, raw, v4),
        (2000.000000123, raw, v4),
    ]
    assert reader.count == 6 and reader.stopped_early is None
    assert reader.link_types == [eth, raw]


def _mixed_capture(tmp_path: Path) -> tuple[bytes, int]:
    """phone_session as pcapng, then blocks of every kind, two sections and byte orders.

    Returns the file and the byte offset of its last packet.
    """
    data = phone_session().write_pcapng(tmp_path / "a.pcapng").read_bytes()
    data += phone_session(seed=9).write_pcapng(tmp_path / "b.pcapng", big_endian=True).read_bytes()
    frame_ = _dns_frame("ethernet", "tail.example")
    data += _ng_block(">", 4, b"\0" * 8)
    data += _ng_block(">", 3, struct.pack(">I", len(frame_) + 3) + frame_)
    last = len(data)
    data += _ng_packet(">", 0, 1 << 40, frame_, opts=struct.pack(">HHI", 2, 4, 1))
    return data + _ng_block(">", 5, b"\0" * 12), last


@pytest.mark.parametrize("chunk", [1, 13, 24, 100, 4093, 65536])
def test_pcapng_chunk_boundaries_change_nothing(
    chunk: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, last = _mixed_capture(tmp_path)
    whole, reader = _records(data)
    cut = data[: len(data) - 37]
    cut_records, cut_reader = _records(cut)
    monkeypatch.setattr(reader_module, "CHUNK", chunk)
    got, small = _records(data)
    assert got == whole and small.count == reader.count == len(whole) > 100
    assert small.stopped_early is None and small.link_types == reader.link_types
    got_cut, small_cut = _records(cut)
    assert got_cut == cut_records == whole[:-1]
    assert small_cut.stopped_early == cut_reader.stopped_early
    assert small_cut.stopped_early == (
        f"the file ends in the middle of packet {len(whole)} "
        f"(byte offset {last}); packets before it were analysed"
    )


def test_pcapng_progress_reaches_the_file_size(tmp_path: Path) -> None:
    path = tmp_path / "c.pcapng"
    path.write_bytes(_mixed_capture(tmp_path)[0])
    calls: list[tuple[int, int]] = []
    extract_capture(path, lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert calls and calls[-1] == (size, size)
    assert all(total == size and 0 <= done <= size for done, total in calls)


@pytest.mark.parametrize(
    ("btype", "length"), [(6, 12), (6, 28), (2, 16), (3, 12), (1, 12)], ids=str
)
@pytest.mark.parametrize("at_end", [True, False])
def test_pcapng_block_too_short_for_its_fields_is_damaged(
    btype: int, length: int, at_end: bool
) -> None:
    good = _ng_section("<") + _ng_interface("<", LINKTYPES["ethernet"])
    good += _ng_packet("<", 0, 5_000_000, _dns_frame("ethernet", "before.example"))
    short = struct.pack("<II", btype, length) + b"\0" * (length - 12) + struct.pack("<I", length)
    after = b"" if at_end else _ng_packet("<", 0, 6_000_000, _dns_frame("ethernet", "x.example"))
    got, reader = _records(good + short + after)
    assert [ts for ts, _link, _data in got] == [5.0]
    assert reader.stopped_early == (
        f"packet 2 at byte offset {len(good)} is damaged (a block claims a length of {length} "
        "bytes); reading stopped there and packets before it were analysed"
    )


def test_pcapng_section_with_no_byte_order_mark_is_damaged() -> None:
    good = _ng_section("<") + _ng_interface("<", LINKTYPES["raw"])
    good += _ng_packet("<", 0, 7_000_000, _dns_frame("raw", "ok.example"))
    bad = _ng_block("<", 0x0A0D0D0A, struct.pack("<IHHq", 0x11223344, 1, 0, -1))
    got, reader = _records(good + bad + good)
    assert len(got) == 1
    assert reader.stopped_early is not None
    assert "no byte-order mark" in reader.stopped_early and "packet 2" in reader.stopped_early
