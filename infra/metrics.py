"""Every metric a Minqing process records, in one place (Prometheus, names prefixed `minqing_`).

Import the object and count: `NOTIFICATIONS.labels(channel="dingtalk", result="sent").inc()`.
Each process keeps its own values; `infra.scrape` decides how they reach a scrape (one
process alone, or every process of one machine through a shared directory). Gauges say how
processes add up (`multiprocess_mode`) for that shared-directory case.

What no single process knows — consumer lag, the outbox backlog, dead letters waiting,
overdue cases — is read from the broker and PostgreSQL at scrape time (`infra.scrape`).
"""
from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# Event counts go from one to a full batch (MINQING_BATCH_SIZE, at most 5000).
_BATCH_BUCKETS = (1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)
# From milliseconds (an idle system) to minutes (a worker catching up after an outage).
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
_HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

EVENTS = Counter(
    "minqing_events", "Input events taken in, by topic and outcome (opened, linked, duplicate, rejected)",
    ["topic", "outcome"])
BATCH_SIZE = Histogram(
    "minqing_intake_batch_size", "Events per intake batch", ["topic"], buckets=_BATCH_BUCKETS)
BATCH_SECONDS = Histogram(
    "minqing_intake_batch_seconds", "Time to decide and store one intake batch", ["topic"],
    buckets=_LATENCY_BUCKETS)
INTAKE_LATENCY = Histogram(
    "minqing_intake_latency_seconds", "From the broker's record timestamp to the event stored as a case, "
    "link or dead letter", ["topic"], buckets=_LATENCY_BUCKETS)

RELAYED = Counter(
    "minqing_relay_messages", "Messages the outbox relay published, by outbox "
    "(case_events, outgoing_events, alerts)", ["outbox"])
ESCALATIONS = Counter(
    "minqing_escalations", "Cases the escalation scheduler moved up the chain, by the level reached", ["level"])
WARNINGS = Counter(
    "minqing_deadline_warnings", "75% deadline warnings recorded by the scheduler, by stage", ["stage"])

NOTIFICATIONS = Counter(
    "minqing_notifications", "Notifications by channel (in_app, webhook, dingtalk, wecom, email, sms) and result "
    "(in_app: stored; push channels: sent, retried, dead)", ["channel", "result"])
NOTIFICATION_SECONDS = Histogram(
    "minqing_notification_seconds", "Time of one delivery attempt on a push channel, by channel", ["channel"],
    buckets=_HTTP_BUCKETS)

HTTP_SECONDS = Histogram(
    "minqing_http_request_seconds", "HTTP requests by method, route template and status",
    ["method", "route", "status"], buckets=_HTTP_BUCKETS)

DB_POOL = Gauge(
    "minqing_db_pool_connections", "Database connections of the process pools, by engine and state "
    "(in_use, capacity)", ["engine", "state"], multiprocess_mode="livesum")
SCHEMA_READY = Gauge(
    "minqing_schema_ready", "1 when the database schema is the one this code expects, 0 while waiting "
    "for `minqing migrate`", ["component"], multiprocess_mode="livemin")
