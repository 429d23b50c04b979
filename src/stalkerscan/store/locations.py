"""Where stalkerscan keeps its own files: the user's data, config and cache folders.

By default these are the platform's folders for "stalkerscan" (``platformdirs``; on Linux
``~/.local/share/stalkerscan``, ``~/.config/stalkerscan`` and ``~/.cache/stalkerscan``). When
``STALKERSCAN_HOME`` is set, everything goes under that one folder instead (data and config in
it, the cache in its ``cache/``): tests use it, and so does a portable or throw-away setup.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_VARIABLE = "STALKERSCAN_HOME"
"""The environment variable that puts all of stalkerscan's files under one folder."""
APP_NAME = "stalkerscan"
"""The application name the platform folders are named after."""


def home_override() -> Path | None:
    """The folder named by ``STALKERSCAN_HOME``, or None when it is not set (or empty)."""
    home = os.environ.get(HOME_VARIABLE)
    return Path(home) if home else None


def user_data_dir() -> Path:
    """Where installed indicator sets live."""
    home = home_override()
    if home is not None:
        return home
    import platformdirs  # noqa: PLC0415  (only needed when STALKERSCAN_HOME is not set)

    return Path(platformdirs.user_data_dir(APP_NAME))


def user_config_dir() -> Path:
    """Where the user's settings live (``indicator-sources.toml``)."""
    home = home_override()
    if home is not None:
        return home
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_config_dir(APP_NAME))


def user_cache_dir() -> Path:
    """Where files that can be rebuilt at any time live (the indicator cache)."""
    home = home_override()
    if home is not None:
        return home / "cache"
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_cache_dir(APP_NAME))
