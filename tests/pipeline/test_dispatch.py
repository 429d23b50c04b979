"""Inputs are recognised by content; unknown, missing and empty inputs are refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from stalkerscan.model import InputKind
from stalkerscan.model.errors import InputFormatError, UserError
from stalkerscan.pipeline.dispatch import identify
from stalkerscan.pipeline.handlers import builtin_handlers


def test_capture_is_recognised_by_content_not_extension(shared_data: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "evidence.txt"
    renamed.write_bytes((shared_data / "pcaps" / "benign" / "android.pcap").read_bytes())
    path, handler = identify(str(renamed), builtin_handlers())
    assert handler.kind is InputKind.PCAP
    assert path == renamed


def test_text_file_is_refused_with_accepted_kinds(tmp_path: Path) -> None:
    notes = tmp_path / "capture.pcap"
    notes.write_text("these are my notes, not a capture\n")
    with pytest.raises(InputFormatError) as err:
        identify(str(notes), builtin_handlers())
    assert "is not an input stalkerscan can read" in err.value.line()
    assert "network capture" in err.value.fix


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        identify(str(tmp_path / "nowhere.pcap"), builtin_handlers())


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pcapng"
    empty.write_bytes(b"")
    with pytest.raises(InputFormatError, match="is empty"):
        identify(str(empty), builtin_handlers())
