"""How long raw events keep their personal data, and what is left of them afterwards.

A case keeps its own petitioner and summary for as long as the case is kept; the raw
copies of the events it came from (in dead letters, in the API's relayed outgoing events,
with cases and repeat links) are only needed while an event might be replayed or
questioned. After the retention period they keep what says where and when a matter came
in and who was responsible — never who said it, their numbers or their words.
"""
from __future__ import annotations

from datetime import datetime, timedelta

REDACTED_MARK = "redacted_at"  # a redacted event copy carries this key: when it was redacted

# Allowed, not forbidden: a field added to an event later is dropped until someone decides.
KEPT_FIELDS = frozenset({
    "event_id", "occurred_at", "village_code", "category", "kind", "urgency", "channel", "visitor_count",
    "operator_id", "dialed_cadre_id", "card_cadre_id", "author_cadre_id", "receiving_cadre_id", "accused",
    "resolved_on_spot",
})


def cutoff(now: datetime, days: int) -> datetime:
    if days < 1:
        raise ValueError("a retention period is at least one day")
    return now - timedelta(days=days)


# Login attempts (a name and an address each) are kept as long as throttling needs them
# (`models.login_throttle.ThrottlePolicy.known_address_for`).
LOGIN_ATTEMPTS_FOR = timedelta(days=30)
