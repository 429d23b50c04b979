"""The STIX pattern parser: single comparisons load, whatever their value holds."""

from __future__ import annotations

import pytest

from stalkerscan.indicators.stix_pattern import (
    PatternError,
    UnsupportedPattern,
    parse_pattern,
)


def test_plain_comparison() -> None:
    c = parse_pattern("[domain-name:value='copy9.com']")
    assert (c.object_type, c.path, c.value) == ("domain-name", ("value",), "copy9.com")
    assert c.key == "domain-name:value"


def test_spaces_are_allowed_around_tokens() -> None:
    c = parse_pattern("  [ app:id  =  'com.example.app' ]  ")
    assert c.key == "app:id"
    assert c.value == "com.example.app"


def test_quoted_hash_algorithm_in_the_path() -> None:
    c = parse_pattern("[file:hashes.'SHA-256'='AB12']")
    assert c.path == ("hashes", "SHA-256")
    assert c.value == "AB12"


def test_value_with_equals_brackets_and_escaped_quotes() -> None:
    c = parse_pattern(r"[url:value='https://x.example/a?b=c&d=[e]&n=O\'Brien\\x']")
    assert c.value == "https://x.example/a?b=c&d=[e]&n=O'Brien\\x"


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("[domain-name:value='a.com' OR domain-name:value='b.com']", "OR"),
        ("[domain-name:value='a.com'] AND [ipv4-addr:value='1.2.3.4']", "AND"),
        ("[domain-name:value='a.com'] WITHIN 300 SECONDS", "WITHIN"),
        ("[domain-name:value MATCHES '^a']", "MATCHES"),
        ("[domain-name:value != 'a.com']", "!="),
        ("[network-traffic:dst_ref[*].value = 'a.com']", "list index"),
        ("[x:y = 12]", "not a string"),
    ],
)
def test_unsupported_patterns_say_why(pattern: str, reason: str) -> None:
    with pytest.raises(UnsupportedPattern, match=reason.replace("[", r"\[")):
        parse_pattern(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        "domain-name:value='a.com'",
        "[domain-name:value='a.com'",
        "[domain-name:value='a.com]",
        "[domain-name value='a.com']",
        r"[domain-name:value='a\n']",
        "[:value='a']",
        "",
    ],
)
def test_invalid_patterns(pattern: str) -> None:
    with pytest.raises(PatternError):
        parse_pattern(pattern)
