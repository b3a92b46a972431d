"""Checks of client identity and contact data, shared by forms, services, imports and the API."""

from __future__ import annotations

import datetime

import phonenumbers
from django.utils.translation import gettext as _
from stdnum.be import bis, nn
from stdnum.exceptions import ValidationError

from doorstroom.core.errors import DomainError
from doorstroom.core.text import short_date


def clean_national_number(value: str, birth_date: datetime.date | None) -> str:
    """Return the INSZ as 11 digits, or raise with a message for the national-number field.

    Accepts national register numbers and BIS numbers (people not in the national register),
    with or without dots, dashes and spaces; the encoded birth date must match when known.
    """
    raw = (value or "").strip()
    if not raw:
        return ""
    compact = nn.compact(raw)
    if not (nn.is_valid(compact) or bis.is_valid(compact)):
        raise DomainError(
            _("This is not a valid national number (INSZ): check the 11 digits."),
            field="national_number",
            code="invalid_insz",
        )
    module = nn if nn.is_valid(compact) else bis
    try:
        encoded = module.get_birth_date(compact)
    except ValidationError:  # a number with an unknown birth date: nothing to compare
        encoded = None
    if encoded and birth_date and encoded != birth_date:
        raise DomainError(
            _("The national number does not match the date of birth (%(date)s).")
            % {"date": short_date(encoded)},
            field="national_number",
            code="insz_birth_date",
        )
    return str(compact)


def clean_phone(value: str, field: str = "phone") -> str:
    """Return the phone number in international format (+32…), or raise for ``field``."""
    raw = (value or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "BE")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DomainError(
            _("This is not a valid phone number, e.g. 0470 12 34 56 or +32 14 12 34 56."),
            field=field,
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value: str) -> str:
    """Return a stored (E.164) number formatted for reading: +32 470 12 34 56."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "BE")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def format_national_number(value: str) -> str:
    """Return an INSZ as 85.07.30-033.28."""
    return nn.format(value) if value else ""
