"""Input hashing: files, folders, and the background hash a capture scan runs beside parsing."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from stalkerscan.pipeline.hashing import BackgroundHash, sha256_input


def _hash_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "stalkerscan-sha256"]


def test_a_file_is_hashed_by_its_bytes(tmp_path: Path) -> None:
    data = bytes(range(256)) * 50_000  # 12.8 MB: several read chunks
    path = tmp_path / "capture.pcap"
    path.write_bytes(data)
    assert sha256_input(path) == (hashlib.sha256(data).hexdigest(), len(data))


def test_a_folder_hash_names_each_file_and_its_content(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_bytes(b"one")
    (tmp_path / "y.txt").write_bytes(b"two")
    listing = "".join(
        f"{rel}\0{hashlib.sha256(data).hexdigest()}\n"
        for rel, data in (("a/x.txt", b"one"), ("y.txt", b"two"))
    )
    assert sha256_input(tmp_path) == (hashlib.sha256(listing.encode()).hexdigest(), 6)
    digest = sha256_input(tmp_path)[0]
    (tmp_path / "y.txt").write_bytes(b"TWO")
    assert sha256_input(tmp_path)[0] != digest


def test_background_hash_gives_the_same_result_from_another_thread(tmp_path: Path) -> None:
    path = tmp_path / "capture.pcap"
    path.write_bytes(b"\xd4\xc3\xb2\xa1" * 1_000_000)
    with BackgroundHash(path) as hashing:
        result = hashing.result()
    assert result == sha256_input(path)
    assert hashing.result() == result  # asking again gives the same answer


def test_background_hash_raises_the_error_of_the_thread(tmp_path: Path) -> None:
    with BackgroundHash(tmp_path / "gone.pcap") as hashing, pytest.raises(FileNotFoundError):
        hashing.result()


def test_leaving_the_block_waits_for_the_thread(tmp_path: Path) -> None:
    path = tmp_path / "capture.pcap"
    path.write_bytes(b"\x00" * (8 << 20))
    with pytest.raises(ValueError, match="parser failed"), BackgroundHash(path) as hashing:
        raise ValueError("parser failed")
    assert not _hash_threads()
    assert hashing.result() == sha256_input(path)
