"""The allowlist: services known to be the phone's platform or its largest apps.

It quiets heuristics only. It never suppresses an indicator match: detectors check indicators
first and consult the allowlist only for their heuristic rules. The packaged list is
``data/allowlist.yaml`` (its header explains each section); an examiner may merge a file of their
own in the same format.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from stalkerscan.indicators.domains import (
    default_platform_suffixes,
    label_suffixes,
    normalise_domain,
)
from stalkerscan.model.errors import InputFormatError, UserError
from stalkerscan.model.packaged import load_yaml, read_packaged_text

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_SECTIONS = ("domains", "networks", "tls_certificates", "apk_certificates")
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class Allowlist:
    """Known-good names, address ranges and certificates, each mapped to its owner."""

    domains: Mapping[str, str]
    """Normalised name -> owner; a name covers its subdomains on a label boundary."""
    networks: tuple[tuple[IpNetwork, str], ...]
    """(range, owner) pairs of the owners' own services."""
    tls_certificates: Mapping[str, str]
    """Lower-case hex SHA-1 of a TLS server certificate -> owner."""
    apk_certificates: Mapping[str, str]
    """Lower-case hex SHA-1 of an APK signing certificate -> owner."""

    def domain_owner(self, name: str) -> str | None:
        """The owner if ``name`` or one of its parents is allowlisted, else None."""
        observed = normalise_domain(name)
        if not observed:
            return None
        for suffix in label_suffixes(observed):
            owner = self.domains.get(suffix)
            if owner is not None:
                return owner
        return None

    def network_owner(self, address: str) -> str | None:
        """The owner if ``address`` lies in an allowlisted range, else None."""
        try:
            ip = ipaddress.ip_address(address.strip().strip("[]"))
        except ValueError:
            return None
        for network, owner in self.networks:
            if ip.version == network.version and ip in network:
                return owner
        return None

    def tls_certificate_owner(self, sha1: str) -> str | None:
        """The owner if the TLS server certificate's SHA-1 is allowlisted."""
        return self.tls_certificates.get(sha1.replace(":", "").strip().lower())

    def apk_certificate_owner(self, sha1: str) -> str | None:
        """The owner if the APK signing certificate's SHA-1 is allowlisted."""
        return self.apk_certificates.get(sha1.replace(":", "").strip().lower())

    def merged(self, other: Allowlist) -> Allowlist:
        """This list plus ``other`` (``other`` wins when both name an owner for the same entry)."""
        return Allowlist(
            domains={**self.domains, **other.domains},
            networks=self.networks + other.networks,
            tls_certificates={**self.tls_certificates, **other.tls_certificates},
            apk_certificates={**self.apk_certificates, **other.apk_certificates},
        )


EMPTY_ALLOWLIST = Allowlist(domains={}, networks=(), tls_certificates={}, apk_certificates={})
"""An allowlist that allows nothing (every heuristic looks everywhere)."""


def _owned_entries(section: str, raw: object, source: str) -> list[tuple[str, str]]:
    """``[entry]`` or ``{owner: [entry]}`` -> [(entry, owner)]."""
    if raw is None:
        return []
    if isinstance(raw, list):
        groups: Iterable[tuple[object, object]] = [("allowlist", raw)]
    elif isinstance(raw, dict):
        groups = raw.items()
    else:
        raise InputFormatError(
            f"{source}: section '{section}' is neither a list nor owner -> list",
            "Write each section as a list of entries, or as a mapping of owner names to lists",
        )
    out: list[tuple[str, str]] = []
    for owner, entries in groups:
        if not isinstance(entries, list):
            raise InputFormatError(
                f"{source}: '{section}' entries of '{owner}' are not a list",
                "Put the entries of each owner in a YAML list ('- entry' lines)",
            )
        out.extend((str(entry).strip(), str(owner)) for entry in entries)
    return out


def _domains(raw: object, source: str, platform: frozenset[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry, owner in _owned_entries("domains", raw, source):
        name = normalise_domain(entry)
        if not name or "." not in name or " " in name:
            raise InputFormatError(
                f"{source}: '{entry}' in 'domains' is not a domain name",
                "Write one DNS name per entry, e.g. 'google.com'",
            )
        if name in platform:
            raise InputFormatError(
                f"{source}: '{name}' is a shared-hosting suffix where anyone can have a name",
                "Allowlist the specific host (e.g. 'fcm.googleapis.com'), never the platform",
            )
        out[name] = owner
    return out


def _networks(raw: object, source: str) -> tuple[tuple[IpNetwork, str], ...]:
    out: list[tuple[IpNetwork, str]] = []
    for entry, owner in _owned_entries("networks", raw, source):
        try:
            out.append((ipaddress.ip_network(entry, strict=False), owner))
        except ValueError as exc:
            raise InputFormatError(
                f"{source}: '{entry}' in 'networks' is not an IP range ({exc})",
                "Write ranges in CIDR notation, e.g. '17.0.0.0/8' or '2a03:2880::/32'",
            ) from exc
    return tuple(out)


def _sha1s(section: str, raw: object, source: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry, owner in _owned_entries(section, raw, source):
        digest = entry.replace(":", "").lower()
        if len(digest) != 40 or not set(digest) <= _HEX:
            raise InputFormatError(
                f"{source}: '{entry}' in '{section}' is not a SHA-1 (40 hex digits)",
                "Write the certificate's SHA-1 fingerprint in hex, with or without colons",
            )
        out[digest] = owner
    return out


def parse_allowlist(
    text: str, source: str, platform_suffixes: frozenset[str] | None = None
) -> Allowlist:
    """Read an allowlist in the ``allowlist.yaml`` format; ``source`` names it in errors."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise InputFormatError(
            f"{source} is not valid YAML ({exc.__class__.__name__})",
            "Check the indentation and quoting of the allowlist file",
        ) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputFormatError(
            f"{source} is not an allowlist (expected a mapping of sections)",
            f"Use the sections {', '.join(_SECTIONS)} as in the packaged allowlist.yaml",
        )
    unknown = sorted(set(map(str, data)) - set(_SECTIONS))
    if unknown:
        raise InputFormatError(
            f"{source}: unknown section(s) {', '.join(unknown)}",
            f"Use only the sections {', '.join(_SECTIONS)}",
        )
    platform = default_platform_suffixes() if platform_suffixes is None else platform_suffixes
    return Allowlist(
        domains=_domains(data.get("domains"), source, platform),
        networks=_networks(data.get("networks"), source),
        tls_certificates=_sha1s("tls_certificates", data.get("tls_certificates"), source),
        apk_certificates=_sha1s("apk_certificates", data.get("apk_certificates"), source),
    )


@cache
def packaged_allowlist() -> Allowlist:
    """The allowlist shipped with stalkerscan (``data/allowlist.yaml``), read once."""
    text = read_packaged_text("data", "allowlist.yaml")
    return parse_allowlist(text, "the packaged allowlist.yaml")


def load_allowlist(path: Path | None = None) -> Allowlist:
    """The packaged allowlist, merged with the examiner's own file at ``path`` if given."""
    base = packaged_allowlist()
    if path is None:
        return base
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise UserError(
            f"the allowlist file {path} does not exist", "Check the path and try again"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(
            f"the allowlist file {path} cannot be read ({exc.__class__.__name__})",
            "Make sure it is a readable UTF-8 text file",
        ) from exc
    return base.merged(parse_allowlist(text, str(path)))
