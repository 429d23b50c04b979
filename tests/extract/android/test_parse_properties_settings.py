"""getprop and settings: androidqf files and the bugreport's dumpsys settings."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.extract.android.getprop import device_info, parse_getprop
from stalkerscan.extract.android.settings import (
    notification_listeners,
    parse_settings,
    parse_settings_dump,
)
from stalkerscan.model.android import SettingsEntry


def test_real_getprop_samples(shared_data: Path) -> None:
    base = shared_data / "mvt-artifacts"
    androidqf = parse_getprop((base / "androidqf" / "getprop.txt").read_bytes())
    assert len(androidqf) == 10
    assert androidqf[0].name == "dalvik.vm.appimageformat" and androidqf[0].value == "lz4"
    standalone = parse_getprop((base / "android_data" / "getprop.txt").read_bytes())
    assert len(standalone) == 13  # the blank line in the middle is skipped
    assert standalone[-1].value == "192m"


def test_device_info_and_multi_line_values() -> None:
    text = (
        "[ro.product.model]: [Pixel 7]\n[ro.product.vendor.manufacturer]: [Google]\n"
        "[ro.build.version.release]: [14]\n[ro.build.version.sdk]: [34]\n"
        "[ro.build.version.security_patch]: [2024-03-05]\n[persist.sys.timezone]: [Europe/Paris]\n"
        "[ro.boot.cmdline]: [first line\nsecond line]\nnot a property\n[ro.empty]: []\n"
    )
    props = parse_getprop(text)
    assert props[6].value == "first line\nsecond line" and props[7].value == ""
    info = device_info(props)
    assert (info.model, info.manufacturer, info.android_version, info.sdk) == (
        "Pixel 7",
        "Google",
        "14",
        34,
    )
    assert (info.security_patch, info.timezone) == ("2024-03-05", "Europe/Paris")
    assert device_info(()).model is None


def test_real_settings_random(shared_data: Path) -> None:
    data = (shared_data / "mvt-artifacts" / "androidqf" / "settings_random.txt").read_bytes()
    entries = parse_settings(data, "random")
    assert len(entries) == 9 and {e.namespace for e in entries} == {"random"}
    values = {e.key: e.value for e in entries}
    assert values["samsung_errorlog_agree"] == "0"
    assert values["package_verifier_enable"] == "1"
    assert values["navigationbar_recently_used_color"] == ""


def test_dumpsys_settings_rows_drop_their_metadata() -> None:
    text = """GLOBAL SETTINGS (user 0)
_id:12 name:adb_enabled pkg:com.android.shell value:1 default:0 defaultSystemSet:true
_id:20 name:device_name pkg:android value:Galaxy Z Flip6 default:Galaxy Z Flip6 defaultSystemSet:1
_id:9 name:send_action_app_error pkg:android value:1 isValuePreservedInRestore:true
_id:5 name:quick_start_flow_type pkg:android value:4 notPreservedInRestore
_id:6 name:http_proxy pkg:android value:null

Historical operations
  2024-03-01 10:00:00 update adb_enabled
SECURE SETTINGS (user 10)
_id:3 name:install_non_market_apps pkg:android value:1 default:0 defaultSystemSet:true
"""
    got = [(e.namespace, e.key, e.value, e.user, e.package) for e in parse_settings_dump(text)]
    assert got == [
        ("global", "adb_enabled", "1", 0, "com.android.shell"),
        ("global", "device_name", "Galaxy Z Flip6", 0, "android"),
        ("global", "send_action_app_error", "1", 0, "android"),
        ("global", "quick_start_flow_type", "4", 0, "android"),
        ("global", "http_proxy", None, 0, "android"),
        ("secure", "install_non_market_apps", "1", 10, "android"),
    ]


def test_notification_listeners_from_secure_settings() -> None:
    settings = parse_settings(
        "enabled_notification_listeners=com.spy.app/com.spy.app.Notify:com.google.android.gms/.N\n"
        "always_on_vpn_app=com.vpn.app\nnot a setting\n",
        "secure",
    )
    assert [(n.package, n.component) for n in notification_listeners(settings)] == [
        ("com.spy.app", "com.spy.app/com.spy.app.Notify"),
        ("com.google.android.gms", "com.google.android.gms/.N"),
    ]
    assert (
        notification_listeners((SettingsEntry("secure", "enabled_notification_listeners", None),))
        == ()
    )
