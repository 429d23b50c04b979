"""Cutting dumpsys output and bugreport dumpstate into sections, on bytes."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.extract.android.dumpsys import (
    cut_dumpstate,
    cut_dumpsys,
    find_dumpstate,
    find_section,
)
from support.androidgen import dumpstate, stalkerware_phone


def test_real_androidqf_dumpsys_sections(shared_data: Path) -> None:
    data = (shared_data / "mvt-artifacts" / "androidqf" / "dumpsys.txt").read_bytes()
    sections = cut_dumpsys(data)
    assert [s.name for s in sections] == [
        "accessibility", "package", "appops", "adb", "dbinfo", "batterystats", "platform_compat",
    ]  # fmt: skip
    adb = find_section(sections, "adb")
    assert adb is not None
    assert adb.data.startswith(b"ADB MANAGER STATE (dumpsys adb):")
    assert b"keystore=ABX\x00" in adb.data  # the binary keystore is kept byte for byte
    assert b"was the duration of dumpsys" not in adb.data
    accessibility = find_section(sections, "accessibility")
    assert accessibility is not None and not accessibility.data.rstrip().endswith(b"-----")
    assert find_section(sections, "device_policy") is None


def test_binary_bytes_and_line_breaks_inside_a_section_do_not_break_the_next() -> None:
    data = (
        b"DUMP OF SERVICE blob:\nstart \x00\xff\xfe\n\x81\x82 binary\r\nmore\n"
        b"--------- 0.001s was the duration of dumpsys blob, ending at: 2024-03-21 11:07:22\n"
        b"-------------------------------------------------------------------------------\n"
        b"DUMP OF SERVICE accessibility:\nEnabled services:{{a.b/.C}}\n"
    )
    blob, accessibility = cut_dumpsys(data)
    assert blob.name == "blob" and blob.data == b"start \x00\xff\xfe\n\x81\x82 binary\r\nmore\n"
    assert accessibility.data == b"Enabled services:{{a.b/.C}}\n"


def test_bugreport_priorities_and_dumpstate_sections() -> None:
    text = dumpstate(stalkerware_phone())
    services = cut_dumpsys(text)
    package = find_section(services, "package")
    assert package is not None and package.priority == "HIGH"
    assert {s.name for s in services} >= {"accessibility", "adb", "appops", "settings"}
    sections = cut_dumpstate(text)
    assert [s.title for s in sections] == [
        "SYSTEM PROPERTIES", "PROCESSES AND THREADS", "DUMPSYS", "KERNEL LOG",
    ]  # fmt: skip
    props = find_dumpstate(sections, "SYSTEM PROPERTIES")
    assert props is not None and props.command == "getprop"
    assert props.data.startswith(b"[ro.build.fingerprint]")
    assert b"was the duration" not in props.data
    # the last dumpsys service ends where the dumpstate section does
    last = services[-1]
    assert b"KERNEL LOG" not in last.data and b"duration of 'DUMPSYS'" not in last.data


def test_fullest_section_wins_and_text_input_works() -> None:
    text = "DUMP OF SERVICE CRITICAL meminfo:\nshort\nDUMP OF SERVICE meminfo:\nlonger body\nx\n"
    sections = cut_dumpsys(text)
    assert [s.priority for s in sections] == ["CRITICAL", None]
    best = find_section(sections, "meminfo")
    assert best is not None and best.data == b"longer body\nx\n"
    assert cut_dumpsys(b"") == () and cut_dumpstate("no sections here\n") == ()
