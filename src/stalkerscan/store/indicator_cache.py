"""A cache of loaded indicators, so a scan does not parse and index the same files again.

A scan's :class:`~stalkerscan.indicators.index.IndicatorIndex` is kept as its
:class:`~stalkerscan.indicators.index_state.IndexState` (:func:`load_paths_index`,
``installed_index``): parsing and indexing the Echap folder takes about 0.08 s, reading its index
back about 0.003 s, as the index builds an indicator only when a lookup returns it. Loaded sets
can be kept too (:func:`load_path_cached`, ``installed_sets``). The cache lives in the user
cache folder (``~/.cache/stalkerscan/indicator-cache/`` on Linux,
``$STALKERSCAN_HOME/cache/indicator-cache/`` when that is set). ``STALKERSCAN_NO_CACHE=1`` turns
it off: nothing is read or written (for a forensic run that must write nothing else).

An entry is found by its **content key**, never by file dates: a SHA-256 over the cache format,
the stalkerscan version, the source code of the loaders and the index, what the load was asked
for (the path as given, the set name, the Echap flag) and, for every file the load reads
(:func:`stalkerscan.indicators.load.plan_load`), its relative name and the SHA-256 of its bytes.
An index's key covers the keys of its sources in load order (A then B is not B then A). A
changed byte is a different key, so a stale entry is never used, just left to be pruned. The key
is computed again after a fresh load, and the result saved only if nothing changed meanwhile.

The cache must never fail a load: a missing, corrupt, truncated, foreign or unreadable entry is
ignored (and replaced by the next fresh load), and a folder that cannot be written means the
load works uncached. At most :data:`KEEP` entries are kept, the least recently used go first.

Entries are pickles. Unpickling runs what the file says, so the cache is only as trustworthy as
the folder it is in: it is the user's own folder (created 0o700, files 0o600), the same trust as
the installed indicator files beside it, which decide what a scan reports anyway. As a second
line, entries are read only from a folder and files owned by the user and not writable by
others, each entry carries a SHA-256 of its payload, and the unpickler builds nothing but the
indicator types of ``stalkerscan.model.indicator`` and the index state (besides pickle's own
tuples, lists, dicts, sets, strings and numbers).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import io
import operator
import os
import pickle
import stat
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeGuard, TypeVar

import stalkerscan
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.index_state import IndexState
from stalkerscan.indicators.load import LoadPlan, load_path, plan_load
from stalkerscan.model import (
    Indicator,
    IndicatorKind,
    IndicatorSet,
    IndicatorSetInfo,
    Role,
    SkippedEntry,
    Threat,
)
from stalkerscan.model.errors import UserError
from stalkerscan.store.locations import user_cache_dir

CACHE_FORMAT = 2
"""Version of the entry layout and of what goes into the key; bump it when either changes."""
KEEP = 8
"""How many entries are kept; the least recently used beyond that are deleted."""
FOLDER_NAME = "indicator-cache"
"""The cache's folder inside the user cache folder."""
DISABLE_VARIABLE = "STALKERSCAN_NO_CACHE"
"""Set to 1 to neither read nor write the cache."""

_MAGIC = b"stalkerscan indicator cache\n"
_HEADER = len(_MAGIC) + 2 + 32 + 32  # magic, format, key, SHA-256 of the payload
_SUFFIX = ".entry"
_STALE_TEMP_SECONDS = 3600.0
_MODEL_TYPES: tuple[type[Any], ...] = (
    Indicator,
    IndicatorKind,
    IndicatorSet,
    IndicatorSetInfo,
    Role,
    SkippedEntry,
    Threat,
    IndexState,
)
_ALLOWED = frozenset((t.__module__, t.__qualname__) for t in _MODEL_TYPES)
_CAUGHT = (OSError, ValueError, UserError)
"""What computing a key or writing an entry may raise; the load then goes on uncached."""
_T = TypeVar("_T")


def cache_disabled() -> bool:
    """True when ``STALKERSCAN_NO_CACHE`` is set to anything but empty or ``0``."""
    return os.environ.get(DISABLE_VARIABLE, "") not in ("", "0")


# ---- the key ----------------------------------------------------------------------------------


@functools.cache
def code_fingerprint() -> str:
    """SHA-256 over the source of the loaders, the index and the indicator types, and over the
    packaged shared-hosting suffixes an index keeps, read once per process.

    A released version is covered by its version number; this also covers a development
    checkout, whose version stays the same while the loaders change.
    """
    package = Path(stalkerscan.__file__).parent
    sources = sorted((package / "indicators").glob("*.py"))
    sources += [package / "model" / "indicator.py", package / "data" / "platform_suffixes.txt"]
    digest = hashlib.sha256()
    for source in sources:
        try:
            data = source.read_bytes()
        except OSError:
            data = b""  # an install without sources: the version number alone decides
        digest.update(f"{source.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


class CacheKey:
    """A content key under construction: labelled, length-prefixed parts hashed with SHA-256."""

    def __init__(self, purpose: str) -> None:
        self._digest = hashlib.sha256()
        self.add_text("format", str(CACHE_FORMAT))
        self.add_text("version", stalkerscan.__version__)
        self.add_text("code", code_fingerprint())
        self.add_text("purpose", purpose)

    def add_text(self, label: str, text: str) -> None:
        """Add one labelled text."""
        for part in (label.encode(), text.encode("utf-8", "surrogateescape")):
            self._digest.update(len(part).to_bytes(8, "big"))
            self._digest.update(part)

    def add_bytes(self, label: str, data: bytes) -> None:
        """Add bytes by their label and their SHA-256."""
        self.add_text(label, hashlib.sha256(data).hexdigest())

    def add_file(self, label: str, path: Path) -> None:
        """Add a file by its label and the SHA-256 of its bytes."""
        self.add_bytes(label, path.read_bytes())

    def add_plan(self, plan: LoadPlan, name: str | None) -> None:
        """Add everything a planned load depends on: the request and every file it reads."""
        self.add_text("path", str(plan.path))
        self.add_text("name", name or "")
        self.add_text("layout", f"{plan.folder} {plan.echap_folder} {plan.echap}")
        for file in plan.files:
            relative = file.relative_to(plan.path).as_posix() if plan.folder else file.name
            self.add_file(f"file {relative}", file)

    def hexdigest(self) -> str:
        """The key."""
        return self._digest.hexdigest()


# ---- entries ----------------------------------------------------------------------------------


def _reducer(cls: type[Any]) -> Callable[[Any], tuple[type[Any], tuple[Any, ...]]]:
    """Pickle a frozen dataclass as a constructor call: about twice as fast to read back as the
    default, which restores each object through ``dataclasses.fields``."""
    names = [f.name for f in dataclasses.fields(cls)]
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (cls, (get(obj),))
    return lambda obj: (cls, get(obj))


_DISPATCH = {
    cls: _reducer(cls)
    for cls in (Indicator, SkippedEntry, IndicatorSetInfo, IndicatorSet, IndexState)
}


class _SetUnpickler(pickle.Unpickler):
    """Builds only the indicator types and the index state; any other global in an entry makes
    it unreadable."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in an indicator cache")
        return super().find_class(module, name)


def _dumps(value: list[IndicatorSet] | IndexState) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.dispatch_table = _DISPATCH  # type: ignore[assignment]  # typeshed: Mapping[type, ...]
    pickler.dump(value)
    return out.getvalue()


def _loads(payload: bytes) -> object:
    """What the payload holds, or None when it cannot be read.

    The cyclic garbage collector is paused meanwhile: the tens of thousands of tuples of an
    index would otherwise set it off again and again, for a third of the time, to find nothing
    (a payload holds no cycles).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _SetUnpickler(io.BytesIO(payload)).load()
    except Exception:  # an unreadable pickle raises almost anything; the entry is just ignored
        return None
    finally:
        if paused:
            gc.enable()


def _is_sets(value: object) -> TypeGuard[list[IndicatorSet]]:
    return isinstance(value, list) and all(isinstance(s, IndicatorSet) for s in value)


def _is_index_state(value: object) -> TypeGuard[IndexState]:
    return isinstance(value, IndexState)


def _parse_entry(blob: bytes, key: str) -> object:
    """What an entry holds, or None unless it is whole, of this format and for this key."""
    if len(blob) < _HEADER or not blob.startswith(_MAGIC):
        return None
    at = len(_MAGIC)
    version, stored_key = blob[at : at + 2], blob[at + 2 : at + 34]
    checksum, payload = blob[at + 34 : _HEADER], blob[_HEADER:]
    if version != CACHE_FORMAT.to_bytes(2, "big") or stored_key != bytes.fromhex(key):
        return None
    if hashlib.sha256(payload).digest() != checksum:
        return None
    return _loads(payload)


def _touch(path: Path) -> None:
    """Mark an entry as just used, for pruning. The time is set explicitly because file times
    set by the system are coarse (a few milliseconds) and would tie."""
    now = time.time_ns()
    os.utime(path, ns=(now, now))


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (always true where there are no uids)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    return st.st_uid == getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class IndicatorCache:
    """The cache folder: entries named by their key, read back only when whole and intact."""

    def __init__(self, folder: Path, keep: int = KEEP) -> None:
        self.folder = folder
        """Where the entries are."""
        self.keep = keep
        """How many entries are kept."""

    def entries(self) -> list[Path]:
        """The entries, most recently used first."""
        try:
            found = [(p.stat().st_mtime_ns, p) for p in self.folder.glob(f"*{_SUFFIX}")]
        except OSError:
            return []
        return [p for _, p in sorted(found, key=lambda item: item[0], reverse=True)]

    def read(self, key: str) -> list[IndicatorSet] | None:
        """The sets saved under ``key``, or None for a missing or unusable entry."""
        return self._read(key, _is_sets)

    def read_index(self, key: str) -> IndicatorIndex | None:
        """The index saved under ``key``, or None for a missing or unusable entry."""
        state = self._read(key, _is_index_state)
        return None if state is None else IndicatorIndex.from_state(state)

    def write(self, key: str, sets: Sequence[IndicatorSet]) -> None:
        """Save ``sets`` under ``key``; raises OSError when the folder cannot be written."""
        self._write(key, _dumps(list(sets)))

    def write_index(self, key: str, index: IndicatorIndex) -> None:
        """Save ``index`` under ``key``; raises OSError when the folder cannot be written."""
        self._write(key, _dumps(index.to_state()))

    def _read(self, key: str, wanted: Callable[[object], TypeGuard[_T]]) -> _T | None:
        """The value saved under ``key`` if it is a ``wanted`` one; the entry is then marked as
        just used."""
        path = self.folder / f"{key}{_SUFFIX}"
        try:
            if not _private(self.folder.stat()):
                return None
            with path.open("rb") as file:
                if not _private(os.fstat(file.fileno())):
                    return None
                blob = file.read()
        except OSError:
            return None
        value = _parse_entry(blob, key)
        if not wanted(value):
            return None
        with contextlib.suppress(OSError):
            _touch(path)
        return value

    def _write(self, key: str, payload: bytes) -> None:
        """Save ``payload`` under ``key`` (temporary file, then ``os.replace``) and prune."""
        import tempfile  # noqa: PLC0415  (only a fresh load writes)

        header = _MAGIC + CACHE_FORMAT.to_bytes(2, "big") + bytes.fromhex(key)
        blob = header + hashlib.sha256(payload).digest() + payload
        if not self._make_folder():
            return
        handle, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.folder)  # 0o600
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(blob)
            _touch(Path(temp))
            Path(temp).replace(self.folder / f"{key}{_SUFFIX}")
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self.prune()

    def _make_folder(self) -> bool:
        """Create the folder (and its parent) 0o700; False if it is not private to the user,
        since its entries would never be read."""
        for folder in (self.folder.parent, self.folder):
            try:
                folder.mkdir(mode=0o700, parents=True)
            except FileExistsError:
                continue
            folder.chmod(0o700)  # mkdir's mode is reduced by the umask
        return _private(self.folder.stat())

    def prune(self) -> None:
        """Delete the entries beyond :attr:`keep`, and temporary files left by a crash."""
        for old in self.entries()[self.keep :]:
            old.unlink(missing_ok=True)
        now = time.time()
        for temp in self.folder.glob(".*.tmp"):
            try:
                if now - temp.stat().st_mtime > _STALE_TEMP_SECONDS:
                    temp.unlink()
            except OSError:
                continue


def default_cache() -> IndicatorCache | None:
    """The user's cache, or None when ``STALKERSCAN_NO_CACHE`` turns it off."""
    if cache_disabled():
        return None
    return IndicatorCache(user_cache_dir() / FOLDER_NAME)


def _through_cache(
    key_of: Callable[[], str],
    build: Callable[[], _T],
    read: Callable[[str], _T | None],
    write: Callable[[str, _T], None],
) -> _T:
    """``build()``, or what ``read`` gives for its key; a fresh result is saved with ``write``
    only if the key is the same after the build (no input changed meanwhile)."""
    try:
        key = key_of()
    except _CAUGHT:
        return build()
    hit = read(key)
    if hit is not None:
        return hit
    value = build()
    try:
        if key_of() == key:
            write(key, value)
    except (*_CAUGHT, pickle.PicklingError):
        pass
    return value


def load_cached(
    key_of: Callable[[], str],
    load: Callable[[], list[IndicatorSet]],
    cache: IndicatorCache | None,
) -> list[IndicatorSet]:
    """``load()``, or what it returned before for the same key.

    ``key_of`` reads the inputs again each time it is called. A key that cannot be computed
    (a file went missing) or an entry that cannot be written leaves the load uncached: the
    load itself then reports any real problem, as it would without a cache.
    """
    if cache is None or cache_disabled():
        return load()
    return _through_cache(key_of, load, cache.read, cache.write)


def load_index_cached(
    source_keys: Callable[[], Sequence[str]],
    load: Callable[[], Sequence[IndicatorSet]],
    cache: IndicatorCache | None,
) -> IndicatorIndex:
    """``IndicatorIndex(load())``, or the index built before from the same sources.

    ``source_keys`` gives the content key of each source of sets, in load order (see
    :func:`path_key`); the index is saved under a key over all of them, in that order. As
    with :func:`load_cached`, the cache never makes the load fail.
    """
    if cache is None or cache_disabled():
        return IndicatorIndex(load())

    def key_of() -> str:
        key = CacheKey("index")
        for number, source_key in enumerate(source_keys()):
            key.add_text(f"source {number}", source_key)
        return key.hexdigest()

    return _through_cache(
        key_of, lambda: IndicatorIndex(load()), cache.read_index, cache.write_index
    )


def path_key(path: Path, name: str | None = None) -> str:
    """The content key of ``load_path(path, name)``: its request and every file it reads."""
    key = CacheKey("load_path")
    key.add_plan(plan_load(path), name)
    return key.hexdigest()


def load_path_cached(
    path: Path, name: str | None = None, cache: IndicatorCache | None = None
) -> list[IndicatorSet]:
    """:func:`stalkerscan.indicators.load.load_path` through the cache (``cache``: the user's
    cache by default). No cache is used when ``STALKERSCAN_NO_CACHE`` is set."""
    chosen = cache if cache is not None else default_cache()
    return load_cached(lambda: path_key(path, name), lambda: load_path(path, name), chosen)


def load_paths_index(paths: Sequence[Path], cache: IndicatorCache | None = None) -> IndicatorIndex:
    """The index over :func:`~stalkerscan.indicators.load.load_path` of each path, in order,
    through the cache (``cache``: the user's cache by default). The index of A and B is not the
    index of B and A, nor of A alone: each has its own entry."""

    def load() -> list[IndicatorSet]:
        return [s for path in paths for s in load_path(path)]

    chosen = cache if cache is not None else default_cache()
    return load_index_cached(lambda: [path_key(p) for p in paths], load, chosen)
