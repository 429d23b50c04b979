"""packages.json: the real MVT sample and androidqf's edge cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stalkerscan.extract.android.common import ArtifactError
from stalkerscan.extract.android.packages import parse_packages


@pytest.fixture(scope="module")
def sample(shared_data: Path) -> bytes:
    return (shared_data / "mvt-artifacts" / "androidqf" / "packages.json").read_bytes()


def test_real_sample_has_seven_packages_with_installers(sample: bytes) -> None:
    packages = parse_packages(sample)
    assert [(p.name, p.installer) for p in packages] == [
        ("com.whatsapp", None),
        ("app.revanced.manager.flutter", "com.google.android.packageinstaller"),
        ("com.google.android.youtube", "com.google.android.packageinstaller"),
        ("org.fdroid.fdroid", "com.google.android.packageinstaller"),
        ("org.nuclearfog.apollo", "org.fdroid.fdroid"),
        ("com.malware.blah", None),
        ("com.malware.muahaha", None),
    ]
    by_name = {p.name: p for p in packages}
    assert by_name["com.google.android.youtube"].system
    assert not by_name["com.google.android.youtube"].third_party
    assert by_name["com.whatsapp"].third_party and by_name["com.whatsapp"].uid == 10271
    assert by_name["com.malware.muahaha"].system and by_name["com.malware.muahaha"].uid == 10058


def test_real_sample_files_hashes_and_certificates(sample: bytes) -> None:
    whatsapp = parse_packages(sample)[0]
    (apk,) = whatsapp.files
    assert apk.path == "/data/app/~~/com.whatsapp-~~/base.apk"
    assert apk.sha256 == "744ed47f8176ec423840344c33e88bd2c96e8988cda0797f3415bb5229efc12b"
    assert apk.local_name is None and apk.error is None
    assert apk.certificate is not None
    assert apk.certificate.sha1 == "38a0f7d505fe18fec64fbf343ecaaaf310dbd799"
    assert apk.certificate.md5 == "556c6019249bbc0cab70495178d3a9d1"
    assert apk.certificate.serial == "1277507236"
    assert apk.certificate.signature_algorithm == "DSA-SHA1"
    assert apk.certificate_verified and apk.certificate_trusted
    malware = {p.name: p for p in parse_packages(sample)}["com.malware.blah"]
    assert malware.files[0].certificate is not None
    assert malware.files[0].certificate.sha1 == "4ba9d1f82adb7be841bcf53b03ddae857747199a"


def test_unpulled_apk_has_no_certificate_and_upper_case_hashes_are_normalised() -> None:
    data = [
        {
            "name": "com.example.app",
            "installer": "",
            "uid": "10300",
            "files": [
                {
                    "path": "/data/app/x/base.apk",
                    "sha256": "AB" * 32,
                    "certificate": {
                        "Md5": "",
                        "Sha1": "",
                        "Sha256": "",
                        "ValidFrom": "0001-01-01T00:00:00Z",
                        "SerialNumber": None,
                    },
                    "error": "adb: error: failed to stat remote object",
                }
            ],
        },
        {"files": []},
        "not a package",
    ]
    (package,) = parse_packages(json.dumps(data))
    assert package.installer is None and package.uid == 10300
    assert not package.system and not package.disabled
    (apk,) = package.files
    assert apk.certificate is None
    assert apk.sha256 == "ab" * 32
    assert apk.error == "adb: error: failed to stat remote object"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"[{", "not valid JSON"),
        (b'{"a": 1}', "not a JSON list"),
    ],
)
def test_unreadable_file_raises_artifact_error(data: bytes, message: str) -> None:
    with pytest.raises(ArtifactError, match=message):
        parse_packages(data)
