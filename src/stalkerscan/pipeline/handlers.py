"""The registry of input kinds: how each is recognised by content and analysed.

To add an input kind, write its source (sniff + open) and extractor, then one ``InputHandler`` here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stalkerscan.detect.base import DetectorResult
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import InputKind, InputRef
from stalkerscan.pipeline.progress import Progress


@dataclass(frozen=True, slots=True)
class AnalysedInput:
    """One input after extraction and detection."""

    ref: InputRef
    result: DetectorResult
    checked: bool
    """False when nothing in the input could be checked at all."""


@dataclass(frozen=True, slots=True)
class ScanContext:
    """What every handler gets besides the path."""

    index: IndicatorIndex
    progress: Progress
    age_identity: Path | None = None
    """An age identity file, to open encrypted acquisitions (``.zip.age``)."""


@dataclass(frozen=True, slots=True)
class InputHandler:
    """How one kind of input is recognised and analysed."""

    kind: InputKind
    description: str
    """What the input is, for error messages: "a network capture (pcap or pcapng)"."""
    sniff: Callable[[Path], int]
    """Score 0-100 of how sure we are that the path is this kind, by content; 0 means no."""
    analyse: Callable[[Path, ScanContext], AnalysedInput]
    scheme: str | None = None
    """A prefix that names this kind without a file (``adb:``); such inputs skip sniffing."""


def builtin_handlers() -> tuple[InputHandler, ...]:
    """Every input kind stalkerscan reads, in a fixed order (ties go to the first)."""
    from stalkerscan.pipeline import android, network  # noqa: PLC0415

    return (
        network.HANDLER,
        android.ANDROIDQF_HANDLER,
        android.BUGREPORT_HANDLER,
        android.LIVE_HANDLER,
    )
