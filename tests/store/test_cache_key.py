"""Indicator cache keys: made of content, never of file dates, and never ambiguous."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from stalkerscan.store.cache_key import CacheKey, code_fingerprint, index_key, path_key


def _key(*parts: tuple[str, str]) -> str:
    key = CacheKey("test")
    for label, text in parts:
        key.add_text(label, text)
    return key.hexdigest()


def test_parts_are_never_run_together() -> None:
    assert _key(("a", "bc")) != _key(("ab", "c"))
    assert _key(("a", "b"), ("c", "")) != _key(("a", "bc"))
    assert _key(("a", "b")) == _key(("a", "b"))
    assert CacheKey("one").hexdigest() != CacheKey("two").hexdigest()


def test_a_path_key_follows_the_bytes_not_the_dates(echap_dir: Path, tmp_path: Path) -> None:
    hosts = tmp_path / "hosts.txt"
    shutil.copyfile(echap_dir / "generated" / "hosts", hosts)
    before = path_key(hosts)
    os.utime(hosts, (0, 0))
    assert path_key(hosts) == before  # a touched file is the same entry
    assert path_key(hosts, "my-list") != before  # ... asked for under another name is not
    hosts.write_bytes(hosts.read_bytes() + b"added.example\n")
    assert path_key(hosts) != before


def test_a_folder_key_covers_every_file_it_reads(echap_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "echap"
    folder.mkdir()
    for name in ("ioc.yaml", "watchware.yaml", "samples.csv"):
        shutil.copyfile(echap_dir / name, folder / name)
    before = path_key(folder)
    (folder / "set.yaml").write_text("name: my-echap\n", "utf-8")
    with_manifest = path_key(folder)
    assert with_manifest != before
    samples = folder / "samples.csv"
    samples.write_bytes(samples.read_bytes().replace(b"a", b"b", 1))
    assert path_key(folder) not in (before, with_manifest)


def test_an_index_key_follows_its_sources_in_order() -> None:
    a, b = _key(("source", "a")), _key(("source", "b"))
    keys = {index_key([a, b]), index_key([b, a]), index_key([a]), index_key([b]), index_key([])}
    assert len(keys) == 5
    assert index_key([a, b]) == index_key([a, b])


def test_the_code_fingerprint_is_a_sha256() -> None:
    assert re.fullmatch("[0-9a-f]{64}", code_fingerprint())
    assert code_fingerprint() == code_fingerprint()
