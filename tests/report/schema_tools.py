"""The report schema, and a strict copy of it that forbids keys it does not declare."""

from __future__ import annotations

import copy
from typing import Any

from jsonschema import Draft202012Validator

from stalkerscan.report.load_json import report_schema


def _close(node: Any) -> None:
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close(value)
    elif isinstance(node, list):
        for value in node:
            _close(value)


def strict_validator() -> Draft202012Validator:
    """The shipped schema with every declared object closed: proves the schema names every key."""
    schema = copy.deepcopy(report_schema())
    _close(schema)
    return Draft202012Validator(schema)


def shipped_validator() -> Draft202012Validator:
    return Draft202012Validator(report_schema())
