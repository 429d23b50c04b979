"""``dumpsys accessibility``: installed, enabled, bound, binding and crashed accessibility services.

Two layouts exist (MVT issue #634 and its test files):

* up to Android 13: ``installed services: {`` then ``  0 : pkg/class`` lines, closing ``}``, then
  ``enabled services: {`` ... (one block per list);
* Android 14 and later: one line per list, ``Enabled services:{{pkg/class}, {pkg/class}}``,
  ``Binding services:{}``, ``Crashed services:{}``; ``Bound services:{Service[label=...]}`` names
  no component, and installed services are only counted.

Both are read by finding each ``<list> services`` header and collecting the components up to its
matching closing brace, whatever the line breaks. ``Registered clients`` lists are not services and
are ignored. The secure setting ``enabled_accessibility_services`` is a second source of enabled
services (``pkg/class:pkg/class``).
"""

from __future__ import annotations

import re

from stalkerscan.extract.android.common import as_text, components
from stalkerscan.model.android import AccessibilityService, AccessibilityState, SettingsEntry

_HEADER = re.compile(
    r"\b(installed|enabled|bound|binding|crashed) services\s*:\s*\{", re.IGNORECASE
)
_USER = re.compile(r"User state\s*\[\s*(?:attributes:)?\s*\{?\s*id=(\d+)")
SOURCE_DUMPSYS = "dumpsys accessibility"
SOURCE_SETTINGS = "settings secure enabled_accessibility_services"


def _block(text: str, start: int, end: int) -> str:
    """The text from ``start`` (after an opening brace) to its closing brace, at most to ``end``."""
    depth = 1
    for pos in range(start, end):
        char = text[pos]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start:pos]
    return text[start:end]


def _user_at(users: list[tuple[int, int]], pos: int) -> int | None:
    user = None
    for at, uid in users:
        if at > pos:
            break
        user = uid
    return user


def parse_accessibility(data: str | bytes) -> tuple[AccessibilityService, ...]:
    """Every accessibility service listed, once per (component, list, user)."""
    text = as_text(data)
    users = [(m.start(), int(m.group(1))) for m in _USER.finditer(text)]
    seen: set[tuple[str, AccessibilityState, int | None]] = set()
    out: list[AccessibilityService] = []
    headers = list(_HEADER.finditer(text))
    for index, header in enumerate(headers):
        state = AccessibilityState(header.group(1).lower())
        user = _user_at(users, header.start())
        end = headers[index + 1].start() if index + 1 < len(headers) else len(text)
        for component, package in components(_block(text, header.end(), end)):
            key = (component, state, user)
            if key in seen:
                continue
            seen.add(key)
            out.append(AccessibilityService(component, package, state, user, SOURCE_DUMPSYS))
    return tuple(out)


def accessibility_from_settings(
    settings: tuple[SettingsEntry, ...],
) -> tuple[AccessibilityService, ...]:
    """Enabled services named by the secure setting ``enabled_accessibility_services``."""
    out: list[AccessibilityService] = []
    for entry in settings:
        if entry.namespace != "secure" or entry.key != "enabled_accessibility_services":
            continue
        for component, package in components(entry.value or ""):
            out.append(
                AccessibilityService(
                    component, package, AccessibilityState.ENABLED, entry.user, SOURCE_SETTINGS
                )
            )
    return tuple(out)
