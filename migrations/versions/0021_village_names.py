"""units: one village name per commune (name_key, a unique index for villages)

Revision ID: 0021_village_names
Revises: 0020_costs
Create Date: 2026-12-06

Two villages of one name in one commune could not be told apart by an import or a person; the
page refused it, the database did not. `name_key` is the name with case and spaces ignored
(app.people.models.unit_name_key), kept by the model whenever the name is set; the partial
unique index holds it for villages. Villages already recorded twice under one commune keep
their names: the later ones get their id after the key ("làng rê #42") so that the index can
be made, and can be renamed from the units page.
"""
from alembic import op
import sqlalchemy as sa


revision = "0021_village_names"
down_revision = "0020_costs"
branch_labels = None
depends_on = None


def _key(name):
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", name or "").casefold().split())[:120]


def upgrade():
    op.add_column("units", sa.Column("name_key", sa.String(length=120), nullable=True))
    bind = op.get_bind()
    units = sa.table("units", sa.column("id", sa.Integer), sa.column("name", sa.String),
                     sa.column("kind", sa.String), sa.column("parent_id", sa.Integer),
                     sa.column("name_key", sa.String))
    seen = set()
    rows = bind.execute(sa.select(units.c.id, units.c.name, units.c.kind, units.c.parent_id)
                        .order_by(units.c.id)).all()
    for unit_id, name, kind, parent_id in rows:
        key = _key(name)
        if kind == "village":
            if (parent_id, key) in seen:
                key = f"{key[:110]} #{unit_id}"
            seen.add((parent_id, key))
        bind.execute(units.update().where(units.c.id == unit_id).values(name_key=key))
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.alter_column("name_key", existing_type=sa.String(length=120), nullable=False)
    op.create_index("uq_units_village_name", "units", ["parent_id", "name_key"], unique=True,
                    sqlite_where=sa.text("kind = 'village'"),
                    postgresql_where=sa.text("kind = 'village'"))


def downgrade():
    op.drop_index("uq_units_village_name", table_name="units")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_column("name_key")
