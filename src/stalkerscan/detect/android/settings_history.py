"""When, and by which package, a protection setting got its current value.

Two records tell it (see ``extract/android/settings.py``):

* the ``pkg:`` of a ``dumpsys settings`` row (``SettingsEntry.package``): the package that last
  wrote the value. Every phone prints it. ``android`` is the system itself, the Settings app and
  Google Play services change settings for the person using the screens, ``com.android.shell`` is
  a computer's adb commands. An installed app that is not part of the system can change
  these settings only with ``WRITE_SECURE_SETTINGS``, a right no app gets by asking the user:
  someone has to grant it from a computer (``pm grant``) or with root. So a protection turned
  off by such an app is a stronger sign;
* the "Historical operations" lines (``SettingsChange``), printed by debuggable builds only: the
  last change of a setting is the one that gave it its current value (Android records a change
  only when the value differs), so its time is when the protection was turned off.

The Play Protect, unknown-sources and debugging findings use ``setting_story``; the timeline of
the security-relevant settings is ``settings_timeline``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from stalkerscan.detect.android.context import AndroidView
from stalkerscan.detect.android.evidence import PhoneTime, acquisition_time
from stalkerscan.model import Evidence, TimelineEvent
from stalkerscan.model.android import SettingsChange, SettingsEntry

WRITERS: Mapping[str, str] = MappingProxyType(
    {
        "android": "the Android system itself (android)",
        "com.android.settings": "the phone's Settings app (com.android.settings)",
        "com.android.systemui": "the phone's quick settings (com.android.systemui)",
        "com.google.android.gms": "Google Play services (com.google.android.gms)",
        "com.android.vending": "the Play Store (com.android.vending)",
        "com.android.shell": "commands from a computer over USB debugging (com.android.shell)",
        "root": "a command run with root rights (root)",
    }
)
"""Packages that write settings for the phone itself, in words."""
SETTING_OPERATIONS = frozenset({"update", "insert", "reset"})
"""History operations that give a setting a value (``delete`` removes it)."""
STRONGER = (
    "ordinary apps cannot change this setting unless someone gave them special rights from a "
    "computer or with root, so this is a stronger sign"
)
ACCESS_SETTINGS: Mapping[str, str] = MappingProxyType(
    {
        "accessibility_enabled": "accessibility",
        "enabled_accessibility_services": "accessibility",
        "enabled_notification_listeners": "notification access",
    }
)
"""Settings that give apps access to the screen or notifications: their changes are timed."""


@dataclass(frozen=True, slots=True)
class Changer:
    """The package that last wrote a setting, in words."""

    package: str
    """As printed in ``pkg:``."""
    text: str
    """``the phone's Settings app (com.android.settings)``, ``com.spy, an installed app ...``."""
    third_party: bool
    """An installed app that is not part of the system."""


@dataclass(frozen=True, slots=True)
class SettingStory:
    """How one setting got its current value, as far as the acquisition says."""

    entry: SettingsEntry
    change: SettingsChange | None
    """The last history line that set the value; None when not in the history."""
    time: PhoneTime | None
    """``change``'s time, in UTC when the phone's zone is known."""
    changer: Changer | None
    """Who last wrote it; None when the dump does not say."""

    @property
    def third_party(self) -> bool:
        return self.changer is not None and self.changer.third_party


def changer(view: AndroidView, package: str) -> Changer:
    """``package`` in words, and whether it is an installed app outside the system."""
    if package in WRITERS:
        return Changer(package, WRITERS[package], False)
    app = view.apps.get(package)
    if app is None:
        gone = ", not in the list of installed apps now" if view.package_list_read else ""
        return Changer(package, f"{package}{gone}", False)
    if app.system:
        return Changer(package, f"{package} (a system app)", False)
    if app.system is False:
        return Changer(package, f"{package}, an installed app that is not part of the system", True)
    return Changer(package, package, False)


def _same_block(change: SettingsChange, entry: SettingsEntry) -> bool:
    if change.key != entry.key or change.namespace != entry.namespace:
        return False
    if entry.user is None:
        return change.user in (None, 0)
    return change.user == entry.user


def last_change(changes: Iterable[SettingsChange], entry: SettingsEntry) -> SettingsChange | None:
    """The latest history line that gave ``entry`` its value, if the history still holds it."""
    setting = [c for c in changes if c.operation in SETTING_OPERATIONS and _same_block(c, entry)]
    return max(setting, key=lambda c: c.time, default=None)


def setting_story(view: AndroidView, entry: SettingsEntry) -> SettingStory:
    """What the acquisition says about how ``entry`` got its value."""
    change = last_change(view.acq.settings_changes, entry)
    time = acquisition_time(view.acq, change.time) if change else None
    who = changer(view, entry.package) if entry.package else None
    return SettingStory(entry, change, time, who)


def history_line(change: SettingsChange) -> str:
    """The history line as the phone printed it, with its block."""
    user = "" if change.user is None else f" (user {change.user})"
    when = change.time.replace("T", " ")
    return (
        f"{change.namespace.upper()} SETTINGS{user}, Historical operations: "
        f"{when} {change.operation} {change.key}"
    )


def story_evidence(view: AndroidView, story: SettingStory) -> tuple[Evidence, ...]:
    """The history line behind ``story``, when there is one."""
    if story.change is None:
        return ()
    acq = view.acq
    return (
        Evidence(
            input=acq.input,
            locator=acq.where("settings_changes") or "dumpsys settings",
            observed=history_line(story.change),
            time=story.time.utc if story.time else None,
        ),
    )


def story_text(story: SettingStory, verb: str, explained: set[str]) -> str:
    """``turned off on 2024-03-01 21:04:12 (phone time), last changed by ...`` ("" when nothing
    is known). ``explained``: packages already said to be a stronger sign (said once)."""
    parts = []
    if story.change is not None and story.time is not None:
        did = "reset to its default" if story.change.operation == "reset" else verb
        parts.append(f"{did} {'at' if verb.endswith(' on') else 'on'} {story.time.text}")
    who = story.changer
    if who is not None:
        text = f"last changed by {who.text}"
        if who.third_party and who.package not in explained:
            explained.add(who.package)
            text += f" ({STRONGER})"
        parts.append(text)
    return ", ".join(parts)


def stories_text(items: Iterable[tuple[str, SettingStory]], verb: str) -> str | None:
    """``base, story; base, story`` for each (text, story); None when no story adds anything."""
    explained: set[str] = set()
    pairs = [(text, story_text(story, verb, explained)) for text, story in items]
    if not any(told for _, told in pairs):
        return None
    return "; ".join(f"{text}, {told}" if told else text for text, told in pairs)


def third_party_reasons(stories: Iterable[SettingStory], what: str) -> tuple[str, ...]:
    """Short reasons naming the installed apps that changed a protection setting."""
    packages = dict.fromkeys(s.changer.package for s in stories if s.changer and s.third_party)
    return tuple(f"{what} by the installed app {p}" for p in packages)


def _subjects(view: AndroidView) -> dict[str, str]:
    """Setting key -> the subject of the finding about it (timeline events start with it)."""
    lists = view.lists
    subjects = dict.fromkeys((m.key for m in lists.play_protect), "Play Protect")
    subjects["install_non_market_apps"] = "unknown sources"
    subjects.update(dict.fromkeys(lists.debugging, "USB debugging"))
    subjects.update(dict.fromkeys((m.key for m in lists.reporting), "error reports"))
    subjects.update(dict.fromkeys(lists.traffic, "VPN or proxy"))
    subjects.update(ACCESS_SETTINGS)
    return subjects


_DONE = {"update": "changed", "insert": "set", "delete": "removed", "reset": "reset to its default"}
LONGEST_VALUE = 40
"""Values longer than this (lists of components) are not repeated in timeline events."""


def _description(view: AndroidView, subject: str, change: SettingsChange) -> str:
    """``Play Protect: package_verifier_enable changed to 0 by ...`` (the value and the package
    only for the change that gave the setting its current value)."""
    done = _DONE.get(change.operation, change.operation)
    text = f"{subject}: {change.namespace} setting {change.key} {done}"
    acq = view.acq
    for entry in acq.settings:
        if entry.key != change.key or last_change(acq.settings_changes, entry) != change:
            continue
        if change.operation != "reset":
            value = entry.value if entry.value is not None else "nothing"
            text += f" to {value}" if len(value) <= LONGEST_VALUE else " to its current value"
        return text + (f" by {changer(view, entry.package).text}" if entry.package else "")
    return text


def settings_timeline(view: AndroidView) -> tuple[TimelineEvent, ...]:
    """One event per history line of a security-relevant setting (Play Protect, unknown sources,
    debugging, reports, VPN and proxy, accessibility and notification access)."""
    subjects = _subjects(view)
    acq = view.acq
    out = []
    for change in acq.settings_changes:
        subject = subjects.get(change.key)
        time = acquisition_time(acq, change.time)
        if subject is None or time is None:
            continue
        zone = "" if time.utc else " (phone time; its time zone is unknown)"
        out.append(
            TimelineEvent(
                time=time.utc or time.local,
                input=acq.input,
                source="settings",
                description=_description(view, subject, change) + zone,
            )
        )
    return tuple(sorted(set(out), key=lambda e: (e.time, e.description)))
