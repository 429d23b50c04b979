"""One view per app: everything the acquisition says about a package, gathered once.

A package can be described by packages.json (installer, system flag, files and certificates), by
``dumpsys package`` (permissions, install time, flags), by the resolver tables (icons, receivers),
and be named by accessibility, device-policy, notification-listener, app-op and process records.
``AppInfo`` joins them so that each check looks at an app, not at a file. The installed apps are
those any record names as present; packages seen only in the battery history are traces.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from stalkerscan.detect.android.lists import AndroidLists
from stalkerscan.extract.android.resolver import LAUNCHER_ACTION, LAUNCHER_CATEGORY
from stalkerscan.model.android import (
    AccessibilityService,
    AndroidAcquisition,
    AndroidPackage,
    AppOp,
    DeviceAdmin,
    NotificationListener,
    PackageDetails,
    Process,
    ResolverEntry,
)

SYSTEM_PATHS = ("/system/", "/product/", "/vendor/", "/system_ext/", "/apex/", "/odm/", "/oem/")
"""Code paths of apps that are part of the system image."""
FIRST_APP_UID = 10000
"""Android gives apps uids from 10000 up; below are system users (``1000`` = system)."""


@dataclass(frozen=True, slots=True)
class AppInfo:
    """Everything known about one package."""

    name: str
    """Package name as the phone printed it."""
    package: AndroidPackage | None
    """Its packages.json entry, if any."""
    details: PackageDetails | None
    """Its ``dumpsys package`` entry, if any."""
    system: bool | None
    """Part of the system image; None when no record says."""
    installer: str | None
    """The installing package, lower case; None when none (or unknown, see ``installer_known``)."""
    installer_known: bool
    """A package record was read, so ``installer`` None means "no installer"."""
    granted: frozenset[str]
    """Permissions granted (install or runtime, any user)."""
    launcher: bool | None
    """Has a launcher icon: True, False (certainly none), None (cannot tell)."""
    accessibility: tuple[AccessibilityService, ...]
    admins: tuple[DeviceAdmin, ...]
    listeners: tuple[NotificationListener, ...]
    app_ops: tuple[AppOp, ...]
    receivers: tuple[ResolverEntry, ...]
    """Its receivers of broadcasts on the sensitive list (SMS, calls)."""
    processes: tuple[Process, ...]
    """Running processes of the app (``name`` or ``name:suffix``)."""

    @property
    def install_time(self) -> str | None:
        """First install time (phone time), from the package dump."""
        if self.details is None:
            return None
        if self.details.first_install_time:
            return self.details.first_install_time
        times = [u.first_install_time for u in self.details.users if u.first_install_time]
        return min(times) if times else None

    @property
    def hidden(self) -> bool:
        """The package manager hides the app from the user (for some user)."""
        return self.details is not None and any(u.hidden for u in self.details.users)


@dataclass(frozen=True, slots=True)
class AndroidView:
    """An acquisition, its apps and the lists the checks use."""

    acq: AndroidAcquisition
    lists: AndroidLists
    apps: Mapping[str, AppInfo]
    """Installed apps by package name (as printed)."""
    package_list_read: bool
    """packages.json or ``dumpsys package`` listed the installed apps."""

    def installer_label(self, installer: str) -> str:
        """A store or installer's name for people (``Google Play Store``), else its package."""
        lists = self.lists
        for table in (
            lists.play_stores,
            lists.other_stores,
            lists.transfer_installers,
            lists.package_installers,
            lists.browsers,
            lists.adb_installers,
        ):
            if installer in table:
                return table[installer]
        return installer


def _system(package: AndroidPackage | None, details: PackageDetails | None) -> bool | None:
    """packages.json's system flag, else the package dump's flags, code path and uid."""
    if details is not None and details.system:
        return True
    if package is not None:
        return package.system
    if details is None:
        return None
    in_image = bool(details.code_path and details.code_path.startswith(SYSTEM_PATHS))
    return in_image or (details.uid is not None and details.uid < FIRST_APP_UID)


T = TypeVar("T")


def _group(items: Iterable[T], package_of: Callable[[T], str | None]) -> dict[str, list[T]]:
    out: dict[str, list[T]] = defaultdict(list)
    for item in items:
        name = package_of(item)
        if name:
            out[name].append(item)
    return out


def build_view(acq: AndroidAcquisition, lists: AndroidLists) -> AndroidView:
    """The per-app view of ``acq``."""
    packages = {p.name: p for p in acq.packages}
    details = {d.name: d for d in acq.package_details}
    main: dict[str, list[ResolverEntry]] = defaultdict(list)
    receivers: dict[str, list[ResolverEntry]] = defaultdict(list)
    for entry in acq.resolver_entries:
        if entry.table == "activity" and entry.key == LAUNCHER_ACTION:
            main[entry.package].append(entry)
        elif entry.table == "receiver" and entry.key in lists.receivers:
            receivers[entry.package].append(entry)
    accessibility = _group(acq.accessibility, lambda a: a.package)
    admins = _group(acq.device_admins, lambda a: a.package)
    listeners = _group(acq.notification_listeners, lambda n: n.package)
    app_ops = _group(acq.appops, lambda o: o.package)
    processes: dict[str, list[Process]] = defaultdict(list)
    names = set(packages) | set(details)
    names |= set(accessibility) | set(admins) | set(listeners) | set(app_ops)
    for process in acq.processes:
        base = process.name.split(":", 1)[0]
        if base in names or base in main:
            processes[base].append(process)
    main_seen = bool(main)
    apps: dict[str, AppInfo] = {}
    for name in sorted(names | set(main) | set(receivers)):
        package, detail = packages.get(name), details.get(name)
        installer = package.installer if package is not None else None
        if installer is None and detail is not None:
            installer = detail.installer
        granted = frozenset(g.name for g in (detail.permissions if detail else ()) if g.granted)
        apps[name] = AppInfo(
            name=name,
            package=package,
            details=detail,
            system=_system(package, detail),
            installer=installer.lower() if installer else None,
            installer_known=package is not None or detail is not None,
            granted=granted,
            launcher=launcher_state(main.get(name, []), main_seen, detail is not None),
            accessibility=tuple(accessibility.get(name, ())),
            admins=tuple(admins.get(name, ())),
            listeners=tuple(listeners.get(name, ())),
            app_ops=tuple(app_ops.get(name, ())),
            receivers=tuple(receivers.get(name, ())),
            processes=tuple(processes.get(name, ())),
        )
    return AndroidView(
        acq=acq,
        lists=lists,
        apps=MappingProxyType(apps),
        package_list_read=bool(acq.packages or acq.package_details),
    )


def launcher_state(entries: list[ResolverEntry], main_seen: bool, dumped: bool) -> bool | None:
    """Whether an app has a launcher icon, from its MAIN activities.

    ``main_seen``: the dump listed MAIN activities at all; ``dumped``: the app is in the same
    package dump. Without both, nothing can be said. An app with no MAIN activity certainly has
    no icon of its own; one whose filters were not printed may or may not (see docs/android.md).
    """
    if not main_seen or not dumped:
        return None
    if not entries:
        return False
    if any(not e.filter_shown for e in entries):
        return None
    return any(LAUNCHER_CATEGORY in e.categories for e in entries)
