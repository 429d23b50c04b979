"""``dumpsys appops``: app-op modes per uid and package, with recorded accesses and rejections.

Layout::

      Uid u0a110:
        state=cch
          COARSE_LOCATION: mode=ignore                 <- op set on the whole uid
        Package org.fdroid.fdroid:
          REQUEST_INSTALL_PACKAGES (allow):           <- op of the package
              Access: [top-s] 2022-02-02 23:20:13.096 (-14h43m52s765ms)
              Reject: [fg-s]2021-05-19 22:02:52.054 (-314d1h25m2s33ms)

Android 11+ writes the op line as ``OP (allow / switch X=allow):``.

It may also nest events under attribution tags (``null=[`` ... ``]``); events always attach to
the op above them. The ``Op mode watchers`` lists before the first ``Uid`` are not modes and are
skipped. Event times are the phone's local time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stalkerscan.extract.android.common import as_text, local_time
from stalkerscan.model.android import AppOp, AppOpEvent

_UID = re.compile(r"^\s{0,4}Uid (\S+?):\s*$")
_PACKAGE = re.compile(r"^\s+Package (\S+?):\s*$")
_UID_OP = re.compile(r"^\s+([A-Z][A-Z0-9_]+): mode=(\w+)")
_PKG_OP = re.compile(r"^\s+([A-Z][A-Z0-9_]+) \((\w+)[^)]*\):\s*$")
_EVENT = re.compile(
    r"^\s+(Access|Reject):\s*(?:\[([^\]]*)\])?\s*(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)"
    r"(?:.*?duration=(\S+))?"
)


@dataclass
class _Op:
    uid: str
    package: str | None
    op: str
    mode: str
    events: list[AppOpEvent] = field(default_factory=list)

    def build(self) -> AppOp:
        return AppOp(self.uid, self.package, self.op, self.mode, tuple(self.events))


def _event(match: re.Match[str]) -> AppOpEvent | None:
    time = local_time(match.group(3))
    if time is None:
        return None
    return AppOpEvent(match.group(1).lower(), time, match.group(2) or None, match.group(4))


def parse_appops(data: str | bytes) -> tuple[AppOp, ...]:
    """Every op mode of every uid and package, in order, with its events."""
    ops: list[_Op] = []
    uid: str | None = None
    package: str | None = None
    current: _Op | None = None
    for line in as_text(data).splitlines():
        if not line.strip():
            continue
        uid_match = _UID.match(line)
        if uid_match is not None:
            uid, package, current = uid_match.group(1), None, None
            continue
        if len(line) - len(line.lstrip(" ")) <= 2:
            uid, package, current = None, None, None
            continue
        if uid is None:
            continue
        if (match := _PACKAGE.match(line)) is not None:
            package, current = match.group(1), None
        elif (match := _UID_OP.match(line)) is not None:
            current = _Op(uid, None, match.group(1), match.group(2))
            ops.append(current)
        elif (match := _PKG_OP.match(line)) is not None:
            current = _Op(uid, package, match.group(1), match.group(2))
            ops.append(current)
        elif (match := _EVENT.match(line)) is not None and current is not None:
            event = _event(match)
            if event is not None:
                current.events.append(event)
    return tuple(op.build() for op in ops)
