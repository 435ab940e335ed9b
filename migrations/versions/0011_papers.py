"""papers: the issuer's kind and unit in the organisation settings; the convening document of
a class (kind, number, date)

The settings' free-text heading (parent_body, issuing_body) becomes the issuer's kind and the
unit it governs, from which the heading is written (app/documents/pdf.py). An existing row is
read: "UBND XÃ SƠN HÀ" (or "ỦY BAN NHÂN DÂN XÃ SƠN HÀ") becomes the People's Committee of that
commune; an issuing body under a parent committee ("UBND HUYỆN SƠN HÀ" over "PHÒNG ...")
becomes an office of that unit, named as it was typed. A name that matches no unit leaves the
unit empty, and the settings page asks the admin to choose it before papers print. The
organiser's office (issuing_office, printed as "Đơn vị tổ chức") is no longer printed and is
dropped.

Revision ID: 0011_papers
Revises: 0010_attendance
Create Date: 2026-12-06

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = "0011_papers"
down_revision = "0010_attendance"
branch_labels = None
depends_on = None

COMMITTEE_PREFIXES = ("ỦY BAN NHÂN DÂN ", "UBND ")
ISSUER_KINDS = ("'commune_pc', 'commune_office', 'province_pc', 'province_department', "
                "'district_pc', 'district_office'")
PC = {"commune": "commune_pc", "district": "district_pc", "province": "province_pc"}
OFFICE = {"commune": "commune_office", "district": "district_office",
          "province": "province_department"}
HEAD = {"commune_office": "Trưởng phòng", "district_office": "Trưởng phòng",
        "province_department": "Giám đốc"}


def _upper(text):
    # "UỶ" (old tone placement) and "ỦY" are one word.
    return unicodedata.normalize("NFC", (text or "").strip()).upper().replace("UỶ", "ỦY")


def _unit_of(conn, committee_name):
    """The unit a committee's name names ("UBND XÃ SƠN HÀ" -> xã Sơn Hà), current first."""
    name = _upper(committee_name)
    for prefix in COMMITTEE_PREFIXES:
        if name.startswith(prefix):
            rest = " ".join(name[len(prefix):].split())
            break
    else:
        return None
    units = conn.execute(sa.text(
        "SELECT id, kind, category, name, valid_to, successor_id FROM units "
        "WHERE kind IN ('province', 'district', 'commune')")).all()
    found = [u for u in units if _upper(f"{u.category} {u.name}") == rest]
    found.sort(key=lambda u: (u.successor_id is not None, u.valid_to is not None))
    return found[0] if found else None


def _read_settings(conn):
    row = conn.execute(sa.text(
        "SELECT parent_body, issuing_body FROM org_settings WHERE id = 1")).first()
    if row is None:
        return None
    unit = _unit_of(conn, row.issuing_body)
    if unit is not None:
        return {"issuer_kind": PC[unit.kind], "unit_id": unit.id, "office_name": "",
                "head_title": "Chủ tịch"}
    unit = _unit_of(conn, row.parent_body)
    if unit is not None:
        kind = OFFICE[unit.kind]
        return {"issuer_kind": kind, "unit_id": unit.id,
                "office_name": (row.issuing_body or "").strip(), "head_title": HEAD[kind]}
    return {"issuer_kind": "commune_pc", "unit_id": None, "office_name": "",
            "head_title": "Chủ tịch"}


def upgrade():
    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("convene_kind", sa.String(length=10), nullable=False,
                                      server_default="decision"))
        batch_op.add_column(sa.Column("convene_number", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("convene_date", sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            "convene_kind", "convene_kind IN ('decision', 'summons', 'invitation')")
    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.alter_column("convene_kind", server_default=None)

    with op.batch_alter_table("org_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issuer_kind", sa.String(length=20), nullable=False,
                                      server_default="commune_pc"))
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("office_name", sa.String(length=200), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("head_title", sa.String(length=100), nullable=False,
                                      server_default="Chủ tịch"))
        batch_op.add_column(sa.Column("drafting_office", sa.String(length=30), nullable=False,
                                      server_default=""))
        batch_op.create_foreign_key(batch_op.f("fk_org_settings_unit_id_units"), "units",
                                    ["unit_id"], ["id"])
        batch_op.create_check_constraint("issuer_kind", f"issuer_kind IN ({ISSUER_KINDS})")

    conn = op.get_bind()
    values = _read_settings(conn)
    if values is not None:
        conn.execute(sa.text(
            "UPDATE org_settings SET issuer_kind = :issuer_kind, unit_id = :unit_id, "
            "office_name = :office_name, head_title = :head_title WHERE id = 1"), values)

    with op.batch_alter_table("org_settings", schema=None) as batch_op:
        for name in ("issuer_kind", "office_name", "head_title", "drafting_office"):
            batch_op.alter_column(name, server_default=None)
        batch_op.drop_column("issuing_body")
        batch_op.drop_column("issuing_office")
        batch_op.drop_column("parent_body")


def downgrade():
    with op.batch_alter_table("org_settings", schema=None) as batch_op:
        for name in ("parent_body", "issuing_body", "issuing_office"):
            batch_op.add_column(sa.Column(name, sa.String(length=200), nullable=False,
                                          server_default=""))

    conn = op.get_bind()
    row = conn.execute(sa.text(
        "SELECT s.issuer_kind, s.office_name, u.category, u.name FROM org_settings s "
        "LEFT JOIN units u ON u.id = s.unit_id WHERE s.id = 1")).first()
    if row is not None:
        committee = f"UBND {row.category} {row.name}".upper() if row.name else ""
        office = row.issuer_kind not in PC.values()
        conn.execute(sa.text(
            "UPDATE org_settings SET parent_body = :parent, issuing_body = :body WHERE id = 1"),
            {"parent": committee if office else "",
             "body": _upper(row.office_name) if office else committee})

    with op.batch_alter_table("org_settings", schema=None) as batch_op:
        for name in ("parent_body", "issuing_body", "issuing_office"):
            batch_op.alter_column(name, server_default=None)
        batch_op.drop_constraint(batch_op.f("ck_org_settings_issuer_kind"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_org_settings_unit_id_units"),
                                 type_="foreignkey")
        batch_op.drop_column("drafting_office")
        batch_op.drop_column("head_title")
        batch_op.drop_column("office_name")
        batch_op.drop_column("unit_id")
        batch_op.drop_column("issuer_kind")

    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_classes_convene_kind"), type_="check")
        batch_op.drop_column("convene_date")
        batch_op.drop_column("convene_number")
        batch_op.drop_column("convene_kind")
