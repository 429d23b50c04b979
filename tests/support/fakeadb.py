"""A fake Android phone that speaks the adb transport protocol over TCP, for tests.

The real ``adb`` server connects to it (``adb connect 127.0.0.1:PORT``) exactly as to a phone on
Wi-Fi debugging, so the live path runs end to end through the system ``adb``: the CNXN banner
(with the ``shell_v2`` feature, or without it to force v1 ``shell:``), OPEN, OKAY, WRTE and CLSE,
shell-v2 packets (stdout id 1, stderr id 2, exit id 3; the host's close-stdin id 4 is answered),
one outstanding WRTE per stream. With ``authorize=False`` it answers CNXN with AUTH tokens and
never accepts a key, so the host shows it as ``unauthorized``.

Each shell command gets real-format output built from the MVT sample files (getprop, ps, the
``dbinfo`` dumpsys section) and from an ``androidgen.Phone`` (packages, settings, the other
dumpsys sections), so a stalkerware app can be planted. Unknown commands exit 127 as mksh does.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support.androidgen import Phone
from support.androidgen import dumpsys as ds
from support.androidgen import files as fs

CNXN, OPEN, OKAY, WRTE, CLSE, AUTH = (
    struct.unpack("<I", name)[0] for name in (b"CNXN", b"OPEN", b"OKAY", b"WRTE", b"CLSE", b"AUTH")
)
VERSION = 0x01000001
MAXDATA = 256 * 1024
STDOUT, STDERR, EXIT, CLOSE_STDIN = 1, 2, 3, 4
Reply = tuple[int, bytes, bytes]
"""A command's exit status, stdout and stderr."""


def packet(command: int, arg0: int, arg1: int, data: bytes = b"") -> bytes:
    """One adb message: the 24-byte header (with byte-sum checksum and magic), then the data."""
    checksum = sum(data) & 0xFFFFFFFF
    header = struct.pack("<6I", command, arg0, arg1, len(data), checksum, command ^ 0xFFFFFFFF)
    return header + data


def shell_packet(kind: int, data: bytes) -> bytes:
    """A shell-v2 packet: id byte, little-endian u32 length, data."""
    return struct.pack("<BI", kind, len(data)) + data


# ---------------------------------------------------------------- what the phone answers


@dataclass
class FakePhone:
    """The phone behind the fake device: an androidgen ``Phone`` plus test controls."""

    phone: Phone
    mvt: Path
    """The ``mvt-artifacts`` folder of the shared test data."""
    banner_model: str = "Pixel_7"
    shell_v2: bool = True
    authorize: bool = True
    """False: answer CNXN with AUTH and never accept the computer's key (``unauthorized``)."""
    silent: bool = False
    """True: accept the connection but never answer CNXN (the host lists it ``offline``)."""
    replies: dict[str, Reply] = field(default_factory=dict)
    """Exact command line -> forced reply (a failing command, a missing tool)."""
    hang: set[str] = field(default_factory=set)
    """Command lines that never finish (to test timeouts)."""
    unplug_on: str | None = None
    """A command line at which the phone goes away (connection and listener closed)."""
    seen: list[str] = field(default_factory=list)
    """Every command line the host asked for, in order."""
    stdin_closes: int = 0
    """How many shell-v2 close-stdin packets (id 4) the host sent."""

    def banner(self) -> bytes:
        features = "shell_v2,cmd" if self.shell_v2 else "cmd"
        return (
            f"device::ro.product.name=panther;ro.product.model={self.banner_model};"
            f"ro.product.device=panther;features={features}"
        ).encode()

    def run(self, line: str) -> Reply:
        self.seen.append(line)
        if line in self.replies:
            return self.replies[line]
        try:
            words = shlex.split(line)
        except ValueError as err:
            return 1, b"", f"/system/bin/sh: syntax error: {err}\n".encode()
        for pattern, answer in _COMMANDS:
            if re.fullmatch(pattern, " ".join(words)):
                return answer(self, words)
        return 127, b"", f"/system/bin/sh: {words[0]}: inaccessible or not found\n".encode()

    # The answers, in the formats real phones print.

    def getprop(self, _: list[str]) -> Reply:
        base = (self.mvt / "android_data" / "getprop.txt").read_bytes()
        return 0, base + fs.getprop(self.phone), b""

    def pm_list(self, words: list[str]) -> Reply:
        flags = set(words[3:])
        lines = []
        for app in self.phone.apps:
            if ("-d" in flags and not app.disabled) or ("-s" in flags and not app.system):
                continue
            if "-3" in flags and app.system:
                continue
            line = f"package:{app.name}"
            line += f"  installer={app.installer or 'null'}" if "-i" in flags else ""
            line += f" uid:{app.uid}" if "-U" in flags else ""
            lines.append(line + "\n")
        return 0, "".join(lines).encode(), b""

    def pm_path(self, words: list[str]) -> Reply:
        app = next((a for a in self.phone.apps if a.name == words[2]), None)
        if app is None:
            return 1, b"", b""
        return 0, f"package:{app.apk_path}\n".encode(), b""

    def sha256sum(self, words: list[str]) -> Reply:
        by_path = {a.apk_path: a for a in self.phone.apps}
        out, err = "", ""
        for path in words[1:]:
            app = by_path.get(path)
            if app is None:
                err += f"sha256sum: {path}: No such file or directory\n"
            else:
                out += f"{app.apk_hash('sha256')}  {path}\n"
        return (1 if err else 0), out.encode(), err.encode()

    def dumpsys(self, words: list[str]) -> Reply:
        full = ds.dumpsys(self.phone) + _dbinfo_section(self.mvt)
        if len(words) == 1:
            return 0, full, b""
        marker = f"DUMP OF SERVICE {words[1]}:\n".encode()
        if marker not in full:
            return 0, b"", f"Can't find service: {words[1]}\n".encode()
        body = full.split(marker, 1)[1]
        return 0, body.split(b"--------- ", 1)[0], b""

    def settings(self, words: list[str]) -> Reply:
        return 0, fs.settings(self.phone, words[-1]), b""

    def ps(self, _: list[str]) -> Reply:
        base = (self.mvt / "android_data" / "ps.txt").read_bytes()
        apps = fs.processes_txt(self.phone).split(b"\n", 1)[1]
        return 0, base + apps, b""

    def which(self, words: list[str]) -> Reply:
        names = set(words[2:])
        found = [p for p in self.phone.root_binaries if p.rsplit("/", 1)[-1] in names]
        return (0 if found else 1), "".join(f"{p}\n" for p in found).encode(), b""

    def mount(self, words: list[str]) -> Reply:
        lines = [line for line in _mount_lines(self.phone) if (" on " in line) == (len(words) == 1)]
        return 0, "".join(f"{line}\n" for line in lines).encode(), b""

    def find(self, words: list[str]) -> Reply:
        rows = [p for p in self.phone.tmp_files if p.startswith("/data/local/tmp/")]
        if "-printf" in words:  # mtime, octal mode, size, owner, group, path
            return (
                0,
                "".join(f"1710000000.25 755 81920 shell shell {p}\n" for p in rows).encode(),
                b"",
            )
        return 0, "".join(f"{p}\n" for p in rows).encode(), b""

    def getenforce(self, _: list[str]) -> Reply:
        return 0, f"{self.phone.selinux}\n".encode(), b""

    def service_list(self, _: list[str]) -> Reply:
        names = ["accessibility", "adb", "appops", "batterystats", "device_policy", "package"]
        lines = [f"Found {len(names)} services:"]
        lines += [f"{i}\t{n}: [android.os.IService]" for i, n in enumerate(names)]
        return 0, ("\n".join(lines) + "\n").encode(), b""

    def echo(self, words: list[str]) -> Reply:
        return 0, (" ".join(words[1:]) + "\n").encode(), b""


def _dbinfo_section(mvt: Path) -> bytes:
    text = (mvt / "android_data" / "dumpsys_dbinfo.txt").read_bytes()
    body = text.split(b"\n", 1)[1] if text.startswith(b"DUMP OF SERVICE") else text
    return f"{ds.DASHES}\nDUMP OF SERVICE dbinfo:\n".encode() + body


def _mount_lines(phone: Phone) -> list[str]:
    mode = "rw" if phone.system_rw else "ro"
    return [
        f"/dev/block/dm-3 on / type ext4 ({mode},seclabel,relatime)",
        "/dev/block/dm-5 on /system_ext type ext4 (ro,seclabel,relatime)",
        "tmpfs on /dev type tmpfs (rw,seclabel,nosuid,relatime,mode=755)",
        f"/dev/block/dm-3 / ext4 {mode},seclabel,relatime 0 0",
        "/dev/block/dm-5 /system_ext ext4 ro,seclabel,relatime 0 0",
    ]


_COMMANDS: tuple[tuple[str, Callable[[FakePhone, list[str]], Reply]], ...] = (
    (r"getprop", FakePhone.getprop),
    (r"pm list packages( -U)?( -u)?( -i)?( -[ds3])?", FakePhone.pm_list),
    (r"pm path [\w.]+", FakePhone.pm_path),
    (r"sha256sum( \S+)+", FakePhone.sha256sum),
    (r"dumpsys( [\w.]+)?", FakePhone.dumpsys),
    (r"(cmd )?settings list (system|secure|global)", FakePhone.settings),
    (r"ps( -A)?", FakePhone.ps),
    (r"which -a( \S+)+", FakePhone.which),
    (r"mount|cat /proc/mounts", FakePhone.mount),
    (r"find /data/local/tmp/ -type f( -printf .*)?", FakePhone.find),
    (r"getenforce", FakePhone.getenforce),
    (r"service list", FakePhone.service_list),
    (r"echo .*", FakePhone.echo),
)


# ---------------------------------------------------------------- the transport


class _Stream:
    """One OPENed service: the device's id, the host's id, and the OKAY that allows a WRTE."""

    def __init__(self, local: int, remote: int) -> None:
        self.local, self.remote = local, remote
        self.ready = threading.Event()
        self.closed = threading.Event()


class _Connection:
    """One TCP connection from the adb server, handled in its own threads."""

    def __init__(self, sock: socket.socket, phone: FakePhone, unplug: Callable[[], None]) -> None:
        self.sock, self.phone, self.unplug = sock, phone, unplug
        self.lock = threading.Lock()
        self.streams: dict[int, _Stream] = {}
        self.next_id = 1
        self.maxdata = MAXDATA

    def send(self, command: int, arg0: int, arg1: int, data: bytes = b"") -> None:
        with self.lock:
            self.sock.sendall(packet(command, arg0, arg1, data))

    def receive(self) -> tuple[int, int, int, bytes] | None:
        header = self._exact(24)
        if header is None:
            return None
        command, arg0, arg1, length, _, magic = struct.unpack("<6I", header)
        assert magic == command ^ 0xFFFFFFFF, "bad adb packet magic"
        data = self._exact(length) if length else b""
        return None if data is None else (command, arg0, arg1, data)

    def _exact(self, size: int) -> bytes | None:
        chunks = b""
        while len(chunks) < size:
            chunk = self.sock.recv(size - len(chunks))
            if not chunk:
                return None
            chunks += chunk
        return chunks

    def serve(self) -> None:
        with contextlib.suppress(OSError):
            while (message := self.receive()) is not None:
                self.handle(*message)
        for stream in self.streams.values():
            stream.closed.set()
            stream.ready.set()

    def handle(self, command: int, arg0: int, arg1: int, data: bytes) -> None:
        if command == CNXN and self.phone.silent:
            return
        if command == CNXN:
            self.maxdata = min(arg1, MAXDATA)
            if self.phone.authorize:
                self.send(CNXN, VERSION, MAXDATA, self.phone.banner())
            else:
                self.send(AUTH, 1, 0, os.urandom(20))  # TOKEN
        elif command == AUTH and arg0 == 2:  # a SIGNATURE we never accept: ask again
            self.send(AUTH, 1, 0, os.urandom(20))
        elif command == OPEN:
            self.open(arg0, data.rstrip(b"\x00").decode("utf-8", "replace"))
        elif command == OKAY and arg1 in self.streams:
            self.streams[arg1].ready.set()
        elif command == WRTE and arg1 in self.streams:
            if data[:1] == bytes([CLOSE_STDIN]):  # the host has no input for the command
                self.phone.stdin_closes += 1
            self.send(OKAY, arg1, arg0)  # every write is acknowledged; stdin data is ignored
        elif command == CLSE and arg1 in self.streams:
            self.streams[arg1].closed.set()
            self.streams[arg1].ready.set()

    def open(self, remote: int, service: str) -> None:
        v2 = re.fullmatch(r"shell,v2(?:,[^:]*)?:(.*)", service, re.DOTALL)
        v1 = re.fullmatch(r"shell:(.*)", service, re.DOTALL)
        match = v2 or v1
        if match is None or (v2 and not self.phone.shell_v2):
            self.send(CLSE, 0, remote)  # refuse: the host prints "error: closed"
            return
        stream = _Stream(self.next_id, remote)
        self.next_id += 1
        self.streams[stream.local] = stream
        self.send(OKAY, stream.local, remote)
        worker = threading.Thread(target=self.answer, args=(stream, match.group(1), bool(v2)))
        worker.daemon = True
        worker.start()

    def answer(self, stream: _Stream, line: str, v2: bool) -> None:
        if line == self.phone.unplug_on:
            self.phone.seen.append(line)
            self.unplug()
            return
        if line in self.phone.hang:
            self.phone.seen.append(line)
            stream.closed.wait(60)
            return
        status, out, err = self.phone.run(line)
        if v2:
            chunks = [shell_packet(STDOUT, c) for c in _chunks(out, self.maxdata - 5)]
            chunks += [shell_packet(STDERR, c) for c in _chunks(err, self.maxdata - 5)]
            chunks.append(shell_packet(EXIT, bytes([status & 0xFF])))
        else:
            chunks = list(_chunks(out + err, self.maxdata))
        for chunk in chunks:
            stream.ready.clear()
            if stream.closed.is_set():
                return
            self.send(WRTE, stream.local, stream.remote, chunk)
            stream.ready.wait(30)
        if not stream.closed.is_set():
            self.send(CLSE, stream.local, stream.remote)


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


class FakeDevice:
    """Listens on 127.0.0.1:<free port> in a thread; each connection is a ``_Connection``."""

    def __init__(self, phone: FakePhone) -> None:
        self.phone = phone
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.serial = f"127.0.0.1:{self.port}"
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                sock, _ = self.listener.accept()
                self.sockets.append(sock)
                connection = _Connection(sock, self.phone, self.close)
                threading.Thread(target=connection.serve, daemon=True).start()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


# ---------------------------------------------------------------- the host side, for tests


def adb_required() -> str:
    """The adb binary; skip when missing, except in CI (CI=true) where that is a failure."""
    adb = shutil.which("adb")
    if adb is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("adb is not installed, but CI must run the live-phone tests (apt adb)")
        pytest.skip("adb is not installed (Debian: apt-get install adb); live-phone tests skipped")
    return adb


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def adb(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run the host's adb against the test's private server (its port is in the environment)."""
    return subprocess.run(
        ["adb", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def listed_state(serial: str) -> str | None:
    """The state ``adb devices`` shows for ``serial``."""
    for line in adb("devices").stdout.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == serial:
            return words[1]
    return None


@dataclass
class AdbEnv:
    """A private adb server (own HOME and port) and the fake phones connected to it."""

    home: Path
    mvt: Path
    devices: list[FakeDevice] = field(default_factory=list)
    waiting: list[subprocess.Popen[str]] = field(default_factory=list)

    def phone(self, phone: Phone, **options: object) -> FakePhone:
        return FakePhone(phone, self.mvt, **options)  # type: ignore[arg-type]

    def connect(self, phone: FakePhone) -> FakeDevice:
        """Start a fake device and ``adb connect`` to it. adb exits 0 even when it fails, so its
        output and the listed state are checked instead."""
        device = FakeDevice(phone)
        self.devices.append(device)
        if phone.silent:  # adb waits ~10 s for CNXN; meanwhile the device is listed offline
            self.waiting.append(
                subprocess.Popen(["adb", "connect", device.serial], stdout=subprocess.DEVNULL)
            )
            wanted = "offline"
        else:
            said = adb("connect", device.serial)
            text = said.stdout + said.stderr
            ok = f"connected to {device.serial}" in text or "failed to authenticate" in text
            assert ok, f"adb connect {device.serial} failed: {text!r}"
            wanted = "device" if phone.authorize else "unauthorized"
        for _ in range(100):
            if listed_state(device.serial) == wanted:
                return device
            time.sleep(0.05)
        raise AssertionError(f"{device.serial} never became {wanted}: {adb('devices').stdout}")

    def close(self) -> None:
        for waiting in self.waiting:
            waiting.kill()
            waiting.wait()
        for device in self.devices:
            adb("disconnect", device.serial)
            device.close()
        adb("kill-server")


@pytest.fixture
def adb_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_data: Path) -> Iterator[AdbEnv]:
    """A private adb server for one test: HOME is a temporary folder (adb writes
    ~/.android/adbkey there) and the server listens on a free port; it is killed afterwards."""
    adb_required()
    home = tmp_path / "adb-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("ANDROID_USER_HOME", "ANDROID_SDK_HOME", "ADB_SERVER_SOCKET", "ANDROID_SERIAL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(free_port()))
    env = AdbEnv(home, shared_data / "mvt-artifacts")
    started = adb("start-server")
    assert started.returncode == 0, started.stderr
    try:
        yield env
    finally:
        env.close()
