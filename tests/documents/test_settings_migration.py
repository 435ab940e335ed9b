"""Migration 0011_papers reads the free-text heading of an existing settings row into the
issuer's kind and unit: "UBND XÃ SƠN HÀ" is the People's Committee of xã Sơn Hà; an office
under "UBND HUYỆN SƠN HÀ" is an office of the district; a name matching no unit leaves the
unit empty. Downgrade writes the text back."""

import pytest
from sqlalchemy import create_engine, text

from tests.migrating import flask

UNITS = [  # id, code, name, kind, category, parent, valid_to, successor
    (1, "quang-ngai", "Quảng Ngãi", "province", "tỉnh", None, None, None),
    (2, "son-ha", "Sơn Hà", "district", "huyện", 1, "2025-06-30", None),
    (3, "xa-son-ha-2025", "Sơn Hà", "commune", "xã", 1, None, None),
    (4, "tt-di-lang", "Di Lăng", "commune", "thị trấn", 2, "2025-06-30", 3),
]


def _migrate(tmp_path, parent, body):
    url = f"sqlite:///{tmp_path / 'settings.db'}"
    assert flask(["db", "upgrade", "0005"], url).returncode == 0
    engine = create_engine(url)
    with engine.begin() as conn:
        for row in UNITS:
            conn.execute(text(
                "INSERT INTO units (id, code, name, kind, category, parent_id, valid_to,"
                " successor_id) VALUES (:id, :code, :name, :kind, :category, :parent, :valid_to,"
                " :successor)"), dict(zip(("id", "code", "name", "kind", "category", "parent",
                                           "valid_to", "successor"), row, strict=True)))
        conn.execute(text(
            "INSERT INTO org_settings (id, parent_body, issuing_body, issuing_office, place_name,"
            " number_suffix, signer_authority, signer_title, signer_name, updated_at) VALUES"
            " (1, :parent, :body, 'Phòng Văn hóa - Xã hội', 'Sơn Hà', 'UBND', 'KT. CHỦ TỊCH',"
            " 'PHÓ CHỦ TỊCH', 'Đinh Văn Minh', '2026-01-01 08:00:00')"),
            {"parent": parent, "body": body})
    upgrade = flask(["db", "upgrade"], url)
    assert upgrade.returncode == 0, upgrade.stderr
    with engine.connect() as conn:
        row = conn.execute(text("SELECT issuer_kind, unit_id, office_name, head_title,"
                                " signer_name FROM org_settings")).one()
    return url, engine, tuple(row)


@pytest.mark.parametrize(("parent", "body", "expected"), [
    ("UBND TỈNH QUẢNG NGÃI", "UBND XÃ SƠN HÀ",
     ("commune_pc", 3, "", "Chủ tịch", "Đinh Văn Minh")),
    ("", "UỶ BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
     ("province_pc", 1, "", "Chủ tịch", "Đinh Văn Minh")),
    ("UBND HUYỆN SƠN HÀ", "PHÒNG LĐ-TB&XH",
     ("district_office", 2, "PHÒNG LĐ-TB&XH", "Trưởng phòng", "Đinh Văn Minh")),
    ("", "TRUNG TÂM BỒI DƯỠNG", ("commune_pc", None, "", "Chủ tịch", "Đinh Văn Minh")),
])
def test_existing_settings_are_read_into_kind_and_unit(tmp_path, parent, body, expected):
    url, engine, row = _migrate(tmp_path, parent, body)
    assert row == expected
    engine.dispose()


def test_downgrade_writes_the_heading_back(tmp_path):
    url, engine, _row = _migrate(tmp_path, "UBND TỈNH QUẢNG NGÃI", "UBND XÃ SƠN HÀ")
    downgrade = flask(["db", "downgrade", "0005"], url)
    assert downgrade.returncode == 0, downgrade.stderr
    with engine.connect() as conn:
        row = conn.execute(text("SELECT parent_body, issuing_body FROM org_settings")).one()
    assert tuple(row) == ("", "UBND XÃ SƠN HÀ")
    assert flask(["db", "upgrade"], url).returncode == 0
    engine.dispose()
