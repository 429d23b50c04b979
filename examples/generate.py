"""Write stalkerscan's example inputs: made-up indicators, a phone capture, an androidqf folder.

Everything here is invented. The stalkerware "ExampleSpy" and its servers use the reserved
``.example`` top-level domain and documentation addresses (203.0.113.0/24, 198.51.100.0/24), so
nothing in the examples points at a real service. Run from the repository root:

    .venv/bin/python examples/generate.py

The outputs are committed, so the README's command works without running this.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from support.androidgen import stalkerware_phone, write_androidqf  # noqa: E402
from support.netgen import CaptureBuilder  # noqa: E402

SPY_PACKAGE = "com.examplespy.sync"
SPY_CERT_SHA1 = "5E1F0C8A9B7D3E2F4A6B8C0D1E2F3A4B5C6D7E8F"
C2_NAME = "api.examplespy.example"
C2_IP = "203.0.113.50"

IOC_YAML = f"""\
# A made-up stalkerware entry in the Echap ioc.yaml format, for stalkerscan's examples.
- name: ExampleSpy
  names:
  - ExampleSpy
  - ExampleTracker Pro
  type: stalkerware
  packages:
  - {SPY_PACKAGE}
  certificates:
  - {SPY_CERT_SHA1}
  websites:
  - examplespy-app.example
  c2:
    domains:
    - {C2_NAME}
    - upload.examplespy.example
    ips:
    - {C2_IP}
"""

WATCHWARE_YAML = """\
# A made-up monitoring app that does not hide, in the Echap watchware.yaml format.
- name: ExampleFamilyLocator
  type: watchware
  packages:
  - com.familylocator.example
  websites:
  - familylocator.example
  c2:
    domains:
    - locate.familylocator.example
"""

SET_YAML = """\
name: stalkerscan-example-indicators
licence: Made-up indicators for stalkerscan's examples; not real stalkerware data.
"""

# Everyday hosts the phone talks to (names under .example, documentation addresses).
EVERYDAY = [
    ("mail.provider.example", "198.51.100.10"),
    ("news.provider.example", "198.51.100.11"),
    ("chat.messenger.example", "198.51.100.12"),
    ("photos.cloud.example", "198.51.100.13"),
    ("maps.provider.example", "198.51.100.14"),
]


def write_indicators(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ioc.yaml").write_text(IOC_YAML, encoding="utf-8")
    (folder / "watchware.yaml").write_text(WATCHWARE_YAML, encoding="utf-8")
    (folder / "set.yaml").write_text(SET_YAML, encoding="utf-8")


def write_capture(path: Path) -> None:
    """20 minutes of a phone: everyday browsing, a visit to the seller's site, and the spy app
    checking in with its server every two minutes and uploading."""
    cap = CaptureBuilder(link="ethernet", seed=11, start=1_764_000_000.0)
    t = cap.dhcp_request(cap.start, hostname="example-phone")
    t = cap.dns_lookup("www.examplespy-app.example", ["203.0.113.80"], t + 1)
    t = cap.tls_session("203.0.113.80", "www.examplespy-app.example", t, download=40_000)
    end = cap.start + 20 * 60
    beat = cap.start + 30
    i = 0
    while beat < end:
        name, ip = EVERYDAY[i % len(EVERYDAY)]
        t = cap.dns_lookup(name, [ip], beat + 7)
        cap.tls_session(ip, name, t, version="1.3", download=20_000 + 500 * i)
        t = cap.dns_lookup(C2_NAME, [C2_IP], beat)
        cap.tls_session(C2_IP, C2_NAME, t, download=800)
        beat += 120
        i += 1
    cap.write_pcapng(path)


def write_android(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    phone = stalkerware_phone(package=SPY_PACKAGE, cert_sha1=SPY_CERT_SHA1.lower())
    write_androidqf(phone, folder)


def main() -> None:
    write_indicators(HERE / "indicators")
    write_capture(HERE / "phone-capture.pcapng")
    write_android(HERE / "android-phone")
    print("wrote examples/indicators, examples/phone-capture.pcapng, examples/android-phone")


if __name__ == "__main__":
    main()
