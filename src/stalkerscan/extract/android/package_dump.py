"""``dumpsys package``: per-package details (``Packages:``) with permissions and install data.

Each package starts with ``  Package [name] (hash):`` and holds ``key=value`` lines, blocks such as
``requested permissions:`` / ``install permissions:`` (``perm: granted=true``), and one
``User N: ... installed=true hidden=false ...`` line per user, followed by that user's
``runtime permissions:`` block (and, on Android 13+, its ``firstInstallTime``). Unknown lines and
blocks are skipped. ``Hidden system packages:`` (factory copies of updated system apps) ends the
list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stalkerscan.extract.android.common import as_text, local_time, parse_int
from stalkerscan.model.android import PackageDetails, PackageUserState, PermissionGrant

_PACKAGE = re.compile(r"^\s+Package \[([^\]]+)\]")
_USER = re.compile(r"^\s+User (\d+):(.*)$")
_PERM = re.compile(r"^\s+([\w.\-]+)(?::\s*(?:granted=(true|false))?.*)?$")
_BOOL = re.compile(r"\b(installed|hidden|suspended|stopped)=(true|false)")
_ENABLED = re.compile(r"\benabled=(\d+)")
_KEYS = ("requested permissions", "install permissions", "runtime permissions")


@dataclass
class _Package:
    name: str
    values: dict[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    requested: list[str] = field(default_factory=list)
    grants: list[PermissionGrant] = field(default_factory=list)
    users: list[PackageUserState] = field(default_factory=list)

    def build(self) -> PackageDetails:
        v = self.values
        installer = v.get("installerPackageName")
        return PackageDetails(
            name=self.name,
            uid=parse_int(v.get("userId", v.get("appId"))),
            version_code=parse_int(v.get("versionCode")),
            version_name=v.get("versionName"),
            installer=None if installer in (None, "", "null") else installer,
            code_path=v.get("codePath"),
            flags=self.flags,
            first_install_time=local_time(v.get("firstInstallTime", "")),
            last_update_time=local_time(v.get("lastUpdateTime", "")),
            requested_permissions=tuple(self.requested),
            permissions=tuple(self.grants),
            users=tuple(self.users),
        )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _user_state(user: int, rest: str) -> PackageUserState:
    flags = {m.group(1): m.group(2) == "true" for m in _BOOL.finditer(rest)}
    enabled = _ENABLED.search(rest)
    return PackageUserState(
        user=user,
        installed=flags.get("installed"),
        hidden=flags.get("hidden"),
        suspended=flags.get("suspended"),
        stopped=flags.get("stopped"),
        enabled=int(enabled.group(1)) if enabled else None,
        first_install_time=None,
    )


def _key_values(pkg: _Package, text: str) -> None:
    if text.startswith("flags=["):
        pkg.flags = tuple(text[len("flags=[") :].rstrip("]").split())
        return
    if text.startswith(("firstInstallTime=", "lastUpdateTime=", "timeStamp=", "codePath=")):
        key, _, value = text.partition("=")
        pkg.values.setdefault(key, value.strip())
        return
    if text.startswith("versionName="):
        pkg.values["versionName"] = text.partition("=")[2].strip()
        return
    for match in re.finditer(r"(\w+)=(\S+)", text):
        pkg.values.setdefault(match.group(1), match.group(2))


class _Reader:
    """Line-by-line state of the ``Packages:`` list."""

    def __init__(self) -> None:
        self.done: list[PackageDetails] = []
        self.pkg: _Package | None = None
        self.block: str | None = None
        self.block_indent = 0
        self.user: int | None = None

    def close(self) -> None:
        if self.pkg is not None:
            self.done.append(self.pkg.build())
        self.pkg = None

    def permission(self, pkg: _Package, line: str) -> None:
        match = _PERM.match(line)
        if match is None:
            return
        name = match.group(1)
        if self.block == "requested permissions":
            pkg.requested.append(name)
        elif match.group(2) is not None:
            runtime = self.block == "runtime permissions"
            user = self.user if runtime else None
            pkg.grants.append(PermissionGrant(name, match.group(2) == "true", runtime, user))

    def user_line(self, pkg: _Package, user: int, rest: str) -> None:
        self.user = user
        pkg.users.append(_user_state(user, rest))

    def user_value(self, pkg: _Package, text: str) -> None:
        if text.startswith("firstInstallTime=") and pkg.users:
            last = pkg.users[-1]
            first = local_time(text)
            pkg.users[-1] = PackageUserState(
                last.user, last.installed, last.hidden, last.suspended, last.stopped,
                last.enabled, first,
            )  # fmt: skip
            pkg.values.setdefault("firstInstallTime", text.partition("=")[2])

    def feed(self, line: str) -> None:
        header = _PACKAGE.match(line)
        if header is not None:
            self.close()
            self.pkg, self.block, self.user = _Package(header.group(1)), None, None
            return
        pkg = self.pkg
        if pkg is None or not line.strip():
            return
        indent, text = _indent(line), line.strip()
        if self.block is not None and indent > self.block_indent:
            self.permission(pkg, line)
            return
        self.block = None
        user = _USER.match(line)
        if user is not None:
            self.user_line(pkg, int(user.group(1)), user.group(2))
        elif text.rstrip(":") in _KEYS and text.endswith(":"):
            self.block, self.block_indent = text.rstrip(":"), indent
        elif self.user is not None and indent >= 6:
            self.user_value(pkg, text)
        elif "=" in text:
            self.user = None
            _key_values(pkg, text)


def parse_package_details(data: str | bytes) -> tuple[PackageDetails, ...]:
    """Every package of the ``Packages:`` list of a dumpsys package section."""
    reader = _Reader()
    inside = False
    for line in as_text(data).splitlines():
        if line.startswith("Packages:"):
            inside = True
            continue
        if inside and line.strip() and not line.startswith(" "):
            reader.close()
            inside = line.startswith("Packages:")
            continue
        if inside:
            reader.feed(line)
    reader.close()
    return tuple(reader.done)
