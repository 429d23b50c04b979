"""IndicatorIndex: every loaded indicator in lookup tables, built once, immutable, fast.

The index holds no policy: it says what matched and how. Which match is an infection and which
only a visit to a vendor's website is decided in ``detect/``.

An index can be saved and rebuilt without indexing every indicator again: :meth:`to_state`
gives its :class:`~stalkerscan.indicators.index_state.IndexState` and
:meth:`IndicatorIndex.from_state` takes it back (see :mod:`stalkerscan.indicators.index_state`).
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from stalkerscan.indicators.domains import (
    default_platform_suffixes,
    label_suffixes,
    normalise_domain,
)
from stalkerscan.indicators.index_state import (
    NO_COLUMNS,
    IndexState,
    IndicatorColumns,
    Numbers,
    indicator_columns,
)
from stalkerscan.model import (
    Indicator,
    IndicatorKind,
    IndicatorMatch,
    IndicatorSet,
    IndicatorSetInfo,
    MatchHow,
)

_K = IndicatorKind
_FILE_HASHES = (_K.FILE_MD5, _K.FILE_SHA1, _K.FILE_SHA256)
_CERT_HASHES = (_K.CERT_MD5, _K.CERT_SHA1, _K.CERT_SHA256)


def _ip_text(value: str) -> str | None:
    try:
        return ipaddress.ip_address(value.strip().strip("[]")).compressed
    except ValueError:
        return None


def _frozen(table: Mapping[Any, list[int]]) -> dict[Any, Numbers]:
    return {key: tuple(numbers) for key, numbers in table.items()}


class IndicatorIndex:
    """Immutable lookup tables over one or more indicator sets."""

    __slots__ = ("_built", "_cidrs", "_columns", "_exact", "_paths", "platform_suffixes", "sets")

    def __init__(
        self,
        sets: Sequence[IndicatorSet],
        platform_suffixes: Iterable[str] | None = None,
    ) -> None:
        self.sets: tuple[IndicatorSetInfo, ...] = tuple(s.info for s in sets)
        """Provenance of every set in the index, in load order."""
        suffixes = default_platform_suffixes() if platform_suffixes is None else platform_suffixes
        self.platform_suffixes: frozenset[str] = frozenset(normalise_domain(s) for s in suffixes)
        """Shared-hosting suffixes: never matched as a parent of other names."""
        exact: dict[IndicatorKind, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        cidrs: dict[tuple[int, int], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        paths: list[int] = []
        built: list[Indicator | None] = []
        for indicator_set in sets:
            for ind in indicator_set.indicators:
                if self._add(ind, len(built), exact, cidrs, paths):
                    built.append(ind)
        self._set_tables(
            built,
            NO_COLUMNS,
            {kind: _frozen(table) for kind, table in exact.items()},
            {key: _frozen(table) for key, table in cidrs.items()},
            tuple(paths),
        )

    def _set_tables(
        self,
        built: list[Indicator | None],
        columns: IndicatorColumns,
        exact: Mapping[IndicatorKind, Mapping[str, Numbers]],
        cidrs: Mapping[tuple[int, int], Mapping[int, Numbers]],
        paths: Numbers,
    ) -> None:
        self._built = built
        """Indicator number -> the indicator, or None until it is built from :attr:`_columns`."""
        self._columns = columns
        """The indicators' fields, in an index rebuilt from a state (else empty)."""
        self._exact: Mapping[IndicatorKind, Mapping[str, Numbers]] = MappingProxyType(
            {kind: MappingProxyType(table) for kind, table in exact.items()}
        )
        self._cidrs: Mapping[tuple[int, int], Mapping[int, Numbers]] = MappingProxyType(
            {key: MappingProxyType(table) for key, table in cidrs.items()}
        )
        self._paths = paths

    @staticmethod
    def _add(
        ind: Indicator,
        number: int,
        exact: dict[IndicatorKind, dict[str, list[int]]],
        cidrs: dict[tuple[int, int], dict[int, list[int]]],
        paths: list[int],
    ) -> bool:
        """File ``ind`` under ``number``; False when its value cannot be used (not an IP...)."""
        kind = ind.kind
        if kind is _K.CIDR:
            try:
                net = ipaddress.ip_network(ind.value.strip(), strict=False)
            except ValueError:
                return False
            cidrs[(net.version, net.prefixlen)][int(net.network_address)].append(number)
            return True
        if kind is _K.FILE_PATH:
            paths.append(number)
            return True
        if kind in (_K.DOMAIN, _K.DYNDNS_SUFFIX, _K.NAMESERVER, _K.TLD):
            key: str | None = normalise_domain(ind.value).lstrip(".")
        elif kind in (_K.IPV4, _K.IPV6):
            key = _ip_text(ind.value)
        else:
            key = ind.value.strip().lower()
        if key is None:
            return False
        # The value itself when equal (loaders normalise, so it mostly is): one string, not two,
        # in memory and in a saved state.
        exact[kind][ind.value if key == ind.value else key].append(number)
        return True

    # ---- state --------------------------------------------------------------------------------

    def to_state(self) -> IndexState:
        """Everything this index holds, as plain values (see :meth:`from_state`)."""
        return IndexState(
            sets=self.sets,
            platform_suffixes=self.platform_suffixes,
            indicators=indicator_columns(self._indicators(range(len(self._built)))),
            exact={kind: dict(table) for kind, table in self._exact.items()},
            networks={key: dict(table) for key, table in self._cidrs.items()},
            paths=self._paths,
        )

    @classmethod
    def from_state(cls, state: IndexState) -> IndicatorIndex:
        """The index ``state`` was taken from: same sets, same lookups, same results.

        Nothing is indexed again, and an indicator is built only when a lookup returns it.
        """
        index = cls.__new__(cls)
        index.sets = state.sets
        index.platform_suffixes = state.platform_suffixes
        columns = state.indicators
        built: list[Indicator | None] = [None] * len(columns[0])
        index._set_tables(built, columns, state.exact, state.networks, state.paths)
        return index

    def __reduce__(self) -> tuple[Any, tuple[IndexState]]:
        return (IndicatorIndex.from_state, (self.to_state(),))

    def _indicator(self, n: int) -> Indicator:
        ind = self._built[n]
        if ind is None:
            kinds, values, apps, roles, threats, set_names, tags = self._columns
            ind = Indicator(
                kinds[n], values[n], apps[n], roles[n], threats[n], set_names[n], tags[n]
            )
            self._built[n] = ind
        return ind

    def _indicators(self, numbers: Iterable[int]) -> tuple[Indicator, ...]:
        return tuple(map(self._indicator, numbers))

    # ---- counts -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._built)

    def counts(self) -> dict[str, int]:
        """Distinct values per indicator kind."""
        out = {kind.value: len(table) for kind, table in self._exact.items()}
        n_cidr = sum(len(t) for t in self._cidrs.values())
        if n_cidr:
            out[_K.CIDR.value] = n_cidr
        if self._paths:
            out[_K.FILE_PATH.value] = len({p.value for p in self._indicators(self._paths)})
        return dict(sorted(out.items()))

    # ---- lookups ------------------------------------------------------------------------------

    def _get(self, kind: IndicatorKind, value: str) -> tuple[Indicator, ...]:
        table = self._exact.get(kind)
        if table is None:
            return ()
        numbers = table.get(value)
        return self._indicators(numbers) if numbers else ()

    def _exact_matches(
        self, kinds: Iterable[IndicatorKind], value: str
    ) -> tuple[IndicatorMatch, ...]:
        key = value.strip().lower()
        return tuple(
            IndicatorMatch(ind, key, MatchHow.EXACT)
            for kind in kinds
            for ind in self._get(kind, key)
        )

    def match_domain(self, name: str) -> tuple[IndicatorMatch, ...]:
        """Domain indicators for ``name``: the name itself, or a parent on a label boundary.

        ``x.a.copy9.com`` matches ``copy9.com``; ``notcopy9.com`` does not. An indicator that is a
        shared-hosting suffix itself (``firebaseio.com``) matches only that exact name.
        """
        observed = normalise_domain(name)
        if not observed:
            return ()
        out: list[IndicatorMatch] = []
        for suffix in label_suffixes(observed):
            found = self._get(_K.DOMAIN, suffix)
            if not found:
                continue
            if suffix == observed:
                out.extend(IndicatorMatch(i, observed, MatchHow.EXACT) for i in found)
            elif suffix not in self.platform_suffixes:
                out.extend(IndicatorMatch(i, observed, MatchHow.SUBDOMAIN) for i in found)
        return tuple(out)

    def match_dyndns(self, name: str) -> tuple[IndicatorMatch, ...]:
        """Dynamic-DNS zones that ``name`` lies under (strict subdomains only)."""
        observed = normalise_domain(name)
        return tuple(
            IndicatorMatch(i, observed, MatchHow.SUBDOMAIN)
            for suffix in label_suffixes(observed)
            if suffix != observed
            for i in self._get(_K.DYNDNS_SUFFIX, suffix)
        )

    def match_tld(self, name: str) -> tuple[IndicatorMatch, ...]:
        """Suspicious-TLD entries for the last label of ``name``."""
        observed = normalise_domain(name)
        if "." not in observed:
            return ()
        tld = observed.rsplit(".", 1)[1]
        return tuple(
            IndicatorMatch(i, observed, MatchHow.SUBDOMAIN) for i in self._get(_K.TLD, tld)
        )

    def match_ip(self, address: str) -> tuple[IndicatorMatch, ...]:
        """IP indicators equal to ``address``, then CIDR indicators containing it."""
        try:
            ip = ipaddress.ip_address(address.strip().strip("[]"))
        except ValueError:
            return ()
        text = ip.compressed
        kind = _K.IPV4 if ip.version == 4 else _K.IPV6
        out = [IndicatorMatch(i, text, MatchHow.EXACT) for i in self._get(kind, text)]
        if self._cidrs:
            bits = 32 if ip.version == 4 else 128
            value = int(ip)
            for (version, plen), table in self._cidrs.items():
                if version != ip.version:
                    continue
                host_bits = bits - plen
                found = table.get((value >> host_bits) << host_bits)
                if found:
                    out.extend(
                        IndicatorMatch(i, text, MatchHow.NETWORK) for i in self._indicators(found)
                    )
        return tuple(out)

    def match_url(self, url: str) -> tuple[IndicatorMatch, ...]:
        """URL indicators equal to ``url``, then domain indicators for its host."""
        out = list(self._exact_matches((_K.URL,), url.strip()))
        rest = url.strip().split("://", 1)[-1]
        host = rest.split("/", 1)[0].split("@")[-1]
        host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host.strip("[]")
        if _ip_text(host) is not None:
            out.extend(self.match_ip(host))
        elif host:
            out.extend(self.match_domain(host))
        return tuple(out)

    def match_package(self, package: str) -> tuple[IndicatorMatch, ...]:
        """Android package names (and platform-less app ids), case-insensitive."""
        return self._exact_matches((_K.ANDROID_PACKAGE, _K.APP_ID), package)

    def match_bundle(self, bundle_id: str) -> tuple[IndicatorMatch, ...]:
        """iOS bundle ids (and platform-less app ids), case-insensitive."""
        return self._exact_matches((_K.IOS_BUNDLE, _K.APP_ID), bundle_id)

    def match_signing_cert(self, digest: str) -> tuple[IndicatorMatch, ...]:
        """APK signing certificate hashes (MD5, SHA-1 or SHA-256; colons and case ignored)."""
        return self._exact_matches(_CERT_HASHES, digest.replace(":", ""))

    def match_file_hash(self, digest: str) -> tuple[IndicatorMatch, ...]:
        """File (APK) hashes: MD5, SHA-1 or SHA-256, case-insensitive."""
        return self._exact_matches(_FILE_HASHES, digest)

    def match_tls_cert(self, digest: str) -> tuple[IndicatorMatch, ...]:
        """TLS server certificate SHA-1 indicators, and signing-cert hashes of the same value."""
        clean = digest.replace(":", "")
        return self._exact_matches((_K.TLS_CERT_SHA1, *_CERT_HASHES), clean)

    def match_ja3(self, ja3_hash: str) -> tuple[IndicatorMatch, ...]:
        return self._exact_matches((_K.JA3,), ja3_hash)

    def match_ja4(self, ja4: str) -> tuple[IndicatorMatch, ...]:
        return self._exact_matches((_K.JA4,), ja4)

    def match_process(self, name: str) -> tuple[IndicatorMatch, ...]:
        """Process names: exact, or the 15-character kernel truncation of a longer indicator."""
        key = name.strip().lower()
        found = list(self._exact_matches((_K.PROCESS,), key))
        table = self._exact.get(_K.PROCESS, {})
        if len(key) == 15:
            found.extend(
                IndicatorMatch(i, key, MatchHow.EXACT)
                for value, numbers in table.items()
                if len(value) > 15 and value.startswith(key)
                for i in self._indicators(numbers)
            )
        return tuple(found)

    def match_file(self, path: str) -> tuple[IndicatorMatch, ...]:
        """File name indicators for the path's base name, and path indicators it lies under."""
        name = path.rstrip("/").rsplit("/", 1)[-1]
        out = list(self._exact_matches((_K.FILE_NAME,), name))
        low = path.lower()
        out.extend(
            IndicatorMatch(i, path, MatchHow.EXACT)
            for i in self._indicators(self._paths)
            if low.startswith(i.value.lower())
        )
        return tuple(out)

    def match_other(self, kind: IndicatorKind, value: str) -> tuple[IndicatorMatch, ...]:
        """Exact, case-insensitive match for the remaining kinds (email, profile, property...)."""
        return self._exact_matches((kind,), value)

    def lookup(self, value: str) -> tuple[IndicatorMatch, ...]:
        """Everything ``value`` matches, whatever it is: for people asking "what is this?"."""
        text = value.strip()
        if not text:
            return ()
        if "://" in text:
            return self.match_url(text)
        if _ip_text(text) is not None:
            return self.match_ip(text)
        out: list[IndicatorMatch] = []
        clean = text.replace(":", "")
        if len(clean) in (32, 40, 64) and all(c in "0123456789abcdefABCDEF" for c in clean):
            out.extend(self.match_file_hash(clean))
            out.extend(self.match_tls_cert(clean))
            out.extend(self.match_ja3(clean))
        out.extend(self.match_ja4(text))
        if "." in text and " " not in text:
            out.extend(self.match_domain(text))
            out.extend(self.match_package(text))
            out.extend(self.match_bundle(text))
        out.extend(self.match_process(text))
        out.extend(self.match_file(text))
        for kind in (_K.EMAIL, _K.CONFIG_PROFILE, _K.ANDROID_PROPERTY):
            out.extend(self.match_other(kind, text))
        seen: set[tuple[Indicator, str]] = set()
        unique = []
        for m in out:
            if (m.indicator, m.how.value) not in seen:
                seen.add((m.indicator, m.how.value))
                unique.append(m)
        return tuple(unique)
