"""Every threshold of the network checks, in one place, with the reason for its value.

docs/detection-network.md quotes these; change them here and there together.
"""

from __future__ import annotations

TLS_STANDARD_PORTS: frozenset[int] = frozenset(
    {443, 465, 563, 636, 853, 989, 990, 993, 995, 5223, 8443}
)
"""Ports where TLS is expected: 443 HTTPS, 465 mail submission over TLS, 563 news over TLS,
636 LDAP over TLS, 853 DNS over TLS, 989/990 FTP over TLS, 993 IMAP over TLS, 995 POP3 over TLS,
5223 Apple push notifications, 8443 the usual alternative HTTPS port. TinyCheck's list plus 563,
853 and 8443. Google's push port 5228 is not in it: Google's push servers are on the allowlist."""

HTTP_STANDARD_PORTS: frozenset[int] = frozenset({80})
"""Plain HTTP is expected on port 80 only (as in TinyCheck and SpyGuard)."""

INFRASTRUCTURE_PORTS: frozenset[int] = frozenset({53, 67, 68, 123, 853, 5353, 5355})
"""DNS, DHCP, NTP, DNS over TLS, multicast DNS, LLMNR: plumbing every phone uses, never judged
by the flow heuristics (encrypted DNS has its own information rule)."""

DATA_METHODS: frozenset[str] = frozenset({"POST", "PUT", "PATCH"})
"""HTTP methods that carry data from the phone."""

CLEARTEXT_LARGE_UPLOAD_BYTES = 100_000
"""A plain-HTTP flow that sent more payload than this carried data, even if no request head with
a body could be read (pipelined or partial requests)."""

CLEARTEXT_MEDIUM_BYTES = 1_000_000
"""From this many bytes sent in clear to one host (photos, recordings) the finding is medium."""

CERT_STATUS_MAX_BODY_BYTES = 2_048
"""Certificate status (OCSP) requests are small POSTs in clear to hosts named ``ocsp*``: ignored
up to this size."""

UPLOAD_MIN_BYTES = 1_000_000
"""Upload-heavy: more than 1 MB sent to one host during the capture (a photo, a recording,
a batch of messages), ..."""

UPLOAD_RATIO = 3.0
"""... and more than three times what came back: the phone is the one giving data away.
Streaming, browsing and app downloads are the reverse."""

BEACON_MIN_CONTACTS = 6
"""Beaconing needs at least 6 separate contacts with one host (5 intervals), enough to measure
regularity; fewer regular contacts happen by chance."""

BEACON_MAX_CV = 0.2
"""Intervals count as regular when their coefficient of variation (standard deviation / mean)
is below 0.2: a timer with up to about 20 % jitter. Human-driven use is far more irregular
(CV of 1 or more)."""

BEACON_MIN_INTERVAL_SECONDS = 10.0
"""Below 10 s, regular connections are retries, streaming or keep-alive bursts, not check-ins."""

BEACON_MAX_INTERVAL_SECONDS = 3600.0
"""Above 1 h, a capture of normal length cannot show 6 contacts anyway."""

BEACON_BURST_SECONDS = 2.0
"""Connections opened within 2 s of each other are one contact (apps open several at once)."""

GROUP_MIN_SIGNS = 3
"""Three or more different warning signs on one host are replaced by one grouped finding
(TinyCheck's ADV-01 used the same number, SpyGuard v2 groups per host)."""

MIN_CAPTURE_SECONDS = 600.0
"""A capture shorter than 10 minutes may miss apps that report every few minutes: coverage gap."""

RECOMMENDED_CAPTURE_MINUTES = 15
"""What the advice asks for (SpyGuard's guidance: at least 15 minutes)."""

MIN_TRAFFIC_PACKETS = 100
"""Fewer packets than this, or ..."""

MIN_TRAFFIC_CONNECTIONS = 3
"""... fewer Internet connections that carried data than this: almost no traffic, coverage gap."""

DNS_BLIND_MIN_CONNECTIONS = 5
"""With at least this many Internet connections and not one plain DNS answer, the capture could
not see names: coverage gap."""

NAMED_SHARE_LOW = 0.5
"""Below half of the Internet connections named, the coverage fact says names were missing."""

MAX_EVIDENCE = 25
"""At most this many evidence lines per finding; the rest are summed up in one last line."""
