"""Indicator loaders for every supported format, and the IndicatorIndex built from them."""
