"""Mounted file systems: androidqf ``mounts.json`` (a JSON list of raw lines from ``mount`` and
``/proc/mounts``) or plain text lines. Both line shapes are read:

* ``/dev/block/dm-0 on /system type ext4 (ro,seclabel,relatime)`` (``mount``);
* ``/dev/block/dm-0 /system ext4 ro,seclabel,relatime 0 0`` (``/proc/mounts``).

The same mount seen both ways is kept once.
"""

from __future__ import annotations

import json
import re

from stalkerscan.extract.android.common import as_text
from stalkerscan.model.android import Mount

_MOUNT_CMD = re.compile(r"^(\S+) on (\S+) type (\S+) \(([^)]*)\)")
_PROC = re.compile(r"^(\S+) (/\S*) (\S+) (\S+)(?: \d+ \d+)?\s*$")


def _line(line: str) -> Mount | None:
    match = _MOUNT_CMD.match(line.strip()) or _PROC.match(line.strip())
    if match is None:
        return None
    options = tuple(o for o in match.group(4).split(",") if o)
    return Mount(match.group(1), match.group(2), match.group(3), options, "rw" in options)


def _lines(text: str) -> list[str]:
    if text.startswith("["):
        try:
            raw = json.loads(text)
        except json.JSONDecodeError:
            return text.splitlines()
        if isinstance(raw, list):
            return [line for item in raw if isinstance(item, str) for line in item.splitlines()]
    return text.splitlines()


def parse_mounts(data: str | bytes) -> tuple[Mount, ...]:
    """Every mount line that could be read, without duplicates."""
    out: dict[tuple[str, str, tuple[str, ...]], Mount] = {}
    for line in _lines(as_text(data).strip()):
        mount = _line(line)
        if mount is not None:
            out.setdefault((mount.device, mount.mount_point, mount.options), mount)
    return tuple(out.values())
