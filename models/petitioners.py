"""Who a petitioner is, as far as matching goes: a phone number or an ID number."""
from __future__ import annotations

import re
from dataclasses import dataclass


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
