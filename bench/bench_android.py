"""Time ``stalkerscan scan`` on generated phones (androidqf folder, bugreport zip) beside MVT.

Usage: ``python bench/bench_android.py [--quick] [--apps 50,300,1000] [--runs 5]
[--indicators PATH] [--no-indicators] [--no-mvt]``

Each phone is generated with tests/support/androidgen into bench/out/ (in a child process, so
this script stays small): about 20 % system apps, Play Store apps with real package names and
the permissions of their kind, a few apps from F-Droid or a downloaded APK, and TheTruthSpy
(Echap's ``com.systemservice`` with one of its certificates, an accessibility service, device
admin and SMS receivers, Play Protect off), plus 10 files per app in files.json. It is written as
an androidqf folder and as the zip ``adb bugreport`` writes. Then, round after round, each in its
own subprocess:

* ``stalkerscan scan INPUT --json report.json --quiet --indicators ECHAP_FOLDER``;
* ``mvt-android check-androidqf -n -i STIX -o OUT FOLDER`` and ``check-bugreport -i STIX -o OUT
  ZIP``, from a venv of its own in bench/out/mvt-venv (never a stalkerscan dependency), with the
  Echap STIX 2.1 file, update checks and network access off, its settings in bench/out/mvt-home.

Wall time is the median over the runs, peak RSS the largest (``os.wait4`` of each child). Three
phone sizes (50, 300, 1,000 apps) give the scaling line. Results go to
bench/out/bench_android.json. Timings are not assertions: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # tests/ is put on sys.path in the child that generates phones
    from support.androidgen import Phone

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
MVT_BIN = OUT / "mvt-venv" / "bin" / "mvt-android"
MVT_HOME = OUT / "mvt-home"
DASHES = b"-" * 79
MVT_QUIET = ("--disable-update-check", "--disable-indicator-update-check")
STIX_FILE = Path("generated") / "stalkerware.regenerated.stix2"
TARGET_SECONDS, TARGET_APPS = 2.0, 300
FILES_PER_APP = 10
SPY = ("com.systemservice", "31A6ECECD97CF39BC4126B8745CD94A7C30BF81C")
"""TheTruthSpy's package and one of its signing certificates, as listed in Echap's ioc.yaml."""
MVT_HELP = (
    "MVT: skipped, its venv is missing. To include it (never a stalkerscan dependency): "
    "python3 -m venv bench/out/mvt-venv && bench/out/mvt-venv/bin/pip install mvt"
)
PARENT_NOTE = (
    "Linux carries a parent's peak RSS into a child across fork+exec, so phones are generated "
    "in a child and this script stays small"
)

# -- what the generated phone holds -------------------------------------------------------------

P = "android.permission."


def _words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of a long literal (keeps the lists below compact)."""
    return tuple(text.split())


KINDS: dict[str, tuple[str, ...]] = {
    "chat": ("CAMERA", "RECORD_AUDIO", "READ_CONTACTS", "POST_NOTIFICATIONS", "READ_MEDIA_IMAGES"),
    "social": ("CAMERA", "RECORD_AUDIO", "READ_MEDIA_IMAGES", "READ_MEDIA_VIDEO",
               "POST_NOTIFICATIONS", "ACCESS_COARSE_LOCATION"),
    "maps": ("ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION", "POST_NOTIFICATIONS"),
    "fit": ("ACTIVITY_RECOGNITION", "ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION",
            "BODY_SENSORS", "POST_NOTIFICATIONS"),
    "bank": ("CAMERA", "POST_NOTIFICATIONS", "READ_PHONE_STATE"),
    "media": ("POST_NOTIFICATIONS", "READ_MEDIA_AUDIO"),
    "shop": ("CAMERA", "POST_NOTIFICATIONS", "ACCESS_COARSE_LOCATION"),
    "game": ("POST_NOTIFICATIONS",),
    "tool": ("CAMERA", "READ_MEDIA_IMAGES"),
    "call": ("READ_CONTACTS", "READ_PHONE_STATE", "CALL_PHONE", "READ_CALL_LOG", "RECORD_AUDIO"),
}  # fmt: skip
"""Runtime permissions each kind of app asks for (and is granted)."""
PLAY = """
com.instagram.android:Instagram:social com.facebook.katana:Meta:social
com.facebook.orca:Meta:chat com.snapchat.android:Snap:social
com.zhiliaoapp.musically:TikTok:social com.twitter.android:X:social
com.pinterest:Pinterest:social com.linkedin.android:LinkedIn:social
com.reddit.frontpage:Reddit:social org.telegram.messenger:Telegram:chat
org.thoughtcrime.securesms:Signal:chat com.discord:Discord:chat com.Slack:Slack:chat
com.microsoft.teams:Microsoft:chat us.zoom.videomeetings:Zoom:chat com.viber.voip:Viber:chat
com.skype.raider:Skype:chat com.spotify.music:Spotify:media deezer.android.app:Deezer:media
com.netflix.mediaclient:Netflix:media com.disney.disneyplus:Disney:media
com.amazon.avod.thirdpartyclient:Amazon:media com.shazam.android:Apple:media
com.audible.application:Amazon:media com.soundcloud.android:SoundCloud:media
com.waze:Waze:maps com.ubercab:Uber:maps com.ubercab.eats:Uber:maps
com.airbnb.android:Airbnb:maps com.booking:Booking:maps
com.tripadvisor.tripadvisor:TripAdvisor:maps com.citymapper.app.release:Citymapper:maps
com.vsct.vsc.mobileticket:SNCF:maps com.comuto:BlaBlaCar:maps
com.deliveroo.orderapp:Deliveroo:maps com.ryanair.cheapflights:Ryanair:maps
com.weather.Weather:Weather:maps com.accuweather.android:AccuWeather:maps
com.nianticlabs.pokemongo:Niantic:maps fr.leboncoin:Leboncoin:shop
com.amazon.mShop.android.shopping:Amazon:shop com.ebay.mobile:eBay:shop fr.vinted:Vinted:shop
com.alibaba.aliexpresshd:Alibaba:shop com.ingka.ikea.app:IKEA:shop io.yuka.android:Yuka:shop
com.paypal.android.p2pmobile:PayPal:bank com.revolut.revolut:Revolut:bank com.lydia:Lydia:bank
fr.creditagricole.androidapp:CreditAgricole:bank de.number26.android:N26:bank
com.boursorama.android.clients:Boursorama:bank com.strava:Strava:fit
com.fitbit.FitbitMobile:Fitbit:fit com.nike.plusgps:Nike:fit
com.myfitnesspal.android:MyFitnessPal:fit com.runtastic.android:Runtastic:fit
com.duolingo:Duolingo:tool com.microsoft.office.outlook:Microsoft:tool
com.microsoft.office.word:Microsoft:tool com.dropbox.android:Dropbox:tool
com.adobe.reader:Adobe:tool com.adobe.scan.android:Adobe:tool com.evernote:Evernote:tool
com.todoist:Doist:tool com.x8bit.bitwarden:Bitwarden:tool com.nordvpn.android:NordVPN:tool
com.cloudflare.onedotonedotonedotone:Cloudflare:tool com.canva.editor:Canva:tool
com.picsart.studio:PicsArt:tool fr.doctolib.www:Doctolib:tool com.openai.chatgpt:OpenAI:tool
com.truecaller:Truecaller:call com.king.candycrushsaga:King:game
com.supercell.clashofclans:Supercell:game com.supercell.clashroyale:Supercell:game
com.kiloo.subwaysurf:Kiloo:game com.mojang.minecraftpe:Mojang:game
com.roblox.client:Roblox:game com.innersloth.spacemafia:Innersloth:game com.chess:Chess:game
com.playrix.homescapes:Playrix:game com.bumble.app:Bumble:social com.tinder:Tinder:social
co.hinge.app:Hinge:social
"""
"""Real Play Store apps as package:signer:kind (more are made up from VENDORS x PRODUCTS)."""
VENDORS = _words(
    "brightleaf nordlys pixelforge quietharbor bluepeak lumacraft tinyowl redkite sunmill "
    "fablewood irongate coralbay mapleroot greenfjord swiftlark ambertide kestrel moonrise "
    "oakline cobaltbox zenpath hazelnut polarfox copperpot silverline wildberry foxglove"
)
PRODUCTS = _words(
    "notes scanner recipes weather puzzle solitaire budget metronome flashlight sudoku "
    "podcasts journal habits meditation tuner translator stopwatch calendar gallery wallpapers "
    "radio parking fuelprices garden yoga cycling stargazer birdsong quiz cards"
)
EDITIONS = ("", ".lite", ".pro", ".free")
MAX_APPS = 3000
"""Made-up names run out past this many apps."""
SYSTEM = _words(
    "com.android.phone com.android.server.telecom com.android.providers.telephony "
    "com.android.providers.contacts com.android.providers.media com.android.providers.downloads "
    "com.android.providers.calendar com.android.bluetooth com.android.nfc com.android.shell "
    "com.android.printspooler com.android.keychain com.android.certinstaller com.android.se "
    "com.android.location.fused com.android.carrierconfig com.android.mms.service "
    "com.android.cellbroadcastreceiver com.android.emergency com.android.storagemanager "
    "com.android.managedprovisioning com.android.companiondevicemanager com.android.traceur "
    "com.android.wallpaperbackup com.android.sharedstoragebackup com.android.inputdevices "
    "com.android.chrome com.android.vending com.google.android.gsf com.google.android.webview "
    "com.google.android.youtube com.google.android.apps.maps com.google.android.gm "
    "com.google.android.apps.photos com.google.android.calendar com.google.android.deskclock "
    "com.google.android.calculator com.google.android.apps.docs com.google.android.keep "
    "com.google.android.apps.nexuslauncher com.google.android.inputmethod.latin "
    "com.google.android.tts com.google.android.packageinstaller com.google.android.dialer "
    "com.google.android.contacts com.google.android.GoogleCamera com.google.android.apps.wellbeing "
    "com.google.android.as com.google.android.apps.safetyhub com.google.android.documentsui "
    "com.google.android.apps.restore com.google.android.setupwizard com.google.android.apps.turbo "
    "com.google.android.apps.wallpaper com.google.android.apps.tachyon "
    "com.google.android.apps.recorder com.google.android.apps.walletnfcrel"
)
SIDELOADED = (
    ("org.fdroid.fdroid", "com.android.chrome"),
    ("org.schabi.newpipe", "org.fdroid.fdroid"),
    ("com.termux", "org.fdroid.fdroid"),
    ("org.videolan.vlc", "org.fdroid.fdroid"),
    ("net.osmand.plus", "org.fdroid.fdroid"),
    ("com.aurora.store", "com.google.android.packageinstaller"),
    ("com.kunzisoft.keepass.free", "org.fdroid.fdroid"),
    ("de.blinkt.openvpn", "org.fdroid.fdroid"),
)
"""Apps from F-Droid, or whose APK was downloaded: (package, installer)."""


def _play_catalog(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """``count`` Play Store apps: the real ones first, then made-up ones of the same shape."""
    real = [tuple(item.split(":")) for item in _words(PLAY)]
    made = [
        (f"com.{v}.{p}{x}", v.capitalize()) for v in VENDORS for p in PRODUCTS for x in EDITIONS
    ]
    rng.shuffle(made)
    kinds = sorted(KINDS)
    catalog = [(n, s, k) for n, s, k in real] + [(n, s, rng.choice(kinds)) for n, s in made]
    return catalog[:count]


def _install_time(rng: random.Random) -> str:
    day = time.gmtime(1640995200 + rng.randrange(0, 800) * 86400 + rng.randrange(86400))
    return time.strftime("%Y-%m-%d %H:%M:%S", day)


def realistic_phone(apps: int, seed: int) -> Phone:
    """A phone of exactly ``apps`` apps, TheTruthSpy among them (an androidgen ``Phone``)."""
    from support.androidgen import App, stalkerware_phone  # noqa: PLC0415 - tests/ on the path
    from support.androidgen.phone import PHONE_STATE  # noqa: PLC0415

    rng = random.Random(seed)
    phone = stalkerware_phone(*SPY)
    taken = {a.name for a in phone.apps}
    used = {a.uid for a in phone.apps}
    uids = (uid for uid in range(10001, 20000) if uid not in used)
    n_system = max(apps // 5 - 4, 2)  # base_apps already holds 4 system apps
    n_side = min(max(apps // 50, 1), len(SIDELOADED))
    n_play = apps - len(phone.apps) - n_system - n_side
    system = [n for n in SYSTEM if n not in taken]
    system += [f"com.google.android.overlay.module{i}" for i in range(n_system - len(system))]
    for i, name in enumerate(system[:n_system]):
        phone.apps.append(App(name, next(uids), installer=None, system=True,
                              signer="CN=Android, O=Google", launcher=i % 3 == 0,
                              disabled=name.endswith("tachyon"),
                              first_install="2023-06-12 08:01:17"))  # fmt: skip
    for name, installer in SIDELOADED[:n_side]:
        phone.apps.append(App(name, next(uids), installer=installer, signer=f"CN={name}",
                              first_install=_install_time(rng)))  # fmt: skip
    for name, signer, kind in _play_catalog(rng, n_play):
        perms = tuple(P + p for p in KINDS[kind] if rng.random() < 0.85)
        app = App(name, next(uids), signer=f"CN={signer}, O={signer}", permissions=perms,
                  version_code=rng.randrange(1000, 99_999_999), first_install=_install_time(rng),
                  version_name=f"{rng.randrange(1, 30)}.{rng.randrange(20)}.{rng.randrange(9)}",
                  receivers=(PHONE_STATE,) if kind == "call" else ())  # fmt: skip
        if name == "com.fitbit.FitbitMobile":
            app.notification_listener = "com.fitbit.notifications.NotificationListener"
        if name == "com.x8bit.bitwarden":  # declared, not turned on
            app.accessibility = "com.x8bit.bitwarden.Accessibility.AccessibilityService"
        phone.apps.append(app)
    assert len(phone.apps) == apps, (len(phone.apps), apps)
    return phone


def files_json(phone: Phone, count: int, seed: int) -> bytes:
    """androidqf's files.json: the generator's own entries plus ``count`` files of a used phone."""
    from support.androidgen import files as gen_files  # noqa: PLC0415 - tests/ on the path

    rng = random.Random(seed)
    entries: list[dict[str, Any]] = json.loads(gen_files.files_json(phone))
    third = [a.name for a in phone.apps if not a.system]
    for _ in range(count - len(entries)):
        t = 1640995200 + rng.randrange(0, 800 * 86400)
        stamp = time.strftime("%Y%m%d_%H%M%S", time.gmtime(t))
        path = rng.choices([
            f"/sdcard/DCIM/Camera/IMG_{stamp}.jpg", f"/sdcard/DCIM/Camera/VID_{stamp}.mp4",
            f"/sdcard/Pictures/Screenshots/Screenshot_{stamp.replace('_', '-')}.png",
            f"/sdcard/Android/media/com.whatsapp/WhatsApp/Media/WhatsApp Images/"
            f"IMG-{stamp[:8]}-WA{rng.randrange(9999):04d}.jpg",
            f"/sdcard/Download/document_{rng.randrange(99999)}.pdf",
            f"/sdcard/Music/track_{rng.randrange(99999)}.mp3",
            f"/sdcard/Android/data/{rng.choice(third)}/cache/{rng.getrandbits(64):016x}",
        ], weights=[40, 5, 10, 20, 5, 5, 15])[0]  # fmt: skip
        size = rng.randrange(2_000, 8_000_000)
        entry = dict(entries[0], path=path, size=size, mode="-rw-rw----", user_id=10000 + 275)
        entry.update(user_name="u0_a275", group_id=9997, group_name="everybody",
                     changed_time=t, modified_time=t, access_time=t + rng.randrange(10**6),
                     context="u:object_r:media_rw_data_file:s0")  # fmt: skip
        entries.append(entry)
    return json.dumps(entries).encode()


OTHER_SERVICES: dict[str, str] = {
    "activity": "  * ProcessRecord{{{h:07x} {pid}:{app}/u0a{u}}}\n    user #0 uid={uid} "
    "gids={{50{u}, 20{u}, 9997}}\n    lastActivityTime=-{m}m{s}s ago lastPss={kb}KB\n",
    "alarm": "    RTC_WAKEUP #{s}: Alarm{{{h:07x} type 0 origWhen 17109{pid}000 window 900000 "
    "repeatInterval 0 count 0 flags 0x8 {app}}}\n      tag=*walarm*:{app}/.sync.SyncAlarm\n",
    "jobscheduler": "  JOB #u0a{u}/{pid}: {h:07x} {app}/androidx.work.impl.background.systemjob"
    ".SystemJobService\n    Requires: charging=false batteryNotLow=false deviceIdle=false\n",
    "meminfo": "    {kb:,}K: {app} (pid {pid} / activities)\n",
    "notification": "    NotificationRecord(0x{h:08x}: pkg={app} user=UserHandle{{0}} id={s} "
    "tag=null importance=3 key=0|{app}|{s}|null|{uid}: Notification(channel=default))\n",
    "usagestats": '        package={app} totalTimeUsed="00:{m:02d}:{s:02d}" '
    'lastTimeUsed="2024-03-20 21:{m:02d}:{s:02d}" launchCount={m}\n',
    "window": "  Window #{s} Window{{{h:07x} u0 {app}/{app}.MainActivity}}:\n    mDisplayId=0 "
    "rootTaskId={pid} mSession=Session{{{h:07x} {pid}:u0a{u}}} mClient=android.os.BinderProxy\n",
}
"""Services that neither tool reads, in the shape real dumps print them, so that both have to
step over realistic bulk (a real full dumpsys runs to many megabytes)."""


def other_services(phone: Phone, total: int, seed: int) -> dict[str, bytes]:
    """About ``total`` bytes of OTHER_SERVICES sections, cycling over the phone's apps."""
    rng, bodies = random.Random(seed), {}
    for name, line in OTHER_SERVICES.items():
        parts, size = [f"{name.upper()} MANAGER STATE (dumpsys {name})\n"], 0
        while size < total // len(OTHER_SERVICES):
            for app in phone.apps:
                text = line.format(app=app.name, uid=app.uid, u=app.uid - 10000,
                                   pid=3000 + rng.randrange(20000), h=rng.getrandbits(32),
                                   m=rng.randrange(60), s=rng.randrange(60),
                                   kb=rng.randrange(4000, 400000))  # fmt: skip
                parts.append(text)
                size += len(text)
        bodies[name] = "".join(parts).encode()
    return bodies


def full_dumpsys(dump: bytes, extra: dict[str, bytes], mvt_label: bool) -> bytes:
    """androidgen's dump with the ``extra`` services merged in name order, as dumpsys sorts them.

    ``mvt_label`` writes the package section as ``DUMP OF SERVICE package:``: androidgen labels
    it ``HIGH package`` in bugreports, and MVT's bugreport modules (packages, activities,
    receivers) look for the plain label only, so they would find no package at all.
    """
    marker = DASHES + b"\nDUMP OF SERVICE "
    head, *sections = dump.split(marker)
    for name, body in extra.items():
        end = f"--------- 0.031s was the duration of dumpsys {name}, ending at: 2024-03-21\n"
        sections.append(f"{name}:\n".encode() + body + end.encode())
    sections.sort(key=lambda s: s.split(b":", 1)[0].split()[-1].lower())
    names = [s.split(b":", 1)[0].split()[-1].decode() for s in sections]
    head = b"Currently running services:\n" + "".join(f"  {n}\n" for n in names).encode()
    out = marker.join([head, *sections])
    return out.replace(marker + b"HIGH package:", marker + b"package:") if mvt_label else out


def child_generate(spec: dict[str, Any]) -> None:
    """Write one phone as an androidqf folder (with androidqf's bugreport.zip) and a bugreport."""
    sys.path.insert(0, str(BENCH.parent / "tests"))
    from support.androidgen import bugreport_files, write_androidqf, zip_bytes  # noqa: PLC0415
    from support.androidgen.dumpsys import dumpsys  # noqa: PLC0415

    apps, seed = spec["apps"], spec["seed"]
    phone = realistic_phone(apps, seed)
    extra = other_services(phone, spec["filler_kb"] * 1024 * apps, seed)
    report = bugreport_files(phone)
    main = report["main_entry.txt"].decode()
    plain = dumpsys(phone, priorities=True)
    full = full_dumpsys(plain, extra, mvt_label=not spec["androidgen_label"])
    report[main] = report[main].replace(plain, full)
    report_zip = zip_bytes(report)
    Path(spec["bugreport"]).write_bytes(report_zip)
    # ``broken`` is androidgen's hook that puts files in before hashes.csv is written
    added = {
        "files.json": files_json(phone, apps * FILES_PER_APP, seed),
        "dumpsys.txt": full_dumpsys(dumpsys(phone), extra, mvt_label=True),
        "bugreport.zip": report_zip,
    }
    shutil.rmtree(spec["folder"], ignore_errors=True)
    write_androidqf(phone, Path(spec["folder"]), broken=added)
    sizes = {k: len(v) for k, v in added.items()} | {"dumpstate": len(report[main])}
    print(json.dumps({"apps": len(phone.apps), "sizes": sizes}))


# -- measuring ----------------------------------------------------------------------------------


@dataclass
class Result:
    """One engine on one input of one phone."""

    engine: str
    kind: str
    """``androidqf`` (folder) or ``bugreport`` (zip)."""
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_mb: float = 0.0
    found: str = ""
    """What the engine reported on its last run, in a few words."""
    failed: str | None = None

    @property
    def wall(self) -> float | None:
        """Median wall seconds, None if it never ran to the end."""
        return statistics.median(self.walls) if self.walls else None


@dataclass
class Engine:
    """How to run one engine on one input, and how to read what it found."""

    name: str
    kind: str
    cmd: list[str]
    out: Path
    """Report file (stalkerscan) or output folder (MVT), removed before each run."""
    env: dict[str, str]


def run_child(engine: Engine, result: Result, *, timed: bool = True) -> None:
    """Run the engine once, adding its wall time, CPU time and peak RSS to ``result`` if
    ``timed`` (a warm-up run only checks that it works and fills the caches)."""
    if engine.out.is_dir():
        shutil.rmtree(engine.out)
    engine.out.unlink(missing_ok=True)
    log = engine.out.with_name(engine.out.name + ".log")
    with log.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(engine.cmd, stdout=sink, stderr=subprocess.STDOUT, env=engine.env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-3:]
        result.failed = f"exit {code}: {' | '.join(line.strip() for line in tail)}"
        return
    if not timed:
        return
    result.walls.append(wall)
    result.cpus.append(usage.ru_utime + usage.ru_stime)
    scale = 1e6 if sys.platform == "darwin" else 1024.0  # bytes on macOS, KiB on Linux
    result.rss_mb = max(result.rss_mb, usage.ru_maxrss / scale)
    if engine.kind != "start-up":
        mvt = engine.name.startswith("mvt")
        result.found = found_by_mvt(engine, log) if mvt else found_by_us(engine)


def found_by_us(engine: Engine) -> str:
    """Verdict, findings and whether TheTruthSpy is named, from stalkerscan's JSON report."""
    report = json.loads(engine.out.read_text())
    named = any(
        f.get("severity") == "critical" and SPY[0] in f["title"] for f in report["findings"]
    )
    spy = "TheTruthSpy named" if named else "TheTruthSpy NOT named"
    return f"{report['verdict']}, {len(report['findings'])} findings, {spy}"


def found_by_mvt(engine: Engine, log: Path) -> str:
    """Alerts by level, whether TheTruthSpy is named, and every ERROR line of MVT's log."""
    alerts_file = engine.out / "alerts.json"
    alerts = json.loads(alerts_file.read_text()) if alerts_file.is_file() else []
    levels: dict[str, int] = {}
    for alert in alerts:
        levels[alert["level"]] = levels.get(alert["level"], 0) + 1
    named = any(a["level"] == "CRITICAL" and SPY[0] in a["message"] for a in alerts)
    counts = " ".join(f"{n} {level.lower()}" for level, n in sorted(levels.items()))
    text = log.read_text(errors="replace")
    packages = re.findall(r"(Found \d+ packages in|Extracted details on \d+ packages)", text)
    errors = re.findall(r"^ERROR\s+\[mvt\.(?:\w+\.)*(\w+)\]\s+(.*?)\s*$", text, flags=re.MULTILINE)
    found = (
        f"alerts: {counts or 'none'}; {'TheTruthSpy named' if named else 'TheTruthSpy NOT named'}"
    )
    found += "".join(f"; {p.replace(' in', '')}" for p in packages)
    return found + "".join(f"; ERROR in {module}: {message}" for module, message in errors)


def child_env(mvt: bool) -> dict[str, str]:
    """Both tools with a bytecode cache in bench/out/pycache, as an installed package has (this
    environment may set PYTHONDONTWRITEBYTECODE, which would make every run recompile stalkerscan's
    sources); MVT also with no network, no update checks, its settings in bench/out."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    if mvt:
        env.update(MVT_NETWORK_ACCESS_ALLOWED="false", COLUMNS="400")
        env["MVT_CONFIG_FOLDER"] = str(MVT_HOME / "config")
        env["MVT_DATA_FOLDER"] = str(MVT_HOME / "data")
    return env


def engines(paths: dict[str, Path], args: argparse.Namespace) -> list[Engine]:
    """stalkerscan and (when its venv is there) MVT, on the androidqf folder and the bugreport."""
    scan = Path(sys.executable).parent / "stalkerscan"
    mine = [arg for p in args.indicators for arg in ("--indicators", str(p))]
    theirs = ["-i", str(args.stix)] if args.stix else []
    mvt_cmd = {"androidqf": ["check-androidqf", "-n"], "bugreport": ["check-bugreport"]}
    found = []
    for kind, path in paths.items():
        out = OUT / "android" / f"{path.name}.stalkerscan.json"
        cmd = [str(scan), "scan", str(path), "--json", str(out), "--quiet", *mine]
        found.append(Engine("stalkerscan scan", kind, cmd, out, child_env(mvt=False)))
        if MVT_BIN.is_file() and not args.no_mvt:
            out = OUT / "android" / f"{path.name}.mvt"
            cmd = [str(MVT_BIN), *MVT_QUIET, *mvt_cmd[kind], *theirs, "-o", str(out), str(path)]
            name = f"mvt-android {mvt_cmd[kind][0]}"
            found.append(Engine(name, kind, cmd, out, child_env(mvt=True)))
    return found


def warm(paths: list[Path]) -> None:
    """Read every input file once so that each engine finds it in the page cache."""
    buffer = bytearray(1 << 20)
    for path in paths:
        for item in [path] if path.is_file() else sorted(path.rglob("*")):
            if item.is_file():
                with item.open("rb", buffering=0) as f:  # in chunks: this process stays small
                    while f.readinto(buffer):
                        pass


def rounds(runs: list[Engine], count: int, label: str) -> list[Result]:
    """One untimed warm-up round, then ``count`` rounds; the engines take turns in each."""
    results = [Result(e.name, e.kind) for e in runs]
    for round_no in range(count + 1):
        for engine, result in zip(runs, results, strict=True):
            if result.failed is None:
                run_child(engine, result, timed=round_no > 0)
            done = "FAILED" if result.failed else "ok"
            done = f"{result.walls[-1]:.2f} s" if round_no and result.walls else done
            where = f"round {round_no}/{count}" if round_no else "warm-up (not timed)"
            print(f"  {label}, {where}  {engine.name:<32} {done}", flush=True)
    return results


def startup(args: argparse.Namespace) -> list[Result]:
    """What each tool costs before it reads anything: start, import its CLI, exit."""
    scan = Path(sys.executable).parent / "stalkerscan"
    runs = [Engine("stalkerscan scan --help", "start-up", [str(scan), "scan", "--help"],
                   OUT / "android" / "startup.stalkerscan", child_env(mvt=False))]  # fmt: skip
    if MVT_BIN.is_file() and not args.no_mvt:
        cmd = [str(MVT_BIN), *MVT_QUIET, "version"]
        runs.append(Engine("mvt-android version", "start-up", cmd, OUT / "android" / "startup.mvt",
                           child_env(mvt=True)))  # fmt: skip
    results = rounds(runs, args.runs, "start-up")
    print("| start-up only | wall s (median) | CPU s | peak RSS MB |\n|---|---:|---:|---:|")
    for r in results:
        cells = (
            f"{r.wall:.2f} | {statistics.median(r.cpus):.2f} | {r.rss_mb:.0f}"
            if r.walls
            else r.failed
        )
        print(f"| {r.engine} | {cells} |")
    return results


def measure(apps: int, args: argparse.Namespace) -> dict[str, Any]:
    """Generate the phone of ``apps`` apps, run every engine ``args.runs`` rounds, print a table."""
    folder = OUT / "android" / f"phone-{apps}"
    spec = {"apps": apps, "seed": args.seed, "filler_kb": args.filler_kb_per_app,
            "androidgen_label": args.androidgen_label, "folder": str(folder),
            "bugreport": str(folder.with_name(f"phone-{apps}.bugreport.zip"))}  # fmt: skip
    gen = [sys.executable, str(Path(__file__).resolve()), "--child-generate", json.dumps(spec)]
    done = subprocess.run(gen, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"generating the phone of {apps} apps failed:\n{done.stderr}")
    made = json.loads(done.stdout)
    paths = {"androidqf": folder, "bugreport": Path(spec["bugreport"])}
    runs = engines(paths, args)
    warm(list(paths.values()))
    results = rounds(runs, args.runs, f"{apps} apps")
    print_table(apps, made["sizes"], results)
    return {"apps": apps, "sizes": made["sizes"], "results": [asdict(r) for r in results]}


# -- reporting ----------------------------------------------------------------------------------


def _ratio(results: list[Result], kind: str) -> float | None:
    """stalkerscan's median wall time over MVT's on the same input."""
    walls = {r.engine.split()[0]: r.wall for r in results if r.kind == kind}
    ours, theirs = walls.get("stalkerscan"), walls.get("mvt-android")
    return ours / theirs if ours and theirs else None


def print_table(apps: int, sizes: dict[str, int], results: list[Result]) -> None:
    """One phone's table: wall time, CPU, peak RSS and what each engine found."""
    mb = {k: v / 1e6 for k, v in sizes.items()}
    print(f"\nphone of {apps} apps: dumpsys.txt {mb['dumpsys.txt']:.1f} MB, files.json "
          f"{mb['files.json']:.1f} MB, bugreport zip {mb['bugreport.zip']:.1f} MB "
          f"({mb['dumpstate']:.1f} MB of dumpstate text)")  # fmt: skip
    print("| input | engine | wall s (median) | min-max | CPU s | peak RSS MB | found |")
    print("|---|---|---:|---:|---:|---:|---|")
    for r in results:
        if r.failed or not r.walls:
            print(f"| {r.kind} | {r.engine} | failed | | | | {r.failed} |")
            continue
        print(f"| {r.kind} | {r.engine} | {r.wall:.2f} | {min(r.walls):.2f}-{max(r.walls):.2f} "
              f"| {statistics.median(r.cpus):.2f} | {r.rss_mb:.0f} | {r.found} |")  # fmt: skip
    for kind in ("androidqf", "bugreport"):
        ratio = _ratio(results, kind)
        shown = f"{ratio:.2f}x (below 1: stalkerscan is faster)" if ratio else "n/a"
        print(f"  stalkerscan / MVT, {kind}: {shown}")


def print_scaling(phones: list[dict[str, Any]]) -> dict[str, Any]:
    """Median seconds per phone size, the cost of each added app, and the < 2 s target."""
    series: dict[str, list[tuple[int, float]]] = {}
    for phone in phones:
        for r in phone["results"]:
            if r["walls"]:
                key = f"{r['engine']} ({r['kind']})"
                series.setdefault(key, []).append((phone["apps"], statistics.median(r["walls"])))
    print("\nscaling: median wall seconds by number of apps (10 files per app)")
    print("| engine | " + " | ".join(f"{p['apps']} apps" for p in phones) + " | ms per added app |")
    print("|---|" + "---:|" * (len(phones) + 1))
    slopes: dict[str, list[float]] = {}
    for key, points in series.items():
        steps = list(itertools.pairwise(points))
        slopes[key] = [(t2 - t1) / (n2 - n1) * 1000 for (n1, t1), (n2, t2) in steps]
        cells = " | ".join(f"{t:.2f}" for _n, t in points)
        print(f"| {key} | {cells} | {' then '.join(f'{s:.2f}' for s in slopes[key]) or 'n/a'} |")
    target = {}
    for phone in phones:
        if phone["apps"] == TARGET_APPS:
            for r in phone["results"]:
                if r["engine"].startswith("stalkerscan") and r["walls"]:
                    wall = statistics.median(r["walls"])
                    target[r["kind"]] = wall
                    met = "met" if wall < TARGET_SECONDS else "NOT met"
                    print(f"  target < {TARGET_SECONDS:g} s for {TARGET_APPS} apps, {r['kind']}: "
                          f"{wall:.2f} s, {met}")  # fmt: skip
    return {"slopes_ms_per_app": slopes, "target_seconds": target}


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        model = [ln for ln in cpuinfo.read_text().splitlines() if ln.startswith("model name")]
        cpu = model[0].split(":", 1)[1].strip() if model else cpu
    mvt = "absent"
    if MVT_BIN.is_file():
        pip = MVT_BIN.with_name("pip")
        shown = subprocess.run(
            [str(pip), "show", "mvt"], capture_output=True, text=True, check=False
        )
        mvt = next(
            (ln.split()[-1] for ln in shown.stdout.splitlines() if ln.startswith("Version")), "?"
        )
    return {
        "cpus": str(os.cpu_count()), "cpu": cpu, "python": platform.python_version(),
        "system": platform.platform(), "mvt": mvt,
    }  # fmt: skip


def default_indicators() -> list[Path]:
    """The Echap folder of the shared test data if it is there (as tests/conftest.py finds it)."""
    env = os.environ.get("STALKERSCAN_SHARED_DATA")
    data = Path(env) if env else BENCH.parent.parent / "shared" / "data"
    echap = data / "stalkerware-indicators"
    return [echap] if (echap / "ioc.yaml").is_file() else []


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--quick", action="store_true", help="one phone of 50 apps, one run: a smoke test")
    add("--apps", default="50,300,1000", help="phone sizes in apps, comma-separated")
    add("--runs", type=int, default=5, help="runs of each engine on each input (median)")
    add("--seed", type=int, default=1)
    add("--indicators", type=Path, action="append", default=[],
        help="indicator set for stalkerscan (default: Echap of the shared test data)")  # fmt: skip
    add("--stix", type=Path, help=f"STIX 2 file for MVT (default: ECHAP/{STIX_FILE})")
    add("--no-indicators", action="store_true", help="no indicator files for either tool")
    add("--no-mvt", action="store_true", help="time stalkerscan only")
    add("--filler-kb-per-app", type=int, default=40,
        help="KB of other dumpsys services (activity, meminfo...) per app, 0: none")  # fmt: skip
    add("--androidgen-label", action="store_true",
        help="keep androidgen's 'DUMP OF SERVICE HIGH package:' in the bugreport")  # fmt: skip
    add("--child-generate", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Generate the phones, time every engine, print the tables, save bench_android.json."""
    args = parse_args(argv)
    if args.child_generate:
        child_generate(json.loads(args.child_generate))
        return 0
    (OUT / "android").mkdir(parents=True, exist_ok=True)
    if args.no_indicators:
        args.indicators, args.stix = [], None
    elif not args.indicators:
        args.indicators = default_indicators()
    if args.stix is None and args.indicators and not args.no_indicators:
        stix = args.indicators[0] / STIX_FILE
        args.stix = stix if stix.is_file() else None
    mine = ", ".join(map(str, args.indicators)) or "only the sets installed, if any"
    print(f"stalkerscan indicators: {mine}; "
          f"MVT indicators: {args.stix or 'NONE'}")  # fmt: skip
    if not args.indicators:
        print("  note: no indicator files given (shared test data not found?): TheTruthSpy is "
              "named only if an installed set lists it; MVT runs with no indicators")  # fmt: skip
    if not MVT_BIN.is_file() and not args.no_mvt:
        print(f"  note: {MVT_HELP}")
    info = machine()
    print(", ".join(f"{k}: {v}" for k, v in info.items()))
    sizes = [50] if args.quick else [int(n) for n in args.apps.split(",")]
    if not all(20 <= n <= MAX_APPS for n in sizes):
        sys.exit(f"--apps: each phone holds 20 to {MAX_APPS} apps")
    args.runs = 1 if args.quick else args.runs
    first = [asdict(r) for r in startup(args)]
    phones = [measure(apps, args) for apps in sizes]
    summary = {"machine": info, "startup": first, "phones": phones}
    summary["scaling"] = print_scaling(phones)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"\nthis script's own peak RSS: {own:.0f} MB ({PARENT_NOTE})")
    (OUT / "bench_android.json").write_text(json.dumps(summary, indent=2))
    print(f"results saved to {OUT / 'bench_android.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
