"""The on-disk form of an indicator cache entry, and the restricted unpickler that reads it.

An entry is::

    b"stalkerscan indicator cache\\n"   magic
    2 bytes                            CACHE_FORMAT, big-endian
    32 bytes                           the entry's key (a SHA-256)
    32 bytes                           SHA-256 of the payload
    payload                            a pickle (protocol 5) of an IndexState

The unpickler builds nothing but the index state and what it holds (the indicator enums and
set provenance), besides pickle's own tuples, lists, dicts, sets, strings and numbers: an
entry naming any other class or function is unreadable. See :mod:`.indicator_cache` for why
pickles are trusted this far and no further.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import operator
import pickle
from collections.abc import Callable
from typing import Any

from stalkerscan.indicators.index_state import IndexState
from stalkerscan.model import IndicatorKind, IndicatorSetInfo, Role, Threat
from stalkerscan.model.collector import collector_paused

CACHE_FORMAT = 2
"""Version of the entry layout and of what goes into the key; bump it when either changes."""

_MAGIC = b"stalkerscan indicator cache\n"
_HEADER = len(_MAGIC) + 2 + 32 + 32  # magic, format, key, SHA-256 of the payload
_ALLOWED = frozenset(
    (t.__module__, t.__qualname__)
    for t in (IndexState, IndicatorSetInfo, IndicatorKind, Role, Threat)
)


def _reducer(cls: type[Any]) -> Callable[[Any], tuple[type[Any], tuple[Any, ...]]]:
    """Pickle a frozen dataclass as a constructor call: about twice as fast to read back as the
    default, which restores each object through ``dataclasses.fields``."""
    names = [f.name for f in dataclasses.fields(cls)]
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (cls, (get(obj),))
    return lambda obj: (cls, get(obj))


_DISPATCH = {cls: _reducer(cls) for cls in (IndicatorSetInfo, IndexState)}


class _StateUnpickler(pickle.Unpickler):
    """Builds only the index state and what it holds; any other global makes the entry
    unreadable."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in an indicator cache")
        return super().find_class(module, name)


def encode_entry(key: str, state: IndexState) -> bytes:
    """The entry holding ``state`` under ``key`` (a SHA-256 in hex); raises
    ``pickle.PicklingError`` when the state holds something that cannot be pickled."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.dispatch_table = _DISPATCH  # type: ignore[assignment]  # typeshed: Mapping[type, ...]
    pickler.dump(state)
    payload = out.getvalue()
    header = _MAGIC + CACHE_FORMAT.to_bytes(2, "big") + bytes.fromhex(key)
    return header + hashlib.sha256(payload).digest() + payload


def parse_entry(blob: bytes, key: str) -> IndexState | None:
    """The index state ``blob`` holds, or None unless it is whole, of this format, for this key
    and holds an index state built from the allowed types only."""
    if len(blob) < _HEADER or not blob.startswith(_MAGIC):
        return None
    at = len(_MAGIC)
    version, stored_key = blob[at : at + 2], blob[at + 2 : at + 34]
    checksum, payload = blob[at + 34 : _HEADER], blob[_HEADER:]
    if version != CACHE_FORMAT.to_bytes(2, "big") or stored_key != bytes.fromhex(key):
        return None
    if hashlib.sha256(payload).digest() != checksum:
        return None
    value = _loads(payload)
    return value if isinstance(value, IndexState) else None


def _loads(payload: bytes) -> object:
    """What the payload holds, or None when it cannot be read.

    The cyclic garbage collector is paused meanwhile: the tens of thousands of tuples of an
    index would otherwise set it off again and again, for a third of the time, to find nothing
    (a payload holds no cycles).
    """
    try:
        with collector_paused():
            return _StateUnpickler(io.BytesIO(payload)).load()
    except Exception:  # an unreadable pickle raises almost anything; the entry is just ignored
        return None
