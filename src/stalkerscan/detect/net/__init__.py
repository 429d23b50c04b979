"""Network detection: pure detectors over ``NetworkCapture`` records.

``detect_network(capture, index, input_name)`` is the entry point; see docs/detection-network.md.
"""

from stalkerscan.detect.net.run import detect_network

__all__ = ["detect_network"]
