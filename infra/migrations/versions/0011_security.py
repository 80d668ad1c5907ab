"""security: the application's role and its grants, a hash-chained append-only audit log,
login throttling, token owners, retention marks, no phone for anonymous callers

The application connects as `minqing_app` (the embedded PostgreSQL creates it as a login
role; on an external database it is a group role the application's login role is a member
of — see docs). It may read and write rows, but only append to the audit log and only read
`alembic_version`. Default privileges give it the same on tables later migrations create.

Revision ID: 0011_security
Revises: 0010_desk
"""
from alembic import op
import sqlalchemy as sa

from models.audit import GENESIS, AuditEntry, Who, chain_hash

revision = "0011_security"
down_revision = "0010_desk"
branch_labels = None
depends_on = None

APP_ROLE = "minqing_app"
ANONYMOUS = "jsonb_build_object('name', null, 'phone', null, 'id_number', null, 'anonymous', true)"


def upgrade() -> None:
    _audit_chain()
    _logins()
    op.add_column("api_tokens", sa.Column("username", sa.String(64)))
    op.execute("update api_tokens set username = substring(label from 7) where label like 'login %'")
    # No token lives forever: those issued without a lifetime get the default one from now.
    op.execute("update api_tokens set expires_at = now() + interval '90 days' where expires_at is null")
    op.alter_column("api_tokens", "expires_at", nullable=False)
    op.add_column("dead_letters", sa.Column("redacted_at", sa.DateTime(timezone=True)))
    op.add_column("outgoing_events", sa.Column("redacted_at", sa.DateTime(timezone=True)))
    _forget_anonymous_callers()
    _grants()


def _audit_chain() -> None:
    for name in ("token_id", "username", "address"):
        op.add_column("audit_log", sa.Column(name, sa.String(64)))
    op.add_column("audit_log", sa.Column("seq", sa.BigInteger()))
    op.add_column("audit_log", sa.Column("hash", sa.String(64)))
    # Entries written before the chain existed are chained now, in the order they were written.
    bind = op.get_bind()
    rows = bind.execute(sa.text("select id, at, role, cadre_id, action, case_id, detail from audit_log order by id"))
    previous = GENESIS
    for seq, row in enumerate(rows.fetchall(), start=1):
        entry = AuditEntry(seq, row.at, row.action, Who(row.role, row.cadre_id), row.case_id, row.detail)
        previous = chain_hash(previous, entry)
        bind.execute(sa.text("update audit_log set seq = :seq, hash = :hash where id = :id"),
                     {"seq": seq, "hash": previous, "id": row.id})
    op.alter_column("audit_log", "seq", nullable=False)
    op.alter_column("audit_log", "hash", nullable=False)
    op.create_unique_constraint("uq_audit_log_seq", "audit_log", ["seq"])
    op.execute("""
        create function audit_log_append_only() returns trigger language plpgsql as $$
        begin
          raise exception 'the audit log is append-only: % refused', tg_op;
        end $$""")
    op.execute("create trigger audit_log_append_only before update or delete on audit_log "
               "for each row execute function audit_log_append_only()")
    op.execute("create trigger audit_log_no_truncate before truncate on audit_log "
               "for each statement execute function audit_log_append_only()")


def _logins() -> None:
    op.drop_column("logins", "failed_attempts")
    op.drop_column("logins", "locked_until")
    op.add_column("logins", sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.text("false")))
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_login_attempts_address_at", "login_attempts", ["address", "at"])
    op.create_index("ix_login_attempts_username_at", "login_attempts", ["username", "at"])


def _forget_anonymous_callers() -> None:
    """An anonymous caller's phone (and name, and ID number) is not kept, not even masked."""
    op.execute(f"""
        update cases set petitioner = {ANONYMOUS}, petitioner_phone = null, petitioner_id_number = null,
               event = jsonb_set(event, '{{caller}}', {ANONYMOUS})
        where petitioner->>'anonymous' = 'true'""")
    op.execute(f"""
        update case_links set event = jsonb_set(event, '{{caller}}', {ANONYMOUS})
        where event->'caller'->>'anonymous' = 'true'""")


def _grants() -> None:
    op.execute(f"""
        do $$ begin
          if not exists (select from pg_roles where rolname = '{APP_ROLE}') then
            if exists (select from pg_roles where rolname = current_user and (rolcreaterole or rolsuper)) then
              create role {APP_ROLE} nologin;
            else
              raise warning 'role {APP_ROLE} does not exist and % cannot create it: the application '
                            'will have to connect as the owner (see docs/security.md)', current_user;
            end if;
          end if;
          if exists (select from pg_roles where rolname = '{APP_ROLE}') then
            grant usage on schema public to {APP_ROLE};
            grant select, insert, update, delete on all tables in schema public to {APP_ROLE};
            grant usage, select on all sequences in schema public to {APP_ROLE};
            revoke update, delete, truncate on audit_log from {APP_ROLE};
            revoke insert, update, delete, truncate on alembic_version from {APP_ROLE};
            alter default privileges in schema public grant select, insert, update, delete on tables to {APP_ROLE};
            alter default privileges in schema public grant usage, select on sequences to {APP_ROLE};
          end if;
        end $$""")


def downgrade() -> None:
    op.execute(f"""
        do $$ begin
          if exists (select from pg_roles where rolname = '{APP_ROLE}') then
            alter default privileges in schema public revoke all on tables from {APP_ROLE};
            alter default privileges in schema public revoke all on sequences from {APP_ROLE};
            revoke all on all tables in schema public from {APP_ROLE};
            revoke all on all sequences in schema public from {APP_ROLE};
          end if;
        end $$""")
    op.drop_column("outgoing_events", "redacted_at")
    op.drop_column("dead_letters", "redacted_at")
    op.alter_column("api_tokens", "expires_at", nullable=True)
    op.drop_column("api_tokens", "username")
    op.drop_index("ix_login_attempts_username_at", table_name="login_attempts")
    op.drop_index("ix_login_attempts_address_at", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_column("logins", "demo")
    op.add_column("logins", sa.Column("locked_until", sa.DateTime(timezone=True)))
    op.add_column("logins", sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"))
    op.execute("drop trigger audit_log_no_truncate on audit_log")
    op.execute("drop trigger audit_log_append_only on audit_log")
    op.execute("drop function audit_log_append_only()")
    op.drop_constraint("uq_audit_log_seq", "audit_log", type_="unique")
    for name in ("hash", "seq", "address", "username", "token_id"):
        op.drop_column("audit_log", name)
