"""Is notifying keeping up? Read from the broker and PostgreSQL, so it holds however many
notifiers run: the notifiers' consumer lag on `case.events` and `alerts`, deliveries due and
not yet sent (and how long the oldest has waited: it grows when no notifier sends), what
waits on purpose (quiet hours, back-off), dead letters not re-sent, the last hour's attempts
by outcome, and when the last notification was stored. `/healthz` details and `/metrics`."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from prometheus_client.core import Metric
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.db.tables import notification_attempts, notification_dead_letters, notification_deliveries, notifications
from infra.ops_signals import offsets_of
from infra.scrape import gauges

TOPICS = ("case.events", "alerts")


async def notification_signals(engine: AsyncEngine, topic_of: Callable[[str], str], kafka_options: dict[str, Any],
                               group_id: str, now: datetime) -> dict[str, Any]:
    signals = await _database(engine, now)
    try:
        offsets = await asyncio.wait_for(offsets_of(group_id, [topic_of(t) for t in TOPICS], kafka_options), 5)
        signals["consumer_lag"] = offsets.lag
    except Exception as error:  # noqa: BLE001 - the broker part of the health answer says why
        signals["consumer_lag"] = {"error": f"{type(error).__name__}: {error}"[:200]}
    return signals


async def _database(engine: AsyncEngine, now: datetime) -> dict[str, Any]:
    d = notification_deliveries
    in_flight = d.c.status.in_(("pending", "sending"))  # the partial index of the senders' claims
    async with engine.connect() as conn:
        by_channel = (await conn.execute(
            select(d.c.channel, func.count().filter(d.c.next_attempt_at <= now),
                   func.count().filter(d.c.next_attempt_at > now), func.min(d.c.next_attempt_at))
            .where(in_flight).group_by(d.c.channel))).all()
        oldest = (await conn.execute(select(func.min(d.c.next_attempt_at)).where(
            in_flight, d.c.next_attempt_at <= now))).scalar()
        dead = (await conn.execute(select(notification_dead_letters.c.channel, func.count())
                                   .where(notification_dead_letters.c.resent_at.is_(None))
                                   .group_by(notification_dead_letters.c.channel))).all()
        hour = (await conn.execute(select(notification_attempts.c.outcome, func.count())
                                   .where(notification_attempts.c.started_at > now - timedelta(hours=1))
                                   .group_by(notification_attempts.c.outcome))).all()
        last = (await conn.execute(select(func.max(notifications.c.created_at)))).scalar()
    return {
        "deliveries_due": {channel: int(due) for channel, due, _, _ in by_channel if due},
        "deliveries_waiting": {channel: int(later) for channel, _, later, _ in by_channel if later},
        "oldest_due_seconds": 0.0 if oldest is None else max(0.0, round((now - oldest).total_seconds(), 1)),
        "dead_letters_pending": {channel: int(n) for channel, n in dead},
        "attempts_last_hour": {outcome or "unfinished": int(n) for outcome, n in hour},
        "last_notification_at": last.isoformat() if last is not None else None,
    }


def notification_families(signals: dict[str, Any]) -> list[Metric]:
    """Gauges of the deployment's notifying, for `/metrics`."""
    families: list[Metric] = []
    gauge = gauges(families)

    lag = signals.get("consumer_lag")
    if isinstance(lag, dict) and "error" not in lag:
        gauge("notify_consumer_lag", "Case events and alerts the notifiers have not yet committed, by topic",
              ["topic"], [([topic], n) for topic, n in sorted(lag.items())])
    due, waiting = signals.get("deliveries_due", {}), signals.get("deliveries_waiting", {})
    gauge("notification_deliveries_open", "Push deliveries not yet sent, by channel and state (due: owed now; "
          "waiting: quiet hours or back-off)", ["channel", "state"],
          [([c, "due"], due.get(c, 0)) for c in sorted(set(due) | set(waiting))]
          + [([c, "waiting"], waiting.get(c, 0)) for c in sorted(set(due) | set(waiting))])
    gauge("notification_oldest_due_seconds", "How long the oldest due delivery has waited for a sender", [],
          [([], signals.get("oldest_due_seconds", 0.0))])
    gauge("notification_dead_letters", "Deliveries that gave up and were not re-sent, by channel", ["channel"],
          [([c], n) for c, n in sorted(signals.get("dead_letters_pending", {}).items())])
    return families
