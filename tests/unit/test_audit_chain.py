"""The audit log's chain: any change, insertion, removal or reordering before the head is
found, at the entry where it happened; search terms are kept masked."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from models.audit import GENESIS, AuditEntry, ChainVerifier, Who, chain_hash, mask_term

T = datetime(2026, 3, 3, 2, 0, tzinfo=timezone.utc)
OPERATOR = Who(role="operator", cadre_id="t-op1", token_id="a" * 64, username="t-op1", address="10.0.0.5")


def _chain(count: int) -> list[tuple[AuditEntry, str]]:
    entries, previous = [], GENESIS
    for seq in range(1, count + 1):
        entry = AuditEntry(seq, T + timedelta(seconds=seq), "caller_lookup", OPERATOR, None,
                           {"phone": "138******78", "matches": seq})
        previous = chain_hash(previous, entry)
        entries.append((entry, previous))
    return entries


def _first_break(rows: list[tuple[AuditEntry, str]]) -> int | None:
    verifier = ChainVerifier()
    for row_id, (entry, stored) in enumerate(rows, start=1):
        broken = verifier.feed(row_id, entry, stored)
        if broken is not None:
            return broken.seq
    return None


def test_an_intact_chain_verifies() -> None:
    assert _first_break(_chain(20)) is None


@given(st.integers(min_value=0, max_value=9), st.sampled_from(["address", "username", "token_id", "role"]))
def test_changing_who_acted_is_found_at_that_entry(index: int, field: str) -> None:
    rows = _chain(10)
    entry, stored = rows[index]
    rows[index] = (replace(entry, who=replace(entry.who, **{field: "forged"})), stored)
    assert _first_break(rows) == index + 1


@given(st.integers(min_value=0, max_value=9))
def test_changing_what_or_when_is_found(index: int) -> None:
    for change in ({"detail": {"phone": "139******00", "matches": 0}}, {"at": T - timedelta(days=1)},
                   {"action": "export"}, {"case_id": "c-9"}):
        rows = _chain(10)
        entry, stored = rows[index]
        rows[index] = (replace(entry, **change), stored)
        assert _first_break(rows) == index + 1, change


@given(st.integers(min_value=0, max_value=8))
def test_a_removed_entry_is_found_even_with_rewritten_hashes(index: int) -> None:
    rows = _chain(10)
    del rows[index]
    assert _first_break(rows) == index + 2  # the entry after the gap
    # a forger who re-hashes everything after the gap still leaves a hole in the numbering
    previous = rows[index - 1][1] if index else GENESIS
    rehashed = rows[:index]
    for entry, _ in rows[index:]:
        previous = chain_hash(previous, entry)
        rehashed.append((entry, previous))
    assert _first_break(rehashed) == index + 2


def test_a_rewritten_and_rehashed_entry_breaks_the_next_one() -> None:
    rows = _chain(5)
    entry, _ = rows[2]
    forged = replace(entry, who=replace(entry.who, address="10.9.9.9"))
    rows[2] = (forged, chain_hash(rows[1][1], forged))
    assert _first_break(rows) == 4


def test_the_timestamp_form_does_not_matter_only_the_instant() -> None:
    entry = _chain(1)[0][0]
    shanghai = replace(entry, at=entry.at.astimezone(timezone(timedelta(hours=8))))
    assert chain_hash(GENESIS, shanghai) == chain_hash(GENESIS, entry)


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_a_masked_phone_cannot_be_read_back(phone: str) -> None:
    masked = mask_term(phone)
    assert masked != phone and len(masked) == len(phone)
    assert len(re.sub(r"\*", "", masked)) <= 5
    assert masked.startswith(phone[:3]) and masked.endswith(phone[-2:])


def test_masked_search_words() -> None:
    assert mask_term("王秀英 330782199001011234 停水") == "王** 330*************34 停*"
    assert mask_term("nobody-c43435 tel13812345678") == "n************ ***138******78"


@given(st.text(alphabet="ab-王秀0123456789 ", max_size=40))
def test_no_masked_word_shows_more_than_three_characters_in_a_row(term: str) -> None:
    """Short digit runs (a user name's, a house number) are starred like letters: the last
    version kept a five-digit run whole, and with it a whole user name."""
    masked = mask_term(term)
    assert masked == " ".join(masked.split()) and len(masked) == len(" ".join(term.split()))
    assert all(len(shown) <= 3 for shown in re.split(r"[* ]+", masked))
