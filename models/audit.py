"""The audit log's rules: what an entry says, how entries are chained, how a search term is
recorded without recording the personal data it names.

Each entry's hash covers its own content and the hash of the entry before it, so changing,
inserting or removing an entry anywhere but at the very end breaks the chain from there on;
`seq` numbers the entries without gaps, so a removed entry shows even where hashes would
be recomputed. (Cutting entries off the end leaves a shorter valid chain: compare the head
with one noted elsewhere — `minqing audit verify` prints it.)
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first entry

# What is audited (CONTRACT "Operations", issue 15): every look at personal data, and every
# change of who may look.
UNMASKED_VIEW = "unmasked_view"
CALLER_LOOKUP = "caller_lookup"
SEARCH = "search"
EXPORT = "export"
LOGIN = "login"
LOGIN_REFUSED = "login_refused"
LOGOUT = "logout"
LOGIN_SET = "login_set"
LOGIN_REMOVED = "login_removed"
TOKEN_CREATED = "token_created"
TOKEN_REVOKED = "token_revoked"
ROSTER_IMPORT = "roster_import"
CALENDAR_IMPORT = "calendar_import"
RETENTION_RUN = "retention_run"
RESTORE = "restore"


@dataclass(frozen=True)
class Who:
    """Who acted: the token (its id, never the token), the login behind it, the role and
    cadre, and where the request came from."""
    role: str
    cadre_id: str | None = None
    token_id: str | None = None
    username: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    action: str
    who: Who
    case_id: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)

    def canonical(self) -> bytes:
        """The bytes the hash covers: every field, in a fixed order and form."""
        content = [self.seq, self.at.astimezone(timezone.utc).isoformat(), self.action, self.who.role,
                   self.who.cadre_id, self.who.token_id, self.who.username, self.who.address, self.case_id,
                   dict(self.detail)]
        return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(previous_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256(previous_hash.encode() + b"\n" + entry.canonical()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    row_id: int
    reason: str

    def __str__(self) -> str:
        return f"audit entry #{self.seq} (row id {self.row_id}): {self.reason}"


class ChainVerifier:
    """Fed the stored entries in `seq` order, says where the chain first breaks."""

    def __init__(self) -> None:
        self.previous_hash = GENESIS
        self.count = 0

    @property
    def head_seq(self) -> int:
        return self.count

    def feed(self, row_id: int, entry: AuditEntry, stored_hash: str) -> ChainBreak | None:
        expected_seq = self.count + 1
        if entry.seq != expected_seq:
            what = "missing" if entry.seq > expected_seq else "repeated"
            return ChainBreak(entry.seq, row_id, f"expected entry #{expected_seq} here: an entry is {what}")
        if chain_hash(self.previous_hash, entry) != stored_hash:
            return ChainBreak(entry.seq, row_id, "its hash does not match its content and the entry before it: "
                                                 "this entry was changed (or the one before was, and re-hashed)")
        self.previous_hash = stored_hash
        self.count = expected_seq
        return None


_LONG_DIGIT_RUN = re.compile(r"\d{10,}")  # phones (11) and ID numbers (18): half or more stays hidden


def _mask_word(word: str) -> str:
    runs = [run.span() for run in _LONG_DIGIT_RUN.finditer(word)]
    shown = {i for start, end in runs for i in (start, start + 1, start + 2, end - 2, end - 1)} if runs else {0}
    return "".join(char if i in shown else "*" for i, char in enumerate(word))


def mask_term(term: str) -> str:
    """A search term as the audit log keeps it: enough to tell searches apart, not enough to
    read a phone, ID number or name back. A long digit run keeps its first three and last two
    digits (13812345678 → 138******78), a word without one its first character; everything
    else is starred — a user name with a few digits in it too (nobody-c43435 → n************)."""
    return " ".join(_mask_word(word) for word in term.split())
