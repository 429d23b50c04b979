"""``getprop``: system properties, ``[name]: [value]`` per line (androidqf ``getprop.txt``, the
bugreport's ``SYSTEM PROPERTIES`` section). A value may span lines until its closing bracket."""

from __future__ import annotations

import re

from stalkerscan.extract.android.common import as_text, parse_int
from stalkerscan.model.android import DeviceInfo, Property

_PROP = re.compile(r"^\[([^\]]+)\]:\s*\[(.*)$")


def parse_getprop(data: str | bytes) -> tuple[Property, ...]:
    """Every property, in order; lines that are not properties are skipped."""
    out: list[Property] = []
    pending: tuple[str, list[str]] | None = None
    for line in as_text(data).splitlines():
        if pending is not None:
            name, parts = pending
            if line.endswith("]"):
                parts.append(line[:-1])
                out.append(Property(name, "\n".join(parts)))
                pending = None
            else:
                parts.append(line)
            continue
        match = _PROP.match(line.strip())
        if match is None:
            continue
        rest = match.group(2)
        if rest.endswith("]"):
            out.append(Property(match.group(1), rest[:-1]))
        else:
            pending = (match.group(1), [rest])
    return tuple(out)


def device_info(properties: tuple[Property, ...]) -> DeviceInfo:
    """Who the phone is, from its properties (vendor ones when the ro.product ones are empty)."""
    props: dict[str, str] = {}
    for prop in properties:
        props.setdefault(prop.name, prop.value)

    def first(*names: str) -> str | None:
        for name in names:
            if props.get(name):
                return props[name]
        return None

    return DeviceInfo(
        manufacturer=first("ro.product.manufacturer", "ro.product.vendor.manufacturer"),
        model=first("ro.product.model", "ro.product.vendor.model"),
        android_version=first("ro.build.version.release", "ro.build.version.release_or_codename"),
        sdk=parse_int(first("ro.build.version.sdk")),
        security_patch=first("ro.build.version.security_patch"),
        build_fingerprint=first("ro.build.fingerprint", "ro.vendor.build.fingerprint"),
        timezone=first("persist.sys.timezone"),
    )
