"""SHA-256 of inputs, so every report names exactly what it read."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from types import TracebackType

_CHUNK = 4 << 20
"""Read size: large reads let hashlib run (without the GIL) beside the parsing thread."""


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_tree(path: Path) -> tuple[str, int]:
    """SHA-256 over a folder (each file's relative path and SHA-256, in order), and its size."""
    digest = hashlib.sha256()
    size = 0
    for child in sorted(p for p in path.rglob("*") if p.is_file()):
        rel = child.relative_to(path).as_posix()
        digest.update(f"{rel}\0{sha256_file(child)}\n".encode())
        size += child.stat().st_size
    return digest.hexdigest(), size


def sha256_input(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file or a folder."""
    if path.is_dir():
        return sha256_tree(path)
    return sha256_file(path), path.stat().st_size


class BackgroundHash:
    """``sha256_input`` of one input in a second thread, while the caller parses it.

    hashlib releases the GIL on large buffers, so on two cores the hash costs almost no wall
    time. Use it as a context manager: leaving the block waits for the thread (also when the
    block raised). A plain thread rather than ``concurrent.futures``, which would import
    ``logging`` (and ``traceback``) into every scan.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._value: tuple[str, int] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="stalkerscan-sha256")

    def _run(self) -> None:
        try:
            self._value = sha256_input(self._path)
        except BaseException as err:  # handed to the caller by result()
            self._error = err

    def __enter__(self) -> BackgroundHash:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._thread.join()

    def result(self) -> tuple[str, int]:
        """SHA-256 and size, once the thread is done; raises what ``sha256_input`` raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value
