"""The indicator cache: a hit gives exactly a fresh load, any change or damage means a fresh load,
and the cache never makes a load fail."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from stalkerscan.indicators.load import load_path
from stalkerscan.model import IndicatorSet
from stalkerscan.store.indicator_cache import (
    KEEP,
    CacheKey,
    IndicatorCache,
    default_cache,
    load_cached,
    load_path_cached,
)

STIX = Path("generated") / "stalkerware.regenerated.stix2"


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STALKERSCAN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("STALKERSCAN_NO_CACHE", raising=False)


def _cache() -> IndicatorCache:
    cache = default_cache()
    assert cache is not None
    return cache


def _copy_echap(echap_dir: Path, dest: Path) -> Path:
    dest.mkdir()
    for name in ("ioc.yaml", "watchware.yaml", "samples.csv"):
        shutil.copyfile(echap_dir / name, dest / name)
    return dest


def _counting(
    path: Path, calls: list[int]
) -> tuple[Callable[[], str], Callable[[], list[IndicatorSet]]]:
    """A key function and a loader for ``path`` that counts the fresh loads."""

    def key_of() -> str:
        key = CacheKey("test")
        key.add_file("file", path)
        return key.hexdigest()

    def load() -> list[IndicatorSet]:
        calls.append(1)
        return load_path(path)

    return key_of, load


def _host_list(folder: Path, n: int) -> Path:
    path = folder / f"list-{n}.txt"
    path.write_text("".join(f"c2-{n}-{i}.spy.example\n" for i in range(3)), "utf-8")
    return path


@pytest.mark.parametrize("rel", [Path(), STIX, Path("generated")], ids=["echap", "stix", "folder"])
def test_hit_equals_fresh_load(echap_dir: Path, rel: Path, tmp_path: Path) -> None:
    path = echap_dir / rel
    fresh = load_path(path)
    first = load_path_cached(path)
    (entry,) = _cache().entries()
    os.utime(entry, ns=(0, 0))
    hit = load_path_cached(path)
    assert entry.stat().st_mtime_ns > 0  # the entry was read (and marked as used)
    assert first == fresh
    assert hit == fresh
    assert [s.info for s in hit] == [s.info for s in fresh]
    assert [s.skipped for s in hit] == [s.skipped for s in fresh]


def test_the_same_files_under_another_path_keep_their_own_source(
    echap_dir: Path, tmp_path: Path
) -> None:
    real = _copy_echap(echap_dir, tmp_path / "real")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    assert load_path_cached(real) == load_path(real)
    (via_link,) = load_path_cached(link)
    assert via_link.info.source == str(link)
    assert [via_link] == load_path(link)
    assert len(_cache().entries()) == 2


def test_a_changed_byte_is_a_new_entry(echap_dir: Path, tmp_path: Path) -> None:
    folder = _copy_echap(echap_dir, tmp_path / "echap")
    (before,) = load_path_cached(folder)
    samples = folder / "samples.csv"
    lines = samples.read_text("utf-8").splitlines(keepends=True)
    first_hash = lines[1][:64]
    changed = ("0" if first_hash[0] != "0" else "1") + first_hash[1:]
    lines[1] = changed + lines[1][64:]
    samples.write_text("".join(lines), "utf-8")
    (after,) = load_path_cached(folder)
    assert [after] == load_path(folder)
    assert after.info.sha256 != before.info.sha256
    values = {i.value for i in after.indicators}
    assert changed in values
    assert first_hash not in values
    assert len(_cache().entries()) == 2


def _truncate(blob: bytes) -> bytes:
    return blob[: len(blob) // 2]


def _flip_payload_byte(blob: bytes) -> bytes:
    at = len(blob) - 100
    return blob[:at] + bytes([blob[at] ^ 0x01]) + blob[at + 1 :]


def _other_format(blob: bytes) -> bytes:
    at = len(b"stalkerscan indicator cache\n")
    return blob[:at] + (999).to_bytes(2, "big") + blob[at + 2 :]


@pytest.mark.parametrize(
    "damage",
    [_truncate, _flip_payload_byte, _other_format, lambda _: b"", lambda _: b"not a cache\n"],
    ids=["truncated", "flipped-byte", "other-format", "empty", "garbage"],
)
def test_a_damaged_entry_is_rebuilt(
    echap_dir: Path, damage: Callable[[bytes], bytes], tmp_path: Path
) -> None:
    path = echap_dir / "ioc.yaml"
    calls: list[int] = []
    key_of, load = _counting(path, calls)
    cache = _cache()
    fresh = load_cached(key_of, load, cache)
    (entry,) = cache.entries()
    entry.write_bytes(damage(entry.read_bytes()))
    assert load_cached(key_of, load, cache) == fresh
    assert len(calls) == 2  # the damaged entry was not used
    assert load_cached(key_of, load, cache) == fresh
    assert len(calls) == 2  # ... and was written again whole


class _Planted:
    """What someone else might plant in a cache: a pickle that calls a function."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.target),))


def test_an_entry_that_builds_other_things_is_refused(echap_dir: Path, tmp_path: Path) -> None:
    calls: list[int] = []
    key_of, load = _counting(echap_dir / "ioc.yaml", calls)
    cache = _cache()
    fresh = load_cached(key_of, load, cache)
    (entry,) = cache.entries()
    blob = entry.read_bytes()
    header = blob[: len(b"stalkerscan indicator cache\n") + 2 + 32]
    planted = tmp_path / "planted"
    payload = pickle.dumps([_Planted(planted)])
    entry.write_bytes(header + hashlib.sha256(payload).digest() + payload)
    assert load_cached(key_of, load, cache) == fresh
    assert not planted.exists()
    assert len(calls) == 2


def test_an_entry_others_can_write_is_not_read(echap_dir: Path) -> None:
    calls: list[int] = []
    key_of, load = _counting(echap_dir / "ioc.yaml", calls)
    cache = _cache()
    load_cached(key_of, load, cache)
    (entry,) = cache.entries()
    entry.chmod(0o666)
    load_cached(key_of, load, cache)
    assert len(calls) == 2
    cache.folder.chmod(0o777)
    load_cached(key_of, load, cache)
    load_cached(key_of, load, cache)
    assert len(calls) == 4  # nothing is read from (or written to) a folder others can write


def test_folders_and_files_are_private(echap_dir: Path, tmp_path: Path) -> None:
    load_path_cached(echap_dir / "ioc.yaml")
    cache = _cache()
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
    assert load_path_cached(echap_dir) == load_path(echap_dir)
    assert load_path_cached(echap_dir) == load_path(echap_dir)
    assert (home / "cache").is_file()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write a read-only folder"
)
def test_a_read_only_home_still_loads(echap_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    try:
        assert load_path_cached(echap_dir) == load_path(echap_dir)
        assert not (home / "cache").exists()
    finally:
        home.chmod(0o700)


def test_an_unreadable_entry_still_loads(echap_dir: Path) -> None:
    calls: list[int] = []
    key_of, load = _counting(echap_dir / "ioc.yaml", calls)
    cache = _cache()
    cache.folder.mkdir(parents=True)
    (cache.folder / f"{key_of()}.entry").mkdir()  # what is there cannot be read as a file
    fresh = load_cached(key_of, load, cache)
    assert fresh == load_path(echap_dir / "ioc.yaml")
    assert load_cached(key_of, load, cache) == fresh
    assert len(calls) == 2


def test_no_cache_variable_turns_it_off(
    echap_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STALKERSCAN_NO_CACHE", "1")
    assert default_cache() is None
    assert load_path_cached(echap_dir) == load_path(echap_dir)
    calls: list[int] = []
    key_of, load = _counting(echap_dir / "ioc.yaml", calls)
    explicit = IndicatorCache(tmp_path / "explicit")
    load_cached(key_of, load, explicit)
    load_cached(key_of, load, explicit)
    assert len(calls) == 2
    assert not (tmp_path / "home").exists()
    assert not (tmp_path / "explicit").exists()  # nothing written anywhere


def test_pruning_keeps_the_most_recently_used(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    paths = [_host_list(lists, n) for n in range(KEEP + 3)]
    for path in paths:
        load_path_cached(path)
    cache = _cache()
    entries = cache.entries()
    assert len(entries) == KEEP
    oldest, next_oldest = entries[-1], entries[-2]  # the entries of paths[3] and paths[4]
    before = oldest.stat()
    assert load_path_cached(paths[3]) == load_path(paths[3])
    after = oldest.stat()
    assert after.st_ino == before.st_ino  # read back, not written again ...
    assert after.st_mtime_ns > before.st_mtime_ns  # ... and marked as just used
    for n in range(KEEP + 3, KEEP + 3 + KEEP - 1):
        load_path_cached(_host_list(lists, n))
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
        key_of, load = _counting(_host_list(lists, n), calls)
        load_cached(key_of, load, cache)
        assert len(cache.entries()) == min(n + 1, 2)


_HIT_SCRIPT = """
import json, sys
from pathlib import Path
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.store.indicator_cache import load_path_cached
sets = load_path_cached(Path(sys.argv[1]))
IndicatorIndex(sets)
print(json.dumps({"yaml": "yaml" in sys.modules, "sets": len(sets),
                  "indicators": sum(len(s.indicators) for s in sets)}))
"""


def test_a_hit_does_not_import_yaml(echap_dir: Path, tmp_path: Path) -> None:
    fresh = load_path(echap_dir)
    env = {**os.environ, "STALKERSCAN_HOME": str(tmp_path / "home")}
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", _HIT_SCRIPT, str(echap_dir)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    expected = {"sets": 1, "indicators": len(fresh[0].indicators)}
    assert runs[0] == {"yaml": True, **expected}  # the first load parses the YAML
    assert runs[1] == {"yaml": False, **expected}  # the second reads the cache
