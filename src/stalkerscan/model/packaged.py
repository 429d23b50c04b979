"""Files shipped inside the stalkerscan package: lists, rule messages, the report schema.

They are read by path, beside the code. Every way stalkerscan is installed (a wheel, an editable
checkout) puts them there, and ``importlib.resources`` would bring ``tempfile``, ``shutil``,
``zipfile`` and the compression modules into every scan (about 5 ms) to find the same file.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).parent.parent
"""The ``stalkerscan`` package folder."""


def packaged_path(*parts: str) -> Path:
    """The path of a packaged file, e.g. ``packaged_path("data", "net_lists.yaml")``."""
    return PACKAGE_DIR.joinpath(*parts)


def read_packaged_text(*parts: str) -> str:
    """The UTF-8 text of a packaged file (see ``packaged_path``)."""
    return packaged_path(*parts).read_text("utf-8")


def load_yaml(text: str) -> object:
    """``text`` parsed as YAML with PyYAML's safe loader, libyaml's C version where it is there
    (10-15 times faster than the pure-Python one on the packaged lists). Raises
    ``yaml.YAMLError`` on bad YAML. PyYAML is imported on first use only."""
    import yaml  # noqa: PLC0415 - a scan that reads no YAML does not pay for the import

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
