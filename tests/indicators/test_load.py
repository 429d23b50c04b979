"""Format detection by content, folders, and clear errors for bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from stalkerscan.indicators.load import load_path, load_path_files, plan_load
from stalkerscan.model.errors import InputFormatError, UserError


def test_every_real_format_loads(echap_dir: Path, shared_data: Path) -> None:
    files = {
        "generated/indicators-for-tinycheck.json": "tinycheck",
        "generated/network.csv": "echap-network-csv",
        "generated/hosts": "host-list",
        "generated/hosts_full": "host-list",
        "generated/quad9_blocklist.txt": "host-list",
        "generated/stalkerware.regenerated.stix2": "stix2",
        "ioc.yaml": "echap-yaml",
        "watchware.yaml": "echap-yaml",
        "samples.csv": "echap-samples",
    }
    for rel, fmt in files.items():
        (s,) = load_path(echap_dir / rel)
        assert s.info.format == fmt, rel
        assert s.indicators, rel
    (isdi,) = load_path(shared_data / "isdi" / "app-flags.csv")
    assert isdi.info.format == "isdi"


def test_format_is_found_by_content_not_extension(echap_dir: Path, tmp_path: Path) -> None:
    shutil.copyfile(echap_dir / "generated/stalkerware.regenerated.stix2", tmp_path / "x.txt")
    shutil.copyfile(echap_dir / "generated/network.csv", tmp_path / "y.json")
    assert load_path(tmp_path / "x.txt")[0].info.format == "stix2"
    assert load_path(tmp_path / "y.json")[0].info.format == "echap-network-csv"


def test_generated_folder_loads_each_file(echap_dir: Path) -> None:
    loaded = load_path_files(echap_dir / "generated")
    names = [item.indicator_set.info.name for item in loaded]
    # suricata.rules is in no format stalkerscan reads and is left out
    assert names == [
        "echap-hosts",
        "echap-hosts-full",
        "echap-indicators-for-tinycheck",
        "echap-network",
        "echap-quad9-blocklist",
        "echap-stalkerware-regenerated",
    ]
    assert all(len(item.files) == 1 for item in loaded)


def test_echap_folder_reads_three_files(echap_dir: Path) -> None:
    (item,) = load_path_files(echap_dir)
    assert [f.name for f in item.files] == ["ioc.yaml", "watchware.yaml", "samples.csv"]


def test_plan_lists_every_file_a_load_reads(echap_dir: Path, tmp_path: Path) -> None:
    echap = plan_load(echap_dir)
    assert echap.folder and echap.echap_folder
    assert [f.name for f in echap.files] == ["ioc.yaml", "watchware.yaml", "samples.csv"]
    # A folder of files: every file is read, also those in no format (suricata.rules).
    generated = plan_load(echap_dir / "generated")
    assert generated.folder and not generated.echap_folder
    assert generated.echap  # inside an Echap folder
    assert [f.name for f in generated.files] == sorted(
        p.name for p in (echap_dir / "generated").iterdir()
    )
    assert "suricata.rules" in {f.name for f in generated.files}
    single = plan_load(echap_dir / "ioc.yaml")
    assert (single.folder, single.files, single.echap) == (False, (echap_dir / "ioc.yaml",), True)
    (tmp_path / "list.txt").write_text("a.spy.example\n", "utf-8")
    assert not plan_load(tmp_path / "list.txt").echap
    assert plan_load(tmp_path / "list.txt", echap=True).echap
    with pytest.raises(UserError, match="does not exist"):
        plan_load(tmp_path / "missing")


def test_set_manifest_is_read_and_copied_with_the_folder(tmp_path: Path) -> None:
    (tmp_path / "ioc.yaml").write_text("- name: DemoSpy\n  c2:\n    domains: [c2.demo.test]\n")
    (tmp_path / "set.yaml").write_text("name: demo\nlicence: Made up for a test\n")
    assert [f.name for f in plan_load(tmp_path).files] == ["set.yaml", "ioc.yaml"]
    (item,) = load_path_files(tmp_path)
    assert [f.name for f in item.files] == ["set.yaml", "ioc.yaml"]
    assert item.indicator_set.info.licence == "Made up for a test"


def test_folder_names_are_unique_and_can_be_given(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text("a.spy.example\n", "utf-8")
    (tmp_path / "list.json").write_text(
        json.dumps({"iocs": [{"type": "domain", "tag": "stalkerware", "value": "b.spy.example"}]}),
        "utf-8",
    )
    (tmp_path / "README.md").write_text("# My indicators\n\nSome notes here.\n", "utf-8")
    assert sorted(s.info.name for s in load_path(tmp_path)) == ["list", "list-2"]
    named = load_path(tmp_path, name="mine")
    assert sorted(s.info.name for s in named) == ["mine-list", "mine-list-2"]
    assert all(i.set_name == s.info.name for s in named for i in s.indicators)
    (one,) = load_path(tmp_path / "list.txt", name="single")
    assert one.info.name == "single"


def _error(path: Path) -> InputFormatError:
    with pytest.raises(InputFormatError) as info:
        load_path(path)
    return info.value


def test_bad_yaml(tmp_path: Path) -> None:
    path = tmp_path / "ioc.yaml"
    path.write_text("- name: Spy\n  packages: [com.a, com.b\n- name: Other\n", "utf-8")
    err = _error(path)
    assert str(path) in err.problem
    assert "not valid YAML" in err.problem
    assert "line" in err.problem


def test_bad_yaml_in_an_echap_folder(tmp_path: Path) -> None:
    (tmp_path / "ioc.yaml").write_text("- name: [unclosed\n", "utf-8")
    assert "not valid YAML" in _error(tmp_path).problem


def test_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "feed.stix2"
    path.write_text('{"type": "bundle", "objects": [', "utf-8")
    err = _error(path)
    assert "not valid JSON (line 1" in err.problem
    assert str(path) in err.problem


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("  \n", "utf-8")
    err = _error(path)
    assert err.problem == f"{path} is empty"
    assert "STIX 2.1" in err.fix


def test_unknown_formats(tmp_path: Path) -> None:
    prose = tmp_path / "notes.txt"
    prose.write_text("These are my notes about the phone.\nIt was slow.\n", "utf-8")
    assert "in no indicator format" in _error(prose).problem
    other_json = tmp_path / "config.json"
    other_json.write_text('{"theme": "dark"}', "utf-8")
    assert "JSON but in no indicator format" in _error(other_json).problem
    other_yaml = tmp_path / "config.yaml"
    other_yaml.write_text("theme: dark\nsize: 3\n", "utf-8")
    assert "not an Echap indicator list" in _error(other_yaml).problem
    binary = tmp_path / "capture.pcap"
    binary.write_bytes(b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00" + bytes(range(128, 256)))
    assert "not a UTF-8 text file" in _error(binary).problem
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    assert "holds no indicator file" in _error(empty_dir).problem


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        load_path(tmp_path / "nope.stix2")
