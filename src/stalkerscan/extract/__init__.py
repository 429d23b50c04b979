"""Extractors: bytes -> typed records, one module per artifact kind, blind to their origin."""
