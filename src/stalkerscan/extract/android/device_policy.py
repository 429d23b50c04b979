"""``dumpsys device_policy``: device admins, device owner and profile owners.

Layout (Android 7 to 15)::

    Current Device Policy Manager state:
      Device Owner:
        admin=ComponentInfo{com.mdm/com.mdm.AdminReceiver}
        package=com.mdm
        User ID: 0
      Profile Owner (User 10):
        admin=ComponentInfo{...}
      Enabled Device Admins (User 0, provisioningState: 3):
        com.app/.AdminReceiver:
          uid=10170
          policies:
            wipe-data
            force-lock

Older phones print ``ComponentInfo{pkg/cls}:`` as the admin line, or ``Active admin:
ComponentInfo{...}``; newer ones nest everything under ``User 0:``. Indentation is read relative to
each header, so both shapes parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stalkerscan.extract.android.common import as_text, parse_int, split_component
from stalkerscan.model.android import AdminRole, DeviceAdmin

_ENABLED = re.compile(r"^\s*Enabled Device Admins \(User (\d+)")
_OWNER = re.compile(r"^\s*(Device Owner|Profile Owner)\b(?:.*?User (\d+))?")
_ACTIVE = re.compile(r"^\s*Active admin:\s*(.*)$")
_ADMIN_LINE = re.compile(r"^\s*(?:ComponentInfo\{)?([A-Za-z][\w.]*/[\w.$]+)\}?:\s*$")
_OWNER_USER = re.compile(r"^\s*User ID:\s*(\d+)")


@dataclass
class _Admin:
    component: str
    package: str
    role: AdminRole
    user: int | None
    indent: int
    uid: int | None = None
    policies: list[str] = field(default_factory=list)
    in_policies: bool = False

    def build(self) -> DeviceAdmin:
        return DeviceAdmin(
            self.component, self.package, self.role, self.user, self.uid, tuple(self.policies)
        )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Reader:
    def __init__(self) -> None:
        self.out: list[DeviceAdmin] = []
        self.admin: _Admin | None = None
        self.owner: tuple[AdminRole, int | None, int] | None = None
        self.enabled: tuple[int, int] | None = None
        self.policy_indent = 0

    def close(self) -> None:
        if self.admin is not None:
            self.out.append(self.admin.build())
        self.admin = None

    def in_admin(self, line: str, indent: int) -> bool:
        admin = self.admin
        if admin is None or indent <= admin.indent:
            return False
        text = line.strip()
        if admin.in_policies and indent > self.policy_indent:
            admin.policies.append(text)
        elif text == "policies:":
            admin.in_policies, self.policy_indent = True, indent
        else:
            admin.in_policies = False
            if text.startswith("uid="):
                admin.uid = parse_int(text[4:])
            elif text.startswith("User ID:"):
                owner_user = _OWNER_USER.match(line)
                admin.user = int(owner_user.group(1)) if owner_user else admin.user
        return True

    def headers(self, line: str, indent: int) -> bool:
        enabled = _ENABLED.match(line)
        owner = _OWNER.match(line)
        if enabled is not None:
            self.close()
            self.enabled, self.owner = (int(enabled.group(1)), indent), None
        elif owner is not None:
            self.close()
            role = (
                AdminRole.DEVICE_OWNER
                if owner.group(1) == "Device Owner"
                else (AdminRole.PROFILE_OWNER)
            )
            user = int(owner.group(2)) if owner.group(2) else None
            self.owner, self.enabled = (role, user, indent), None
        else:
            return False
        return True

    def feed(self, line: str) -> None:
        indent = _indent(line)
        if not line.strip() or self.in_admin(line, indent) or self.headers(line, indent):
            return
        self.close()
        active = _ACTIVE.match(line)
        if active is not None and (split := split_component(active.group(1))) is not None:
            self.out.append(DeviceAdmin(split[0], split[1], AdminRole.ADMIN, None, None, ()))
            return
        if self.owner is not None and indent > self.owner[2]:
            split = split_component(line) if line.strip().startswith("admin=") else None
            if split is not None:
                role, user, _ = self.owner
                self.admin = _Admin(split[0], split[1], role, user, indent - 1)
            return
        self.owner = None
        admin_line = _ADMIN_LINE.match(line)
        if self.enabled is not None and indent > self.enabled[1] and admin_line is not None:
            split = split_component(admin_line.group(1))
            if split is not None:
                self.admin = _Admin(split[0], split[1], AdminRole.ADMIN, self.enabled[0], indent)
            return
        if self.enabled is not None and indent <= self.enabled[1]:
            self.enabled = None


def parse_device_policy(data: str | bytes) -> tuple[DeviceAdmin, ...]:
    """Every device admin, device owner and profile owner in a device_policy section."""
    reader = _Reader()
    for line in as_text(data).splitlines():
        reader.feed(line)
    reader.close()
    return tuple(reader.out)
