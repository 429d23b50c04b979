"""Files of an Android input, whether a folder, a zip, or an age-encrypted zip.

Shared by the androidqf and bugreport sources. An ``.age`` file is decrypted with the user's age
identity (X25519 private key, ``AGE-SECRET-KEY-1...``) into a temporary spooled file that is deleted
when the archive is closed; nothing decrypted is left on disk.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from stalkerscan.model.errors import InputFormatError, UserError
from stalkerscan.sources.filetype import is_age_file

_CHUNK = 1 << 20
_SPOOL = 64 << 20
"""Decrypted archives up to 64 MiB stay in memory; larger ones go to a private temporary file."""


class ArchiveTree:
    """Read-only access to the files of a folder or a zip, by POSIX relative name."""

    def __init__(
        self,
        label: str,
        folder: Path | None,
        archive: zipfile.ZipFile | None,
        depth: int | None = None,
    ) -> None:
        self.label = label
        self._folder = folder
        self._zip = archive
        self._depth = depth
        """For folders: list files at most this many folders down (None: all)."""
        self._names: list[str] | None = None

    def names(self) -> list[str]:
        """Every file (not folder), as a relative POSIX path."""
        if self._names is None:
            if self._zip is not None:
                self._names = [i.filename for i in self._zip.infolist() if not i.is_dir()]
            elif self._folder is not None:
                self._names = _walk(self._folder, self._depth)
            else:
                self._names = []
        return self._names

    def size(self, name: str) -> int:
        """Uncompressed size of one file."""
        if self._zip is not None:
            return self._zip.getinfo(name).file_size
        assert self._folder is not None
        return (self._folder / name).stat().st_size

    @contextmanager
    def _open(self, name: str) -> Iterator[IO[bytes]]:
        try:
            if self._zip is not None:
                with self._zip.open(name) as handle:
                    yield handle
            else:
                assert self._folder is not None
                with (self._folder / name).open("rb") as handle:
                    yield handle
        except (zipfile.BadZipFile, zlib.error, EOFError) as err:
            raise InputFormatError(
                f"{name} is damaged inside {self.label} ({err})",
                "Copy the acquisition again from where it was first saved",
            ) from err
        except (RuntimeError, NotImplementedError) as err:  # password or unknown compression
            raise UserError(f"{name} in {self.label} cannot be unpacked ({err})", _REZIP) from err
        except OSError as err:
            raise UserError(f"{name} in {self.label} cannot be read ({err})", _PERMS) from err

    def read(self, name: str, limit: int) -> bytes:
        """The bytes of one file (at most ``limit``)."""
        with self._open(name) as handle:
            return handle.read(limit)

    def sha256(self, name: str) -> str:
        """SHA-256 of one file, streamed."""
        digest = hashlib.sha256()
        with self._open(name) as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    @staticmethod
    def sha256_of(data: bytes) -> str:
        """SHA-256 of bytes already read."""
        return hashlib.sha256(data).hexdigest()


def _walk(root: Path, depth: int | None) -> list[str]:
    """Relative POSIX paths of the files under ``root``, at most ``depth`` folders down."""
    names: list[str] = []
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root)
        if depth is not None and len(rel.parts) >= depth:
            dirs.clear()
        names += [(rel / f).as_posix() for f in files if (Path(folder) / f).is_file()]
    return sorted(names)


_REZIP = "Unpack it with a zip tool and give stalkerscan the folder"
_PERMS = "Check that the file is complete and readable"


def root_prefix(names: Iterable[str], markers: frozenset[str]) -> str | None:
    """The folder (``""`` or one level down, ``"<uuid>/"``) holding the most marker files."""
    counts: dict[str, int] = {}
    for name in names:
        folder, _, base = name.rpartition("/")
        if base in markers and "/" not in folder:
            prefix = f"{folder}/" if folder else ""
            counts[prefix] = counts.get(prefix, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda p: (counts[p], -p.count("/"), -len(p)))


def _identities(identity: Path | str | None, path: Path) -> list[Any]:
    if identity is None:
        raise UserError(
            f"{path} is encrypted with age",
            "Give the private key it was encrypted for with --identity KEYFILE (the file whose "
            "line starts with AGE-SECRET-KEY-), or decrypt it first: "
            "age --decrypt -i KEYFILE -o acquisition.zip " + path.name,
        )
    try:
        import pyrage  # noqa: PLC0415  (optional dependency, only for .age inputs)
    except ImportError as err:
        raise UserError(
            "reading .age files needs the pyrage package",
            "Install it: pip install 'stalkerscan[android]'",
        ) from err
    key_path = Path(identity)
    try:
        text = key_path.read_text("utf-8", errors="replace")
    except OSError as err:
        raise UserError(f"the key file {key_path} cannot be read ({err})", _PERMS) from err
    keys = [
        line.strip() for line in text.splitlines() if line.strip().startswith("AGE-SECRET-KEY-")
    ]
    if not keys:
        kind = "a public key (age1...)" if "age1" in text else "no age private key"
        raise UserError(
            f"the key file {key_path} holds {kind}, not the private key needed to decrypt",
            "Use the private key file (its line starts with AGE-SECRET-KEY-); androidqf's key.txt "
            "holds only the public key",
        )
    try:
        return [pyrage.x25519.Identity.from_str(key) for key in keys]
    except pyrage.IdentityError as err:
        raise UserError(
            f"the key file {key_path} holds a damaged age private key ({err})",
            "Check that the key was copied completely (one line starting with AGE-SECRET-KEY-1)",
        ) from err


def _decrypt(path: Path, identity: Path | str | None) -> IO[bytes]:
    import pyrage  # noqa: PLC0415

    identities = _identities(identity, path)
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL)  # noqa: SIM115 (closed by the caller)
    try:
        with path.open("rb") as source:
            try:
                pyrage.decrypt_io(source, spool, identities)
            except OSError as err:  # pyrage reports a cut-off stream as an I/O error
                raise pyrage.DecryptError(str(err)) from err
    except pyrage.DecryptError as err:
        spool.close()
        if "no matching keys" in str(err).lower():
            raise UserError(
                f"{path} was not encrypted for the key in {identity}",
                "Use the private key that matches the public key (key.txt) androidqf used when it "
                "collected this acquisition",
            ) from err
        raise InputFormatError(
            f"{path} cannot be decrypted: it is damaged or incomplete ({err})",
            "Copy the .age file again from where it was first saved and check its size",
        ) from err
    spool.seek(0)
    return spool


def _zip(handle: str | os.PathLike[str] | IO[bytes], label: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as err:
        raise InputFormatError(
            f"{label} is not a readable zip archive: it is damaged or incomplete ({err})",
            "Copy the file again from where it was first saved and check its size",
        ) from err


@contextmanager
def open_archive(
    path: Path, identity: Path | str | None, *, depth: int | None = None
) -> Iterator[ArchiveTree]:
    """The files of a folder, zip or age-encrypted zip; closed (and wiped) on exit.

    ``depth`` limits how deep a folder is listed (sniffing looks only near the top).
    """
    if not path.exists():
        raise UserError(f"{path} does not exist", "Check the path (and its spelling)")
    if path.is_dir():
        yield ArchiveTree(str(path), path, None, depth)
        return
    spool: IO[bytes] | None = None
    try:
        if is_age_file(path):
            spool = _decrypt(path, identity)
            archive = _zip(spool, f"{path} (decrypted)")
        else:
            archive = _zip(path, str(path))
    except OSError as err:
        raise UserError(f"{path} cannot be read ({err})", _PERMS) from err
    try:
        with archive:
            yield ArchiveTree(str(path), None, archive)
    finally:
        if spool is not None:
            spool.close()
