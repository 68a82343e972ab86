"""Hijri dates beside Gregorian ones: a reader's choice (user.show_hijri, NULL until chosen) and
a bank's (bank.show_hijri).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("show_hijri", sa.Boolean(), nullable=True))
    with op.batch_alter_table("bank", schema=None) as batch_op:
        batch_op.add_column(sa.Column("show_hijri", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("bank", schema=None) as batch_op:
        batch_op.drop_column("show_hijri")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("show_hijri")
