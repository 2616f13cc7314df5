"""Event alerts: rules per event, one open alert per condition, an outbox of messages

Revision ID: a1e7c3b9d5f2
Revises: 3a7d2c9e4b10
Create Date: 2026-12-06 09:00:00.000000

``alerts.open_key`` is unique and NULL once an alert cleared, so two evaluators (the web process
and a separate collector) cannot both open the same condition; ``alert_messages`` is unique per
alert, change and channel, so a condition change sends one e-mail and one webhook call.
"""

import sqlalchemy as sa
from alembic import op

revision = "a1e7c3b9d5f2"
down_revision = "3a7d2c9e4b10"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "alert_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("hall_absent_minutes", sa.Integer(), nullable=False),
        sa.Column("hall_dropped_minutes", sa.Integer(), nullable=False),
        sa.Column("head_count_percent", sa.Integer(), nullable=False),
        sa.Column("head_count_after_minutes", sa.Integer(), nullable=False),
        sa.Column("collector_minutes", sa.Integer(), nullable=False),
        sa.Column("viewers_zero_minutes", sa.Integer(), nullable=False),
        sa.Column("emails", sa.Text(), nullable=False),
        sa.Column("webhook_url", sa.String(length=500), nullable=False),
        sa.Column("webhook_secret", sa.LargeBinary(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TIME, server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", TIME, server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_alert_rules_event_id_events"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_alert_rules_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_rules")),
        sa.UniqueConstraint("event_id", name=op.f("uq_alert_rules_event_id")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("subject_name", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("open_key", sa.String(length=160), nullable=True),
        sa.Column("opened_at", TIME, nullable=False),
        sa.Column("cleared_at", TIME, nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_alerts_event_id_events"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"], ["users.id"], name=op.f("fk_alerts_acknowledged_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("open_key", name=op.f("uq_alerts_open_key")),
    )
    op.create_index(op.f("ix_alerts_event_id"), "alerts", ["event_id"])
    op.create_index(op.f("ix_alerts_opened_at"), "alerts", ["opened_at"])
    op.create_table(
        "alert_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("next_attempt_at", TIME, nullable=True),
        sa.Column("sent_at", TIME, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_alert_messages_alert_id_alerts"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_messages")),
        sa.UniqueConstraint(
            "alert_id", "change", "channel", name=op.f("uq_alert_messages_alert_id_change_channel")
        ),
    )
    op.create_index(op.f("ix_alert_messages_alert_id"), "alert_messages", ["alert_id"])
    op.create_index(
        op.f("ix_alert_messages_next_attempt_at"), "alert_messages", ["next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_table("alert_messages")
    op.drop_table("alerts")
    op.drop_table("alert_rules")
