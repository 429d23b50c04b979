"""Installed indicator sets: downloaded (``update``) or copied in (``import_path``), then loaded.

Layout, under the user data folder (``STALKERSCAN_HOME`` when set, for tests and portable use;
see :mod:`stalkerscan.store.locations`)::

    indicators/<set-name>/manifest.json   where it came from, when, SHA-256, counts
    indicators/<set-name>/data/...        the files exactly as downloaded or imported

A new version is written to a staging folder beside the old one, checked by loading it, and
only then swapped in with ``os.replace``; a failed or partial download leaves the installed
version as it was. The sources ``update`` downloads are those of
:mod:`stalkerscan.store.indicator_sources`. The index a scan builds from the installed sets goes
through the indicator cache (:mod:`stalkerscan.store.indicator_cache`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import LoadedSet, load_path_files, plan_load, slug
from stalkerscan.indicators.load_echap import ECHAP_LICENCE
from stalkerscan.model import IndicatorSet, IndicatorSetInfo
from stalkerscan.model.errors import UserError
from stalkerscan.store.cache_key import CacheKey
from stalkerscan.store.indicator_cache import default_cache, load_index_cached
from stalkerscan.store.indicator_sources import (
    DEFAULT_SOURCES,
    SOURCES_FILE,
    IndicatorSource,
    read_sources_file,
)
from stalkerscan.store.locations import user_config_dir, user_data_dir

if TYPE_CHECKING:
    import ssl

# A scan imports this module to read the installed sets: what only writing them (tempfile,
# shutil) or reading the sources file (tomllib) needs is imported where it is used.

MANIFEST_VERSION = 1
"""Version of ``manifest.json``; bump and migrate when its fields change."""


class UpdateError(UserError):
    """Some sources could not be updated (their installed versions are kept); others were."""

    def __init__(self, problem: str, fix: str, updated: Sequence[IndicatorSetInfo]) -> None:
        super().__init__(problem, fix)
        self.updated: tuple[IndicatorSetInfo, ...] = tuple(updated)
        """The sets that were updated."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _file_name(url: str, used: set[str]) -> str:
    base = Path(unquote(urlsplit(url).path)).name or "indicators"
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in base).lstrip(".") or "file"
    name, n = safe, 2
    while name in used:
        name, n = f"{n}-{safe}", n + 1
    used.add(name)
    return name


def _temp_folder(parent: Path, prefix: str) -> Path:
    import tempfile  # noqa: PLC0415

    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


def _discard(folder: Path) -> None:
    import shutil  # noqa: PLC0415

    shutil.rmtree(folder, ignore_errors=True)


def _info_from_manifest(doc: dict[str, Any]) -> IndicatorSetInfo:
    counts = doc.get("counts", {})
    return IndicatorSetInfo(
        name=str(doc["name"]),
        source=str(doc["source"]),
        sha256=str(doc["sha256"]),
        format=str(doc["format"]),
        counts=tuple(sorted((str(k), int(v)) for k, v in counts.items())),
        skipped=int(doc.get("skipped", 0)),
        retrieved_at=doc.get("retrieved_at"),
        licence=doc.get("licence"),
    )


class IndicatorStore:
    """The installed indicator sets of this user (or of ``STALKERSCAN_HOME``)."""

    def __init__(self, data_dir: Path | None = None, config_dir: Path | None = None) -> None:
        self.root = (data_dir or user_data_dir()) / "indicators"
        """Folder holding one subfolder per installed set."""
        self.sources_file = (config_dir or user_config_dir()) / SOURCES_FILE
        """The list of sources ``update`` downloads (defaults when it does not exist)."""

    # ---- reading ------------------------------------------------------------------------------

    def _set_dirs(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        self._recover()
        return sorted(
            p for p in self.root.iterdir() if p.is_dir() and (p / "manifest.json").is_file()
        )

    def _recover(self) -> None:
        """Put back a previous version left aside by a swap that was interrupted."""
        for previous in self.root.glob(".previous-*"):
            name = previous.name.removeprefix(".previous-").rsplit(".", 1)[0]
            if not (self.root / name).exists() and (previous / "manifest.json").is_file():
                previous.replace(self.root / name)

    def _manifest(self, folder: Path) -> dict[str, Any]:
        try:
            doc = json.loads((folder / "manifest.json").read_text("utf-8"))
            _info_from_manifest(doc)
        except (ValueError, KeyError, TypeError) as err:
            raise UserError(
                f"the installed set in {folder} has a broken manifest.json ({err})",
                "Delete that folder and run `stalkerscan indicators update` or `import` again",
            ) from err
        if not isinstance(doc, dict) or doc.get("manifest_version") != MANIFEST_VERSION:
            raise UserError(
                f"the installed set in {folder} has an unknown manifest version",
                "Update stalkerscan, or delete that folder and install the set again",
            )
        return doc

    def list_sets(self) -> list[IndicatorSetInfo]:
        """Provenance of every installed set, from the manifests (nothing is parsed)."""
        return [_info_from_manifest(self._manifest(d)) for d in self._set_dirs()]

    def installed_sets(self) -> list[IndicatorSet]:
        """Load every installed set (not through the cache: a scan reads
        :meth:`installed_index`); a set whose files changed since install is an error."""
        return self._load_installed(self._set_dirs())

    def installed_index(self) -> IndicatorIndex:
        """``IndicatorIndex(self.installed_sets())``, read back from the indicator cache when
        the manifests and data files are the ones it was built from (the check that the files
        did not change since install holds: changed files are a new key, and parsed again)."""
        folders = self._set_dirs()
        if not folders:
            return IndicatorIndex([])
        load = functools.partial(self._load_installed, folders)
        return load_index_cached(lambda: [self._installed_key(folders)], load, default_cache())

    def _prepare_index(self) -> None:
        """Build the index of the installed sets now and keep it in the indicator cache, so the
        first scan after an import or update reads it back instead of parsing every file."""
        if default_cache() is None:
            return  # STALKERSCAN_NO_CACHE: nothing would be kept
        # a set that does not load is reported by the next scan and by `indicators list`
        with contextlib.suppress(UserError):
            self.installed_index()

    @staticmethod
    def _installed_key(folders: list[Path]) -> str:
        """The content key of the installed sets: every manifest and every data file."""
        key = CacheKey("installed_sets")
        for folder in folders:
            raw = (folder / "manifest.json").read_bytes()
            key.add_bytes(f"manifest {folder.name}", raw)
            doc = json.loads(raw)
            echap = isinstance(doc, dict) and bool(doc.get("echap"))
            key.add_plan(plan_load(folder / "data", echap), folder.name)
        return key.hexdigest()

    def _load_installed(self, folders: list[Path]) -> list[IndicatorSet]:
        out: list[IndicatorSet] = []
        for folder in folders:
            manifest = self._manifest(folder)
            echap = bool(manifest.get("echap"))
            for item in load_path_files(folder / "data", folder.name, echap):
                info = item.indicator_set.info
                if info.sha256 != manifest["sha256"]:
                    raise UserError(
                        f"the files of installed set {folder.name} changed since they were "
                        f"installed (SHA-256 {info.sha256}, manifest says {manifest['sha256']})",
                        "Install the set again with `stalkerscan indicators update` or `import`",
                    )
                full = _info_from_manifest(manifest)
                out.append(
                    IndicatorSet(
                        info=dataclasses.replace(
                            info,
                            retrieved_at=full.retrieved_at,
                            source=full.source,
                            licence=full.licence,
                        ),
                        indicators=item.indicator_set.indicators,
                        skipped=item.indicator_set.skipped,
                    )
                )
        return out

    def configured_sources(self) -> tuple[IndicatorSource, ...]:
        """The sources in the sources file, or the defaults if there is none."""
        if self.sources_file.is_file():
            return read_sources_file(self.sources_file)
        return DEFAULT_SOURCES

    # ---- writing ------------------------------------------------------------------------------

    def _staging(self, name: str) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        staged = _temp_folder(self.root, f".staging-{name}.")
        (staged / "data").mkdir()
        return staged

    def _install(
        self, staged: Path, item: LoadedSet, source: str, files: list[dict[str, Any]]
    ) -> IndicatorSetInfo:
        """Write the manifest into ``staged`` and swap it in place of the installed version."""
        info = dataclasses.replace(item.indicator_set.info, source=source, retrieved_at=_now())
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "name": info.name,
            "source": source,
            "retrieved_at": info.retrieved_at,
            "format": info.format,
            "sha256": info.sha256,
            "counts": dict(info.counts),
            "skipped": info.skipped,
            "licence": info.licence,
            "echap": info.licence == ECHAP_LICENCE,
            "files": files,
        }
        (staged / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
        dest = self.root / info.name
        previous = _temp_folder(self.root, f".previous-{info.name}.")
        previous.rmdir()
        if dest.exists():
            dest.replace(previous)
        try:
            staged.replace(dest)
        except OSError:
            if previous.exists():
                previous.replace(dest)
            raise
        _discard(previous)
        return info

    def import_path(self, path: Path, name: str | None = None) -> list[IndicatorSetInfo]:
        """Check that ``path`` loads, then copy its files in (one installed set per set found)."""
        import shutil  # noqa: PLC0415

        path = path.expanduser().resolve()
        loaded = load_path_files(path, slug(name) if name else None)
        out: list[IndicatorSetInfo] = []
        for item in loaded:
            staged = self._staging(item.indicator_set.info.name)
            try:
                files = []
                for file in item.files:
                    shutil.copyfile(file, staged / "data" / file.name)
                    files.append({"name": file.name, "source": str(file)})
                out.append(self._install(staged, item, item.indicator_set.info.source, files))
            finally:
                _discard(staged)
        self._prepare_index()
        return out

    def _update_one(
        self, source: IndicatorSource, context: ssl.SSLContext, timeout: float
    ) -> IndicatorSetInfo:
        from stalkerscan.store.fetch import FetchError, fetch_https  # noqa: PLC0415

        staged = self._staging(source.name)
        try:
            files: list[dict[str, Any]] = []
            used: set[str] = set()
            for url in source.urls:
                got = fetch_https(
                    url, staged / "data" / _file_name(url, used), context=context, timeout=timeout
                )
                files.append(
                    {"name": got.path.name, "source": url, "sha256": got.sha256, "size": got.size}
                )
            loaded = load_path_files(staged / "data", source.name)
            if len(loaded) != 1 or not loaded[0].indicator_set.indicators:
                raise FetchError("the downloaded files do not hold one indicator set")
            return self._install(staged, loaded[0], " ".join(source.urls), files)
        finally:
            _discard(staged)

    def update(
        self,
        sources: Sequence[IndicatorSource] | None = None,
        *,
        context: ssl.SSLContext | None = None,
        cafile: Path | None = None,
        timeout: float = 30.0,
    ) -> list[IndicatorSetInfo]:
        """Download each source over HTTPS, check it loads, and swap it in.

        A source that fails (network, certificate, incomplete or unreadable download) keeps its
        installed version; after trying every source an :class:`UpdateError` names the failures.
        """
        from stalkerscan.store.fetch import FetchError, https_context  # noqa: PLC0415

        ctx = context or https_context(cafile)
        try:
            installed = {info.name: info for info in self.list_sets()}
        except UserError:
            installed = {}  # a broken installed set must not stop the update that repairs it
        updated: list[IndicatorSetInfo] = []
        failures: list[str] = []
        for source in sources if sources is not None else self.configured_sources():
            try:
                updated.append(self._update_one(source, ctx, timeout))
            except (FetchError, UserError) as err:
                before = installed.get(source.name)
                kept = (
                    f"the installed version from {before.retrieved_at} is kept"
                    if before
                    else "nothing was installed"
                )
                failures.append(f"{source.name}: {err}; {kept}")
        if updated:
            self._prepare_index()
        if failures:
            raise UpdateError(
                "could not update " + " | ".join(failures),
                "Check the network connection and the source address, then run "
                "`stalkerscan indicators update` again",
                updated,
            )
        return updated


def installed_index() -> IndicatorIndex:
    """The index of every set installed in the default store (see
    :meth:`IndicatorStore.installed_index`)."""
    return IndicatorStore().installed_index()
