"""Recognising capture files by their first bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from stalkerscan.extract.net.capture import extract_capture
from stalkerscan.model.errors import InputFormatError
from stalkerscan.sources.pcap import sniff_pcap
from support.netgen import CaptureBuilder


@pytest.mark.parametrize("big_endian", [False, True])
@pytest.mark.parametrize("nano", [False, True])
def test_pcap_scores_100(tmp_path: Path, nano: bool, big_endian: bool) -> None:
    path = CaptureBuilder().write_pcap(tmp_path / "x.bin", nano=nano, big_endian=big_endian)
    assert sniff_pcap(path) == 100


@pytest.mark.parametrize("big_endian", [False, True])
def test_pcapng_scores_100(tmp_path: Path, big_endian: bool) -> None:
    path = CaptureBuilder().write_pcapng(tmp_path / "capture.dat", big_endian=big_endian)
    assert sniff_pcap(path) == 100


def test_real_capture(shared_data: Path) -> None:
    assert sniff_pcap(shared_data / "pcaps" / "benign" / "android.pcap") == 100


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"hello world, not a capture",
        b"PK\x03\x04" + b"\x00" * 40,
        b"\x0a\x0d\x0d\x0a" + b"\x00" * 20,
    ],
)
def test_other_files_score_0(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.pcap"
    path.write_bytes(content)
    assert sniff_pcap(path) == 0
    # an empty file gets its own words: "... is empty (0 bytes), so it holds no network capture"
    with pytest.raises(InputFormatError, match=r"(not a|holds no) network capture"):
        extract_capture(path)


def test_truncated_header_scores_low_but_not_zero(tmp_path: Path) -> None:
    path = tmp_path / "short.pcap"
    path.write_bytes(b"\xd4\xc3\xb2\xa1\x02\x00")
    assert 0 < sniff_pcap(path) < 100


def test_folders_and_missing_paths_score_0(tmp_path: Path) -> None:
    assert sniff_pcap(tmp_path) == 0
    assert sniff_pcap(tmp_path / "missing.pcap") == 0
    with pytest.raises(InputFormatError, match="cannot open"):
        extract_capture(tmp_path / "missing.pcap")
