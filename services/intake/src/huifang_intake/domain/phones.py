"""Phone numbers normalised on entry (E.164, region CN by default) and masked in lists."""

from __future__ import annotations

import re

import phonenumbers

from huifang_intake.domain.errors import DomainError

DEFAULT_REGION = "CN"
#: A mainland mobile number as ERPs and front desks usually send it: 11 digits, optionally +86/86.
_CN_MOBILE = re.compile(r"(?:\+?86)?(1[3-9][0-9]{9})")


def normalise_phone(raw: str | None, field: str = "requester_phone", region: str = DEFAULT_REGION) -> str | None:
    """'138-0013 8000' → '+8613800138000'; an unparseable or impossible number is a 422 on `field`."""
    if raw is None or not raw.strip():
        return None
    if region == DEFAULT_REGION and (mobile := _CN_MOBILE.fullmatch(raw.strip())):
        return f"+86{mobile[1]}"  # what phonenumbers gives, without its parse: most numbers come so
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise DomainError(field, f"not a phone number: {exc}") from exc
    if not phonenumbers.is_possible_number(number):
        raise DomainError(field, "not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone: str | None) -> str | None:
    """Lists show '138****8000': enough to recognise a caller, not enough to harvest numbers."""
    if not phone:
        return phone
    digits = phone[3:] if phone.startswith("+86") else phone.lstrip("+")
    if len(digits) <= 7:
        return digits[:2] + "*" * max(len(digits) - 4, 1) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
