"""Worked examples of the per-app rules: combinations that fire, single rights that do not."""

from __future__ import annotations

from dataclasses import replace

from stalkerscan.detect.android import catalog as c
from stalkerscan.detect.android.build import AppSpec
from stalkerscan.detect.android.examples_ioc import SIDELOADED_SPY, phone
from stalkerscan.detect.base import Example
from stalkerscan.model.android import AdminRole, AndroidAcquisition


def _icon_unknown() -> AndroidAcquisition:
    """A store app without a MAIN activity, in a dump that lists no MAIN activity at all (a
    partial dump): nothing can be said about icons, so no sign."""
    return replace(phone(("com.sync.service", AppSpec(launcher=False))), resolver_entries=())


APP_EXAMPLES: tuple[Example[AndroidAcquisition], ...] = (
    Example(
        c.COMBINATION.id,
        True,
        "sideloaded, accessibility on, no icon, reads SMS and location (high)",
        phone(("com.android.sys.update", SIDELOADED_SPY)),
    ),
    Example(
        c.COMBINATION.id,
        True,
        "sideloaded from a browser download with device admin and notification access",
        phone(
            (
                "net.helper.sync",
                AppSpec(installer="com.android.chrome", admin=AdminRole.ADMIN, listener=True),
            )
        ),
    ),
    Example(
        c.COMBINATION.id,
        False,
        "a messenger from the Play Store with many data permissions",
        phone(
            (
                "org.thoughtcrime.securesms",
                AppSpec(permissions=("READ_SMS", "READ_CONTACTS", "RECORD_AUDIO", "CAMERA")),
            )
        ),
    ),
    Example(
        c.COMBINATION.id,
        False,
        "a screen reader from the Play Store with accessibility on (one sign)",
        phone(("com.google.android.marvin.talkback", AppSpec(accessibility=True))),
    ),
    Example(
        c.SIGN.id,
        True,
        "an app sideloaded with no installer and nothing else",
        phone(("com.example.homeapp", AppSpec(installer=None))),
    ),
    Example(
        c.SIGN.id,
        True,
        "an app from F-Droid (information)",
        phone(("org.videolan.vlc", AppSpec(installer="org.fdroid.fdroid"))),
    ),
    Example(
        c.SIGN.id,
        True,
        "a Play Store app with no launcher icon (one sign: information)",
        phone(("com.sync.service", AppSpec(launcher=False))),
    ),
    Example(
        c.SIGN.id,
        False,
        "only data permissions (a single risky right is not an infection)",
        phone(("com.maps.navigator", AppSpec(permissions=("ACCESS_FINE_LOCATION",)))),
    ),
    Example(
        c.SIGN.id,
        False,
        "a preinstalled system app with accessibility and no installer",
        phone(
            ("com.samsung.accessibility", AppSpec(system=True, installer=None, accessibility=True))
        ),
    ),
    Example(
        c.SIGN.id,
        False,
        "no MAIN activity listed at all: a missing icon is not claimed",
        _icon_unknown(),
    ),
)
"""Examples of the per-app rules."""
