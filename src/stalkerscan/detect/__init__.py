"""Pure detectors: (records, indicator index) -> findings, with what was skipped and why."""
