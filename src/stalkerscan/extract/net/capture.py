"""The entry point: a capture file -> NetworkCapture."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.extract.net.engine import PacketLoop
from stalkerscan.extract.net.flows import flow_record
from stalkerscan.extract.net.linklayer import link_name
from stalkerscan.extract.net.reader import CaptureReader, Progress
from stalkerscan.extract.net.sink import RecordSink
from stalkerscan.model.errors import InputFormatError
from stalkerscan.model.net import CaptureSummary, NetworkCapture


def extract_capture(path: Path, progress: Progress | None = None) -> NetworkCapture:
    """Read a pcap or pcapng file into records, streaming; memory grows with flows, not packets.

    ``progress(bytes_read, total_bytes)`` is called after each chunk of the file is read. Raises
    :class:`InputFormatError` if the file is not a capture or cannot be opened.
    """
    try:
        stream = path.open("rb")
    except OSError as err:
        raise InputFormatError(
            f"cannot open the capture {path} ({err.strerror or err})",
            "Check the path and that this user may read the file",
        ) from err
    with stream:
        total = path.stat().st_size
        reader = CaptureReader(stream, total, str(path), progress)
        sink = RecordSink()
        loop = PacketLoop(sink)
        loop.run(reader.records())
    states = loop.flows()
    loop.tcp.clear()  # the records are built next: let the flow tables go first
    loop.udp.clear()
    for st in states:
        if st.session is not None:
            st.session.finish()
            st.session = None
    flows = []
    for i, st in enumerate(states):
        flows.append(flow_record(st))
        states[i] = None  # type: ignore[call-overload]
    totals = loop.totals
    summary = CaptureSummary(
        file_format=reader.file_format,
        link_types=tuple(link_name(link) for link in reader.link_types),
        packets=totals.packets,
        bytes=totals.bytes,
        first_time=totals.first_time,
        last_time=totals.last_time,
        undecoded_packets=totals.undecoded,
        stopped_early=reader.stopped_early,
    )
    return NetworkCapture(
        summary=summary,
        flows=tuple(flows),
        dns=tuple(sink.dns),
        tls=tuple(sorted(sink.tls, key=lambda r: r.packet)),
        http=tuple(sink.http),
        quic=tuple(sorted(sink.quic, key=lambda r: r.packet)),
        dhcp=tuple(sink.dhcp),
    )
