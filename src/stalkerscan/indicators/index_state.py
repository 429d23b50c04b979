"""IndexState: everything an :class:`~stalkerscan.indicators.index.IndicatorIndex` holds, as plain
values (tuples, dicts, strings, numbers and the indicator enums), to save an index and rebuild it
without indexing every indicator again.

:meth:`IndicatorIndex.to_state <stalkerscan.indicators.index.IndicatorIndex.to_state>` gives a
state and :meth:`IndicatorIndex.from_state <stalkerscan.indicators.index.IndicatorIndex.from_state>`
takes it back. The indicators are kept as columns of fields rather than as :class:`Indicator`
objects: a rebuilt index builds an indicator only when a lookup returns it, so reading a saved
index back costs about what reading its plain values costs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from stalkerscan.model import Indicator, IndicatorKind, IndicatorSetInfo, Role, Threat

IndicatorColumns = tuple[
    tuple[IndicatorKind, ...],
    tuple[str, ...],
    tuple[str | None, ...],
    tuple[Role, ...],
    tuple[Threat, ...],
    tuple[str, ...],
    tuple[tuple[str, ...], ...],
]
"""Indicators field by field, in :class:`Indicator` field order (kind, value, app, role, threat,
set name, tags): ``columns[f][n]`` is field ``f`` of indicator ``n``."""
NO_COLUMNS: IndicatorColumns = ((), (), (), (), (), (), ())
"""The columns of no indicators."""
Numbers = tuple[int, ...]
"""Positions of indicators in the index (see :attr:`IndexState.indicators`)."""


@dataclass(frozen=True, slots=True)
class IndexState:
    """Everything an :class:`~stalkerscan.indicators.index.IndicatorIndex` holds, as plain
    values, to save it and rebuild it.

    The mappings are used as they are by ``IndicatorIndex.from_state``, not copied: a state
    must not be changed once an index is built from it.
    """

    sets: tuple[IndicatorSetInfo, ...]
    """Provenance of every set in the index, in load order."""
    platform_suffixes: frozenset[str]
    """Shared-hosting suffixes: never matched as a parent of other names."""
    indicators: IndicatorColumns
    """Every indexed indicator in load order, as columns; its position is its number."""
    exact: Mapping[IndicatorKind, Mapping[str, Numbers]]
    """Per kind (all but CIDR and file path): normalised value -> numbers of its indicators."""
    networks: Mapping[tuple[int, int], Mapping[int, Numbers]]
    """Per (IP version, prefix length): network address as an integer -> indicator numbers."""
    paths: Numbers
    """Numbers of the file path indicators, in load order."""


def indicator_columns(indicators: Sequence[Indicator]) -> IndicatorColumns:
    """``indicators`` as columns of fields (see :data:`IndicatorColumns`)."""
    return (
        tuple(i.kind for i in indicators),
        tuple(i.value for i in indicators),
        tuple(i.app for i in indicators),
        tuple(i.role for i in indicators),
        tuple(i.threat for i in indicators),
        tuple(i.set_name for i in indicators),
        tuple(i.tags for i in indicators),
    )
