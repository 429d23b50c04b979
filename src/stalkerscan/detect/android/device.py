"""Device-wide settings: Play Protect, unknown sources, debugging, reports, trusted computers,
traffic interception and the security patch. Each theme is one finding, apart from the apps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from stalkerscan.detect.android import catalog as c
from stalkerscan.detect.android import thresholds as t
from stalkerscan.detect.android.context import AndroidView
from stalkerscan.detect.android.evidence import acquisition_time, cap_evidence, line, listing
from stalkerscan.detect.android.lists import SettingMeaning
from stalkerscan.detect.android.settings_history import (
    SettingStory,
    setting_story,
    stories_text,
    story_evidence,
    third_party_reasons,
)
from stalkerscan.extract.android.files import user_ca_certificates
from stalkerscan.model import Evidence, Finding, NotChecked, Severity
from stalkerscan.model.android import AdbKey, AndroidAcquisition, SettingsEntry

OREO_SDK = 26
"""Android 8: ``install_non_market_apps`` stops meaning anything (it always reads 1)."""
_UNSET = ("", "null", ":0")
ACQUIRING_WINDOW_SECONDS = 24 * 3600
"""A trusted key whose last connection is this close to the acquisition's start is taken as the
acquiring computer when none is recorded (MVT uses one day too)."""


def settings_named(acq: AndroidAcquisition, key: str) -> list[SettingsEntry]:
    """Every entry of setting ``key``, whatever its namespace (or file) and user."""
    return [s for s in acq.settings if s.key == key]


def setting_evidence(acq: AndroidAcquisition, entry: SettingsEntry) -> Evidence:
    """Where a setting was read and its value; with the package that last wrote it (and the
    dumpsys section that says so, when the value came from a settings file)."""
    where = acq.where(f"settings_{entry.namespace}") or acq.where("settings")
    locator = where or f"settings_{entry.namespace}.txt"
    user = f" (user {entry.user})" if entry.user is not None else ""
    observed = f"{entry.namespace} {entry.key}={entry.value}{user}"
    if entry.package is not None:
        observed += f", last changed by {entry.package}"
        dump = acq.where("settings_packages")
        locator = f"{locator}; {dump}" if dump and dump != locator else locator
    return Evidence(input=acq.input, locator=locator, observed=observed)


def raised(severity: Severity) -> Severity:
    """One step more serious (critical stays critical)."""
    order = tuple(Severity)
    return order[min(order.index(severity) + 1, len(order) - 1)]


def _with_stories(
    view: AndroidView, entries: list[SettingsEntry]
) -> tuple[list[SettingStory], tuple[Evidence, ...]]:
    """The story of each entry, and the evidence: each setting, then each history line."""
    stories = [setting_story(view, e) for e in entries]
    evidence = [setting_evidence(view.acq, e) for e in entries]
    evidence += [item for story in stories for item in story_evidence(view, story)]
    return stories, cap_evidence(evidence)


def _off(
    acq: AndroidAcquisition, meanings: tuple[SettingMeaning, ...]
) -> list[tuple[SettingMeaning, SettingsEntry]]:
    return [
        (meaning, entry)
        for meaning in meanings
        for entry in settings_named(acq, meaning.key)
        if entry.value is not None and entry.value.strip() in meaning.off
    ]


def _describe(pairs: list[tuple[SettingMeaning, SettingsEntry]]) -> str:
    return listing(f"{e.key}={e.value} ({m.phrase})" for m, e in pairs)


def play_protect_findings(view: AndroidView) -> list[Finding]:
    """Play Protect settings with an "off" value; when, and by which package, if the phone says
    (an installed app outside the system raises the finding one step)."""
    pairs = _off(view.acq, view.lists.play_protect)
    if not pairs:
        return []
    strong = any(m.strong for m, _ in pairs)
    severity = c.PLAY_PROTECT.severity if strong else Severity.LOW
    stories, evidence = _with_stories(view, [e for _, e in pairs])
    told = stories_text(
        ((f"{e.key}={e.value} ({m.phrase})", s) for (m, e), s in zip(pairs, stories, strict=True)),
        "turned off",
    )
    third = third_party_reasons(stories, "turned off")
    return [
        c.make_finding(
            c.PLAY_PROTECT,
            evidence=evidence,
            subject="Play Protect",
            severity=raised(severity) if third else severity,
            reasons=(*dict.fromkeys(m.phrase for m, _ in pairs), *third),
            settings=told or _describe(pairs),
        )
    ]


def unknown_sources_findings(view: AndroidView) -> tuple[list[Finding], list[NotChecked]]:
    entries = [e for e in settings_named(view.acq, "install_non_market_apps") if e.value == "1"]
    if not entries:
        return [], []
    sdk = view.acq.device.sdk
    if sdk is None:
        why = (
            "the Android version is unknown, and install_non_market_apps=1 means 'unknown "
            "sources allowed' only before Android 8 (later it always reads 1)"
        )
        return [], [NotChecked("the 'unknown sources' setting", why)]
    if sdk >= OREO_SDK:
        return [], []
    stories, evidence = _with_stories(view, entries)
    base = f"install_non_market_apps=1 (Android {view.acq.device.android_version})"
    told = stories_text(((base, s) for s in stories), "turned on")
    third = third_party_reasons(stories, "turned on")
    finding = c.make_finding(
        c.UNKNOWN_SOURCES,
        evidence=evidence,
        subject="unknown sources",
        severity=raised(c.UNKNOWN_SOURCES.severity) if third else None,
        reasons=("apps from unknown sources may be installed", *third),
        setting=told or base,
    )
    return [finding], []


def debugging_findings(view: AndroidView) -> list[Finding]:
    acq = view.acq
    on = [
        (label, e)
        for key, label in view.lists.debugging.items()
        for e in settings_named(acq, key)
        if e.value == "1"
    ]
    stories, evidence = _with_stories(view, [e for _, e in on])
    wireless = any(e.key == "adb_wifi_enabled" for _, e in on)
    if acq.adb_state is not None and acq.adb_state.wifi_enabled:
        wireless = True
        evidence = (*evidence, line(acq, "adb_state", "adb_wifi enabled=true"))
    if not evidence:
        return []
    labels = list(dict.fromkeys(label for label, _ in on)) or ["wireless debugging"]
    note = (
        "Wireless debugging lets a computer on the same Wi-Fi network control the phone "
        "without a cable."
        if wireless
        else ""
    )
    told = stories_text(
        ((f"{label} on", s) for (label, _), s in zip(on, stories, strict=True)), "turned on"
    )
    third = third_party_reasons(stories, "turned on")
    severity = Severity.LOW if wireless else c.DEBUGGING.severity
    return [
        c.make_finding(
            c.DEBUGGING,
            evidence=evidence,
            subject="USB debugging",
            severity=raised(severity) if third else severity,
            reasons=(*(f"{label} on" for label in labels), *third),
            settings=told or listing(f"{label} on" for label in labels),
            note=note,
        )
    ]


def reporting_findings(view: AndroidView) -> list[Finding]:
    pairs = _off(view.acq, view.lists.reporting)
    if not pairs:
        return []
    return [
        c.make_finding(
            c.REPORTING,
            evidence=tuple(setting_evidence(view.acq, e) for _, e in pairs),
            subject="error reports",
            reasons=tuple(dict.fromkeys(m.phrase for m, _ in pairs)),
            settings=_describe(pairs),
        )
    ]


def interception_findings(view: AndroidView) -> list[Finding]:
    acq = view.acq
    out = []
    cas = user_ca_certificates(acq.files)
    if cas:
        out.append(
            c.make_finding(
                c.USER_CA,
                evidence=tuple(
                    line(acq, "files", f"{f.path}", acquisition_time(acq, f.modified)) for f in cas
                ),
                subject="user certificates",
                reasons=tuple(f"certificate {f.path.rsplit('/', 1)[-1]} added" for f in cas),
                count=len(cas),
                files=listing(f.path for f in cas),
            )
        )
    pairs = [
        (label, e)
        for key, label in view.lists.traffic.items()
        for e in settings_named(acq, key)
        if e.value is not None and e.value.strip() not in _UNSET and e.value != "0"
    ]
    if pairs:
        proxy = any("proxy" in e.key for _, e in pairs)
        out.append(
            c.make_finding(
                c.VPN_PROXY,
                evidence=tuple(setting_evidence(acq, e) for _, e in pairs),
                subject="VPN or proxy",
                severity=Severity.MEDIUM if proxy else None,
                reasons=tuple(f"{label}: {e.value}" for label, e in pairs),
                settings=listing(f"{label} {e.value} ({e.key})" for label, e in pairs),
            )
        )
    return out


def _day(text: str | None) -> date | None:
    if not text or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def security_patch_findings(view: AndroidView) -> tuple[list[Finding], list[NotChecked]]:
    acq = view.acq
    patch = _day(acq.device.security_patch)
    taken = _day(acq.info.completed) or _day(acq.info.started)
    if patch is None or taken is None:
        missing = "the security patch level" if patch is None else "the date of the acquisition"
        why = f"{missing} is not in the data, so its age could not be measured"
        return [], [NotChecked("how old the security patch is", why)]
    months = (taken.year - patch.year) * 12 + taken.month - patch.month - (taken.day < patch.day)
    limit = t.PATCH_MAX_AGE_MONTHS
    if months < limit or (months == limit and taken.day <= patch.day):
        return [], []
    seen = line(acq, "getprop", f"ro.build.version.security_patch={acq.device.security_patch}")
    finding = c.make_finding(
        c.SECURITY_PATCH,
        evidence=(seen,),
        subject="security patch",
        reasons=(f"security patch {patch.isoformat()}, {months} months before the acquisition",),
        patch=patch.isoformat(),
        date=taken.isoformat(),
        months=months,
    )
    return [finding], []


def _key_text(key: str) -> str:
    return key.split(maxsplit=1)[0] if key.split() else key


def _computer(acq: AndroidAcquisition, key: AdbKey) -> str:
    last = acquisition_time(acq, key.last_connection)
    when = f", last connected {last.text}" if last else ""
    return (
        f"{key.comment or 'an unnamed computer'} ({key.fingerprint or 'fingerprint unknown'}{when})"
    )


def _recent(acq: AndroidAcquisition, key: AdbKey) -> bool:
    """The key last connected within a day of the acquisition's start (so it very likely made
    it: the phone updates a key's last connection each time that computer connects)."""
    started = acquisition_time(acq, acq.info.started)
    last = acquisition_time(acq, key.last_connection)
    if started is None or last is None or started.utc is None or last.utc is None:
        return False
    gap = datetime.fromisoformat(started.utc) - datetime.fromisoformat(last.utc)
    return abs(gap.total_seconds()) <= ACQUIRING_WINDOW_SECONDS


def _acquiring(acq: AndroidAcquisition) -> tuple[Callable[[AdbKey], bool], bool] | None:
    """A test for "this key is the computer that made the acquisition", and whether it is
    recorded (True) or inferred from the time of the last connection (False); None if unknown."""
    host = acq.info.adb_host_public_key
    state = acq.adb_state
    current = state.last_key_fingerprint if state and state.connected else None
    if host is not None or current is not None:

        def recorded(key: AdbKey) -> bool:
            if host is not None and _key_text(host) == _key_text(key.key):
                return True
            return current is not None and key.fingerprint == current

        return recorded, True
    recent = [k for k in acq.adb_keys if _recent(acq, k)]
    if len(recent) == 1:
        return (lambda key: key == recent[0]), False
    return None


def trusted_computer_findings(view: AndroidView) -> list[Finding]:
    acq = view.acq
    keys = acq.adb_keys
    if not keys:
        return []
    known = _acquiring(acq)
    if known is not None:
        acquiring, recorded = known
        others = [k for k in keys if not acquiring(k)]
        severity = Severity.LOW if others else Severity.INFO
        which = "made this acquisition" if recorded else "connected when this acquisition began"
        note = (
            f"{len(others)} of them {'is' if len(others) == 1 else 'are'} not the computer that "
            f"{which}."
            if others
            else f"It is the computer that {which}."
        )
    else:
        severity = Severity.LOW if len(keys) > 1 else Severity.INFO
        note = "Which computer made this acquisition is not recorded."
    names = [_computer(acq, k) for k in keys]
    evidence = [
        line(acq, "adb_keys", f"trusted key of {name}", acquisition_time(acq, k.last_connection))
        for k, name in zip(keys, names, strict=True)
    ]
    return [
        c.make_finding(
            c.TRUSTED_COMPUTER,
            evidence=cap_evidence(evidence),
            subject="trusted computers",
            severity=severity,
            reasons=tuple(f"trusted computer {n}" for n in names),
            count=len(keys),
            computers=listing(names),
            note=note,
        )
    ]
