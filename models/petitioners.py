"""Who a petitioner is, as far as matching goes: a phone number or an ID number; and the
format rules for the numbers people type (mainland mobile, landline with area code, the
18-digit resident ID number with its GB 11643 check character)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Petitioner:
    phone: str | None = None
    id_number: str | None = None
    anonymous: bool = False

    def keys(self) -> frozenset[str]:
        """Normalised identities; empty for anonymous callers, whom we must not try to trace.
        Worked out once per petitioner and kept by it (repeat checks compare every prior case
        of a matter): not in a process-wide cache, which kept every petitioner ever seen."""
        known: frozenset[str] | None = self.__dict__.get("_keys")
        if known is None:
            known = _identity_keys(self.phone, self.id_number, self.anonymous)
            object.__setattr__(self, "_keys", known)
        return known

    def same_person(self, other: "Petitioner") -> bool:
        return bool(self.keys() & other.keys())


def _identity_keys(phone: str | None, id_number: str | None, anonymous: bool) -> frozenset[str]:
    if anonymous:
        return frozenset()
    keys = set()
    digits = normalise_phone(phone)
    if digits:
        keys.add(f"phone:{digits}")
    if id_number and id_number.strip():
        keys.add(f"id:{id_number.strip().upper()}")  # the check digit may be a lower-case x
    return frozenset(keys)


def normalise_phone(phone: str | None) -> str:
    """Digits only, without the +86 / 0086 country prefix: '+86 138-0000-1111' == '13800001111'."""
    digits = re.sub(r"\D", "", phone or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            return digits[len(prefix):]
    return digits


# --- Format rules for what an operator or cadre types (the edges apply them; pure here). ---
# Each rule answers None when the value is acceptable, else a reason code for the message
# catalogues (`reason.<code>`), so a form and the API refuse the same values in the same words.

PHONE_FORMAT = "petitioner.phone_format"
ID_FORMAT = "petitioner.id_format"
ID_BIRTH_DATE = "petitioner.id_birth_date"
ID_CHECKSUM = "petitioner.id_checksum"

_PHONE_CHARACTERS = re.compile(r"^\+?[\d\s()\-]+$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Landline with its area code: 010 and 02x are followed by 8 digits, other area codes
# (0 + three digits) by 7 or 8; local numbers never start with 0 or 1.
_LANDLINE = re.compile(r"^0(?:10|2\d)[2-9]\d{7}$|^0[3-9]\d{2}[2-9]\d{6,7}$")
_ID_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")
# GB 11643-1999: weights 2^(17-i) mod 11 of the first 17 digits; the sum mod 11 picks the check character.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def is_mobile(phone: str | None) -> bool:
    """A mainland mobile number (1[3-9] and nine digits), with or without +86 and separators."""
    return phone_kind(phone) == "mobile"


def is_landline(phone: str | None) -> bool:
    return phone_kind(phone) == "landline"


def phone_kind(phone: str | None) -> str | None:
    """'mobile', 'landline' (with its area code) or None when it is neither."""
    if not phone or not _PHONE_CHARACTERS.match(phone.strip()):
        return None
    if phone.strip().startswith("+") and not re.sub(r"\D", "", phone).startswith("86"):
        return None  # another country's number
    digits = normalise_phone(phone)
    if _MOBILE.match(digits):
        return "mobile"
    if _LANDLINE.match(digits):
        return "landline"
    return None


def phone_problem(phone: str | None) -> str | None:
    """None for an empty value (the field is optional) or a valid number, else the reason code."""
    if phone is None or not phone.strip():
        return None
    return None if phone_kind(phone) else PHONE_FORMAT


def id_check_character(first17: str) -> str:
    """The 18th character of a resident ID whose first 17 digits are given (GB 11643)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number_problem(id_number: str | None) -> str | None:
    """None for an empty value or a valid 18-digit resident ID number (a real birth date and
    the right check character; a lower-case x is accepted), else the reason code."""
    if id_number is None or not id_number.strip():
        return None
    value = id_number.strip().upper()
    if not _ID_SHAPE.match(value):
        return ID_FORMAT
    if not _real_date(value[6:14]):
        return ID_BIRTH_DATE
    return None if id_check_character(value[:17]) == value[17] else ID_CHECKSUM


def _real_date(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return born.year >= 1900
