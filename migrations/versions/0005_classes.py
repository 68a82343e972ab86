"""Classes: a teacher's class with a join code, its members, quizzes assigned to classes, and
user.must_change_password for accounts created with a first-time password.

Revision ID: 0005_classes
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_classes"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "class",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("archived", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["teacher_id"], ["user.id"], name=op.f("fk_class_teacher_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class")),
        sa.UniqueConstraint("code", name=op.f("uq_class_code")),
    )
    with op.batch_alter_table("class", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_teacher_id"), ["teacher_id"], unique=False)

    op.create_table(
        "class_member",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"], ["class.id"], name=op.f("fk_class_member_class_id_class"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_class_member_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("class_id", "user_id", name=op.f("pk_class_member")),
    )
    with op.batch_alter_table("class_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "quiz_class",
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["class_id"], ["class.id"], name=op.f("fk_quiz_class_class_id_class"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["quiz_id"], ["quiz.id"], name=op.f("fk_quiz_class_quiz_id_quiz"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("quiz_id", "class_id", name=op.f("pk_quiz_class")),
    )
    with op.batch_alter_table("quiz_class", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_class_class_id"), ["class_id"], unique=False)

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
    with op.batch_alter_table("quiz_class", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_class_class_id"))
    op.drop_table("quiz_class")
    with op.batch_alter_table("class_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_member_user_id"))
    op.drop_table("class_member")
    with op.batch_alter_table("class", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_teacher_id"))
    op.drop_table("class")
