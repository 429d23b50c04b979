"""Network captures (pcap, pcapng) -> typed records: flows, DNS, TLS, HTTP, QUIC, DHCP."""

from stalkerscan.extract.net.capture import extract_capture

__all__ = ["extract_capture"]
