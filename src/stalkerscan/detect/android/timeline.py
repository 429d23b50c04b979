"""Timeline events of an Android acquisition: installs and updates, app-op uses, battery-history
changes, debugging computers, files in /data/local/tmp and user certificates, and the acquisition.

Events about an app start with ``<package>:`` so that ``detect_android`` can tie them to the
finding about that app. Phone-local times are converted to UTC when the phone's zone is known;
otherwise the event keeps the phone's time and says so.
"""

from __future__ import annotations

from collections.abc import Iterable

from stalkerscan.detect.android.context import AndroidView, AppInfo
from stalkerscan.detect.android.evidence import PhoneTime, acquisition_time, phone_time
from stalkerscan.detect.android.root import TMP_DIR
from stalkerscan.extract.android.files import user_ca_certificates
from stalkerscan.model import TimelineEvent

_WATCHED_OPS = frozenset({"REQUEST_INSTALL_PACKAGES"})


def _event(time: PhoneTime | None, input_name: str, source: str, text: str) -> TimelineEvent | None:
    if time is None:
        return None
    zone = "" if time.utc else " (phone time; its time zone is unknown)"
    return TimelineEvent(
        time=time.utc or time.local, input=input_name, source=source, description=text + zone
    )


def _app_events(view: AndroidView, app: AppInfo) -> Iterable[TimelineEvent | None]:
    acq = view.acq
    installer = view.installer_label(app.installer) if app.installer else "none"
    yield _event(
        acquisition_time(acq, app.install_time),
        acq.input,
        "package",
        f"{app.name}: installed (installer: {installer})",
    )
    details = app.details
    if details and details.last_update_time and details.last_update_time != app.install_time:
        version = f" to version {details.version_name}" if details.version_name else ""
        yield _event(
            acquisition_time(acq, details.last_update_time),
            acq.input,
            "package",
            f"{app.name}: updated{version}",
        )
    ops = _WATCHED_OPS | {op for cat in view.lists.categories for op in cat.app_ops}
    for op in app.app_ops:
        if op.op not in ops:
            continue
        for event in op.events:
            verb = "used" if event.kind == "access" else "was refused"
            state = f" ({event.state})" if event.state else ""
            yield _event(
                acquisition_time(acq, event.time),
                acq.input,
                "appops",
                f"{app.name}: {verb} {op.op}{state}",
            )


def _device_events(view: AndroidView) -> Iterable[TimelineEvent | None]:
    acq = view.acq
    for update in acq.battery_updates:
        what = (
            "removed"
            if update.action == "uninstall" or update.version_code == 0
            else f"installed or updated to version {update.version_code}"
        )
        yield _event(
            acquisition_time(acq, update.day_start),
            acq.input,
            "battery",
            f"{update.package}: {what} during the day that starts at this time (battery history)",
        )
    for key in acq.adb_keys:
        who = key.comment or key.fingerprint or "an unnamed computer"
        yield _event(
            acquisition_time(acq, key.last_connection),
            acq.input,
            "adb",
            f"Computer {who} last connected for debugging",
        )
    tmp = [f for f in acq.files if f.path.startswith(TMP_DIR)]
    for entry in (*tmp, *user_ca_certificates(acq.files)):
        yield _event(
            acquisition_time(acq, entry.modified), acq.input, "files", f"{entry.path}: modified"
        )
    info = acq.info
    yield _event(phone_time(info.started, None), acq.input, "acquisition", "Acquisition started")
    yield _event(
        phone_time(info.completed, None), acq.input, "acquisition", "Acquisition completed"
    )


def timeline_events(view: AndroidView) -> tuple[TimelineEvent, ...]:
    """Every timed event of the acquisition, sorted."""
    events: list[TimelineEvent | None] = []
    for app in view.apps.values():
        if app.system:
            continue
        events += _app_events(view, app)
    events += _device_events(view)
    kept = {e for e in events if e is not None}
    return tuple(sorted(kept, key=lambda e: (e.time, e.description)))
