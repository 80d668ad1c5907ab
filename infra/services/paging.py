"""Keyset pages of cases: the two list orders, the opaque cursor a page hands out, and where a
page continues.

A list is ordered newest first (`created_at` desc, then `case_id`) or, for the inbox, by
deadline (`next_due_at` asc with no deadline last, then `case_id`). A cursor is the order key
of the last row a page showed, so the next page starts right after it whatever its depth
(an index range scan, not an OFFSET that walks and discards rows), and a case registered while
someone pages is never shown twice nor shifts the pages. `infra.db.case_queries` says
`comes_after` in SQL; the in-memory reader uses it as written here.
"""
from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

import orjson

from infra.services.errors import Invalid
from infra.services.ports import CaseRow, PageKey

NEWEST, DEADLINE = "n", "d"
CURSOR_FIELD = "after"


def order_of(by_deadline: bool) -> str:
    return DEADLINE if by_deadline else NEWEST


def key_of(row: CaseRow, by_deadline: bool) -> PageKey:
    """The order key of a row (the cursor of the page that ends with it)."""
    return PageKey(row["next_due_at"] if by_deadline else row["created_at"], row["case_id"])


def comes_after(row: CaseRow, key: PageKey, by_deadline: bool) -> bool:
    """Whether `row` follows `key` in the order (what a page `after` the key may show)."""
    if not by_deadline:
        created = row["created_at"]
        return bool(created < key.at or (created == key.at and row["case_id"] > key.case_id))
    due = row["next_due_at"]
    if key.at is None:  # past the last deadline: the cases without one, by id
        return due is None and row["case_id"] > key.case_id
    return due is None or due > key.at or (due == key.at and row["case_id"] > key.case_id)


def encode(key: PageKey, by_deadline: bool) -> str:
    at = key.at.isoformat() if key.at is not None else None
    raw = orjson.dumps([order_of(by_deadline), at, key.case_id])
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(cursor: str, by_deadline: bool) -> PageKey:
    """The key a cursor of this order carries; a 422 naming `after` for anything else (a
    cursor of the other order, edited, truncated, or not one of ours)."""
    try:
        raw: Any = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        order, at, case_id = raw
        moment = None if at is None else datetime.fromisoformat(at)
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise _bad(cursor) from None
    if (order != order_of(by_deadline) or not isinstance(case_id, str) or not 0 < len(case_id) <= 64
            or (moment is not None and moment.tzinfo is None) or (moment is None and not by_deadline)):
        raise _bad(cursor)
    return PageKey(moment, case_id)


def _bad(cursor: str) -> Invalid:
    return Invalid(CURSOR_FIELD, "not a cursor this list handed out: start again from the first page",
                   code="page.bad_cursor", params={"cursor": cursor[:80]}, where="query")
