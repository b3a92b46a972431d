"""Two-factor authentication (TOTP, RFC 6238) with one-time recovery codes.

Writes follow the services' pattern (``two_factor_<verb>(*, …, by=user)``, audited), with one
exception: a wrong code is recorded in its own committed transaction *before* the DomainError is
raised, so that a failed attempt (and the lockout after five) is never rolled back with it.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from io import BytesIO

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstroom.accounts.models import RecoveryCode, TwoFactorDevice, User
from doorstroom.core import crypto
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.core.params import is_ascii_digits

MAX_FAILED_CODES = 5
LOCK_MINUTES = 15
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud safely
RECOVERY_CODE_LENGTH = 10
VALID_WINDOW = 1  # accept the previous and the next 30-second step (clock drift)


# Policy -----------------------------------------------------------------------------------


def is_required(user: User) -> bool:
    """Does this user's role (or a protected-section grant) demand a second factor?

    Required for ``DOORSTROOM_2FA_REQUIRED_ROLES`` (default: team lead, functional administrator,
    privacy officer: the roles that reach exports and other people's caseloads) and, when
    ``DOORSTROOM_2FA_REQUIRED_FOR_PROTECTED_GRANTS``, for a user a lead coach explicitly
    authorised to read a client's protected section (R-PRV-3, ``SensitiveAccess``).
    """
    roles = list(getattr(settings, "DOORSTROOM_2FA_REQUIRED_ROLES", []))
    if roles and user.has_role(*roles):
        return True
    if getattr(settings, "DOORSTROOM_2FA_REQUIRED_FOR_PROTECTED_GRANTS", False):
        from doorstroom.clients.models import SensitiveAccess

        return SensitiveAccess.objects.filter(user=user).exists()
    return False


def policy_active() -> bool:
    """False when this installation requires the second factor from nobody."""
    return bool(getattr(settings, "DOORSTROOM_2FA_REQUIRED_ROLES", [])) or bool(
        getattr(settings, "DOORSTROOM_2FA_REQUIRED_FOR_PROTECTED_GRANTS", False)
    )


def confirmed_device(user: User) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


# Secrets, QR and codes ----------------------------------------------------------------------


def secret_of(device: TwoFactorDevice) -> str:
    return crypto.decrypt(bytes(device.secret_ciphertext))


def provisioning_uri(device: TwoFactorDevice) -> str:
    return pyotp.TOTP(secret_of(device)).provisioning_uri(
        name=device.user.email, issuer_name=settings.DOORSTROOM_SITE_NAME
    )


def qr_svg(device: TwoFactorDevice) -> str:
    """The enrolment QR code as an inline SVG element (no script, allowed by the CSP)."""
    out = BytesIO()
    segno.make(provisioning_uri(device), error="m").save(
        out, kind="svg", xmldecl=False, svgns=True, scale=5, border=2, title=_("QR code")
    )
    return out.getvalue().decode()


def grouped(secret: str) -> str:
    """Split the secret in groups of four for typing it by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _hash_code(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _totp_counter(device: TwoFactorDevice, code: str, now: datetime.datetime) -> int | None:
    """Return the time step ``code`` belongs to, or None; a step already used is refused."""
    totp = pyotp.TOTP(secret_of(device))
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if device.last_counter is not None and step <= device.last_counter:
                return None  # replay of a code that was already accepted
            return step
    return None


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _i in range(RECOVERY_CODE_LENGTH))
        for _n in range(RECOVERY_CODE_COUNT)
    ]
    rows = []
    for code in codes:
        salt = secrets.token_hex(16)
        rows.append(RecoveryCode(user=user, salt=salt, code_hash=_hash_code(salt, code)))
    RecoveryCode.objects.bulk_create(rows)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def _match_recovery_code(user: User, code: str) -> RecoveryCode | None:
    for row in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        if hmac.compare_digest(row.code_hash, _hash_code(row.salt, code)):
            return row
    return None


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# Verification with lockout ------------------------------------------------------------------


def _refuse_when_locked(device: TwoFactorDevice, now: datetime.datetime) -> None:
    if device.locked_until is not None and device.locked_until > now:
        until = timezone.localtime(device.locked_until).strftime("%H:%M")
        raise DomainError(
            _("Too many wrong codes. Try again after %(time)s.") % {"time": until},
            field="code",
            code="locked",
        )


def _record_failure(device: TwoFactorDevice, now: datetime.datetime, *, context: str) -> None:
    """Count a wrong code in its own transaction; lock after five (audited)."""
    with transaction.atomic():
        locked = TwoFactorDevice.objects.select_for_update().get(pk=device.pk)
        locked.failed_attempts += 1
        audit(
            device.user,
            "accounts.two_factor.code_failed",
            device.user,
            {"context": context, "attempt": locked.failed_attempts},
            actor_label=device.user.email,
        )
        fields = ["failed_attempts"]
        if locked.failed_attempts >= MAX_FAILED_CODES:
            locked.locked_until = now + datetime.timedelta(minutes=LOCK_MINUTES)
            locked.failed_attempts = 0
            fields.append("locked_until")
            audit(
                device.user,
                "accounts.two_factor.locked",
                device.user,
                {"minutes": LOCK_MINUTES},
                actor_label=device.user.email,
            )
        locked.save(update_fields=fields)
        device.failed_attempts = locked.failed_attempts
        device.locked_until = locked.locked_until


def _accept(device: TwoFactorDevice, code: str, now: datetime.datetime) -> str | None:
    """Consume ``code`` (TOTP or recovery) when it is right; return which kind it was."""
    if is_ascii_digits(code, 6):
        step = _totp_counter(device, code, now)
        if step is None:
            return None
        device.last_counter = step
        return "totp"
    row = _match_recovery_code(device.user, code) if code else None
    if row is None:
        return None
    row.used_at = now
    row.save(update_fields=["used_at"])
    return "recovery"


def _verify(
    device: TwoFactorDevice, code: str, *, context: str, allow_recovery: bool = True
) -> str:
    """Check a code against ``device``; raise DomainError (field ``code``) when it is wrong."""
    now = timezone.now()
    _refuse_when_locked(device, now)
    normalised = _normalise(code)
    if not allow_recovery and not is_ascii_digits(normalised, 6):
        normalised = ""
    with transaction.atomic():
        device = (
            TwoFactorDevice.objects.select_for_update().select_related("user").get(pk=device.pk)
        )
        kind = _accept(device, normalised, now)
        if kind is not None:
            device.failed_attempts = 0
            device.save(update_fields=["last_counter", "failed_attempts"])
            if kind == "recovery":
                left = recovery_codes_left(device.user)
                audit(
                    device.user,
                    "accounts.two_factor.recovery_code_used",
                    device.user,
                    {"left": left, "context": context},
                    actor_label=device.user.email,
                )
            return kind
    _record_failure(device, now, context=context)
    _refuse_when_locked(device, now)
    raise DomainError(
        _("This code is not correct. Enter the 6-digit code your app shows now."), field="code"
    )


def two_factor_verify_login(*, user: User, code: str) -> str:
    """The login's second step: a current TOTP code or an unused recovery code."""
    device = confirmed_device(user)
    if device is None:
        raise DomainError(_("Two-factor authentication is not set up."), field="code")
    return _verify(device, code, context="login")


# Enrolment, recovery codes, disabling ----------------------------------------------------------


def two_factor_enrol_start(*, user: User) -> TwoFactorDevice:
    """Return the enrolment in progress (a new secret the first time); nothing is active yet."""
    device = TwoFactorDevice.objects.filter(user=user).first()
    if device is not None and device.is_confirmed:
        raise DomainError(_("Two-factor authentication is already on."))
    if device is None:
        device = TwoFactorDevice.objects.create(
            user=user, secret_ciphertext=crypto.encrypt(pyotp.random_base32())
        )
    return device


def two_factor_enrol_confirm(*, user: User, code: str, by: User) -> list[str]:
    """Activate the enrolment with a code from the app; return 10 recovery codes (shown once)."""
    device = TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise DomainError(_("Start the set-up again: scan the new QR code."), field="code")
    _verify(device, code, context="enrol", allow_recovery=False)
    with transaction.atomic():
        device.refresh_from_db()
        device.confirmed_at = timezone.now()
        device.save(update_fields=["confirmed_at"])
        codes = _new_recovery_codes(user)
        audit(by, "accounts.two_factor.enrolled", user)
    return codes


def _confirm_identity(user: User, *, code: str, password: str, context: str) -> TwoFactorDevice:
    """Demand a current code or the password before changing the second factor."""
    device = confirmed_device(user)
    if device is None:
        raise DomainError(_("Two-factor authentication is not on."))
    if code.strip():
        _verify(device, code, context=context)
    elif password:
        _refuse_when_locked(device, timezone.now())
        if not user.check_password(password):
            _record_failure(device, timezone.now(), context=context)
            raise DomainError(_("This password is not correct."), field="password")
    else:
        raise DomainError(_("Enter a code from your app or your password."), field="code")
    return device


def two_factor_disable(*, user: User, code: str = "", password: str = "", by: User) -> None:
    """Switch the second factor off (after a current code or the password)."""
    device = _confirm_identity(user, code=code, password=password, context="disable")
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        device.delete()
        audit(by, "accounts.two_factor.disabled", user)


def two_factor_recovery_codes_regenerate(
    *, user: User, code: str = "", password: str = "", by: User
) -> list[str]:
    """Replace all recovery codes by 10 new ones (the old ones stop working)."""
    _confirm_identity(user, code=code, password=password, context="recovery_codes")
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit(by, "accounts.two_factor.recovery_codes_regenerated", user)
    return codes


def two_factor_reset(*, user: User, by: User | None, label: str = "") -> bool:
    """Remove a user's second factor (for a user who lost both phone and recovery codes).

    The user sets it up again at the next login when their role requires it.
    """
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        deleted, _rows = TwoFactorDevice.objects.filter(user=user).delete()
        if deleted:
            audit(by, "accounts.two_factor.reset", user, actor_label=label)
    return bool(deleted)
