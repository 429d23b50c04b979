"""Network captures: sniff, extract, detect."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.model import InputKind, InputRef
from stalkerscan.pipeline.handlers import AnalysedInput, InputHandler, ScanContext
from stalkerscan.pipeline.hashing import BackgroundHash
from stalkerscan.sources.pcap import sniff_pcap


def analyse_capture(path: Path, ctx: ScanContext) -> AnalysedInput:
    """Hash the capture, extract its records, run the network detectors.

    The SHA-256 is computed in a second thread while the capture is parsed: hashlib releases the
    GIL on large buffers, so on a machine with two cores the hash costs almost no wall time. The
    extractor and the network detectors are imported here, not with the handler table, so a scan
    of phone data never loads them.
    """
    from stalkerscan.detect.net import detect_network  # noqa: PLC0415
    from stalkerscan.extract.net.capture import extract_capture  # noqa: PLC0415

    with BackgroundHash(path) as hashing:
        capture = extract_capture(
            path, lambda done, total: ctx.progress("Reading capture", done, total)
        )
        sha256, size = hashing.result()
    result = detect_network(capture, ctx.index, str(path))
    ref = InputRef(path=str(path), kind=InputKind.PCAP, sha256=sha256, size=size)
    return AnalysedInput(ref, result, checked=capture.summary.packets > 0)


HANDLER = InputHandler(
    kind=InputKind.PCAP,
    description="a network capture (pcap or pcapng)",
    sniff=sniff_pcap,
    analyse=analyse_capture,
)
