"""Alerts delivered to each webhook receiver, so an alert is sent once.

Revision ID: alerts_0001
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "alerts_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts_delivered",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("receiver", sa.String(64), primary_key=True),
        sa.Column("agreement", sa.String(80), nullable=False),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("claimed_at", sa.BigInteger, nullable=False),
        sa.Column("delivered_at", sa.BigInteger, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("alerts_delivered")
