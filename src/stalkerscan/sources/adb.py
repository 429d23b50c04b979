"""A live phone over USB, through the system ``adb`` binary (run with ``subprocess``).

The system ``adb`` is used rather than a Python adb library: it is what examiners already have,
it handles USB permissions, keys and the authorization prompt the way the phone expects, and its
server can be shared with other tools. This module finds the binary, starts its server, lists and
chooses the phone (with a plain explanation when it is missing, unauthorized, offline or one of
several), and runs read-only shell commands with a time limit each.

Nothing on the phone is changed: ``PhoneShell.run`` accepts only commands from a read-only list
(no push, install, settings put, file removal), quotes every word, and refuses shell operators.
It also turns ``pm list packages`` output into androidqf's ``packages.json`` layout, so the
packages parser reads a live phone and an androidqf folder alike.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass

from stalkerscan.model.errors import UserError

INSTALL_HINT = (
    "Install adb: on Debian or Ubuntu install the Debian package adb (sudo apt-get install adb); "
    "elsewhere, Android's platform-tools from developer.android.com, then make sure `adb` is on "
    "the PATH"
)
DEBUGGING_HINT = (
    "Connect the phone with a USB cable and allow USB debugging: in Settings > About phone tap "
    "'Build number' seven times, then turn on Settings > System > Developer options > USB "
    "debugging, and accept the prompt on the phone. Enabling USB debugging is visible on the "
    "phone (Developer options stay listed in Settings): if someone else checks the phone, they "
    "may notice it, so plan for that and turn USB debugging off again when you are done"
)
_ADB_TIMEOUT = 30.0
_NAMESPACE = r"(system|secure|global)"
READ_ONLY: tuple[tuple[tuple[str, ...], str], ...] = (
    (("getprop",), r"([\w.]+)?"),
    (("pm", "list", "packages"), r"(-\w+)?( -\w+)*"),
    (("pm", "path"), r"[\w.]+"),
    (("dumpsys",), r"([\w.]+)?"),
    (("cmd", "settings", "list"), _NAMESPACE),
    (("settings", "list"), _NAMESPACE),
    (("ps",), r"(-A)?"),
    (("getenforce",), r""),
    (("which", "-a"), r"[\w.]+( [\w.]+)*"),
    (("mount",), r""),
    (("cat", "/proc/mounts"), r""),
    (("service", "list"), r""),
    (("sha256sum",), r"/[^\n]*"),
    (("find",), r"/[^\n]*"),
)
"""The only commands run on the phone, and the arguments each may take: every one only reads.
``dumpsys`` takes a service name but no option (``dumpsys batterystats --reset`` would change the
phone), ``mount`` takes nothing (it could remount), ``sha256sum`` and ``find`` start with a path."""
_FIND_WRITES = frozenset(("-delete", "-exec", "-execdir", "-ok", "-okdir", "-fprint", "-fprintf"))
_GONE = re.compile(
    r"error: (device (?:'[^']*' )?not found|device offline|device unauthorized|"
    r"no devices/emulators found)"
)


@dataclass(frozen=True, slots=True)
class ListedDevice:
    """One line of ``adb devices -l``."""

    serial: str
    state: str
    """``device`` (ready), ``unauthorized``, ``offline``, ``no permissions ...``, ``recovery``..."""
    model: str | None
    """The ``model:`` field (e.g. ``Pixel_7``), when adb knows it."""
    usb: str | None
    """The ``usb:`` port, when connected over USB."""

    def describe(self) -> str:
        """``SERIAL (model, state)`` for lists in messages."""
        parts = [p for p in (self.model, self.state) if p]
        return f"{self.serial} ({', '.join(parts)})"


@dataclass(frozen=True, slots=True)
class ShellResult:
    """What one shell command on the phone gave."""

    command: str
    """The command line as run on the phone."""
    status: int | None
    """Exit status (adb passes it on with shell v2; phones without it always give 0); None when
    the command did not finish in time."""
    stdout: bytes
    stderr: bytes
    seconds: float

    @property
    def ok(self) -> bool:
        """Finished with status 0."""
        return self.status == 0

    def problem(self) -> str:
        """Why it failed or gave nothing usable, with the phone's message when it printed one."""
        if self.status is None:
            return f"`{self.command}` did not finish within {self.seconds:.0f} seconds"
        said = (self.stderr or self.stdout).decode("utf-8", "replace").strip().splitlines()
        detail = f": {said[0][:200]}" if said else ""
        if self.status == 0:
            return f"`{self.command}` gave no usable output{detail}"
        return f"`{self.command}` failed with exit status {self.status}{detail}"


def parse_devices(text: str) -> tuple[ListedDevice, ...]:
    """The devices of ``adb devices -l`` output (the header and daemon messages are skipped)."""
    devices: list[ListedDevice] = []
    for line in text.splitlines():
        words = line.split()
        if len(words) < 2 or line.startswith(("List of devices", "*", "adb ")):
            continue
        fields: dict[str, str] = {}
        state_words: list[str] = []
        for word in words[1:]:
            key, sep, value = word.partition(":")
            if sep and key in ("usb", "product", "model", "device", "transport_id") and value:
                fields[key] = value
            elif not fields:
                state_words.append(word)
        state = " ".join(state_words)
        devices.append(ListedDevice(words[0], state, fields.get("model"), fields.get("usb")))
    return tuple(devices)


def find_adb() -> str:
    """The ``adb`` binary on the PATH; UserError with the install hint when there is none."""
    path = shutil.which("adb")
    if path is None:
        raise UserError("the `adb` program was not found on this computer", INSTALL_HINT)
    return path


class Adb:
    """The system adb: its server, its device list, and the choice of one phone."""

    def __init__(self, binary: str | None = None) -> None:
        self.binary = binary or find_adb()

    def run(
        self, args: Sequence[str], timeout: float = _ADB_TIMEOUT
    ) -> subprocess.CompletedProcess[bytes]:
        """``adb ARGS`` with a time limit; UserError when adb cannot be run or hangs."""
        try:
            return subprocess.run(
                [self.binary, *args],
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as err:
            raise UserError(
                f"`adb {' '.join(args)}` did not answer within {timeout:.0f} seconds",
                "Unplug and reconnect the phone, run `adb kill-server`, then try again",
            ) from err
        except OSError as err:
            raise UserError(f"`{self.binary}` could not be run ({err})", INSTALL_HINT) from err

    def version(self) -> str:
        """adb's own version line (``Android Debug Bridge version 1.0.41``) and build."""
        out = self.run(["version"]).stdout.decode("utf-8", "replace").splitlines()
        return " / ".join(line.strip() for line in out[:2])

    def start_server(self) -> None:
        """``adb start-server`` (a no-op when it already runs)."""
        result = self.run(["start-server"])
        if result.returncode != 0:
            said = result.stderr.decode("utf-8", "replace").strip()
            raise UserError(
                f"the adb server could not be started ({said or 'no message'})",
                "Close other Android tools (Android Studio, another adb), run `adb kill-server`, "
                "then try again",
            )

    def devices(self) -> tuple[ListedDevice, ...]:
        """``adb devices -l``."""
        result = self.run(["devices", "-l"])
        return parse_devices(result.stdout.decode("utf-8", "replace"))

    def choose(self, serial: str | None) -> ListedDevice:
        """The phone to read: the one with ``serial``, or the only one; a plain UserError when it
        is missing, one of several, or not ready (unauthorized, offline, no USB permission)."""
        self.start_server()
        devices = self.devices()
        listed = ", ".join(d.describe() for d in devices)
        if not devices:
            raise UserError("no phone with USB debugging was found", DEBUGGING_HINT)
        if serial is None and len(devices) > 1:
            raise UserError(
                f"several phones are connected: {listed}",
                "Choose one with --serial SERIAL (for example --serial " + devices[0].serial + ")",
            )
        chosen = (
            devices[0] if serial is None else next((d for d in devices if d.serial == serial), None)
        )
        if chosen is None:
            raise UserError(
                f"no phone with serial {serial} is connected (connected: {listed})",
                "Check the serial with `adb devices -l`, or leave out --serial",
            )
        check_ready(chosen)
        return chosen

    def phone(self, device: ListedDevice) -> PhoneShell:
        """Read-only shell access to a chosen phone."""
        return PhoneShell(self, device.serial)


def check_ready(device: ListedDevice) -> None:
    """UserError saying what to do unless the phone is ready (state ``device``)."""
    state = device.state
    if state == "device":
        return
    name = f"{device.serial} ({device.model})" if device.model else device.serial
    if state == "unauthorized":
        raise UserError(
            f"the phone {name} has not allowed this computer to debug it",
            "Unlock the phone and accept the prompt 'Allow USB debugging?' (tick 'Always allow' "
            "only on your own computer), then run the command again; if no prompt shows, unplug "
            "and reconnect the cable",
        )
    if state == "offline":
        raise UserError(
            f"the phone {name} is offline",
            "Unlock the phone, unplug and reconnect the USB cable, accept any prompt on the "
            "phone, then try again (running `adb kill-server` first can help)",
        )
    if state.startswith("no permissions"):
        raise UserError(
            f"this computer account may not use the phone's USB connection ({state})",
            "On Linux, install the Android udev rules (Debian: apt-get install "
            "android-sdk-platform-tools-common), add yourself to the plugdev group, log in "
            "again and reconnect the phone",
        )
    raise UserError(
        f"the phone {name} is in the state '{state}', not ready for reading",
        "Start the phone normally, unlock it, and make sure USB debugging is on",
    )


class PhoneShell:
    """Runs read-only commands on one phone, each with a time limit."""

    def __init__(self, adb: Adb, serial: str) -> None:
        self.adb = adb
        self.serial = serial

    def run(self, argv: Sequence[str], timeout: float) -> ShellResult:
        """``adb -s SERIAL shell ARGV``; refuses anything not in ``READ_ONLY``. A phone that is
        gone (unplugged, locked out) ends the collection with a UserError."""
        command = read_only_command(argv)
        started = time.monotonic()
        try:
            done = subprocess.run(
                [self.adb.binary, "-s", self.serial, "shell", command],
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as err:
            out = err.stdout if isinstance(err.stdout, bytes) else b""
            return ShellResult(command, None, out, b"", timeout)
        except OSError as err:
            raise UserError(f"`{self.adb.binary}` could not be run ({err})", INSTALL_HINT) from err
        seconds = time.monotonic() - started
        gone = _GONE.search(done.stderr.decode("utf-8", "replace"))
        if done.returncode != 0 and gone is not None and not done.stdout:
            raise UserError(
                f"the phone {self.serial} stopped answering while it was being read "
                f"(adb said: {gone.group(0)})",
                "Reconnect the phone, unlock it, keep the screen on, and start again in a new "
                "empty folder",
            )
        return ShellResult(command, done.returncode, done.stdout, done.stderr, seconds)


def is_read_only(argv: Sequence[str]) -> bool:
    """The command is on the read-only list, with arguments it allows."""
    words = tuple(argv)
    if words and words[0] == "find" and _FIND_WRITES.intersection(words):
        return False
    return any(
        words[: len(prefix)] == prefix and re.fullmatch(rest, " ".join(words[len(prefix) :]))
        for prefix, rest in READ_ONLY
    )


def read_only_command(argv: Sequence[str]) -> str:
    """The quoted command line for ``argv``; ValueError unless it is on the read-only list."""
    if not is_read_only(argv):
        raise ValueError(f"not a read-only command: {' '.join(argv)}")
    return " ".join(shlex.quote(word) for word in argv)


# ---------------------------------------------------------------- packages.json from pm

_PACKAGE = re.compile(r"^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$")
_ZERO_TIME = "0001-01-01T00:00:00Z"


@dataclass(frozen=True, slots=True)
class ListedPackage:
    """One line of ``pm list packages -U -u -i``."""

    name: str
    installer: str | None
    """The installer package, ``null`` when the phone names none, None when pm did not say."""
    uid: int | None


def parse_pm_list(text: str) -> tuple[ListedPackage, ...]:
    """``package:NAME  installer=X uid:N`` lines (installer and uid optional, in any order)."""
    out: list[ListedPackage] = []
    for line in text.splitlines():
        if not line.startswith("package:"):
            continue
        words = line[len("package:") :].split()
        if not words or not _PACKAGE.match(words[0]):
            continue
        installer: str | None = None
        uid: int | None = None
        for word in words[1:]:
            if word.startswith("installer="):
                installer = word[len("installer=") :]
            elif word.startswith("uid:"):
                first = word[len("uid:") :].split(",")[0]
                uid = int(first) if first.isdigit() else None
        out.append(ListedPackage(words[0], installer, uid))
    return tuple(out)


def parse_pm_path(text: str) -> tuple[str, ...]:
    """The APK paths of ``pm path PKG`` (``package:/data/app/.../base.apk``, splits too)."""
    paths = [line[len("package:") :].strip() for line in text.splitlines()]
    return tuple(p for p in paths if p.startswith("/"))


def parse_sha256sum(text: str) -> dict[str, str]:
    """``HASH  PATH`` lines -> path: lower-case SHA-256."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        digest, _, path = line.strip().partition(" ")
        path = path.strip().lstrip("*")
        if re.fullmatch(r"[0-9a-fA-F]{64}", digest) and path:
            out[path] = digest.lower()
    return out


def is_package_name(name: str) -> bool:
    """A name safe to pass to ``pm path`` (letters, digits, underscores and dots)."""
    return bool(_PACKAGE.match(name))


def _package_file(path: str, sha256: str | None, error: str | None) -> dict[str, object]:
    """One ``files[]`` entry; the APK is not pulled, so the certificate stays empty as androidqf
    leaves it when it does not pull."""
    empty_cert = {
        "Md5": "",
        "Sha1": "",
        "Sha256": "",
        "ValidFrom": _ZERO_TIME,
        "ValidTo": _ZERO_TIME,
        "Issuer": "",
        "Subject": "",
        "SignatureAlgorithm": "",
        "SerialNumber": None,
    }
    return {
        "path": path,
        "local_name": "",
        "md5": "",
        "sha1": "",
        "sha256": sha256 or "",
        "sha512": "",
        "error": error or "",
        "verified_certificate": False,
        "certificate": empty_cert,
        "certificate_error": "",
        "trusted_certificate": False,
    }


@dataclass(frozen=True, slots=True)
class PackageFlags:
    """Which packages ``pm list packages`` listed with ``-d``, ``-s`` and ``-3``."""

    disabled: frozenset[str]
    system: frozenset[str]
    third_party: frozenset[str]


def packages_json(
    packages: Sequence[ListedPackage],
    flags: PackageFlags,
    paths: dict[str, tuple[str, ...]],
    hashes: dict[str, str],
    errors: dict[str, str],
) -> bytes:
    """androidqf's ``packages.json``: ``paths`` by package, ``hashes`` and ``errors`` (why the
    file was not hashed) by APK path."""
    out = []
    for package in packages:
        files = [
            _package_file(path, hashes.get(path), errors.get(path))
            for path in paths.get(package.name, ())
        ]
        out.append(
            {
                "name": package.name,
                "files": files,
                "installer": package.installer if package.installer is not None else "",
                "uid": package.uid,
                "disabled": package.name in flags.disabled,
                "system": package.name in flags.system,
                "third_party": package.name in flags.third_party,
            }
        )
    return json.dumps(out, indent=4).encode()
