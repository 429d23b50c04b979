"""Indicator rules: installed apps, processes, removed apps and files that are on a list.

One app gives one finding. Its package name, APK signing certificates, APK hashes and processes
are all matched; the strongest match chooses the rule (stalkerware before watchware, suspicious and
dual-use; a certificate before a file hash before a name), and the finding's reasons list every
match and every sign of the app (sideloaded, accessibility...), so a reader sees one line per app.

A match on the package name alone is weaker evidence when the name is short and generic
(``com.fone``), when another list calls the same app watchware, when the app is part of the
system, or when it is signed by a well-known developer: it is still reported, as high and likely,
and says why. A certificate or file-hash match is never weakened.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from stalkerscan.detect.android import catalog as c
from stalkerscan.detect.android import thresholds as t
from stalkerscan.detect.android.context import AndroidView, AppInfo
from stalkerscan.detect.android.evidence import cap_evidence, line, listing, sentence
from stalkerscan.detect.android.signals import Sign, app_signs, grade, install_sentence
from stalkerscan.detect.rules import Rule
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Confidence, Evidence, Finding, Indicator, IndicatorMatch, Severity
from stalkerscan.model import Threat as _T


class AppClass(enum.Enum):
    """What a matched indicator says the app is, strongest first."""

    STALKERWARE = "stalkerware"
    WATCHWARE = "watchware"
    SUSPICIOUS = "suspicious"
    DUAL_USE = "dual_use"


class MatchKind(enum.Enum):
    """What of the app matched, strongest first."""

    CERTIFICATE = "certificate"
    APK_HASH = "apk_hash"
    PACKAGE = "package"
    PROCESS = "process"


_CLASS = {
    _T.STALKERWARE: AppClass.STALKERWARE,
    _T.SPYWARE: AppClass.STALKERWARE,
    _T.UNKNOWN: AppClass.STALKERWARE,
    _T.WATCHWARE: AppClass.WATCHWARE,
    _T.TRACKER: AppClass.WATCHWARE,
    _T.SUSPICIOUS: AppClass.SUSPICIOUS,
    _T.DUAL_USE: AppClass.DUAL_USE,
}
_CLASS_ORDER = tuple(AppClass)
_KIND_ORDER = tuple(MatchKind)
_STALKERWARE_RULES = {
    MatchKind.CERTIFICATE: c.CERTIFICATE,
    MatchKind.APK_HASH: c.APK_HASH,
    MatchKind.PACKAGE: c.PACKAGE,
    MatchKind.PROCESS: c.PROCESS,
}
_CLASS_RULES = {
    AppClass.WATCHWARE: c.WATCHWARE,
    AppClass.SUSPICIOUS: c.SUSPICIOUS,
    AppClass.DUAL_USE: c.DUAL_USE,
}


def classify(indicator: Indicator) -> AppClass:
    """What an app indicator says the app is."""
    return _CLASS[indicator.threat]


@dataclass(frozen=True, slots=True)
class AppMatch:
    """One value of an app that matched an indicator."""

    kind: MatchKind
    """What of the app matched (certificate, APK hash, package name, process)."""
    match: IndicatorMatch
    """The indicator and the value as observed."""
    matched: str
    """What matched, in words: ``its signing certificate (SHA-1)``."""
    evidence: Evidence
    """Where the matching value was read."""

    @property
    def indicator(self) -> Indicator:
        return self.match.indicator

    def rank(self, set_order: Mapping[str, int]) -> tuple[int, int, int, str, str]:
        """Strongest first: the app class, what matched, then the set loaded first."""
        ind = self.indicator
        return (
            _CLASS_ORDER.index(classify(ind)),
            _KIND_ORDER.index(self.kind),
            set_order.get(ind.set_name, len(set_order)),
            ind.app or "\uffff",
            ind.value,
        )


def is_generic_package(name: str) -> bool:
    """A package name too short or common to identify an app on its own (``com.fone``)."""
    low = name.lower()
    if any(word in low for word in t.DISTINCTIVE_WORDS):
        return False
    labels = low.split(".")
    if len(low) <= t.GENERIC_PACKAGE_MAX_LENGTH:
        return True
    return len(labels) == 2 and len(labels[1]) <= t.GENERIC_PACKAGE_MAX_LAST_LABEL


def _certificate_matches(
    view: AndroidView, app: AppInfo, index: IndicatorIndex, notes: list[str]
) -> list[AppMatch]:
    out: list[AppMatch] = []
    for file in app.package.files if app.package else ():
        cert = file.certificate
        if cert is None:
            continue
        generic = view.lists.generic_certificates.get((cert.sha1 or "").upper())
        for algorithm, digest in (
            ("SHA-1", cert.sha1),
            ("SHA-256", cert.sha256),
            ("MD5", cert.md5),
        ):
            found = index.match_signing_cert(digest) if digest else ()
            if found and generic:
                notes.append(
                    f"Its signing certificate is listed too, but it is {generic}, which many "
                    "unrelated apps share, so that match proves nothing."
                )
                break
            signer = cert.subject or "an unnamed signer"
            observed = f"{file.path}: signed by {signer}, certificate {algorithm} {digest}"
            seen = line(view.acq, "packages", observed)
            matched = f"its signing certificate ({algorithm})"
            out += [AppMatch(MatchKind.CERTIFICATE, m, matched, seen) for m in found]
    return out


def _hash_matches(view: AndroidView, app: AppInfo, index: IndicatorIndex) -> list[AppMatch]:
    out: list[AppMatch] = []
    for file in app.package.files if app.package else ():
        for algorithm, digest in (
            ("SHA-256", file.sha256),
            ("SHA-1", file.sha1),
            ("MD5", file.md5),
        ):
            for m in index.match_file_hash(digest) if digest else ():
                seen = line(view.acq, "packages", f"{file.path}: {algorithm} {digest}")
                out.append(
                    AppMatch(MatchKind.APK_HASH, m, f"the {algorithm} of its APK file", seen)
                )
    return out


def app_matches(
    view: AndroidView, app: AppInfo, index: IndicatorIndex, notes: list[str]
) -> list[AppMatch]:
    """Every indicator match of ``app``, strongest first (public-key notes go to ``notes``)."""
    what = "packages" if app.package is not None else "package_details"
    out = [
        AppMatch(
            MatchKind.PACKAGE, m, "its package name", line(view.acq, what, f"package {app.name}")
        )
        for m in index.match_package(app.name)
    ]
    out += _certificate_matches(view, app, index, notes)
    out += _hash_matches(view, app, index)
    for process in app.processes:
        seen = line(view.acq, "processes", f"process {process.name} (pid {process.pid})")
        found = dict.fromkeys(index.match_process(process.name) + index.match_package(process.name))
        matched = f"a running process ({process.name})"
        out += [AppMatch(MatchKind.PROCESS, m, matched, seen) for m in found]
    order = {info.name: n for n, info in enumerate(index.sets)}
    return sorted(out, key=lambda m: m.rank(order))


def _weak_name_notes(app: AppInfo, matches: list[AppMatch]) -> list[str]:
    """Why a name-only stalkerware match is weaker evidence ([] when it is not)."""
    stalker = [m for m in matches if classify(m.indicator) is AppClass.STALKERWARE]
    if any(m.kind in (MatchKind.CERTIFICATE, MatchKind.APK_HASH) for m in stalker):
        return []
    notes = []
    if is_generic_package(app.name):
        notes.append(
            f"Only the name matched, and {app.name} is short and generic enough to be used by an "
            "unrelated app: the name alone is weaker evidence. Check the app's name and icon in "
            "Settings > Apps."
        )
    if app.system:
        notes.append(
            "It is part of the phone's system, which stalkerware normally cannot be unless the "
            "phone was rooted or sold with it: the name may belong to an unrelated app."
        )
    trusted = app.package is not None and any(f.certificate_trusted for f in app.package.files)
    if trusted:
        notes.append(
            "Its signing certificate belongs to a well-known developer (androidqf's list), so "
            "the name may belong to an unrelated app."
        )
    return notes


def _severity(
    cls: AppClass, rule: Rule, view: AndroidView, app: AppInfo, signs: tuple[Sign, ...], weak: bool
) -> tuple[Severity, Confidence]:
    graded = grade(view, app, signs)
    signed = graded.severity if graded is not None else None
    if cls is AppClass.STALKERWARE:
        return (Severity.HIGH, Confidence.LIKELY) if weak else (rule.severity, rule.confidence)
    if cls is AppClass.DUAL_USE:
        if app.system:
            return Severity.INFO, rule.confidence
        if signed is not None and signed >= Severity.LOW:
            return max(Severity.MEDIUM, signed), rule.confidence
        return rule.severity, rule.confidence
    return max(rule.severity, signed or Severity.INFO), rule.confidence


def _reason(match: AppMatch) -> str:
    ind = match.indicator
    what = f"listed for {ind.app}" if ind.app else "listed"
    matched = match.matched.removeprefix("its ")
    return f"{matched} {what} as {classify(ind).value.replace('_', '-')} ({ind.set_name})"


def _conflict(matches: list[AppMatch]) -> tuple[AppMatch, AppMatch] | None:
    """(stalkerware match, watchware match) when a watchware listing is as strong as the best
    stalkerware one: the lists disagree about the same app (Echap lists WiseMo and FindMyKids in
    both files), and the more specific "does not hide" wins."""
    best = matches[0]
    if classify(best.indicator) is not AppClass.STALKERWARE:
        return None
    watch = [m for m in matches if classify(m.indicator) is AppClass.WATCHWARE]
    if watch and _KIND_ORDER.index(watch[0].kind) <= _KIND_ORDER.index(best.kind):
        return best, watch[0]
    return None


def _conflict_note(stalker: AppMatch, watch: AppMatch) -> str:
    return (
        f"The lists disagree: it is listed both as the stalkerware "
        f"{stalker.indicator.app or 'app'} ({stalker.indicator.set_name}) and as a monitoring app "
        f"that does not hide ({watch.indicator.set_name}), so it is reported as high. If nobody "
        "using the phone installed it knowingly, treat it as stalkerware."
    )


def app_finding(
    view: AndroidView, app: AppInfo, matches: list[AppMatch], notes: list[str]
) -> Finding:
    """The one finding of an app with indicator matches."""
    best = matches[0]
    extra: list[str] = []
    conflict = _conflict(matches)
    if conflict is not None:
        best = conflict[1]
        extra.append(_conflict_note(*conflict))
    cls = classify(best.indicator)
    rule = _STALKERWARE_RULES[best.kind] if cls is AppClass.STALKERWARE else _CLASS_RULES[cls]
    signs = app_signs(view, app)
    weak = _weak_name_notes(app, matches) if cls is AppClass.STALKERWARE else []
    severity, confidence = _severity(cls, rule, view, app, signs, bool(weak))
    if conflict is not None:
        severity = max(severity, Severity.HIGH)
    others = sorted({m.indicator.app for m in matches if m.indicator.app} - {best.indicator.app})
    if others:
        extra.append(f"It is also listed as: {'; '.join(others)}.")
    sign_text = listing((s.phrase for s in signs), limit=20)
    return c.make_finding(
        rule,
        evidence=cap_evidence(
            [*(m.evidence for m in matches), *(e for s in signs for e in s.evidence)]
        ),
        subject=app.name,
        app=best.indicator.app,
        indicator=best.indicator,
        severity=severity,
        confidence=confidence,
        reasons=(*dict.fromkeys(_reason(m) for m in matches), *(s.phrase for s in signs)),
        listed=best.indicator.value,
        set=best.indicator.set_name,
        matched=best.matched,
        signs=sentence(f"it also shows these signs: {sign_text}") if signs else "",
        installed=install_sentence(view, app),
        note=" ".join(dict.fromkeys([*weak, *notes, *extra])),
    )


def _process_reason(name: str, match: IndicatorMatch) -> str:
    app = match.indicator.app or "a stalkerware app"
    return f"process {name} is listed for {app} ({match.indicator.set_name})"


def process_findings(view: AndroidView, index: IndicatorIndex) -> list[Finding]:
    attached = {p.pid for a in view.apps.values() for p in a.processes}
    out = []
    for process in view.acq.processes:
        if process.pid in attached:
            continue
        base = process.name.split(":", 1)[0]
        found = [*index.match_process(process.name), *index.match_package(base)]
        stalker = [m for m in found if classify(m.indicator) is AppClass.STALKERWARE]
        if not stalker:
            continue
        best = stalker[0]
        weak = is_generic_package(base) and "." in base
        seen = line(view.acq, "processes", f"process {process.name} (pid {process.pid})")
        out.append(
            c.make_finding(
                c.PROCESS,
                evidence=(seen,),
                subject=process.name,
                app=best.indicator.app,
                indicator=best.indicator,
                severity=Severity.HIGH if weak else None,
                confidence=Confidence.LIKELY if weak else None,
                reasons=tuple(dict.fromkeys(_process_reason(process.name, m) for m in stalker)),
                listed=best.indicator.value,
                set=listing(sorted({m.indicator.set_name for m in stalker})),
                matched=f"a running process ({process.name})",
                signs="",
                installed="",
                note="The app it belongs to was not in the list of apps that could be read."
                + (
                    " Its name is short and generic: the name alone is weaker evidence."
                    if weak
                    else ""
                ),
            )
        )
    return out
