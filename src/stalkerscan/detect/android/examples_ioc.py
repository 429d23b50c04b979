"""Worked examples of the Android indicator rules: some fire, some stay silent.

Stalkerware and watchware values are real Echap indicators (stalkerware-indicators, CC BY 4.0);
dual-use values come from ISDi's app-flags.csv; suspicious ones are illustrative.
"""

from __future__ import annotations

from stalkerscan.detect.android import catalog as c
from stalkerscan.detect.android.build import AcquisitionBuilder, AppSpec
from stalkerscan.detect.base import Example
from stalkerscan.model import Indicator, IndicatorKind, Role, Threat
from stalkerscan.model.android import AndroidAcquisition

_K = IndicatorKind
SET = "examples"
TTS_CERT = "31A6ECECD97CF39BC4126B8745CD94A7C30BF81C"
"""A TheTruthSpy signing certificate (Echap ioc.yaml)."""
TTS_SAMPLE = "201625b0ab47027bd2dcb27f88c5c0cf96e4bc32505083cb7036639c6a4a8b24"
"""A TheTruthSpy APK (Echap samples.csv, com.systemservice version 5)."""
SIDELOADED_SPY = AppSpec(
    installer=None,
    launcher=False,
    accessibility=True,
    permissions=("READ_SMS", "ACCESS_FINE_LOCATION"),
    installed="2024-03-01T21:05:03",
)
"""How stalkerware looks once installed: sideloaded, accessibility on, no icon, SMS, location."""


def indicator(
    value: str,
    app: str | None,
    *,
    kind: IndicatorKind = _K.ANDROID_PACKAGE,
    threat: Threat = Threat.STALKERWARE,
    role: Role = Role.APP,
    set_name: str = SET,
) -> Indicator:
    """An indicator of the examples' set (values lower-cased as the loaders do)."""
    return Indicator(kind, value.lower(), app, role, threat, set_name)


def phone(*apps: tuple[str, AppSpec]) -> AndroidAcquisition:
    """An acquisition with an everyday app and ``apps``."""
    b = AcquisitionBuilder().app("com.whatsapp", permissions=("READ_CONTACTS", "CAMERA"))
    for name, spec in apps:
        b.app(name, spec)
    return b.build()


_TTS_PACKAGE = indicator("com.systemservice", "TheTruthSpy")
_TTS_CERT = indicator(TTS_CERT, "TheTruthSpy", kind=_K.CERT_SHA1)
_TTS_HASH = indicator(TTS_SAMPLE, "TheTruthSpy", kind=_K.FILE_SHA256, role=Role.SAMPLE)
_FONE = indicator("com.fone", "TheTruthSpy")
_LIFE360 = indicator("com.life360.android.safetymapd", "Life360", threat=Threat.WATCHWARE)
_ADM = indicator("com.google.android.apps.adm", "Find My Device", threat=Threat.DUAL_USE)
_ANYDESK = indicator("com.anydesk.anydeskandroid", "AnyDesk", threat=Threat.DUAL_USE)
_SUSPECT = indicator("com.update.helper", None, threat=Threat.SUSPICIOUS, role=Role.UNKNOWN)


def _renamed_with_cert() -> AndroidAcquisition:
    return phone(("com.android.battery.saver", AppSpec(installer=None, cert_sha1=TTS_CERT)))


def _trace(package: str) -> AndroidAcquisition:
    return AcquisitionBuilder().app("com.whatsapp").battery("uninstall", package).build()


def _spy_file(name: str) -> AndroidAcquisition:
    b = AcquisitionBuilder().app("com.whatsapp")
    b.file(f"/sdcard/Download/{name}", sha256=TTS_SAMPLE if name == "update.apk" else None)
    return b.build()


IOC_EXAMPLES: tuple[Example[AndroidAcquisition], ...] = (
    Example(
        c.CERTIFICATE.id,
        True,
        "an app renamed to look like a system tool, signed with a TheTruthSpy certificate",
        _renamed_with_cert(),
        (_TTS_CERT,),
    ),
    Example(
        c.CERTIFICATE.id,
        False,
        "the certificate was not read (APK not copied): nothing to compare",
        phone(("com.android.battery.saver", AppSpec(installer=None, certificate=False))),
        (_TTS_CERT,),
    ),
    Example(
        c.APK_HASH.id,
        True,
        "the APK file is a known TheTruthSpy sample",
        phone(("com.systemservice", AppSpec(installer=None, sha256=TTS_SAMPLE))),
        (_TTS_HASH,),
    ),
    Example(
        c.APK_HASH.id,
        False,
        "another APK file",
        phone(("com.systemservice", AppSpec(installer=None))),
        (_TTS_HASH,),
    ),
    Example(
        c.PACKAGE.id,
        True,
        "TheTruthSpy's package, sideloaded, hidden, with accessibility",
        phone(("com.systemservice", SIDELOADED_SPY)),
        (_TTS_PACKAGE,),
    ),
    Example(
        c.PACKAGE.id,
        True,
        "a short generic listed name (com.fone): still reported, as weaker evidence",
        phone(("com.fone", AppSpec())),
        (_FONE,),
    ),
    Example(
        c.PACKAGE.id,
        False,
        "a name that only starts like a listed one",
        phone(("com.systemservices.cleaner", AppSpec())),
        (_TTS_PACKAGE,),
    ),
    Example(
        c.PROCESS.id,
        True,
        "a TheTruthSpy process runs, and the app list could not be read",
        AcquisitionBuilder().process("com.systemservice:remote").build(),
        (_TTS_PACKAGE,),
    ),
    Example(
        c.PROCESS.id,
        False,
        "an ordinary process",
        AcquisitionBuilder().process("com.whatsapp:pushservice").build(),
        (_TTS_PACKAGE,),
    ),
    Example(
        c.WATCHWARE.id,
        True,
        "Life360 from the Play Store (a family locator that does not hide)",
        phone(("com.life360.android.safetymapd", AppSpec(permissions=("ACCESS_FINE_LOCATION",)))),
        (_LIFE360,),
    ),
    Example(
        c.WATCHWARE.id,
        False,
        "another app",
        phone(("com.weather.forecast", AppSpec(permissions=("ACCESS_FINE_LOCATION",)))),
        (_LIFE360,),
    ),
    Example(
        c.DUAL_USE.id,
        True,
        "AnyDesk remote control installed by the user (ISDi dual-use)",
        phone(("com.anydesk.anydeskandroid", AppSpec())),
        (_ANYDESK,),
    ),
    Example(
        c.DUAL_USE.id,
        True,
        "Find My Device preinstalled: information only",
        phone(("com.google.android.apps.adm", AppSpec(system=True, installer=None))),
        (_ADM,),
    ),
    Example(
        c.DUAL_USE.id,
        False,
        "an app on no list",
        phone(("org.videolan.vlc", AppSpec())),
        (_ANYDESK,),
    ),
    Example(
        c.SUSPICIOUS.id,
        True,
        "an app a list marks as suspicious without naming it",
        phone(("com.update.helper", AppSpec(installer=None))),
        (_SUSPECT,),
    ),
    Example(
        c.SUSPICIOUS.id,
        False,
        "the suspicious name is not installed",
        phone(("com.update.manager", AppSpec())),
        (_SUSPECT,),
    ),
    Example(
        c.TRACE.id,
        True,
        "the battery history shows TheTruthSpy removed; it is not installed now",
        _trace("com.systemservice"),
        (_TTS_PACKAGE,),
    ),
    Example(
        c.TRACE.id,
        False,
        "an ordinary app removed",
        _trace("com.king.candycrushsaga"),
        (_TTS_PACKAGE,),
    ),
    Example(
        c.FILE.id,
        True,
        "a TheTruthSpy APK left in Downloads",
        _spy_file("update.apk"),
        (_TTS_HASH,),
    ),
    Example(
        c.FILE.id,
        False,
        "another file in Downloads",
        _spy_file("holiday.pdf"),
        (_TTS_HASH,),
    ),
)
"""Examples of every indicator rule."""
