"""stalkerscan: find stalkerware on phones, from network captures, device data and warning signs."""

__version__ = "0.1.0"
