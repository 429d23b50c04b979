"""The cached index: a hit answers like a freshly built index, each combination of sources has
its own entry, damage means a rebuild, and an entry can build nothing but the index state."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.index_state import IndexState
from stalkerscan.indicators.load import load_path
from stalkerscan.model import IndicatorSet
from stalkerscan.store.indicator_cache import (
    IndicatorCache,
    default_cache,
    load_index_cached,
    load_paths_index,
    path_key,
)
from stalkerscan.store.indicator_store import IndicatorStore

STIX = Path("generated") / "stalkerware.regenerated.stix2"
TINYCHECK = Path("generated") / "indicators-for-tinycheck.json"
_HEADER = len(b"stalkerscan indicator cache\n") + 2 + 32


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STALKERSCAN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("STALKERSCAN_NO_CACHE", raising=False)


def _cache() -> IndicatorCache:
    cache = default_cache()
    assert cache is not None
    return cache


def _fresh(paths: Sequence[Path]) -> IndicatorIndex:
    return IndicatorIndex([s for p in paths for s in load_path(p)])


def _no_indexing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make indexing an indicator fail: what follows must read the index back."""

    def refuse(*_: object) -> bool:
        raise AssertionError("an indicator was indexed again")

    monkeypatch.setattr(IndicatorIndex, "_add", staticmethod(refuse))


def _assert_answers_like(hit: IndicatorIndex, fresh: IndicatorIndex, queries: list[str]) -> None:
    assert hit.sets == fresh.sets
    assert len(hit) == len(fresh)
    assert hit.counts() == fresh.counts()
    for query in queries:
        assert hit.lookup(query) == fresh.lookup(query), query
        assert hit.match_domain(query) == fresh.match_domain(query), query
        assert hit.match_ip(query) == fresh.match_ip(query), query
        assert hit.match_signing_cert(query) == fresh.match_signing_cert(query), query
        assert hit.match_ja3(query) == fresh.match_ja3(query), query


def _queries(index_sets: Sequence[IndicatorSet]) -> list[str]:
    values = sorted({i.value for s in index_sets for i in s.indicators})
    return values + [f"x.y.{v}" for v in values[::7]] + [f"not{v}" for v in values[::7]]


@pytest.mark.parametrize(
    "rels", [[Path()], [STIX], [Path(), TINYCHECK]], ids=["echap", "stix", "echap+tinycheck"]
)
def test_a_hit_answers_like_a_fresh_index(
    echap_dir: Path, rels: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [echap_dir / rel for rel in rels]
    fresh = _fresh(paths)
    first = load_paths_index(paths)
    (entry,) = _cache().entries()
    os.utime(entry, ns=(0, 0))
    with monkeypatch.context() as patch:
        _no_indexing(patch)
        hit = load_paths_index(paths)
    assert entry.stat().st_mtime_ns > 0  # the entry was read (and marked as used)
    queries = _queries([s for p in paths for s in load_path(p)])
    _assert_answers_like(first, fresh, queries)
    _assert_answers_like(hit, fresh, queries)
    assert hit.to_state() == fresh.to_state()
    assert "TheTruthSpy" in {m.indicator.app for m in hit.match_domain("x.y.copy9.com")}
    assert hit.match_domain("notcopy9.com") == ()


def test_each_combination_has_its_own_entry(echap_dir: Path, tmp_path: Path) -> None:
    a, b = echap_dir / "ioc.yaml", echap_dir / TINYCHECK
    combinations = [[a, b], [b, a], [a], [b]]
    first = [load_paths_index(c) for c in combinations]
    assert len(_cache().entries()) == len(combinations)
    keys = {path_key(a), path_key(b)}
    assert len(keys) == 2
    for paths, built in zip(combinations, first, strict=True):
        hit = load_paths_index(paths)
        expected = _fresh(paths)
        assert [info.name for info in hit.sets] == [info.name for info in expected.sets]
        assert hit.to_state() == expected.to_state() == built.to_state()
    assert len(_cache().entries()) == len(combinations)
    # the order is the load order: what matches first follows it
    ab, ba = load_paths_index([a, b]), load_paths_index([b, a])
    sets_ab = [m.indicator.set_name for m in ab.match_domain("copy9.com")]
    sets_ba = [m.indicator.set_name for m in ba.match_domain("copy9.com")]
    assert sets_ab == sets_ba[::-1]
    assert len(set(sets_ab)) == 2


def test_a_changed_source_is_a_new_index(echap_dir: Path, tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    hosts = lists / "spy-hosts.txt"
    hosts.write_text("c2.spy-one.example\n", "utf-8")
    before = load_paths_index([echap_dir / "ioc.yaml", hosts])
    assert before.match_domain("c2.spy-one.example")
    hosts.write_text("c2.spy-two.example\n", "utf-8")
    after = load_paths_index([echap_dir / "ioc.yaml", hosts])
    assert after.match_domain("c2.spy-one.example") == ()
    assert after.match_domain("x.c2.spy-two.example")
    assert len(_cache().entries()) == 2


def _counting(
    path: Path, calls: list[int]
) -> tuple[Callable[[], list[str]], Callable[[], list[IndicatorSet]]]:
    def load() -> list[IndicatorSet]:
        calls.append(1)
        return load_path(path)

    return lambda: [path_key(path)], load


def _flip_payload_byte(blob: bytes) -> bytes:
    at = len(blob) - 100
    return blob[:at] + bytes([blob[at] ^ 0x01]) + blob[at + 1 :]


def _resealed(payload: bytes) -> Callable[[bytes], bytes]:
    """An entry with the right header and checksum around another payload."""
    return lambda blob: blob[:_HEADER] + hashlib.sha256(payload).digest() + payload


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],
        _flip_payload_byte,
        lambda _: b"",
        _resealed(pickle.dumps([1, 2, 3])),  # well formed, but not an index state
        _resealed(pickle.dumps(None)),
    ],
    ids=["truncated", "flipped-byte", "empty", "a-list", "none"],
)
def test_a_damaged_index_entry_is_rebuilt(
    echap_dir: Path, damage: Callable[[bytes], bytes]
) -> None:
    calls: list[int] = []
    keys, load = _counting(echap_dir / "ioc.yaml", calls)
    cache = _cache()
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


def test_an_index_entry_builds_nothing_else(echap_dir: Path, tmp_path: Path) -> None:
    calls: list[int] = []
    keys, load = _counting(echap_dir / "ioc.yaml", calls)
    cache = _cache()
    fresh = load_index_cached(keys, load, cache)
    (entry,) = cache.entries()
    original = entry.read_bytes()
    planted = tmp_path / "planted"
    state = fresh.to_state()
    paths: Any = _Planted(planted)
    payloads = [
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


def test_installed_sets_keep_their_index(
    echap_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = IndicatorStore()
    assert store.installed_index().sets == ()
    store.import_path(echap_dir)
    entries_before = set(_cache().entries())
    store.import_path(echap_dir / TINYCHECK)  # each import prepares the index of what is installed
    (entry,) = set(_cache().entries()) - entries_before
    entries_before.add(entry)
    fresh = IndicatorIndex(store.installed_sets())  # keeps an entry of its own
    entries_before |= set(_cache().entries())
    first = store.installed_index()
    assert set(_cache().entries()) == entries_before  # read back, nothing new written
    with monkeypatch.context() as patch:
        _no_indexing(patch)
        hit = store.installed_index()
    assert hit.to_state() == fresh.to_state() == first.to_state()
    assert [info.name for info in hit.sets] == [
        "echap-indicators-for-tinycheck",
        "echap-stalkerware-indicators",
    ]
    assert hit.sets[1].licence  # the manifest's provenance is kept
    assert hit.match_domain("x.y.copy9.com")
    # a changed manifest is a new index
    manifest = store.root / "echap-indicators-for-tinycheck" / "manifest.json"
    doc = json.loads(manifest.read_text("utf-8"))
    doc["retrieved_at"] = "2020-01-01T00:00:00+00:00"
    manifest.write_text(json.dumps(doc), "utf-8")
    changed = store.installed_index()
    assert changed.sets[0].retrieved_at == "2020-01-01T00:00:00+00:00"
    assert entry in _cache().entries()
    assert len(set(_cache().entries()) - entries_before) == 1


def test_no_cache_variable_writes_no_index(
    echap_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STALKERSCAN_NO_CACHE", "1")
    index = load_paths_index([echap_dir])
    assert index.to_state() == _fresh([echap_dir]).to_state()
    assert not (tmp_path / "home").exists()


def test_an_unwritable_cache_still_gives_the_index(echap_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "cache").write_text("a file where the cache folder would be\n")
    for _ in range(2):
        assert load_paths_index([echap_dir]).to_state() == _fresh([echap_dir]).to_state()


_SCAN_HIT = """
import json, sys
from stalkerscan.cli.scan import load_index
from stalkerscan.indicators.index import IndicatorIndex
if sys.argv[2] == "hit":
    def refuse(*_):
        raise AssertionError("an indicator was indexed again")
    IndicatorIndex._add = staticmethod(refuse)
index = load_index((sys.argv[1],))
hits = [m.indicator.app for m in index.match_domain("x.y.copy9.com")]
print(json.dumps({"yaml": "yaml" in sys.modules, "indicators": len(index), "hits": hits}))
"""


def test_a_scan_reads_the_index_back_in_a_new_process(echap_dir: Path, tmp_path: Path) -> None:
    fresh = _fresh([echap_dir])
    env = {**os.environ, "STALKERSCAN_HOME": str(tmp_path / "home")}
    runs = []
    for run in ("miss", "hit"):
        done = subprocess.run(
            [sys.executable, "-c", _SCAN_HIT, str(echap_dir), run],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    expected = {"indicators": len(fresh), "hits": ["TheTruthSpy", "TheTruthSpy"]}
    assert runs[0] == {"yaml": True, **expected}  # the first scan parses the YAML
    assert runs[1] == {"yaml": False, **expected}  # the second reads the index back


def test_a_folder_copy_is_its_own_index(echap_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("ioc.yaml", "watchware.yaml", "samples.csv"):
        shutil.copyfile(echap_dir / name, copy / name)
    original, copied = load_paths_index([echap_dir]), load_paths_index([copy])
    assert [info.source for info in copied.sets] == [str(copy)]
    assert [info.source for info in original.sets] == [str(echap_dir)]
    assert len(_cache().entries()) == 2


_INSTALLED_HIT = """
import json, sys
from stalkerscan.cli.scan import load_index
index = load_index(())
heavy = sorted(m for m in ("ssl", "tempfile", "shutil", "tomllib", "yaml") if m in sys.modules)
print(json.dumps({"sets": [info.name for info in index.sets], "heavy": heavy}))
"""


def test_a_scan_of_the_installed_sets_reads_only_what_it_needs(
    echap_dir: Path, tmp_path: Path
) -> None:
    IndicatorStore().import_path(echap_dir)  # prepares the index: even the first scan reads it
    env = {**os.environ, "STALKERSCAN_HOME": str(tmp_path / "home")}
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", _INSTALLED_HIT],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    # a hit neither parses (yaml) nor loads what only downloads and installs need
    assert runs[0] == runs[1] == {"sets": ["echap-stalkerware-indicators"], "heavy": []}
