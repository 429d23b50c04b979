"""Every weight and threshold of the Android checks, in one place, with the reason for its value.

docs/detection-android.md quotes these; change them here and there together.
"""

from __future__ import annotations

WEIGHT_SIDELOADED = 2
"""Installed from a file, a browser, a computer (adb) or with no installer at all: how stalkerware
is installed (it is not allowed in app stores). ISDi weighs an off-store install 0.8 of a blocklist
hit; here it is worth a data permission twice."""
WEIGHT_OTHER_INSTALLER = 1
"""Installed by an app that is not a known store or installer (it may be a loader app), or from a
store with a lighter review (F-Droid, Aurora...): weaker than a sideload."""
WEIGHT_ACCESS = 3
"""An enabled accessibility service, notification access, device administrator or owner: the
powers stalkerware asks for to read the screen and messages and to resist removal (spytrap-adb
rates accessibility and notification access high; Liu et al. found all of them in 14 apps)."""
WEIGHT_HIDDEN = 2
"""No launcher icon of its own, or hidden: 11 of 14 stalkerware apps hide their icon."""
WEIGHT_DATA = 1
"""Each kind of personal data the app can reach (SMS, call log, location, microphone...)."""
MAX_DATA_WEIGHT = 3
"""Data permissions count at most this much together: messengers and maps reach a lot of data."""
WEIGHT_INSTALLS_APPS = 1
"""Allowed to install other apps (Android 8+ "install unknown apps"): how a sideload happens."""

HIGH_SCORE = 6
"""From this score, with at least one access or hiding sign, an app is a high finding: e.g.
sideloaded (2) + accessibility (3) + reads SMS (1)."""
COMBINATION_SCORE = 4
"""From this score, with at least two signs, an app gets one ``android.app.risky_combination``
finding (medium); below it, one ``android.app.risky_sign`` (low or information)."""
LOW_SCORE = 2
"""From this score a lone sign is low (a sideload, an accessibility service); below it,
information (another store, allowed to install apps)."""

GENERIC_PACKAGE_MAX_LENGTH = 12
"""A listed package name at most this long (``com.fone``, ``com.sa.app``) is too generic to prove,
on its own, which app is installed: the finding says the name alone is weaker evidence."""
GENERIC_PACKAGE_MAX_LAST_LABEL = 8
"""A two-part package name whose last part is at most this long (``com.protect``) is generic."""
DISTINCTIVE_WORDS = ("spy", "track", "keylog", "stalk", "monitor", "snoop")
"""Words that make a short package name distinctive (``com.cocospy`` is not generic)."""

PATCH_MAX_AGE_MONTHS = 6
"""A security patch older than this at the time of the acquisition is reported (MVT uses about
six months too): known holes stay open, including those that rooting tools use."""

MAX_EVIDENCE = 25
"""Evidence lines kept per finding; the rest are summed up in one line."""
MAX_LISTED = 10
"""Items named one by one in a finding's words (files, computers); the rest are counted."""
