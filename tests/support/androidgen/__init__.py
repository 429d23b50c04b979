"""Generate Android device data in the real androidqf and bugreport formats, for tests.

A ``Phone`` (apps with their certificates, permissions, accessibility services, admins, listeners,
receivers; settings; trusted debugging keys; root traces) is rendered into the files androidqf
writes (packages.json, dumpsys.txt with binary bytes, getprop.txt, settings_*.txt, processes,
files.json, root_binaries.json, mounts.json, selinux.txt, acquisition.json, hashes.csv) or into the
zip ``adb bugreport`` writes. Options: Android 14 or older accessibility layout (``android=``), ABX
or XML adb keystore, collector or not (processes.json vs processes.txt), hashes.csv style, and a
broken, missing or tampered file in any slot.
"""

from support.androidgen.phone import AdbKeyGen, App, Phone
from support.androidgen.scenarios import (
    OTHER_KEY,
    OWNER_KEY,
    dual_use_phone,
    everyday_phone,
    rooted,
    stalkerware_phone,
)
from support.androidgen.writers import (
    acquisition,
    bugreport_files,
    dumpstate,
    write_androidqf,
    write_androidqf_age,
    write_androidqf_zip,
    write_bugreport_zip,
    zip_bytes,
)

__all__ = [
    "OTHER_KEY",
    "OWNER_KEY",
    "AdbKeyGen",
    "App",
    "Phone",
    "acquisition",
    "bugreport_files",
    "dual_use_phone",
    "dumpstate",
    "everyday_phone",
    "rooted",
    "stalkerware_phone",
    "write_androidqf",
    "write_androidqf_age",
    "write_androidqf_zip",
    "write_bugreport_zip",
    "zip_bytes",
]
