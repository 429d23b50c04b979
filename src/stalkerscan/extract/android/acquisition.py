"""All Android artifacts of one input -> one ``AndroidAcquisition``.

Pure: takes the ``AndroidArtifactSet`` a source located (androidqf folder/zip, bugreport) and runs
the parser of each artifact kind. Every part that cannot be read becomes a ``NotChecked`` naming the
file (and section) and why, and the rest still loads: an empty file, a file that is not valid JSON,
a dumpsys without the section a check needs, or a parser failure.

dumpsys sections come from androidqf's ``dumpsys.txt`` or from a bugreport's dumpstate; getprop and
ps come from their own files, or from the dumpstate's ``SYSTEM PROPERTIES`` and ``PROCESSES``
sections; settings from ``settings_<ns>.txt`` files, or else from the ``settings`` dumpsys section.
"""

from __future__ import annotations

import functools
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from stalkerscan.extract.android.accessibility import (
    accessibility_from_settings,
    parse_accessibility,
)
from stalkerscan.extract.android.acquisition_info import (
    empty_info,
    parse_acquisition_json,
    parse_dumpstate_header,
)
from stalkerscan.extract.android.adb_keys import parse_adb_keys, parse_adb_state
from stalkerscan.extract.android.appops import parse_appops
from stalkerscan.extract.android.battery import parse_battery_daily
from stalkerscan.extract.android.common import ArtifactError
from stalkerscan.extract.android.device_policy import parse_device_policy
from stalkerscan.extract.android.dumpsys import (
    cut_dumpstate,
    cut_dumpsys,
    find_dumpstate,
    find_section,
)
from stalkerscan.extract.android.files import parse_files
from stalkerscan.extract.android.getprop import device_info, parse_getprop
from stalkerscan.extract.android.mounts import parse_mounts
from stalkerscan.extract.android.package_dump import parse_package_details
from stalkerscan.extract.android.packages import parse_packages
from stalkerscan.extract.android.processes import parse_processes
from stalkerscan.extract.android.resolver import parse_resolver_tables
from stalkerscan.extract.android.root import parse_root_binaries, parse_selinux
from stalkerscan.extract.android.settings import (
    notification_listeners,
    parse_settings,
    parse_settings_dump,
    parse_settings_history,
    with_packages,
)
from stalkerscan.model import NotChecked
from stalkerscan.model.android import (
    AccessibilityService,
    AccessibilityState,
    AcquisitionInfo,
    AndroidAcquisition,
    AndroidArtifact,
    AndroidArtifactSet,
    ArtifactBytes,
    ArtifactOrigin,
    Process,
    Property,
    SettingsChange,
    SettingsEntry,
)

T = TypeVar("T")
_SETTINGS_NAME = re.compile(r"settings_([A-Za-z0-9]+)\.txt$")
DUMPSYS_SERVICES = (
    "package",
    "accessibility",
    "device_policy",
    "appops",
    "batterystats",
    "adb",
)
"""dumpsys services read for checks; a missing one is reported as not checked."""


@dataclass
class _Run:
    """What one extraction collected so far: records by kind, origins, and what was not checked."""

    not_checked: list[NotChecked] = field(default_factory=list)
    origins: list[ArtifactOrigin] = field(default_factory=list)

    def guard(self, where: str, what: str, parse: Callable[[], T], default: T) -> T:
        """``parse()``; on failure, a not-checked entry and ``default``."""
        try:
            value = parse()
        except ArtifactError as err:
            self.not_checked.append(NotChecked(where, f"{what} could not be read: {err}"))
            return default
        except Exception as err:  # a parser bug must not lose the rest of the phone's data
            detail = "".join(traceback.format_exception_only(err)).strip()
            why = f"stalkerscan failed while reading {what} ({detail}); please report this problem"
            self.not_checked.append(NotChecked(where, why))
            return default
        self.origins.append(ArtifactOrigin(what, where))
        return value


def _usable(run: _Run, artifact: ArtifactBytes | None) -> ArtifactBytes | None:
    if artifact is None:
        return None
    if not artifact.data.strip():
        run.not_checked.append(NotChecked(artifact.name, "the file is empty"))
        return None
    return artifact


class _Dump:
    """The dumpsys text of the input (dumpsys.txt or a bugreport's dumpstate), cut once."""

    def __init__(self, run: _Run, artifact: ArtifactBytes | None) -> None:
        self.run = run
        self.name = artifact.name if artifact else None
        data = artifact.data if artifact else b""
        self.services = cut_dumpsys(data) if artifact else ()
        dumpstate = artifact is not None and artifact.kind is AndroidArtifact.DUMPSTATE
        self.sections = cut_dumpstate(data) if dumpstate else ()

    def parse(self, service: str, what: str, parse: Callable[[bytes], T], default: T) -> T:
        if self.name is None:
            return default
        section = find_section(self.services, service)
        where = f"{self.name}, DUMP OF SERVICE {service}"
        if section is None or not section.data.strip():
            why = f"the section 'DUMP OF SERVICE {service}' is missing or empty"
            if NotChecked(where, why) not in self.run.not_checked:
                self.run.not_checked.append(NotChecked(where, why))
            return default
        return self.run.guard(where, what, functools.partial(parse, section.data), default)

    def dumpstate(self, title: str, what: str, parse: Callable[[bytes], T], default: T) -> T:
        section = find_dumpstate(self.sections, title)
        if self.name is None or section is None:
            return default
        where = f"{self.name}, ------ {section.title} ------"
        return self.run.guard(where, what, functools.partial(parse, section.data), default)


Settings = tuple[tuple[SettingsEntry, ...], tuple[SettingsChange, ...]]


def _settings(run: _Run, artifacts: list[ArtifactBytes], dump: _Dump) -> Settings:
    """Current settings (the files, else the dumpsys section) and their recent history.

    With both, the files give the values (as androidqf's own checks read them) and the dumpsys
    rows add which package last wrote each value, where the two agree on it."""
    out: list[SettingsEntry] = []
    for artifact in artifacts:
        match = _SETTINGS_NAME.search(artifact.name)
        namespace = match.group(1).lower() if match else "unknown"
        usable = _usable(run, artifact)
        if usable is None:
            continue
        parse = functools.partial(parse_settings, usable.data, namespace)
        empty: tuple[SettingsEntry, ...] = ()
        out += run.guard(usable.name, f"settings_{namespace}", parse, empty)
    if dump.name is None or not find_section(dump.services, "settings"):
        return tuple(out), ()
    no_changes: tuple[SettingsChange, ...] = ()
    no_rows: tuple[SettingsEntry, ...] = ()
    changes = dump.parse("settings", "settings_changes", parse_settings_history, no_changes)
    if not artifacts:
        return dump.parse("settings", "settings", parse_settings_dump, no_rows), changes
    rows = dump.parse("settings", "settings_packages", parse_settings_dump, no_rows)
    return with_packages(tuple(out), rows), changes


ByKind = dict[AndroidArtifact, ArtifactBytes]


def _info(run: _Run, artifacts: AndroidArtifactSet, by_kind: ByKind) -> AcquisitionInfo:
    info_file = _usable(run, by_kind.get(AndroidArtifact.ACQUISITION_INFO))
    if info_file is not None:
        parse = functools.partial(parse_acquisition_json, info_file.data, artifacts.source)
        parsed: AcquisitionInfo | None = run.guard(info_file.name, "acquisition", parse, None)
        if parsed is not None:
            return parsed
    dumpstate = by_kind.get(AndroidArtifact.DUMPSTATE)
    if dumpstate is not None:
        return parse_dumpstate_header(dumpstate.data, artifacts.source)
    return empty_info(artifacts.source)


def _file(
    run: _Run, by_kind: ByKind, kind: AndroidArtifact, parse: Callable[[bytes], T], default: T
) -> T:
    artifact = _usable(run, by_kind.get(kind))
    if artifact is None:
        return default
    return run.guard(artifact.name, kind.value, functools.partial(parse, artifact.data), default)


def _properties(run: _Run, by_kind: ByKind, dump: _Dump) -> tuple[Property, ...]:
    empty: tuple[Property, ...] = ()
    if AndroidArtifact.GETPROP in by_kind:
        return _file(run, by_kind, AndroidArtifact.GETPROP, parse_getprop, empty)
    return dump.dumpstate("SYSTEM PROPERTIES", "getprop", parse_getprop, empty)


def _processes(run: _Run, by_kind: ByKind, dump: _Dump) -> tuple[Process, ...]:
    empty: tuple[Process, ...] = ()
    if AndroidArtifact.PROCESSES in by_kind:
        return _file(run, by_kind, AndroidArtifact.PROCESSES, parse_processes, empty)
    return dump.dumpstate("PROCESSES", "processes", parse_processes, empty)


def _accessibility(
    dump: _Dump, settings: tuple[SettingsEntry, ...]
) -> tuple[AccessibilityService, ...]:
    empty: tuple[AccessibilityService, ...] = ()
    found = dump.parse("accessibility", "accessibility", parse_accessibility, empty)
    enabled = {(a.component, a.user) for a in found if a.state is AccessibilityState.ENABLED}
    enabled_any_user = {component for component, _ in enabled}
    extra = tuple(
        a
        for a in accessibility_from_settings(settings)
        if (a.component, a.user) not in enabled
        and not (a.user is None and a.component in enabled_any_user)
    )
    return found + extra


_DERIVED = (
    ("package_details", "resolver_entries"),
    ("getprop", "device"),
    ("settings_secure", "notification_listeners"),
    ("settings", "settings_secure"),
    ("settings", "settings_system"),
    ("settings", "settings_global"),
)


def _with_derived(origins: list[ArtifactOrigin]) -> tuple[ArtifactOrigin, ...]:
    """Origins, plus those of records derived from another artifact (listeners from settings)."""
    out = list(origins)
    for source, derived in _DERIVED:
        known = {o.what for o in out}
        where = next((o.location for o in out if o.what == source), None)
        if where is not None and derived not in known:
            out.append(ArtifactOrigin(derived, where))
    return tuple(out)


def extract_android_acquisition(artifacts: AndroidArtifactSet) -> AndroidAcquisition:
    """Parse every artifact of the set; what cannot be read is listed in ``not_checked``."""
    run = _Run(not_checked=list(artifacts.not_checked))
    by_kind: ByKind = {
        a.kind: a for a in artifacts.artifacts if a.kind is not AndroidArtifact.SETTINGS
    }
    dump_artifact = by_kind.get(AndroidArtifact.DUMPSYS) or by_kind.get(AndroidArtifact.DUMPSTATE)
    dump = _Dump(run, _usable(run, dump_artifact))
    settings_files = [a for a in artifacts.artifacts if a.kind is AndroidArtifact.SETTINGS]
    settings, settings_changes = _settings(run, settings_files, dump)
    properties = _properties(run, by_kind, dump)
    package_section = dump.parse("package", "package_details", bytes, b"")
    info = _info(run, artifacts, by_kind)
    run.not_checked.extend(info.not_collected)
    return AndroidAcquisition(
        input=artifacts.input,
        info=info,
        device=device_info(properties),
        packages=_file(run, by_kind, AndroidArtifact.PACKAGES, parse_packages, ()),
        package_details=parse_package_details(package_section),
        resolver_entries=parse_resolver_tables(package_section),
        accessibility=_accessibility(dump, settings),
        device_admins=dump.parse("device_policy", "device_admins", parse_device_policy, ()),
        notification_listeners=notification_listeners(settings),
        appops=dump.parse("appops", "appops", parse_appops, ()),
        settings=settings,
        properties=properties,
        processes=_processes(run, by_kind, dump),
        files=_file(run, by_kind, AndroidArtifact.FILES, parse_files, ()),
        battery_updates=dump.parse("batterystats", "battery_updates", parse_battery_daily, ()),
        adb_keys=dump.parse("adb", "adb_keys", parse_adb_keys, ()),
        adb_state=dump.parse("adb", "adb_state", parse_adb_state, None),
        mounts=_file(run, by_kind, AndroidArtifact.MOUNTS, parse_mounts, ()),
        root_binaries=_file(run, by_kind, AndroidArtifact.ROOT_BINARIES, parse_root_binaries, ()),
        selinux=_file(run, by_kind, AndroidArtifact.SELINUX, parse_selinux, None),
        hash_checks=artifacts.hash_checks,
        origins=_with_derived(run.origins),
        not_checked=tuple(run.not_checked),
        settings_changes=settings_changes,
    )
