"""reports: the index on a mark's application also holds its session and status; an index
for coverage on cadres

Revision ID: 0026_report_indexes
Revises: 0025_sheet_photos
Create Date: 2026-12-06

The reports count every admitted learner's marks of a period (app/reports/cells.py): with
the session and the status in the index on the application, the marks are read from the index
alone, in application order, instead of one table row per mark. The index replaces the one on
the application alone (its first column serves the same look-ups). The coverage per commune
and village (app/reports/coverage.py) reads the cadres from `ix_cadres_coverage` alone, already
in commune and village order.
"""
from alembic import op


revision = "0026_report_indexes"
down_revision = "0025_sheet_photos"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_attendance_marks_application", table_name="attendance_marks")
    op.create_index("ix_attendance_marks_application_session", "attendance_marks",
                    ["application_id", "session_id", "status"])
    op.create_index("ix_cadres_coverage", "cadres",
                    ["commune_id", "village_id", "active", "created_at", "gender"])


def downgrade():
    op.drop_index("ix_cadres_coverage", table_name="cadres")
    op.drop_index("ix_attendance_marks_application_session", table_name="attendance_marks")
    op.create_index("ix_attendance_marks_application", "attendance_marks", ["application_id"])
