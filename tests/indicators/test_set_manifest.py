"""A folder in Echap's format that is not Echap's data names itself and its licence in set.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from stalkerscan.indicators.load import load_path
from stalkerscan.model.errors import InputFormatError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "indicators"

IOC = """\
- name: DemoSpy
  type: stalkerware
  c2:
    domains: [c2.demospy.test]
"""


def test_examples_folder_is_not_attributed_to_echap() -> None:
    (indicator_set,) = load_path(EXAMPLES)
    assert indicator_set.info.name == "stalkerscan-example-indicators"
    assert indicator_set.info.licence is not None
    assert "Echap" not in indicator_set.info.licence
    apps = {i.app for i in indicator_set.indicators}
    assert apps == {"ExampleSpy", "ExampleFamilyLocator"}


def test_folder_without_manifest_is_echap(tmp_path: Path) -> None:
    (tmp_path / "ioc.yaml").write_text(IOC)
    (indicator_set,) = load_path(tmp_path)
    assert indicator_set.info.name == "echap-stalkerware-indicators"
    assert indicator_set.info.licence is not None
    assert "CC BY 4.0" in indicator_set.info.licence


def test_manifest_without_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ioc.yaml").write_text(IOC)
    (tmp_path / "set.yaml").write_text("licence: mine\n")
    with pytest.raises(InputFormatError, match="does not name the set"):
        load_path(tmp_path)
