"""A cache of built indicator indexes, so a scan does not parse and index the same files again.

A scan's :class:`~stalkerscan.indicators.index.IndicatorIndex` is kept as its
:class:`~stalkerscan.indicators.index_state.IndexState` (:func:`load_paths_index`,
``IndicatorStore.installed_index``): parsing and indexing the Echap folder takes about 0.08 s,
reading its index back about 0.003 s, as the index builds an indicator only when a lookup
returns it. The cache lives in the user cache folder (``~/.cache/stalkerscan/indicator-cache/``
on Linux, ``$STALKERSCAN_HOME/cache/indicator-cache/`` when that is set).
``STALKERSCAN_NO_CACHE=1`` turns it off: nothing is read or written (for a forensic run that
must write nothing else).

An entry is found by its **content key** (:mod:`.cache_key`), never by file dates: an index's
key covers the keys of its sources in load order, and a source's key every file its load reads.
A changed byte is a different key, so a stale entry is never used, just left to be pruned. The
key is computed again after a fresh build, and the index saved only if nothing changed meanwhile.

The cache must never fail a load: a missing, corrupt, truncated, foreign or unreadable entry is
ignored (and replaced by the next fresh build), and a folder that cannot be written means the
load works uncached. At most :data:`KEEP` entries are kept, the least recently used go first.

Entries are pickles (:mod:`.cache_entry`). Unpickling runs what the file says, so the cache is
only as trustworthy as the folder it is in: it is the user's own folder (created 0o700, files
0o600), the same trust as the installed indicator files beside it, which decide what a scan
reports anyway. As a second line, entries are read only from a folder and files owned by the
user and not writable by others, each entry carries a SHA-256 of its payload, and the
unpickler builds nothing but the index state and the indicator types it holds (besides
pickle's own tuples, lists, dicts, sets, strings and numbers).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.model import IndicatorSet
from stalkerscan.model.errors import UserError
from stalkerscan.store.cache_entry import encode_entry, parse_entry
from stalkerscan.store.cache_key import index_key, path_key
from stalkerscan.store.locations import user_cache_dir

KEEP = 8
"""How many entries are kept; the least recently used beyond that are deleted."""
FOLDER_NAME = "indicator-cache"
"""The cache's folder inside the user cache folder."""
DISABLE_VARIABLE = "STALKERSCAN_NO_CACHE"
"""Set to 1 to neither read nor write the cache."""

_SUFFIX = ".entry"
_STALE_TEMP_SECONDS = 3600.0
_CAUGHT = (OSError, ValueError, UserError)
"""What computing a key or writing an entry may raise; the load then goes on uncached."""


def cache_disabled() -> bool:
    """True when ``STALKERSCAN_NO_CACHE`` is set to anything but empty or ``0``."""
    return os.environ.get(DISABLE_VARIABLE, "") not in ("", "0")


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

    def read(self, key: str) -> IndicatorIndex | None:
        """The index saved under ``key``, or None for a missing or unusable entry; the entry
        is then marked as just used."""
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
        state = parse_entry(blob, key)
        if state is None:
            return None
        with contextlib.suppress(OSError):
            _touch(path)
        return IndicatorIndex.from_state(state)

    def write(self, key: str, index: IndicatorIndex) -> None:
        """Save ``index`` under ``key`` (temporary file, then ``os.replace``) and prune;
        raises OSError when the folder cannot be written."""
        import tempfile  # noqa: PLC0415  (only a fresh build writes)

        blob = encode_entry(key, index.to_state())
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


def load_index_cached(
    source_keys: Callable[[], Sequence[str]],
    load: Callable[[], Sequence[IndicatorSet]],
    cache: IndicatorCache | None,
) -> IndicatorIndex:
    """``IndicatorIndex(load())``, or the index built before from the same sources.

    ``source_keys`` reads the inputs again each time it is called and gives the content key of
    each source of sets, in load order (see :func:`~.cache_key.path_key`); the index is saved
    under a key over all of them, in that order, and only if they are the same after the build
    (no input changed meanwhile). A key that cannot be computed (a file went missing) or an
    entry that cannot be written leaves the load uncached: the load itself then reports any
    real problem, as it would without a cache.
    """
    if cache is None or cache_disabled():
        return IndicatorIndex(load())
    try:
        key = index_key(source_keys())
    except _CAUGHT:
        return IndicatorIndex(load())
    hit = cache.read(key)
    if hit is not None:
        return hit
    index = IndicatorIndex(load())
    # files that changed while they were read are not saved under the old key; a cache that
    # cannot be written only makes the next scan slower, so the scan goes on either way
    with contextlib.suppress(*_CAUGHT, pickle.PicklingError):
        if index_key(source_keys()) == key:
            cache.write(key, index)
    return index


def load_paths_index(paths: Sequence[Path], cache: IndicatorCache | None = None) -> IndicatorIndex:
    """The index over :func:`~stalkerscan.indicators.load.load_path` of each path, in order,
    through the cache (``cache``: the user's cache by default). The index of A and B is not the
    index of B and A, nor of A alone: each has its own entry."""

    def load() -> list[IndicatorSet]:
        return [s for path in paths for s in load_path(path)]

    chosen = cache if cache is not None else default_cache()
    return load_index_cached(lambda: [path_key(p) for p in paths], load, chosen)
