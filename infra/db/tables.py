"""The schema, as SQLAlchemy Core tables. Alembic migrations create it; this module
is what the repositories query. Keep the two in step (a test compares them)."""
from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Date, DateTime, Identity, Index, Integer, LargeBinary, MetaData,
                        String, Table, Text, UniqueConstraint, text)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

# The predicates of the partial indexes on accusations, spelled once for the queries that use them.
ACCUSES = "jsonb_typeof(accused) = 'object'"
HIDES = "hidden_from <> '[]'::jsonb"

roster_snapshots = Table(
    "roster_snapshots", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("source", Text, nullable=False),
    Column("document", JSONB, nullable=False),
)

whereabouts = Table(
    "whereabouts", metadata,
    Column("cadre_id", String(64), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("until", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

cases = Table(
    "cases", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("tracking_code", String(16), nullable=False, unique=True),
    Column("status", String(24), nullable=False),
    Column("source", String(16), nullable=False),
    Column("source_topic", String(255), nullable=False),
    Column("source_event_id", String(64), nullable=False),
    Column("village_code", String(12), nullable=False),
    Column("category", String(32), nullable=False),
    Column("kind", String(16)),
    Column("urgency", String(8), nullable=False, server_default="normal"),
    Column("summary", Text, nullable=False),
    # what the petitioner said beyond the summary, as entered; who entered it (operator, author,
    # card cadre or receiving leader)
    Column("details", Text),
    Column("registered_by", String(64)),
    Column("owner_cadre_id", String(64), nullable=False),
    Column("handler_cadre_id", String(64), nullable=False),
    Column("escalation_level", Integer, nullable=False, server_default="0"),
    # Who supervises the case after an escalation: in a cadre's scope, so indexed.
    Column("escalated_to_cadre_id", String(64)),
    Column("deadlines", JSONB, nullable=False),
    # The earliest open deadline: what the escalation scheduler scans, by index.
    Column("next_due_at", DateTime(timezone=True)),
    # When the escalation scheduler must look again (a warning or a climb is due then).
    Column("next_check_at", DateTime(timezone=True)),
    # The domain's answers, stored so SQL filters on them instead of re-deriving them:
    # which stage `next_due_at` belongs to, when its 75% warning starts, and whether the
    # matter is still being worked on (the lifecycle's OPEN states).
    Column("due_stage", String(24)),
    Column("warn_from", DateTime(timezone=True)),
    Column("is_open", Boolean, nullable=False, server_default=text("true")),
    # Conflict of interest (models.conflict): every cadre who may not read the case by any path
    # (the accused, their units, everyone standing below them), and the backup acting for an
    # escalation recipient who is away — both in a reader's scope.
    Column("hidden_from", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("escalation_acting_cadre_id", String(64)),
    # A running deadline counted across a year with no official holiday schedule (CONTRACT "Calendar").
    Column("deadlines_provisional", Boolean, nullable=False, server_default=text("false")),
    # unsatisfied callbacks so far: a case sent back shows it, the inbox can filter on it
    Column("unsatisfied_count", Integer, nullable=False, server_default=text("0")),
    Column("routing", JSONB, nullable=False),
    Column("petitioner", JSONB),
    # Projections of the petitioner, for repeat detection and the operator's caller look-up.
    Column("petitioner_phone", String(32)),
    Column("petitioner_id_number", String(32)),
    Column("accused", JSONB),
    Column("event", JSONB, nullable=False),
    # The whole case aggregate (see infra.db.case_state) and its event count, which
    # doubles as the optimistic-concurrency version of the row.
    Column("state", JSONB, nullable=False),
    Column("version", Integer, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    # the case's rate facts (`models.rates.RateFacts`, `infra.db.case_rows.rate_columns`)
    Column("response_due_at", DateTime(timezone=True)),
    Column("responded_at", DateTime(timezone=True)),
    Column("callback_at", DateTime(timezone=True)),
    Column("callback_kind", String(16)),
    Column("callback_solved", Boolean),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("source_topic", "source_event_id", name="uq_cases_source_event"),
)
# Every index here takes an entry at each write of a case (no update is HOT: an escalation
# moves `next_check_at` and `escalated_to_cadre_id`, any change `updated_at`), so an index
# another one's exact prefix serves is not kept (migration 0016). `owner_due`/`handler_due`
# stay: the inbox arms put `is_open` before `next_due_at`, and PostgreSQL 17 (deploy/) has
# no skip scan to read those as a range by deadline.
Index("ix_cases_source_event_id", cases.c.source_event_id)
Index("ix_cases_owner_due", cases.c.owner_cadre_id, cases.c.next_due_at)
Index("ix_cases_handler_due", cases.c.handler_cadre_id, cases.c.next_due_at)
Index("ix_cases_village_status", cases.c.village_code, cases.c.status)
Index("ix_cases_open_due", cases.c.next_due_at, postgresql_where=text("status <> 'closed'"))
Index("ix_cases_village_open", cases.c.village_code, postgresql_where=text("is_open"))
Index("ix_cases_next_check", cases.c.next_check_at, postgresql_where=text("next_check_at is not null"))
Index("ix_cases_petitioner_phone", cases.c.petitioner_phone)
Index("ix_cases_matter", cases.c.village_code, cases.c.category, cases.c.occurred_at)
# the lists' order, newest first (keyset pages: infra.services.paging), and within one village
Index("ix_cases_newest", cases.c.created_at.desc(), cases.c.case_id)
Index("ix_cases_village_newest", cases.c.village_code, cases.c.created_at.desc(), cases.c.case_id)
# The running deadlines, for "overdue now" in every scope (`SqlCaseReader.counts`), answered
# from the index alone: only cases whose clock runs, so its size follows the cases being
# worked on, not the years of history.
Index("ix_cases_due_village", cases.c.village_code, cases.c.next_due_at, postgresql_include=["is_open"],
      postgresql_where=text("next_due_at is not null"))
# The three rates of a scope's villages over a period (`SqlCaseReader.rates_by`), answered
# from the index alone: the period's bounds and every rate fact.
Index("ix_cases_village_rates", cases.c.village_code, cases.c.occurred_at,
      postgresql_include=["updated_at", "owner_cadre_id", "response_due_at", "responded_at", "callback_at",
                          "callback_kind", "callback_solved"])
# A cadre's own work in the inbox's order (`case_queries._inbox_keys`): one index per column
# that makes a case theirs, open and closed cases apart, so each arm of the inbox reads its
# page's rows in order and stops (migration 0015). Also every other look-up by the
# escalation recipient or the acting backup.
for _column in ("owner_cadre_id", "handler_cadre_id", "escalated_to_cadre_id", "escalation_acting_cadre_id"):
    Index(f"ix_cases_{_column.removesuffix('_cadre_id')}_inbox", cases.c[_column], cases.c.is_open,
          cases.c.next_due_at, cases.c.case_id,
          postgresql_where=text(f"{_column} is not null") if _column.startswith("escalat") else None)
# The cases hidden from someone (an accusation, Arts. 28, 30, 46): what counts take away from
# the summary for a caller they accuse. Partial: most cases accuse nobody.
Index("ix_cases_accused", cases.c.accused, postgresql_using="gin", postgresql_ops={"accused": "jsonb_path_ops"},
      postgresql_where=text(ACCUSES))
Index("ix_cases_hidden_from", cases.c.hidden_from, postgresql_using="gin",
      postgresql_ops={"hidden_from": "jsonb_path_ops"}, postgresql_where=text(HIDES))

# How many cases each village, and each cadre per village, has in each status, escalated or
# not: kept by the transaction that changes the cases (`infra.db.case_counts`).
case_counts = Table(
    "case_counts", metadata,
    Column("cadre_id", String(64), primary_key=True),  # '' for every case of the village
    Column("village_code", String(12), primary_key=True),
    Column("status", String(24), primary_key=True),
    Column("escalated", Boolean, primary_key=True),
    Column("n", BigInteger, nullable=False),
)

# Every change of a case; also the transactional outbox for `case.events`.
case_events = Table(
    "case_events", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("event_id", String(80), nullable=False, unique=True),
    Column("case_id", String(36), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("type", String(24), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("source_event_id", String(64)),
    Column("data", JSONB, nullable=False),
    Column("published_at", DateTime(timezone=True)),
    UniqueConstraint("case_id", "seq", name="uq_case_events_case_seq"),
)
Index("ix_case_events_unpublished", case_events.c.id, postgresql_where=text("published_at is null"))

dead_letters = Table(
    "dead_letters", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("topic", String(255), nullable=False),
    Column("partition", Integer, nullable=False),
    Column("offset", BigInteger, nullable=False),
    Column("key", LargeBinary),
    Column("value", LargeBinary),
    Column("error", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("replayed_at", DateTime(timezone=True)),
    # The broker may forget offsets (Tansu's memory engine); the value hash keeps
    # a re-delivered poison message from being recorded twice.
    Column("value_sha256", String(64), nullable=False),
    # When retention removed the raw bytes (the key, value and error stay).
    Column("redacted_at", DateTime(timezone=True)),
    UniqueConstraint("topic", "value_sha256", name="uq_dead_letters_topic_value"),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("role", String(24), nullable=False),
    Column("cadre_id", String(64)),
    Column("label", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    # The password login that obtained it (a reset of that login revokes it).
    Column("username", String(64)),
)

# A repeat petition (same person, same matter, case still open) links to the case it
# repeats instead of opening one; its source event id is remembered for idempotency.
case_links = Table(
    "case_links", metadata,
    Column("source_topic", String(255), primary_key=True),
    Column("source_event_id", String(64), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("linked_at", DateTime(timezone=True), nullable=False),
    Column("event", JSONB, nullable=False),
)
Index("ix_case_links_source_event_id", case_links.c.source_event_id)

# Events the API accepted (202) and must get onto a topic even if the broker restarts:
# written in the request's transaction, published by the worker's relay.
outgoing_events = Table(
    "outgoing_events", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("topic", String(255), nullable=False),
    Column("key", LargeBinary),
    Column("value", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("redacted_at", DateTime(timezone=True)),
)
Index("ix_outgoing_events_unsent", outgoing_events.c.id, postgresql_where=text("sent_at is null"))

# Early warnings (超前信访): one row per cluster, published once to `alerts`.
alerts = Table(
    "alerts", metadata,
    Column("alert_id", String(200), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("village_code", String(12), nullable=False),
    Column("category", String(32), nullable=False),
    Column("leader_cadre_id", String(64)),
    Column("petitioners", Integer, nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=False),
    Column("window_end", DateTime(timezone=True), nullable=False),
    Column("raised_at", DateTime(timezone=True), nullable=False),
    Column("data", JSONB, nullable=False),
    Column("published_at", DateTime(timezone=True)),
)
Index("ix_alerts_unpublished", alerts.c.raised_at, postgresql_where=text("published_at is null"))

# --- the case API (issue 5) -------------------------------------------------------------------

# Password logins (see infra.auth.logins); never locked, throttled by `login_attempts`.
logins = Table(
    "logins", metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(24), nullable=False),
    Column("cadre_id", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True)),
    # A demo township login: removed when a real roster is imported.
    Column("demo", Boolean, nullable=False, server_default=text("false")),
)

# Every password login attempt, for throttling by address and by user (models.login_throttle).
login_attempts = Table(
    "login_attempts", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("username", String(64), nullable=False),
    Column("address", String(64), nullable=False),
    Column("succeeded", Boolean, nullable=False),
)
Index("ix_login_attempts_address_at", login_attempts.c.address, login_attempts.c.at)
Index("ix_login_attempts_username_at", login_attempts.c.username, login_attempts.c.at)

# Who saw personal data or changed who may see it: append-only (the application's role may
# only insert; a trigger refuses updates and deletes) and hash-chained (models.audit).
audit_log = Table(
    "audit_log", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("role", String(24), nullable=False),
    Column("cadre_id", String(64)),
    Column("action", String(32), nullable=False),
    Column("case_id", String(36)),
    Column("detail", JSONB, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("token_id", String(64)),
    Column("username", String(64)),
    Column("address", String(64)),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("seq", name="uq_audit_log_seq"),
)
Index("ix_audit_log_at", audit_log.c.at)

# Imported holiday schedules (CONTRACT "Calendar"): the State Council's official one for a year,
# or the deployment's local days; at most one of each per year (a re-import replaces it).
calendar_schedules = Table(
    "calendar_schedules", metadata,
    Column("year", Integer, primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("source", Text, nullable=False),
    Column("document", JSONB, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

# A handler asks, a township leader approves (then the domain's Extend applies) or refuses.
extension_requests = Table(
    "extension_requests", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("requested_by", String(64), nullable=False),
    Column("days", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("decided_by", String(64)),
    Column("decided_at", DateTime(timezone=True)),
    Column("note", Text),
)
# At most one pending request per case: two clicks (or two cadres) cannot both ask.
Index("uq_extension_requests_pending", extension_requests.c.case_id, unique=True,
      postgresql_where=text("status = 'pending'"))

# The category catalogue's labels and time limits as an admin set them (overrides of the default).
category_limits = Table(
    "category_limits", metadata,
    Column("code", String(32), primary_key=True),
    Column("label", Text, nullable=False),
    Column("handling_working_days", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# --- leaders' reports (issue 14) --------------------------------------------------------------

# 督办 items: decisions of the joint meetings and picked top issues (models.reports.supervision).
# The aggregate with its history is `state`; the columns are what lists and the scheduler filter on.
supervision_items = Table(
    "supervision_items", metadata,
    Column("item_id", String(36), primary_key=True),
    Column("origin", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("owner_cadre_id", String(64), nullable=False),
    Column("assigned_by", String(64), nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("village_code", String(12)),
    Column("meeting_day", Date),
    Column("status", String(16), nullable=False),
    Column("escalation_level", Integer, nullable=False, server_default="0"),
    Column("escalated_to_cadre_id", String(64)),
    # when the escalation scheduler must look again (models.reports.supervision.next_check_at)
    Column("next_check_at", DateTime(timezone=True)),
    Column("state", JSONB, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_supervision_items_open_due", supervision_items.c.due_on, postgresql_where=text("status <> 'closed'"))
Index("ix_supervision_items_owner", supervision_items.c.owner_cadre_id)
Index("ix_supervision_items_village", supervision_items.c.village_code)
Index("ix_supervision_items_next_check", supervision_items.c.next_check_at,
      postgresql_where=text("next_check_at is not null"))

# The bi-monthly diary summary of a village (models.reports.diary_summary); period "YYYY-Bn".
diary_summaries = Table(
    "diary_summaries", metadata,
    Column("village_code", String(12), primary_key=True),
    Column("period", String(7), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("proposals", JSONB, nullable=False),
    # what was submitted, as it stood then
    Column("digest", JSONB),
    Column("submitted_by", String(64)),
    Column("submitted_at", DateTime(timezone=True)),
    Column("state", JSONB, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_diary_summaries_period", diary_summaries.c.period, diary_summaries.c.status)

# A leader's pick of the month's top issue (每月一题); its follow-up is the 督办 item `item_id`.
top_issue_picks = Table(
    "top_issue_picks", metadata,
    Column("pick_id", String(36), primary_key=True),
    Column("month", String(7), nullable=False),
    Column("label", Text, nullable=False),
    Column("category", String(32), nullable=False),
    Column("keywords", JSONB, nullable=False),
    Column("case_ids", JSONB, nullable=False),
    Column("village_codes", JSONB, nullable=False),
    Column("picked_by", String(64), nullable=False),
    Column("picked_at", DateTime(timezone=True), nullable=False),
    Column("item_id", String(36), nullable=False),
    UniqueConstraint("month", "label", name="uq_top_issue_picks_month_label"),
)

# The village assessment's weights as a deployment set them; the newest row applies.
assessment_weights = Table(
    "assessment_weights", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("weights", JSONB, nullable=False),
    Column("set_by", String(64), nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
)

# Petitions of a village that went beyond the township, as the petition office records them:
# a month without one is a zero-petition month in the assessment.
upward_petitions = Table(
    "upward_petitions", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("village_code", String(12), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("level", String(16), nullable=False),
    Column("reference", Text),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)
Index("ix_upward_petitions_village", upward_petitions.c.village_code, upward_petitions.c.occurred_at)

# --- notifications (issue 13) ----------------------------------------------------------------

# One row per notification: a cadre's in-app notification centre, and what every channel sends.
# The id is derived from source event, recipient and kind, so a redelivered event adds nothing.
notifications = Table(
    "notifications", metadata,
    Column("notification_id", String(36), primary_key=True),
    Column("audience", String(16), nullable=False),  # cadre | petitioner (SMS only, never in-app)
    Column("kind", String(32), nullable=False),
    Column("recipient_cadre_id", String(64)),
    Column("case_id", String(36)),
    Column("tracking_code", String(16)),
    Column("village_code", String(12)),
    Column("category", String(32)),
    Column("due_at", DateTime(timezone=True)),
    Column("text", Text, nullable=False),
    Column("urgent", Boolean, nullable=False),
    Column("confidential", Boolean, nullable=False),
    Column("source_event_id", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True)),
)
Index("ix_notifications_recipient", notifications.c.recipient_cadre_id, notifications.c.created_at)
Index("ix_notifications_unread", notifications.c.recipient_cadre_id, postgresql_where=text("read_at is null"))
Index("ix_notifications_case", notifications.c.case_id)

# One row per notification and push channel: its state, attempts and next try.
notification_deliveries = Table(
    "notification_deliveries", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("notification_id", String(36), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("address", Text),  # a phone or an e-mail address; shown masked
    Column("status", String(16), nullable=False),  # pending | sending | sent | dead
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("lease_until", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("notification_id", "channel", name="uq_notification_deliveries_channel"),
)
Index("ix_notification_deliveries_due", notification_deliveries.c.channel, notification_deliveries.c.next_attempt_at,
      postgresql_where=text("status in ('pending', 'sending')"))

# The delivery log: every attempt, written when it starts and completed when it ends
# (an attempt cut short by a crash stays without an outcome).
notification_attempts = Table(
    "notification_attempts", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("delivery_id", BigInteger, nullable=False),
    Column("notification_id", String(36), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("outcome", String(16)),  # sent | failed | gave_up
    Column("error", Text),
)
Index("ix_notification_attempts_delivery", notification_attempts.c.delivery_id)
Index("ix_notification_attempts_started", notification_attempts.c.started_at)

# What kept failing: kept for the admin to read and re-send.
notification_dead_letters = Table(
    "notification_dead_letters", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("delivery_id", BigInteger, nullable=False),
    Column("notification_id", String(36), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("error", Text, nullable=False),
    Column("dead_at", DateTime(timezone=True), nullable=False),
    Column("resent_at", DateTime(timezone=True)),
)
Index("ix_notification_dead_letters_pending", notification_dead_letters.c.dead_at,
      postgresql_where=text("resent_at is null"))

notification_preferences = Table(
    "notification_preferences", metadata,
    Column("cadre_id", String(64), primary_key=True),
    Column("channels", JSONB, nullable=False),
    Column("quiet_hours", Boolean, nullable=False),
    Column("email", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(64)),
)

# Where the notifier's periodic work stands: the last digest day, the extension-request feed.
notify_cursors = Table(
    "notify_cursors", metadata,
    Column("name", String(64), primary_key=True),
    Column("position", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
