"""attendance: a summary row per learner of a class, counted from the marks

Revision ID: 0028_attendance_summary
Revises: 0027_cadre_name_trigram
Create Date: 2026-12-06

The reports read each learner's marks of a period (451,000 for a district's year): the
summary keeps them counted, one row per application that has marks
(`app/attendance/summary.py`, which keeps it exact as marks are written): the sessions marked
with each status, and for each non-empty set of statuses (bits: present 1, late 2, excused 4,
absent 8) the dates with a mark of that set. The rows are filled here from the marks already
stored, by the same count as `summary.counts` at this revision.
"""
import sqlalchemy as sa
from alembic import op


revision = "0028_attendance_summary"
down_revision = "0027_cadre_name_trigram"
branch_labels = None
depends_on = None

STATUSES = ("present", "late", "excused", "absent")
SETS = range(1, 16)


def _in(bits: int) -> str:
    return ", ".join(f"'{s}'" for i, s in enumerate(STATUSES) if bits & (1 << i))


def upgrade():
    op.create_table(
        "attendance_summaries",
        sa.Column("application_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        *[sa.Column(name, sa.Integer(), server_default="0", nullable=False)
          for name in (*STATUSES, *(f"days_{bits}" for bits in SETS))],
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_attendance_summaries_application_id_applications")),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"],
                                name=op.f("fk_attendance_summaries_class_id_classes")),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_attendance_summaries")),
    )
    op.create_index("ix_attendance_summaries_class", "attendance_summaries", ["class_id"])
    op.execute(fill_sql())


def fill_sql() -> str:
    """Every application's row counted from its marks (`tests/attendance/test_summary.py`
    checks it against a recount)."""
    counts = ", ".join([*(f"count(CASE WHEN m.status = '{s}' THEN m.id END)" for s in STATUSES),
                        *(f"count(DISTINCT CASE WHEN m.status IN ({_in(bits)}) THEN s.date END)"
                          for bits in SETS)])
    columns = ", ".join([*STATUSES, *(f"days_{bits}" for bits in SETS)])
    return (f"INSERT INTO attendance_summaries (application_id, class_id, {columns}) "
            f"SELECT m.application_id, s.class_id, {counts} FROM attendance_marks m "
            "JOIN class_sessions s ON s.id = m.session_id "
            "GROUP BY m.application_id, s.class_id")


def downgrade():
    op.drop_index("ix_attendance_summaries_class", table_name="attendance_summaries")
    op.drop_table("attendance_summaries")
