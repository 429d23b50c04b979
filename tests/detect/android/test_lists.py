"""The packaged Android lists: they load, stay consistent, and a damaged file says what is wrong."""

from __future__ import annotations

from importlib import resources

import pytest

from stalkerscan.detect.android.lists import packaged_android_lists, parse_android_lists
from stalkerscan.model.errors import InputFormatError


def test_installer_tables_do_not_overlap() -> None:
    lists = packaged_android_lists()
    tables = [
        lists.play_stores,
        lists.other_stores,
        lists.transfer_installers,
        lists.package_installers,
        lists.browsers,
        lists.adb_installers,
    ]
    seen: set[str] = set()
    for table in tables:
        assert not (seen & set(table)), seen & set(table)
        assert all(k == k.lower() for k in table)
        seen |= set(table)
    assert "com.android.vending" in lists.play_stores
    assert "com.google.android.packageinstaller" in lists.package_installers


def test_settings_have_off_values() -> None:
    lists = packaged_android_lists()
    keys = {s.key for s in lists.play_protect}
    assert {"package_verifier_enable", "verifier_verify_adb_installs", "upload_apk_enable"} <= keys
    assert all(s.off for s in (*lists.play_protect, *lists.reporting))
    strong = {s.key for s in lists.play_protect if s.strong}
    assert "package_verifier_enable" in strong
    assert "upload_apk_enable" not in strong


def test_permission_categories_use_full_names() -> None:
    lists = packaged_android_lists()
    sms = lists.category("sms")
    assert "android.permission.READ_SMS" in sms.permissions
    assert "READ_SMS" in sms.app_ops
    assert all(
        lists.receivers[a].category in {c.key for c in lists.categories} for a in lists.receivers
    )
    assert "com.topjohnwu.magisk" in lists.root_packages
    assert "61ED377E85D386A8DFEE6B864BD85B0BFAA5AF81" in lists.generic_certificates


def _packaged_text() -> str:
    return (resources.files("stalkerscan") / "data" / "android_lists.yaml").read_text("utf-8")


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (None, "- just a list", "my_lists.yaml is not a mapping of lists"),
        ("play_store_installers:\n", "play_store_installers: []\nx:\n", "'play_store_installers'"),
        ('off_values: ["0"]', "off_values: 0", "package_verifier_enable.off_values is not a list"),
        ("{category: sms,", "{category: nothing,", "names no known category"),
    ],
)
def test_damaged_lists_say_what_is_wrong(old: str | None, new: str, problem: str) -> None:
    text = new if old is None else _packaged_text().replace(old, new, 1)
    with pytest.raises(InputFormatError) as caught:
        parse_android_lists(text, "my_lists.yaml")
    assert problem in caught.value.problem
    assert "reinstalling stalkerscan" in caught.value.fix
