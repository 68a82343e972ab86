"""Exams: a question flagged for review, a quiz's results released by its teacher, and the last
change of an answer (answers may change until the attempt is finished).

Revision ID: 0006_exam
Revises: 0005_classes
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_exam"
down_revision = "0005_classes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempt_question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flagged", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("quiz", schema=None) as batch_op:
        batch_op.add_column(sa.Column("results_released_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
    with op.batch_alter_table("quiz", schema=None) as batch_op:
        batch_op.drop_column("results_released_at")
    with op.batch_alter_table("attempt_question", schema=None) as batch_op:
        batch_op.drop_column("flagged")
