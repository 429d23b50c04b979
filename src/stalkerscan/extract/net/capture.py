"""The entry point: a capture file -> NetworkCapture."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.extract.net.engine import PacketLoop
from stalkerscan.extract.net.flows import flow_record
from stalkerscan.extract.net.linklayer import link_name
from stalkerscan.extract.net.reader import CaptureReader, Progress
from stalkerscan.extract.net.sink import RecordSink
from stalkerscan.model.collector import collector_paused
from stalkerscan.model.errors import InputFormatError
from stalkerscan.model.net import CaptureSummary, Flow, NetworkCapture


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
    # flow state and records are long-lived and make no cycles while a capture is read; sessions
    # never refer to themselves, and their link to their flow is cut when they finish
    with stream, collector_paused():
        reader = CaptureReader(stream, path.stat().st_size, str(path), progress)
        sink = RecordSink()
        loop = PacketLoop(sink)
        loop.run(reader.records())
        flows = _flow_records(loop)
        return NetworkCapture(
            summary=_summary(reader, loop),
            flows=flows,
            dns=tuple(sink.dns),
            tls=tuple(sorted(sink.tls, key=lambda r: r.packet)),
            http=tuple(sink.http),
            quic=tuple(sorted(sink.quic, key=lambda r: r.packet)),
            dhcp=tuple(sink.dhcp),
        )


def _flow_records(loop: PacketLoop) -> tuple[Flow, ...]:
    """Finish the sessions still open, then turn each flow's state into its record."""
    states = loop.flows()
    loop.tcp.clear()  # let the flow tables go before the records are built
    loop.udp.clear()
    for st in states:
        st.stop()
        if st.session is not None:
            st.session.finish()
            st.session = None
    flows = [flow_record(st) for st in states]
    states.clear()
    return tuple(flows)


def _summary(reader: CaptureReader, loop: PacketLoop) -> CaptureSummary:
    totals = loop.totals
    return CaptureSummary(
        file_format=reader.file_format,
        link_types=tuple(link_name(link) for link in reader.link_types),
        packets=totals.packets,
        bytes=totals.bytes,
        first_time=totals.first_time,
        last_time=totals.last_time,
        undecoded_packets=totals.undecoded,
        stopped_early=reader.stopped_early,
    )
