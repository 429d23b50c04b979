"""Android detection: pure detectors over an ``AndroidAcquisition``.

``detect_android(acq, index, input_name)`` is the entry point; ``ANDROID_DETECTORS`` is the tuple
the registry lists. See docs/detection-android.md for every rule and the per-app grouping policy.
"""

from stalkerscan.detect.android.detectors import ANDROID_DETECTORS
from stalkerscan.detect.android.run import detect_android

__all__ = ["ANDROID_DETECTORS", "detect_android"]
