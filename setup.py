"""Build step: the packet loop is compiled with mypyc where a C compiler is available.

The four modules that touch every packet of a capture (the pcap/pcapng record reader, the packet
loop, the IP layer and the flow counters) are turned into a C extension by mypyc, from these very
sources: same code, same tests, about 1.4x faster on the packet loop (docs/performance.md). Every
other module stays plain Python.

Set ``STALKERSCAN_PURE_PYTHON=1`` when installing to skip compiling. Where there is no C compiler
the extension is skipped (``optional``) and the same modules run as Python. In an editable checkout
the compiled files sit beside the sources (``*.so``): after changing one of the modules below,
install again (``pip install -e .``); the test suite refuses to run on a stale build.
"""

from __future__ import annotations

import os

from setuptools import Extension, setup

COMPILED = [
    "src/stalkerscan/extract/net/reader.py",
    "src/stalkerscan/extract/net/engine.py",
    "src/stalkerscan/extract/net/iplayer.py",
    "src/stalkerscan/extract/net/flows.py",
]
"""Sources compiled by mypyc (tests/conftest.py checks that their builds are not stale)."""


def ext_modules() -> list[Extension]:
    """The mypyc extensions, or none when compiling is turned off."""
    if os.environ.get("STALKERSCAN_PURE_PYTHON"):
        return []
    from mypyc.build import mypycify  # noqa: PLC0415 - only when compiling

    # the build environment holds only setuptools and mypy: imported libraries are typed as Any
    options = ["--ignore-missing-imports", "--follow-imports=silent"]
    extensions: list[Extension] = mypycify([*options, *COMPILED], group_name="stalkerscan")
    for extension in extensions:
        extension.optional = True  # no C compiler: the same modules run as plain Python
    return extensions


setup(ext_modules=ext_modules())
