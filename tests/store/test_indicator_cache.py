"""The indicator cache never makes a load fail and never gives what the files do not hold: a
damaged, foreign or unsafe entry means a fresh build, folders and files are private, at most
KEEP entries are kept, and ``STALKERSCAN_NO_CACHE`` or an unwritable folder means no cache."""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stalkerscan.indicators.index_state import IndexState
from stalkerscan.indicators.load import load_path
from stalkerscan.model import IndicatorSet
from stalkerscan.store.cache_key import index_key, path_key
from stalkerscan.store.indicator_cache import (
    KEEP,
    IndicatorCache,
    default_cache,
    load_index_cached,
    load_paths_index,
)
from support.indicator_cache import fresh_index, user_cache

_MAGIC = b"stalkerscan indicator cache\n"
_HEADER = len(_MAGIC) + 2 + 32  # magic, format, key: the payload's checksum follows


pytestmark = pytest.mark.usefixtures("private_home")


def _counting(
    path: Path, calls: list[int]
) -> tuple[Callable[[], list[str]], Callable[[], list[IndicatorSet]]]:
    """The source keys of ``path`` and a loader for it that counts the fresh loads."""

    def load() -> list[IndicatorSet]:
        calls.append(1)
        return load_path(path)

    return lambda: [path_key(path)], load


def _host_list(folder: Path, n: int) -> Path:
    path = folder / f"list-{n}.txt"
    path.write_text("".join(f"c2-{n}-{i}.spy.example\n" for i in range(3)), "utf-8")
    return path


def _flip_payload_byte(blob: bytes) -> bytes:
    at = len(blob) - 100
    return blob[:at] + bytes([blob[at] ^ 0x01]) + blob[at + 1 :]


def _other_format(blob: bytes) -> bytes:
    at = len(_MAGIC)
    return blob[:at] + (999).to_bytes(2, "big") + blob[at + 2 :]


def _other_key(blob: bytes) -> bytes:
    """The entry of another key, copied under this one's name."""
    at = len(_MAGIC) + 2
    return blob[:at] + bytes([blob[at] ^ 0x01]) + blob[at + 1 :]


def _resealed(payload: bytes) -> Callable[[bytes], bytes]:
    """An entry with the right header and checksum around another payload."""
    return lambda blob: blob[:_HEADER] + hashlib.sha256(payload).digest() + payload


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],
        _flip_payload_byte,
        _other_format,
        _other_key,
        lambda _: b"",
        lambda _: b"not a cache\n",
        _resealed(pickle.dumps([1, 2, 3])),  # well formed, but not an index state
        _resealed(pickle.dumps(None)),
    ],
    ids=[
        "truncated",
        "flipped-byte",
        "other-format",
        "other-key",
        "empty",
        "garbage",
        "list",
        "none",
    ],
)
def test_a_damaged_entry_is_rebuilt(echap_dir: Path, damage: Callable[[bytes], bytes]) -> None:
    calls: list[int] = []
    keys, load = _counting(echap_dir / "ioc.yaml", calls)
    cache = user_cache()
    fresh = load_index_cached(keys, load, cache)
    (entry,) = cache.entries()
    entry.write_bytes(damage(entry.read_bytes()))
    again = load_index_cached(keys, load, cache)
    assert len(calls) == 2  # the damaged entry was not used
    assert again.to_state() == fresh.to_state()
    assert load_index_cached(keys, load, cache).to_state() == fresh.to_state()
    assert len(calls) == 2  # ... and was written again whole


class _Planted:
    """What someone else might plant in a cache: a pickle that calls a function."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.target),))


def test_an_entry_builds_nothing_but_an_index_state(echap_dir: Path, tmp_path: Path) -> None:
    calls: list[int] = []
    keys, load = _counting(echap_dir / "ioc.yaml", calls)
    cache = user_cache()
    fresh = load_index_cached(keys, load, cache)
    (entry,) = cache.entries()
    original = entry.read_bytes()
    planted = tmp_path / "planted"
    state = fresh.to_state()
    paths: Any = _Planted(planted)
    payloads = [
        pickle.dumps(_Planted(planted)),
        pickle.dumps([_Planted(planted)]),
        # an index state with something else inside it
        pickle.dumps(IndexState(state.sets, frozenset(), state.indicators, {}, {}, paths)),
        pickle.dumps(fresh),  # a whole index: its rebuilding function is not on the list either
        pickle.dumps(load_path(echap_dir / "ioc.yaml")),  # sets, not an index
    ]
    for payload in payloads:
        entry.write_bytes(_resealed(payload)(original))
        assert load_index_cached(keys, load, cache).to_state() == fresh.to_state()
    assert not planted.exists()
    assert len(calls) == 1 + len(payloads)


def test_an_entry_others_can_write_is_not_read(echap_dir: Path) -> None:
    calls: list[int] = []
    keys, load = _counting(echap_dir / "ioc.yaml", calls)
    cache = user_cache()
    load_index_cached(keys, load, cache)
    (entry,) = cache.entries()
    entry.chmod(0o666)
    load_index_cached(keys, load, cache)
    assert len(calls) == 2
    cache.folder.chmod(0o777)
    load_index_cached(keys, load, cache)
    load_index_cached(keys, load, cache)
    assert len(calls) == 4  # nothing is read from (or written to) a folder others can write


def test_folders_and_files_are_private(echap_dir: Path, tmp_path: Path) -> None:
    load_paths_index([echap_dir / "ioc.yaml"])
    cache = user_cache()
    assert cache.folder == tmp_path / "home" / "cache" / "indicator-cache"
    for folder in (cache.folder.parent, cache.folder):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (entry,) = cache.entries()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert [p.name for p in cache.folder.iterdir()] == [entry.name]  # no temporary file left


def test_an_unwritable_cache_folder_still_loads(echap_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "cache").write_text("a file where the cache folder would be\n")
    for _ in range(2):
        assert load_paths_index([echap_dir]).to_state() == fresh_index([echap_dir]).to_state()
    assert (home / "cache").is_file()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write a read-only folder"
)
def test_a_read_only_home_still_loads(echap_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    try:
        assert load_paths_index([echap_dir]).to_state() == fresh_index([echap_dir]).to_state()
        assert not (home / "cache").exists()
    finally:
        home.chmod(0o700)


def test_an_unreadable_entry_still_loads(echap_dir: Path) -> None:
    path = echap_dir / "ioc.yaml"
    calls: list[int] = []
    keys, load = _counting(path, calls)
    cache = user_cache()
    cache.folder.mkdir(parents=True)
    (cache.folder / f"{index_key(keys())}.entry").mkdir()  # it cannot be read as a file
    fresh = load_index_cached(keys, load, cache)
    assert fresh.to_state() == fresh_index([path]).to_state()
    assert load_index_cached(keys, load, cache).to_state() == fresh.to_state()
    assert len(calls) == 2


def test_no_cache_variable_turns_it_off(
    echap_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STALKERSCAN_NO_CACHE", "1")
    assert default_cache() is None
    assert load_paths_index([echap_dir]).to_state() == fresh_index([echap_dir]).to_state()
    calls: list[int] = []
    keys, load = _counting(echap_dir / "ioc.yaml", calls)
    explicit = IndicatorCache(tmp_path / "explicit")
    load_index_cached(keys, load, explicit)
    load_index_cached(keys, load, explicit)
    assert len(calls) == 2
    assert not (tmp_path / "home").exists()
    assert not (tmp_path / "explicit").exists()  # nothing written anywhere


def test_pruning_keeps_the_most_recently_used(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    paths = [_host_list(lists, n) for n in range(KEEP + 3)]
    for path in paths:
        load_paths_index([path])
    cache = user_cache()
    entries = cache.entries()
    assert len(entries) == KEEP
    oldest, next_oldest = entries[-1], entries[-2]  # the entries of paths[3] and paths[4]
    before = oldest.stat()
    assert load_paths_index([paths[3]]).to_state() == fresh_index([paths[3]]).to_state()
    after = oldest.stat()
    assert after.st_ino == before.st_ino  # read back, not written again ...
    assert after.st_mtime_ns > before.st_mtime_ns  # ... and marked as just used
    for n in range(KEEP + 3, KEEP + 3 + KEEP - 1):
        load_paths_index([_host_list(lists, n)])
    names = {p.name for p in cache.entries()}
    assert len(names) == KEEP
    assert oldest.name in names
    assert next_oldest.name not in names


def test_a_small_bound_is_kept(tmp_path: Path) -> None:
    cache = IndicatorCache(tmp_path / "small" / "indicator-cache", keep=2)
    lists = tmp_path / "lists"
    lists.mkdir()
    for n in range(5):
        calls: list[int] = []
        keys, load = _counting(_host_list(lists, n), calls)
        load_index_cached(keys, load, cache)
        assert len(cache.entries()) == min(n + 1, 2)
        assert len(calls) == 1


def test_a_stale_temporary_file_is_pruned(echap_dir: Path) -> None:
    cache = user_cache()
    load_paths_index([echap_dir / "ioc.yaml"])
    old, recent = cache.folder / ".crashed.tmp", cache.folder / ".writing.tmp"
    for temp in (old, recent):
        temp.write_bytes(b"half an entry")
    os.utime(old, (0, 0))
    load_paths_index([echap_dir / "watchware.yaml"])  # a write prunes
    assert not old.exists()
    assert recent.exists()  # it may be another process's entry, still being written
