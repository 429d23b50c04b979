"""Records about apps: packages, certificates, permissions, components, admins, app ops."""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PackageCertificate:
    """The APK signing certificate androidqf read from a pulled APK."""

    md5: str | None
    """Lower-case hex digests of the DER certificate; None when androidqf left them empty."""
    sha1: str | None
    sha256: str | None
    subject: str | None
    issuer: str | None
    valid_from: str | None
    valid_to: str | None
    serial: str | None
    signature_algorithm: str | None


@dataclass(frozen=True, slots=True)
class PackageFile:
    """One APK file of a package (base or split), from packages.json."""

    path: str
    """Path on the phone, e.g. ``/data/app/~~x==/com.app-y==/base.apk``."""
    local_name: str | None
    """Where androidqf saved its copy inside the acquisition (``apks/...``), if it did."""
    md5: str | None
    sha1: str | None
    sha256: str | None
    sha512: str | None
    certificate: PackageCertificate | None
    """None when the APK was not pulled or its certificate could not be read."""
    certificate_verified: bool
    certificate_trusted: bool
    """androidqf's allowlist of well-known signers (Google, Samsung, Meta...) matched."""
    error: str | None
    """Why androidqf could not pull or hash the file, if it failed."""
    certificate_error: str | None


@dataclass(frozen=True, slots=True)
class AndroidPackage:
    """An installed package as androidqf listed it (packages.json)."""

    name: str
    installer: str | None
    """Installing package (``com.android.vending``...); None when androidqf wrote ``null`` or
    nothing (sideloaded with adb, preinstalled, or the phone did not say)."""
    uid: int | None
    system: bool
    third_party: bool
    disabled: bool
    files: tuple[PackageFile, ...]


@dataclass(frozen=True, slots=True)
class PermissionGrant:
    """One permission state of a package (dumpsys package)."""

    name: str
    granted: bool
    runtime: bool
    """True for a runtime (dangerous) permission, False for an install-time one."""
    user: int | None
    """The user it applies to for runtime permissions; None for install permissions."""


@dataclass(frozen=True, slots=True)
class PackageUserState:
    """A package's state for one user (the ``User N:`` line of dumpsys package)."""

    user: int
    installed: bool | None
    hidden: bool | None
    suspended: bool | None
    stopped: bool | None
    enabled: int | None
    """Enabled state: 0 default, 1 enabled, 2 disabled, 3 disabled by user, 4 until used."""
    first_install_time: str | None


@dataclass(frozen=True, slots=True)
class PackageDetails:
    """A package as the package manager described it (``Packages:`` in dumpsys package)."""

    name: str
    uid: int | None
    version_code: int | None
    version_name: str | None
    installer: str | None
    """``installerPackageName``; None when ``null`` or absent."""
    code_path: str | None
    flags: tuple[str, ...]
    """The ``flags=[ ... ]`` words (``SYSTEM``, ``DEBUGGABLE``...)."""
    first_install_time: str | None
    """Phone local time."""
    last_update_time: str | None
    requested_permissions: tuple[str, ...]
    permissions: tuple[PermissionGrant, ...]
    """Install and runtime permission states."""
    users: tuple[PackageUserState, ...]

    @property
    def system(self) -> bool:
        """The package is part of the system image."""
        return "SYSTEM" in self.flags


@dataclass(frozen=True, slots=True)
class ResolverEntry:
    """A component registered for an intent in a resolver table of dumpsys package."""

    table: str
    """``activity``, ``receiver``, ``service`` or ``provider``."""
    section: str
    """``Non-Data Actions``, ``Full MIME Types``, ``Schemes``..."""
    key: str
    """The action, MIME type or scheme the component is listed under."""
    component: str
    """As printed, e.g. ``com.app/.MainActivity``."""
    package: str
    categories: tuple[str, ...]
    """Intent categories, only when the dump printed the filters (``dumpsys package <pkg>``)."""
    filter_shown: bool
    """Whether the filter details were printed; when False, ``categories`` is unknown, not empty."""


class AccessibilityState(enum.Enum):
    """Which list of the accessibility dump a service appeared in."""

    INSTALLED = "installed"
    ENABLED = "enabled"
    BOUND = "bound"
    BINDING = "binding"
    CRASHED = "crashed"


@dataclass(frozen=True, slots=True)
class AccessibilityService:
    """An accessibility service: what lets an app read the screen and act for the user."""

    component: str
    package: str
    state: AccessibilityState
    user: int | None
    source: str
    """``dumpsys accessibility`` or ``settings secure enabled_accessibility_services``."""


class AdminRole(enum.Enum):
    """An active device admin (can lock, wipe, watch unlock attempts), or an owner (MDM)."""

    ADMIN = "admin"
    DEVICE_OWNER = "device_owner"
    PROFILE_OWNER = "profile_owner"


@dataclass(frozen=True, slots=True)
class DeviceAdmin:
    """A device admin, device owner or profile owner (dumpsys device_policy)."""

    component: str
    package: str
    role: AdminRole
    user: int | None
    uid: int | None
    policies: tuple[str, ...]
    """Policies the admin uses (``wipe-data``, ``force-lock``...), when listed."""


@dataclass(frozen=True, slots=True)
class NotificationListener:
    """An app allowed to read every notification (secure setting enabled_notification_listeners)."""

    component: str
    package: str
    source: str


@dataclass(frozen=True, slots=True)
class AppOpEvent:
    """One recorded use (``Access``) or refusal (``Reject``) of an app op."""

    kind: str
    """``access`` or ``reject``."""
    time: str
    """Phone local time."""
    state: str | None
    """Process state when it happened: ``top-s``, ``fg-s``, ``bg-s``, ``cch-s``..."""
    duration: str | None
    """As printed (``+33ms``), when given."""


@dataclass(frozen=True, slots=True)
class AppOp:
    """An app-op mode of a uid or package (dumpsys appops)."""

    uid: str
    """As printed: ``1000``, ``u0a104``."""
    package: str | None
    """None for an op set on the whole uid."""
    op: str
    """``REQUEST_INSTALL_PACKAGES``, ``READ_SMS``..."""
    mode: str
    """``allow``, ``ignore``, ``deny``, ``default``, ``foreground``."""
    events: tuple[AppOpEvent, ...]
