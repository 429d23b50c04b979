"""Tests of the network capture extraction (stalkerscan.extract.net)."""
