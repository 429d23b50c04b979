"""Realistic ReportDocuments for the report tests, built from the model classes.

Indicator values come from the Echap stalkerware-indicators list (a test checks that they are
really in it); hashes are SHA-256 of a fixed label so the goldens are stable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from stalkerscan.model import (
    Confidence,
    CoverageFact,
    CoverageGap,
    Evidence,
    Finding,
    Indicator,
    IndicatorKind,
    IndicatorSetInfo,
    InputKind,
    InputRef,
    NotChecked,
    Role,
    Severity,
    Threat,
    TimelineEvent,
)
from stalkerscan.report.document import (
    SCHEMA_VERSION,
    ReportDocument,
    ToolInfo,
    compute_verdict,
    sort_findings,
)

TOOL = ToolInfo(name="stalkerscan", version="0.1.0")
ECHAP_SET = "echap-stalkerware-indicators"
ECHAP_ATTRIBUTION = (
    'CC BY 4.0. "Stalkerware Indicators of Compromise, Echap (https://echap.eu.org/), '
    'https://github.com/AssoEchap/stalkerware-indicators, CC BY 4.0"'
)


def sha(label: str) -> str:
    """A stable, real-looking SHA-256 for a test input."""
    return hashlib.sha256(label.encode()).hexdigest()


def echap_info() -> IndicatorSetInfo:
    return IndicatorSetInfo(
        name=ECHAP_SET,
        source="https://github.com/AssoEchap/stalkerware-indicators",
        sha256=sha("echap a04c5c1"),
        format="echap",
        counts=(
            ("android_package", 1094),
            ("cert_sha1", 402),
            ("domain", 3874),
            ("ios_bundle", 12),
            ("ipv4", 298),
        ),
        skipped=0,
        retrieved_at="2026-06-22T09:12:00Z",
        licence=ECHAP_ATTRIBUTION,
    )


def _document(
    *,
    generated_at: str,
    inputs: tuple[InputRef, ...],
    findings: tuple[Finding, ...] = (),
    not_checked: tuple[NotChecked, ...] = (),
    coverage: tuple[CoverageFact, ...] = (),
    gaps: tuple[CoverageGap, ...] = (),
    timeline: tuple[TimelineEvent, ...] = (),
) -> ReportDocument:
    verdict, reason = compute_verdict(findings, gaps, anything_checked=bool(inputs))
    return ReportDocument(
        schema_version=SCHEMA_VERSION,
        tool=TOOL,
        generated_at=generated_at,
        inputs=inputs,
        indicator_sets=(echap_info(),),
        verdict=verdict,
        verdict_reason=reason,
        findings=sort_findings(findings),
        not_checked=not_checked,
        coverage=coverage,
        gaps=gaps,
        timeline=timeline,
    )


CAPTURE = "captures/phone-2026-06-23.pcapng"
C2_HOST = "media-sync-a748.thetruthspy.com"
C2_IP = "69.64.81.49"


def _c2_finding() -> Finding:
    lookups = tuple(
        Evidence(
            input=CAPTURE,
            locator=f"packet {packet}",
            observed=f"DNS query for {C2_HOST} answered {C2_IP}",
            time=f"2026-06-23T08:{minute:02d}:02Z",
        )
        for packet, minute in ((1432, 14), (3310, 19), (5120, 24), (7004, 29), (8811, 34))
    )
    tls = (
        Evidence(CAPTURE, "packet 1440", f"TLS connection to {C2_IP} naming {C2_HOST}", None),
        Evidence(CAPTURE, "packets 1440-1502", "412 KB sent to the server, 3 KB received"),
    )
    return Finding(
        rule="net.ioc.c2_domain",
        severity=Severity.CRITICAL,
        confidence=Confidence.CONFIRMED,
        title=f"The phone contacted {C2_HOST}, a server of the stalkerware TheTruthSpy",
        explanation=(
            "TheTruthSpy is sold to secretly watch another person's phone. Once installed, it "
            "sends messages, photos, location and call logs to this server. A phone contacts it "
            "only when the app is installed and running."
        ),
        advice=(
            "Do not remove the app or reset the phone yet: removing it can alert the person who "
            "installed it and destroys evidence. Save this report and the capture, then make a "
            "safety plan with a support service before you change anything on the phone."
        ),
        subject=C2_HOST,
        app="TheTruthSpy",
        indicator=Indicator(
            kind=IndicatorKind.DOMAIN,
            value=C2_HOST,
            app="TheTruthSpy",
            role=Role.C2,
            threat=Threat.STALKERWARE,
            set_name=ECHAP_SET,
        ),
        evidence=lookups + tls,
    )


def _heuristic_finding() -> Finding:
    return Finding(
        rule="net.heuristic.host_signs",
        severity=Severity.MEDIUM,
        confidence=Confidence.POSSIBLE,
        title="Connections to 203.0.113.45 show several unusual signs together",
        explanation=(
            "Each sign alone is common for ordinary apps, but together they are often seen with "
            "spying apps that hide where they send data."
        ),
        advice=(
            "Look at the evidence with someone who knows the phone's apps. Do not delete apps "
            "because of this alone; save this report first."
        ),
        subject="203.0.113.45",
        app=None,
        indicator=None,
        evidence=(
            Evidence(CAPTURE, "packet 2207", "TCP connection to 203.0.113.45 port 8443", None),
            Evidence(
                CAPTURE,
                "packet 2210",
                "certificate CN=sync-node, signed by itself",
                "2026-06-23T08:16:40Z",
            ),
        ),
        reasons=(
            "no DNS name was seen for this address",
            "it uses port 8443, not a usual web port",
            "its certificate is signed by itself",
        ),
    )


def _website_finding() -> Finding:
    return Finding(
        rule="net.ioc.vendor_website",
        severity=Severity.INFO,
        confidence=Confidence.CONFIRMED,
        title="The phone visited thetruthspy.com, the website of TheTruthSpy",
        explanation=(
            "Visiting the website is not an infection: anyone can open it. It matters if someone "
            "used this phone to buy, set up or log in to the app."
        ),
        advice=(
            "Think about who could have used the phone at that time. Keep this report: with the "
            "other signs it can help explain what happened."
        ),
        subject="thetruthspy.com",
        app="TheTruthSpy",
        indicator=Indicator(
            kind=IndicatorKind.DOMAIN,
            value="thetruthspy.com",
            app="TheTruthSpy",
            role=Role.WEBSITE,
            threat=Threat.STALKERWARE,
            set_name=ECHAP_SET,
            tags=("website",),
        ),
        evidence=(
            Evidence(
                CAPTURE,
                "packet 311",
                "TLS connection naming thetruthspy.com",
                "2026-06-23T08:02:51Z",
            ),
        ),
    )


def stalkerware_document() -> ReportDocument:
    """A capture where TheTruthSpy's server was contacted."""
    return _document(
        generated_at="2026-06-23T09:01:12Z",
        inputs=(InputRef(CAPTURE, InputKind.PCAP, sha(CAPTURE), 18_734_112),),
        findings=(_website_finding(), _c2_finding(), _heuristic_finding()),
        not_checked=(
            NotChecked(
                what="47 QUIC connections",
                why="their server names were encrypted; they were matched by IP address only",
            ),
        ),
        coverage=(
            CoverageFact("network", "packets", 18234, "18,234 packets read"),
            CoverageFact("network", "duration_minutes", 42.5, "The capture lasted 42.5 minutes"),
            CoverageFact(
                "network",
                "named_flow_share",
                0.93,
                "93% of connections had a server name (DNS, TLS or HTTP)",
            ),
            CoverageFact("indicators", "loaded", 5680, "5,680 indicators loaded from 1 set"),
        ),
        timeline=(
            TimelineEvent(
                "2026-06-23T08:02:51Z",
                CAPTURE,
                "tls",
                "TLS connection naming thetruthspy.com",
                "net.ioc.vendor_website",
            ),
            TimelineEvent(
                "2026-06-23T08:14:02Z",
                CAPTURE,
                "dns",
                f"DNS query for {C2_HOST}",
                "net.ioc.c2_domain",
            ),
            TimelineEvent("2026-06-23T08:00:00Z", CAPTURE, "capture", "Capture started"),
        ),
    )


NO_KNOWN_CAPTURE = "captures/evening.pcap"


def no_known_stalkerware_document() -> ReportDocument:
    """A long capture with nothing above low severity."""
    dyndns = Finding(
        rule="net.heuristic.dyndns",
        severity=Severity.LOW,
        confidence=Confidence.POSSIBLE,
        title="The phone looked up a dynamic-DNS name (myhome.duckdns.org)",
        explanation=(
            "Dynamic-DNS names are used by home servers, cameras and games, and sometimes by "
            "spying apps to hide their server. Alone it proves nothing."
        ),
        advice=(
            "If you or someone at home runs a home server or camera, this is likely it. Otherwise "
            "mention it to a support worker; do not change anything on the phone because of this."
        ),
        subject="myhome.duckdns.org",
        app=None,
        indicator=None,
        evidence=(
            Evidence(
                NO_KNOWN_CAPTURE,
                "packet 902",
                "DNS query for myhome.duckdns.org",
                "2026-06-21T19:44:10Z",
            ),
        ),
    )
    return _document(
        generated_at="2026-06-21T20:31:40Z",
        inputs=(InputRef(NO_KNOWN_CAPTURE, InputKind.PCAP, sha(NO_KNOWN_CAPTURE), 9_412_880),),
        findings=(dyndns,),
        not_checked=(
            NotChecked(
                what="Installed apps",
                why="only a network capture was given; apps are checked from an androidqf "
                "acquisition or a phone connected with adb",
            ),
            NotChecked(
                what="12 connections to dns.google over HTTPS",
                why="the phone hid its DNS look-ups inside encrypted web traffic",
            ),
        ),
        coverage=(
            CoverageFact("network", "packets", 40112, "40,112 packets read"),
            CoverageFact("network", "duration_minutes", 31.0, "The capture lasted 31 minutes"),
            CoverageFact(
                "network",
                "named_flow_share",
                0.88,
                "88% of connections had a server name (DNS, TLS or HTTP)",
            ),
            CoverageFact("network", "truncated", False, "The capture was read to its end"),
        ),
        timeline=(
            TimelineEvent("2026-06-21T19:40:00Z", NO_KNOWN_CAPTURE, "capture", "Capture started"),
            TimelineEvent(
                "2026-06-21T19:44:10Z",
                NO_KNOWN_CAPTURE,
                "dns",
                "DNS query for myhome.duckdns.org",
                "net.heuristic.dyndns",
            ),
        ),
    )


SHORT_CAPTURE = "captures/short.pcap"


def inconclusive_document() -> ReportDocument:
    """A capture too short and too blind to conclude anything."""
    return _document(
        generated_at="2026-06-22T14:05:09Z",
        inputs=(InputRef(SHORT_CAPTURE, InputKind.PCAP, sha(SHORT_CAPTURE), 61_204),),
        coverage=(
            CoverageFact("network", "packets", 112, "112 packets read"),
            CoverageFact("network", "duration_minutes", 0.7, "The capture lasted 40 seconds"),
            CoverageFact(
                "network",
                "named_flow_share",
                0.25,
                "25% of connections had a server name (DNS, TLS or HTTP)",
            ),
        ),
        gaps=(
            CoverageGap(
                area="network",
                reason="The capture lasted 40 seconds: too short to see apps that report every "
                "few minutes.",
                advice="Capture again for at least 15 minutes while using the phone normally "
                "(open apps, lock and unlock it, move around).",
            ),
            CoverageGap(
                area="network",
                reason="Only 25% of connections had a server name, so most could not be checked "
                "against the lists.",
                advice="Turn off Private DNS on the phone for the capture, or capture through "
                "a set-up that answers its DNS look-ups.",
            ),
        ),
    )


ACQUISITION = "acquisitions/androidqf_2026-06-20"
QUESTIONNAIRE = "questionnaire/answers-2026-06-20.json"
SPY_PACKAGE = "com.android.sys.service"


def _accessibility_finding() -> Finding:
    return Finding(
        rule="android.accessibility.enabled_service",
        severity=Severity.HIGH,
        confidence=Confidence.LIKELY,
        title="An app named “System Service” can read everything on the screen",
        explanation=(
            "Accessibility services can read messages, passwords typed and everything shown on the "
            "screen. This one has no icon and was not installed from an app store, which is how "
            "spying apps hide."
        ),
        advice=(
            "Do not uninstall it yet: the person who installed it may be told. Take photos of "
            "Settings > Accessibility, save this report, and plan next steps with a support "
            "service. Ask yourself whether you installed it."
        ),
        subject=SPY_PACKAGE,
        app=None,
        indicator=None,
        evidence=(
            Evidence(
                ACQUISITION,
                "dumpsys.txt, line 812",
                f"enabled accessibility service {SPY_PACKAGE}/.AccessService",
            ),
            Evidence(
                ACQUISITION,
                "packages.json",
                f"{SPY_PACKAGE}: installer none, no launcher activity",
                "2026-06-02T21:17:45Z",
            ),
        ),
        reasons=(
            "it is an enabled accessibility service",
            "it has no icon in the app list",
            "it was not installed from an app store",
        ),
    )


def _watchware_finding() -> Finding:
    return Finding(
        rule="android.ioc.watchware_package",
        severity=Severity.MEDIUM,
        confidence=Confidence.CONFIRMED,
        title="FamiSafe, a parental-control app, is installed",
        explanation=(
            "FamiSafe shows where the phone is and what it is used for to whoever set it up. It is "
            "sold for children's phones but can be used to watch an adult."
        ),
        advice=(
            "If you did not set it up, someone else can see your location and activity. Talk to a "
            "support worker before removing it; removing it may be noticed."
        ),
        subject="com.wondershare.famisafe.kids",
        app="FamiSafe",
        indicator=Indicator(
            kind=IndicatorKind.ANDROID_PACKAGE,
            value="com.wondershare.famisafe.kids",
            app="FamiSafe",
            role=Role.APP,
            threat=Threat.WATCHWARE,
            set_name=ECHAP_SET,
        ),
        evidence=(
            Evidence(
                ACQUISITION,
                "packages.json",
                "com.wondershare.famisafe.kids installed from Google Play",
                "2026-05-11T07:03:00Z",
            ),
        ),
    )


def suspicious_document() -> ReportDocument:
    """An androidqf acquisition and a questionnaire: strong signs, no known stalkerware."""
    answer = Finding(
        rule="questionnaire.knows_location",
        severity=Severity.LOW,
        confidence=Confidence.POSSIBLE,
        title="You said the other person knows where you are without being told",
        explanation="This is a common sign of location sharing or tracking.",
        advice="Check location sharing in Google Maps and the apps listed above with a support "
        "worker.",
        subject=None,
        app=None,
        indicator=None,
        evidence=(Evidence(QUESTIONNAIRE, "question 3", "Yes"),),
    )
    return _document(
        generated_at="2026-06-20T16:45:00Z",
        inputs=(
            InputRef(ACQUISITION, InputKind.ANDROIDQF, sha(ACQUISITION), 284_330_112),
            InputRef(QUESTIONNAIRE, InputKind.QUESTIONNAIRE, sha(QUESTIONNAIRE), 1_208),
        ),
        findings=(answer, _watchware_finding(), _accessibility_finding()),
        not_checked=(
            NotChecked(
                what="Network traffic",
                why="no network capture was given, so contacts with stalkerware servers could not "
                "be seen",
            ),
            NotChecked(what="logcat.txt", why="the acquisition has no logcat file"),
        ),
        coverage=(
            CoverageFact("android", "packages", 184, "184 installed apps checked"),
            CoverageFact("android", "accessibility", True, "Accessibility services were read"),
            CoverageFact("questionnaire", "answered", 9, "9 of 12 questions answered"),
        ),
        timeline=(
            TimelineEvent(
                "2026-06-02T21:17:45Z",
                ACQUISITION,
                "package",
                f"{SPY_PACKAGE} installed (no app store)",
                "android.accessibility.enabled_service",
            ),
            TimelineEvent(
                "2026-05-11T07:03:00Z",
                ACQUISITION,
                "package",
                "com.wondershare.famisafe.kids installed",
                "android.ioc.watchware_package",
            ),
        ),
    )


DOCUMENTS: dict[str, Callable[[], ReportDocument]] = {
    "stalkerware": stalkerware_document,
    "no_known_stalkerware": no_known_stalkerware_document,
    "inconclusive": inconclusive_document,
    "suspicious": suspicious_document,
}
"""Golden name -> document builder; the name is the verdict each must have."""
