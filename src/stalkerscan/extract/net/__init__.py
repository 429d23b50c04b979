"""Network captures (pcap, pcapng) -> typed records: flows, DNS, TLS, HTTP, QUIC, DHCP."""

from stalkerscan.extract.net import engine
from stalkerscan.extract.net.capture import extract_capture

__all__ = ["extract_capture", "packet_loop_compiled"]


def packet_loop_compiled() -> bool:
    """True when the packet loop runs as the C extension mypyc built at install (setup.py),
    False when it runs as plain Python (no C compiler, or STALKERSCAN_PURE_PYTHON=1)."""
    return not str(engine.__file__).endswith(".py")
