"""Per-app signs: how an app was installed, what powers it holds, whether it hides, what it reads.

Each sign is a short phrase for people ("sideloaded (installer: none)", "accessibility service
enabled", "reads SMS"), a weight, and the evidence lines behind it. ``grade`` turns an app's signs
into one severity, following the grouping policy of docs/detection-android.md: a single risky
right is not an infection; stalkerware needs a combination (installed outside a store, powerful
access, no icon, personal data).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from stalkerscan.detect.android import thresholds as t
from stalkerscan.detect.android.context import AndroidView, AppInfo
from stalkerscan.detect.android.evidence import acquisition_time, line
from stalkerscan.model import Confidence, Evidence, Severity
from stalkerscan.model.android import AccessibilityState, AdminRole

ACTIVE_ACCESSIBILITY = (
    AccessibilityState.ENABLED,
    AccessibilityState.BOUND,
    AccessibilityState.BINDING,
)


class SignKind(enum.Enum):
    """What a sign is about."""

    INSTALL = "install"
    """How the app came onto the phone."""
    ACCESS = "access"
    """A power over the phone: accessibility, notification access, device admin."""
    HIDING = "hiding"
    """No icon of its own, hidden."""
    DATA = "data"
    """A kind of personal data it can reach."""
    INSTALLS_APPS = "installs_apps"
    """It may install other apps."""
    NOTE = "note"
    """Worth saying, worth nothing (an accessibility service that is off)."""


@dataclass(frozen=True, slots=True)
class Sign:
    """One sign of one app."""

    key: str
    """Stable key (``sideloaded``, ``accessibility``, ``data:sms``...)."""
    phrase: str
    """Short words for people, shown as a finding's reason (``reads SMS``)."""
    kind: SignKind
    weight: int
    """Points it adds to the app's score (see thresholds.py)."""
    evidence: tuple[Evidence, ...]
    """The records it was read from."""


class InstallSource(enum.Enum):
    """Where an app came from, by its installer."""

    STORE = "store"
    OTHER_STORE = "other_store"
    SIDELOADED = "sideloaded"
    OTHER_APP = "other_app"
    UNKNOWN = "unknown"


def install_source(view: AndroidView, app: AppInfo) -> InstallSource:
    """Classify an app's installer with the packaged lists."""
    lists = view.lists
    installer = app.installer
    if not app.installer_known:
        return InstallSource.UNKNOWN
    if installer is None:
        return InstallSource.UNKNOWN if app.system else InstallSource.SIDELOADED
    if installer in lists.play_stores or installer in lists.transfer_installers:
        return InstallSource.STORE
    if installer in lists.other_stores:
        return InstallSource.OTHER_STORE
    if (
        installer in lists.package_installers
        or installer in lists.browsers
        or installer in lists.adb_installers
    ):
        return InstallSource.SIDELOADED
    return InstallSource.OTHER_APP


def install_sentence(view: AndroidView, app: AppInfo) -> str:
    """``It was first installed on 2024-03-01 21:05:03 (phone time).`` ("" when unknown)."""
    when = acquisition_time(view.acq, app.install_time)
    return f"It was first installed on {when.text}." if when else ""


def _install_evidence(view: AndroidView, app: AppInfo) -> Evidence:
    what = "packages" if app.package is not None else "package_details"
    when = acquisition_time(view.acq, app.install_time)
    installed = f", first installed {when.text}" if when else ""
    observed = f"{app.name}: installer {app.installer or 'none'}{installed}"
    return line(view.acq, what, observed, when)


def _install_sign(view: AndroidView, app: AppInfo) -> Sign | None:
    source = install_source(view, app)
    label = view.installer_label(app.installer) if app.installer else "none"
    seen = (_install_evidence(view, app),)
    if source is InstallSource.SIDELOADED:
        if app.system:
            phrase = f"preinstalled app updated from a file ({label})"
        elif app.installer is None:
            phrase = "sideloaded (installer: none)"
        elif app.installer in view.lists.browsers:
            phrase = f"sideloaded from a browser download ({label})"
        elif app.installer in view.lists.adb_installers:
            phrase = "sideloaded from a computer (adb)"
        else:
            phrase = f"sideloaded from a file ({label})"
        return Sign("sideloaded", phrase, SignKind.INSTALL, t.WEIGHT_SIDELOADED, seen)
    if source is InstallSource.OTHER_STORE:
        phrase = f"installed from another app store ({label})"
        return Sign("other_store", phrase, SignKind.INSTALL, t.WEIGHT_OTHER_INSTALLER, seen)
    if source is InstallSource.OTHER_APP:
        phrase = f"installed by another app ({label}), not an app store"
        return Sign("other_app", phrase, SignKind.INSTALL, t.WEIGHT_OTHER_INSTALLER, seen)
    return None


def _access_signs(view: AndroidView, app: AppInfo) -> list[Sign]:
    acq = view.acq
    out = []
    active = [a for a in app.accessibility if a.state in ACTIVE_ACCESSIBILITY]
    if active:
        ev = tuple(
            line(acq, "accessibility", f"{a.component}: {a.state.value} ({a.source})")
            for a in active
        )
        out.append(
            Sign(
                "accessibility",
                "accessibility service enabled",
                SignKind.ACCESS,
                t.WEIGHT_ACCESS,
                ev,
            )
        )
    elif app.accessibility:
        ev = tuple(
            line(acq, "accessibility", f"{a.component}: {a.state.value}") for a in app.accessibility
        )
        out.append(
            Sign(
                "accessibility_off",
                "offers an accessibility service (turned off)",
                SignKind.NOTE,
                0,
                ev,
            )
        )
    if app.listeners:
        ev = tuple(
            line(acq, "notification_listeners", f"{n.component} ({n.source})")
            for n in app.listeners
        )
        out.append(
            Sign("notifications", "reads all notifications", SignKind.ACCESS, t.WEIGHT_ACCESS, ev)
        )
    for admin in app.admins:
        owner = admin.role is not AdminRole.ADMIN
        phrase = "manages the phone (device or profile owner)" if owner else "device administrator"
        policies = f", policies: {', '.join(admin.policies)}" if admin.policies else ""
        ev = (line(acq, "device_admins", f"{admin.component}: {admin.role.value}{policies}"),)
        out.append(Sign(f"admin:{admin.role.value}", phrase, SignKind.ACCESS, t.WEIGHT_ACCESS, ev))
    return out


def _hiding_signs(view: AndroidView, app: AppInfo) -> list[Sign]:
    out = []
    if app.launcher is False:
        ev = (
            line(
                view.acq,
                "resolver_entries",
                f"{app.name}: no activity for {'android.intent.action.MAIN'} (no launcher icon)",
            ),
        )
        out.append(Sign("no_icon", "no launcher icon", SignKind.HIDING, t.WEIGHT_HIDDEN, ev))
    if app.hidden:
        ev = (line(view.acq, "package_details", f"{app.name}: hidden=true"),)
        out.append(Sign("hidden", "hidden from the user", SignKind.HIDING, t.WEIGHT_HIDDEN, ev))
    return out


def _data_signs(view: AndroidView, app: AppInfo) -> list[Sign]:
    acq = view.acq
    out = []
    allowed_ops = {o.op: o for o in app.app_ops if o.mode == "allow"}
    receivers = {r.key: r for r in app.receivers}
    background = False
    for category in view.lists.categories:
        perms = sorted(category.permissions & app.granted)
        ops = sorted(category.app_ops & set(allowed_ops))
        heard = sorted(k for k in receivers if view.lists.receivers[k].category == category.key)
        if category.key == "location" and background:
            continue
        if not (perms or ops or heard):
            continue
        background = background or category.key == "background_location"
        ev = [line(acq, "package_details", f"{app.name}: {p} granted") for p in perms]
        ev += [line(acq, "appops", f"{app.name}: {op} mode allow") for op in ops]
        ev += [
            line(acq, "resolver_entries", f"{receivers[k].component} receives {k}") for k in heard
        ]
        phrases = [category.phrase] if perms or ops else []
        phrases += sorted({view.lists.receivers[k].phrase for k in heard} - set(phrases))
        out.append(
            Sign(
                f"data:{category.key}", ", ".join(phrases), SignKind.DATA, t.WEIGHT_DATA, tuple(ev)
            )
        )
    return out


def _installs_apps(view: AndroidView, app: AppInfo) -> Sign | None:
    for op in app.app_ops:
        if op.op == "REQUEST_INSTALL_PACKAGES" and op.mode == "allow":
            times = [acquisition_time(view.acq, e.time) for e in op.events]
            used = [x for x in times if x is not None]
            when = f", last used {max(used, key=lambda x: x.sort_key).text}" if used else ""
            ev = (
                line(
                    view.acq,
                    "appops",
                    f"{app.name}: REQUEST_INSTALL_PACKAGES mode allow{when}",
                    max(used, key=lambda x: x.sort_key) if used else None,
                ),
            )
            return Sign(
                "installs_apps",
                "allowed to install other apps",
                SignKind.INSTALLS_APPS,
                t.WEIGHT_INSTALLS_APPS,
                ev,
            )
    return None


def app_signs(view: AndroidView, app: AppInfo) -> tuple[Sign, ...]:
    """Every sign of ``app``, install sign first."""
    signs: list[Sign] = []
    install = _install_sign(view, app)
    if install is not None:
        signs.append(install)
    signs += _access_signs(view, app)
    signs += _hiding_signs(view, app)
    signs += _data_signs(view, app)
    installs = _installs_apps(view, app)
    if installs is not None:
        signs.append(installs)
    return tuple(signs)


@dataclass(frozen=True, slots=True)
class Grade:
    """The severity an app's signs add up to."""

    severity: Severity
    confidence: Confidence
    score: int
    """The sum of the weights that counted."""
    combination: bool
    """>= ``COMBINATION_SCORE`` over two or more signs: ``android.app.risky_combination``."""


def score(view: AndroidView, app: AppInfo, signs: tuple[Sign, ...]) -> int:
    """The sum of the signs' weights (data capped; data counts nothing for app-store apps)."""
    store = install_source(view, app) is InstallSource.STORE
    data = 0 if store else sum(s.weight for s in signs if s.kind is SignKind.DATA)
    rest = sum(s.weight for s in signs if s.kind is not SignKind.DATA)
    return rest + min(data, t.MAX_DATA_WEIGHT)


def _lower(severity: Severity) -> Severity:
    return tuple(Severity)[max(0, severity.rank - 1)]


def grade(view: AndroidView, app: AppInfo, signs: tuple[Sign, ...]) -> Grade | None:
    """The severity of ``app`` from its signs, or None when there is nothing to say."""
    source = install_source(view, app)
    store = source is InstallSource.STORE
    counted = [s for s in signs if s.weight > 0 and s.kind is not SignKind.DATA]
    noted = any(s.kind is SignKind.NOTE for s in signs)
    if not counted and (store or not noted):
        return None  # nothing, data permissions alone, or a note about an app-store app
    total = score(view, app, signs)
    if app.system:
        installed_from_file = any(s.key == "sideloaded" for s in signs)
        return (
            Grade(Severity.INFO, Confidence.POSSIBLE, total, False) if installed_from_file else None
        )
    weighted = [s for s in signs if s.weight > 0 and not (store and s.kind is SignKind.DATA)]
    strong = any(s.kind in (SignKind.ACCESS, SignKind.HIDING) for s in signs)
    if total >= t.HIGH_SCORE and strong and len(weighted) >= 2:
        severity = Severity.HIGH
    elif total >= t.COMBINATION_SCORE and len(weighted) >= 2:
        severity = Severity.MEDIUM
    elif total >= t.LOW_SCORE:
        severity = Severity.LOW
    else:
        severity = Severity.INFO
    if store:
        severity = Severity.INFO if len(weighted) <= 1 else min(_lower(severity), Severity.MEDIUM)
    combination = severity >= Severity.MEDIUM
    confidence = Confidence.LIKELY if severity is Severity.HIGH else Confidence.POSSIBLE
    return Grade(severity, confidence, total, combination)
