"""The indicator store: import, list, load, and HTTPS updates that never break what is installed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.indicators.load_echap import ECHAP_LICENCE, ECHAP_SET_NAME
from stalkerscan.model import Threat
from stalkerscan.model.errors import UserError
from stalkerscan.store.fetch import FetchError, fetch_https, https_context
from stalkerscan.store.indicator_cache import default_cache
from stalkerscan.store.indicator_sources import (
    DEFAULT_SOURCES,
    ECHAP_BASE_URL,
    IndicatorSource,
    parse_source,
)
from stalkerscan.store.indicator_store import IndicatorStore, UpdateError
from store.https_server import RunningServer, https_server

ECHAP = ("ioc.yaml", "watchware.yaml", "samples.csv")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "indicators"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> IndicatorStore:
    monkeypatch.setenv("STALKERSCAN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("STALKERSCAN_NO_CACHE", raising=False)
    return IndicatorStore()


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningServer]:
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    (tmp_path / "certs").mkdir()
    with https_server(tmp_path / "certs") as running:
        yield running


def _serve_echap(server: RunningServer, echap_dir: Path) -> IndicatorSource:
    for name in ECHAP:
        server.behaviour.files[f"/echap/{name}"] = (echap_dir / name).read_bytes()
    return parse_source(f"{ECHAP_SET_NAME}={server.base_url}/echap/")


def _leftovers(store: IndicatorStore) -> list[str]:
    return sorted(p.name for p in store.root.iterdir() if p.name.startswith("."))


def test_store_location_follows_stalkerscan_home(store: IndicatorStore, tmp_path: Path) -> None:
    assert store.root == tmp_path / "home" / "indicators"
    assert store.sources_file == tmp_path / "home" / "indicator-sources.toml"
    assert store.list_sets() == []
    assert store.installed_sets() == []


def test_import_echap_folder(store: IndicatorStore, echap_dir: Path) -> None:
    (info,) = store.import_path(echap_dir)
    assert info.name == ECHAP_SET_NAME
    assert info.retrieved_at is not None
    folder = store.root / ECHAP_SET_NAME
    assert sorted(p.name for p in (folder / "data").iterdir()) == sorted(ECHAP)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["manifest_version"] == 1
    assert manifest["source"] == str(echap_dir)
    assert manifest["licence"] == ECHAP_LICENCE
    (listed,) = store.list_sets()
    assert listed == info
    (loaded,) = store.installed_sets()
    (direct,) = load_path(echap_dir)
    assert loaded.info.sha256 == direct.info.sha256 == info.sha256
    assert loaded.info.retrieved_at == info.retrieved_at
    assert loaded.info.source == str(echap_dir)
    assert set(loaded.indicators) == set(direct.indicators)
    assert _leftovers(store) == []


def test_import_generated_folder_installs_one_set_per_file(
    store: IndicatorStore, echap_dir: Path
) -> None:
    infos = store.import_path(echap_dir / "generated")
    assert len(infos) == 6
    assert sorted(p.name for p in store.root.iterdir()) == sorted(i.name for i in infos)
    hosts = next(s for s in store.installed_sets() if s.info.name == "echap-hosts")
    assert hosts.info.source == str(echap_dir / "generated" / "hosts")
    # still read as Echap data once copied out of the Echap folder
    assert {i.threat for i in hosts.indicators} == {Threat.STALKERWARE}
    assert hosts.info.licence == ECHAP_LICENCE


def test_import_single_file_with_name_and_replace(
    store: IndicatorStore, echap_dir: Path, tmp_path: Path
) -> None:
    (first,) = store.import_path(echap_dir / "generated" / "hosts", name="My List")
    assert first.name == "my-list"
    other = tmp_path / "other.txt"
    other.write_text("a.spy.example\nb.spy.example\n", "utf-8")
    (second,) = store.import_path(other, name="my-list")
    (loaded,) = store.installed_sets()
    assert loaded.info.sha256 == second.sha256 != first.sha256
    assert len(loaded.indicators) == 2
    assert _leftovers(store) == []


def test_bad_import_installs_nothing(store: IndicatorStore, tmp_path: Path) -> None:
    bad = tmp_path / "ioc.yaml"
    bad.write_text("- name: [oops\n", "utf-8")
    with pytest.raises(UserError, match="not valid YAML"):
        store.import_path(bad)
    assert store.list_sets() == []


def test_changed_files_are_detected(store: IndicatorStore, echap_dir: Path) -> None:
    store.import_path(echap_dir / "generated" / "hosts")
    data = store.root / "echap-hosts" / "data" / "hosts"
    data.write_text(data.read_text("utf-8") + "added.example\n", "utf-8")
    with pytest.raises(UserError, match="changed since they were installed"):
        store.installed_sets()


def test_the_installed_index_is_cached_and_still_checked(
    store: IndicatorStore, echap_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.import_path(echap_dir)
    store.import_path(echap_dir / "generated" / "hosts")
    cache = default_cache()
    assert cache is not None
    prepared = cache.entries()  # the second import prepared the index of both sets
    first = store.installed_index()
    assert store.installed_index().to_state() == first.to_state()
    assert cache.entries()[0] == prepared[0]  # read back and marked as used, nothing new
    assert len(cache.entries()) == len(prepared)
    monkeypatch.setenv("STALKERSCAN_NO_CACHE", "1")
    uncached = store.installed_index()  # what a load without the cache gives
    assert uncached.to_state() == first.to_state()
    assert uncached.to_state() == IndicatorIndex(store.installed_sets()).to_state()
    monkeypatch.delenv("STALKERSCAN_NO_CACHE")
    data = store.root / "echap-hosts" / "data" / "hosts"
    data.write_text(data.read_text("utf-8") + "added.example\n", "utf-8")
    with pytest.raises(UserError, match="changed since they were installed"):
        store.installed_index()  # a saved index never hides a change


def test_imported_set_keeps_its_own_name_and_licence(store: IndicatorStore) -> None:
    (info,) = store.import_path(EXAMPLES)
    assert info.licence is not None
    assert "Echap" not in info.licence
    data = store.root / info.name / "data"
    assert sorted(p.name for p in data.iterdir()) == ["ioc.yaml", "set.yaml", "watchware.yaml"]
    (loaded,) = store.installed_sets()
    assert (loaded.info.name, loaded.info.licence) == (info.name, info.licence)


def test_sources_file(store: IndicatorStore) -> None:
    assert store.configured_sources() == DEFAULT_SOURCES
    assert DEFAULT_SOURCES[0].urls == tuple(ECHAP_BASE_URL + f for f in ECHAP)
    store.sources_file.parent.mkdir(parents=True, exist_ok=True)
    store.sources_file.write_text(
        '[[source]]\nname = "Echap"\nurl = "https://mirror.example/echap/"\n\n'
        '[[source]]\nurls = ["https://feeds.example/spy/iocs.json"]\n',
        "utf-8",
    )
    assert store.configured_sources() == (
        IndicatorSource("echap", tuple(f"https://mirror.example/echap/{f}" for f in ECHAP)),
        IndicatorSource("iocs", ("https://feeds.example/spy/iocs.json",)),
    )
    store.sources_file.write_text("[[source]]\nname = 'x'\n", "utf-8")
    with pytest.raises(UserError, match="has no `url` or `urls`"):
        store.configured_sources()
    store.sources_file.write_text("[[source\n", "utf-8")
    with pytest.raises(UserError, match="not valid TOML"):
        store.configured_sources()


def test_parse_source() -> None:
    assert parse_source(ECHAP_BASE_URL).name == ECHAP_SET_NAME
    assert parse_source("feed=https://x.example/a/b.stix2") == IndicatorSource(
        "feed", ("https://x.example/a/b.stix2",)
    )
    assert parse_source("https://x.example/a/b.stix2?x=1").name == "b"
    with pytest.raises(UserError, match="not an https:// address"):
        parse_source("http://x.example/hosts")
    with pytest.raises(UserError, match="not an https:// address"):
        parse_source("/tmp/hosts")


def test_update_succeeds_with_a_trusted_ca(
    store: IndicatorStore, server: RunningServer, echap_dir: Path
) -> None:
    source = _serve_echap(server, echap_dir)
    (info,) = store.update([source], cafile=server.ca_file)
    assert info.name == ECHAP_SET_NAME
    (direct,) = load_path(echap_dir)
    assert info.sha256 == direct.info.sha256
    assert sorted(server.behaviour.requests) == sorted(f"/echap/{n}" for n in ECHAP)
    manifest = json.loads((store.root / ECHAP_SET_NAME / "manifest.json").read_text("utf-8"))
    assert [f["source"] for f in manifest["files"]] == list(source.urls)
    assert manifest["files"][0]["size"] == (echap_dir / "ioc.yaml").stat().st_size
    (loaded,) = store.installed_sets()
    assert set(loaded.indicators) == set(direct.indicators)
    assert _leftovers(store) == []


def _install_first(store: IndicatorStore, server: RunningServer, echap_dir: Path) -> str:
    source = _serve_echap(server, echap_dir)
    (info,) = store.update([source], cafile=server.ca_file)
    # the next version upstream differs
    server.behaviour.files["/echap/ioc.yaml"] = (echap_dir / "ioc.yaml").read_bytes()[:-2000]
    return info.sha256


def _assert_kept(store: IndicatorStore, sha256: str) -> None:
    (info,) = store.list_sets()
    assert info.sha256 == sha256
    (loaded,) = store.installed_sets()
    assert loaded.info.sha256 == sha256
    assert _leftovers(store) == []


def test_untrusted_certificate_keeps_the_installed_set(
    store: IndicatorStore, server: RunningServer, echap_dir: Path
) -> None:
    before = _install_first(store, server, echap_dir)
    source = parse_source(f"{ECHAP_SET_NAME}={server.base_url}/echap/")
    with pytest.raises(UpdateError) as info:
        store.update([source])  # system CAs only: the test CA is not trusted
    err = info.value
    assert "certificate could not be verified" in err.problem
    assert "installed version from" in err.problem and "is kept" in err.problem
    assert err.updated == ()
    _assert_kept(store, before)


def test_partial_download_keeps_the_installed_set(
    store: IndicatorStore, server: RunningServer, echap_dir: Path
) -> None:
    before = _install_first(store, server, echap_dir)
    server.behaviour.truncate.add("/echap/samples.csv")
    source = parse_source(f"{ECHAP_SET_NAME}={server.base_url}/echap/")
    with pytest.raises(UpdateError, match="download is incomplete"):
        store.update([source], cafile=server.ca_file)
    _assert_kept(store, before)


def test_invalid_download_keeps_the_installed_set(
    store: IndicatorStore, server: RunningServer, echap_dir: Path
) -> None:
    before = _install_first(store, server, echap_dir)
    server.behaviour.files["/echap/ioc.yaml"] = b"<html><body>Rate limited</body></html>\n"
    source = parse_source(f"{ECHAP_SET_NAME}={server.base_url}/echap/")
    with pytest.raises(UpdateError, match=r"not valid YAML|not an Echap indicator list"):
        store.update([source], cafile=server.ca_file)
    _assert_kept(store, before)


def test_http_error_and_first_install(
    store: IndicatorStore, server: RunningServer, echap_dir: Path
) -> None:
    good = _serve_echap(server, echap_dir)
    server.behaviour.status["/missing.json"] = 404
    missing = parse_source(f"feed={server.base_url}/missing.json")
    with pytest.raises(UpdateError) as info:
        store.update([missing, good], cafile=server.ca_file)
    err = info.value
    assert "feed: the server answered HTTP 404" in err.problem
    assert "nothing was installed" in err.problem
    assert [i.name for i in err.updated] == [ECHAP_SET_NAME]
    assert [i.name for i in store.list_sets()] == [ECHAP_SET_NAME]


def test_a_new_version_replaces_the_old(
    store: IndicatorStore, server: RunningServer, echap_dir: Path
) -> None:
    before = _install_first(store, server, echap_dir)
    source = parse_source(f"{ECHAP_SET_NAME}={server.base_url}/echap/")
    (after,) = store.update([source], cafile=server.ca_file)
    assert after.sha256 != before
    _assert_kept(store, after.sha256)


def test_fetch_refuses_http_and_redirects_to_http(server: RunningServer, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="only https://"):
        fetch_https("http://127.0.0.1/x", tmp_path / "x")
    server.behaviour.redirect["/moved"] = "http://127.0.0.1:1/x"
    with pytest.raises(FetchError, match="non-HTTPS"):
        fetch_https(
            f"{server.base_url}/moved", tmp_path / "x", context=https_context(server.ca_file)
        )
    server.behaviour.files["/ok"] = b"a.spy.example\n"
    server.behaviour.redirect["/hop"] = f"{server.base_url}/ok"
    got = fetch_https(
        f"{server.base_url}/hop", tmp_path / "ok", context=https_context(server.ca_file)
    )
    assert got.size == 14
    assert (tmp_path / "ok").read_bytes() == b"a.spy.example\n"


def test_fetch_size_limit(server: RunningServer, tmp_path: Path) -> None:
    server.behaviour.files["/big"] = b"x" * 200_000
    with pytest.raises(FetchError, match="larger than"):
        fetch_https(
            f"{server.base_url}/big",
            tmp_path / "big",
            context=https_context(server.ca_file),
            max_bytes=100_000,
        )


def test_an_import_prepares_the_index_the_next_scan_reads(
    store: IndicatorStore, echap_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.import_path(echap_dir)
    cache = default_cache()
    assert cache is not None
    prepared = cache.entries()
    assert len(prepared) == 1
    monkeypatch.setattr(IndicatorStore, "_load_installed", _no_parsing)
    index = store.installed_index()  # read back: parsing the files again would fail
    assert index.match_domain("x.y.copy9.com")
    assert cache.entries() == prepared


def _no_parsing(*_args: object) -> list[object]:
    raise AssertionError("the installed files were parsed again")
