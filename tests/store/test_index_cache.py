"""The cached index: a hit answers like a freshly built index, each combination of sources has
its own entry, a changed byte or another path is a new entry, and the installed sets' index is
prepared at install and read back by the next scan."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.model import IndicatorSet
from stalkerscan.store.cache_key import path_key
from stalkerscan.store.indicator_cache import load_paths_index
from stalkerscan.store.indicator_store import IndicatorStore
from support.indicator_cache import fresh_index, user_cache

STIX = Path("generated") / "stalkerware.regenerated.stix2"
TINYCHECK = Path("generated") / "indicators-for-tinycheck.json"


pytestmark = pytest.mark.usefixtures("private_home")


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
    "rels",
    [[Path()], [STIX], [Path("generated")], [Path(), TINYCHECK]],
    ids=["echap", "stix", "folder", "echap+tinycheck"],
)
def test_a_hit_answers_like_a_fresh_index(
    echap_dir: Path, rels: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [echap_dir / rel for rel in rels]
    fresh = fresh_index(paths)
    first = load_paths_index(paths)
    (entry,) = user_cache().entries()
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
    assert len(user_cache().entries()) == len(combinations)
    keys = {path_key(a), path_key(b)}
    assert len(keys) == 2
    for paths, built in zip(combinations, first, strict=True):
        hit = load_paths_index(paths)
        expected = fresh_index(paths)
        assert [info.name for info in hit.sets] == [info.name for info in expected.sets]
        assert hit.to_state() == expected.to_state() == built.to_state()
    assert len(user_cache().entries()) == len(combinations)
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
    assert len(user_cache().entries()) == 2


def test_installed_sets_keep_their_index(
    echap_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = IndicatorStore()
    assert store.installed_index().sets == ()
    store.import_path(echap_dir)
    entries_before = set(user_cache().entries())
    store.import_path(echap_dir / TINYCHECK)  # each import prepares the index of what is installed
    (entry,) = set(user_cache().entries()) - entries_before
    entries_before.add(entry)
    fresh = IndicatorIndex(store.installed_sets())  # not through the cache
    assert set(user_cache().entries()) == entries_before
    first = store.installed_index()
    assert set(user_cache().entries()) == entries_before  # read back, nothing new written
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
    assert entry in user_cache().entries()
    assert len(set(user_cache().entries()) - entries_before) == 1


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
    fresh = fresh_index([echap_dir])
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


def _copy_echap(echap_dir: Path, dest: Path) -> Path:
    dest.mkdir()
    for name in ("ioc.yaml", "watchware.yaml", "samples.csv"):
        shutil.copyfile(echap_dir / name, dest / name)
    return dest


def test_a_changed_byte_is_a_new_index(echap_dir: Path, tmp_path: Path) -> None:
    folder = _copy_echap(echap_dir, tmp_path / "echap")
    before = load_paths_index([folder])
    samples = folder / "samples.csv"
    lines = samples.read_text("utf-8").splitlines(keepends=True)
    first_hash = lines[1][:64]
    changed = ("0" if first_hash[0] != "0" else "1") + first_hash[1:]
    lines[1] = changed + lines[1][64:]
    samples.write_text("".join(lines), "utf-8")
    after = load_paths_index([folder])
    assert after.to_state() == fresh_index([folder]).to_state()
    assert after.sets[0].sha256 != before.sets[0].sha256
    assert before.match_file_hash(first_hash)
    assert after.match_file_hash(changed)
    assert after.match_file_hash(first_hash) == ()
    assert len(user_cache().entries()) == 2


def test_the_same_files_under_another_path_keep_their_own_source(
    echap_dir: Path, tmp_path: Path
) -> None:
    real = _copy_echap(echap_dir, tmp_path / "real")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    assert load_paths_index([real]).to_state() == fresh_index([real]).to_state()
    via_link = load_paths_index([link])
    assert [info.source for info in via_link.sets] == [str(link)]
    assert via_link.to_state() == fresh_index([link]).to_state()
    assert len(user_cache().entries()) == 2


def test_a_folder_copy_is_its_own_index(echap_dir: Path, tmp_path: Path) -> None:
    copy = _copy_echap(echap_dir, tmp_path / "copy")
    original, copied = load_paths_index([echap_dir]), load_paths_index([copy])
    assert [info.source for info in copied.sets] == [str(copy)]
    assert [info.source for info in original.sets] == [str(echap_dir)]
    assert len(user_cache().entries()) == 2


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
