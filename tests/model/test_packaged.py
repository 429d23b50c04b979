"""Packaged files are read by path: the same bytes ``importlib.resources`` finds."""

from __future__ import annotations

from importlib import resources

import pytest

from stalkerscan.model.packaged import PACKAGE_DIR, packaged_path, read_packaged_text

PACKAGED = [
    ("data", "net_lists.yaml"),
    ("data", "android_lists.yaml"),
    ("data", "allowlist.yaml"),
    ("data", "platform_suffixes.txt"),
    ("detect", "messages", "net.en.yaml"),
    ("detect", "messages", "android.en.yaml"),
    ("report", "report.schema.json"),
]


def test_the_package_folder_is_the_one_python_imports() -> None:
    assert resources.files("stalkerscan") == PACKAGE_DIR
    assert (PACKAGE_DIR / "__init__.py").is_file()


@pytest.mark.parametrize("parts", PACKAGED, ids=["/".join(p) for p in PACKAGED])
def test_packaged_text_is_what_importlib_resources_reads(parts: tuple[str, ...]) -> None:
    expected = resources.files("stalkerscan").joinpath(*parts).read_text("utf-8")
    assert read_packaged_text(*parts) == expected
    assert packaged_path(*parts).is_file()


def test_a_missing_packaged_file_is_an_os_error() -> None:
    with pytest.raises(FileNotFoundError):
        read_packaged_text("data", "no-such-list.yaml")
