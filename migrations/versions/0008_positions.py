"""positions: one office per position, the roles the program names, the province level

Revision ID: 0008_positions
Revises: 0006
Create Date: 2026-11-28

Brings an existing list of positions to the list of this revision (frozen below: later
changes belong to `flask setup`, app/people/reference.py) and moves the cadres it concerns:

- "Trưởng thôn, tổ trưởng tổ dân phố" (truong-thon) becomes "Trưởng thôn, bản"; its cadres whose
  village is a tổ dân phố (category "tổ dân phố", "khu phố", "khối phố", "khóm", "tiểu khu")
  move to "Tổ trưởng tổ dân phố". Likewise "Phó trưởng thôn" and "Bí thư chi bộ thôn" for the
  cadres of a tổ dân phố. A cadre without a village stays with the thôn, bản position (the
  log counts them).
- "Chủ tịch, Phó Chủ tịch UBND xã" cannot tell the chairman from a vice-chairman: the position
  and its cadres stay together, retired and renamed "Chủ tịch hoặc Phó Chủ tịch UBND xã (cần
  cập nhật)" under the code chu-tich-pho-chu-tich-ubnd-xa; the code chu-tich-ubnd-xa now names
  the chairman alone. The log and each cadre's history say that the position needs choosing.
- Every move is in the cadre's history (audit entry, "hệ thống"); the cadre's level follows the
  new position. No position and no cadre is deleted.
- Positions and cadres may be at the province level (the check constraints).

A new database (no positions yet) only gets the constraints: `flask setup` loads the list.
Downgrade puts the cadres back on the combined positions and refuses while a cadre holds a
province-level position.
"""
import logging
import unicodedata
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


revision = "0008_positions"
down_revision = "0006"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.0008_positions")

OLD_LEVEL_CHECK = "level IN ('village', 'commune', 'district')"
NEW_LEVEL_CHECK = "level IN ('village', 'commune', 'province', 'district')"

# code, name, level, village-level leader, offered (active)
POSITIONS = [
    ("truong-thon", "Trưởng thôn, bản", "village", True, True),
    ("to-truong-to-dan-pho", "Tổ trưởng tổ dân phố", "village", True, True),
    ("pho-truong-thon", "Phó Trưởng thôn, bản", "village", True, True),
    ("to-pho-to-dan-pho", "Tổ phó tổ dân phố", "village", True, True),
    ("bi-thu-chi-bo", "Bí thư chi bộ thôn, bản", "village", True, True),
    ("bi-thu-chi-bo-to-dan-pho", "Bí thư chi bộ tổ dân phố", "village", True, True),
    ("truong-ban-ctmt", "Trưởng ban Công tác Mặt trận khu dân cư", "village", True, True),
    ("chi-hoi-truong-phu-nu", "Chi hội trưởng Chi hội Phụ nữ", "village", True, True),
    ("chi-hoi-truong-nong-dan", "Chi hội trưởng Chi hội Nông dân", "village", True, True),
    ("chi-hoi-truong-ccb", "Chi hội trưởng Chi hội Cựu chiến binh", "village", True, True),
    ("chi-hoi-truong-nguoi-cao-tuoi", "Chi hội trưởng Chi hội Người cao tuổi", "village", True,
     True),
    ("chi-hoi-truong-chu-thap-do", "Chi hội trưởng Chi hội Chữ thập đỏ", "village", True, True),
    ("bi-thu-chi-doan", "Bí thư Chi đoàn khu dân cư", "village", True, True),
    ("ctv-giam-ngheo", "Cộng tác viên giảm nghèo", "village", True, True),
    ("ra-soat-vien", "Rà soát viên hộ nghèo, hộ cận nghèo", "village", True, True),
    ("thanh-vien-to-giam-ngheo", "Thành viên tổ giảm nghèo", "village", False, True),
    ("dai-dien-cong-dong", "Đại diện cộng đồng", "village", True, True),
    ("to-truong-to-nhom", "Trưởng tổ nhóm cộng đồng", "village", True, True),
    ("nguoi-co-uy-tin", "Người có uy tín", "village", True, True),
    ("gia-lang", "Già làng", "village", True, True),
    ("nv-y-te-thon-ban", "Nhân viên y tế thôn, bản", "village", False, True),
    ("co-do-thon-ban", "Cô đỡ thôn, bản", "village", False, True),
    ("chu-tich-ubnd-xa", "Chủ tịch UBND xã", "commune", False, True),
    ("pho-chu-tich-ubnd-xa", "Phó Chủ tịch UBND xã", "commune", False, True),
    ("cong-chuc-vp-hdnd-ubnd", "Công chức Văn phòng HĐND và UBND xã", "commune", False, True),
    ("cong-chuc-phong-kinh-te", "Công chức Phòng Kinh tế xã", "commune", False, True),
    ("cong-chuc-vhxh", "Công chức Văn hóa - Xã hội xã", "commune", False, True),
    ("cong-chuc-tckt", "Công chức Tài chính - Kế toán xã", "commune", False, True),
    ("cong-chuc-khac", "Công chức, cán bộ xã khác", "commune", False, True),
    ("chu-tich-mttq-xa", "Chủ tịch Ủy ban MTTQ Việt Nam xã", "commune", False, True),
    ("chu-tich-hoi-phu-nu-xa", "Chủ tịch Hội Liên hiệp Phụ nữ xã", "commune", False, True),
    ("chu-tich-hoi-nong-dan-xa", "Chủ tịch Hội Nông dân xã", "commune", False, True),
    ("bi-thu-doan-xa", "Bí thư Đoàn Thanh niên xã", "commune", False, True),
    ("chuyen-vien-tinh", "Chuyên viên sở, ban, ngành tỉnh", "province", False, True),
    ("chu-tich-pho-chu-tich-ubnd-xa", "Chủ tịch hoặc Phó Chủ tịch UBND xã (cần cập nhật)",
     "commune", False, False),
    ("chuyen-vien-huyen", "Chuyên viên phòng, ban cấp huyện", "district", False, False),
]
COMBINED = "chu-tich-pho-chu-tich-ubnd-xa"
CHAIRMAN = "chu-tich-ubnd-xa"
# (thôn, bản... code, tổ dân phố code) of one office
PAIRS = [("truong-thon", "to-truong-to-dan-pho"), ("pho-truong-thon", "to-pho-to-dan-pho"),
         ("bi-thu-chi-bo", "bi-thu-chi-bo-to-dan-pho")]
RESIDENTIAL = ("to dan pho", "khu pho", "khoi pho", "khom", "tieu khu")

# The list before this revision, for the downgrade: its codes, and the names that changed.
OLD_CODES = [
    "truong-thon", "pho-truong-thon", "bi-thu-chi-bo", "truong-ban-ctmt", "chi-hoi-truong-phu-nu",
    "chi-hoi-truong-nong-dan", "chi-hoi-truong-ccb", "bi-thu-chi-doan", "ctv-giam-ngheo",
    "nguoi-co-uy-tin", "to-truong-to-nhom", "thanh-vien-to-giam-ngheo", "chu-tich-ubnd-xa",
    "cong-chuc-vhxh", "cong-chuc-tckt", "cong-chuc-khac", "chu-tich-hoi-phu-nu-xa",
    "chu-tich-hoi-nong-dan-xa", "chu-tich-mttq-xa", "bi-thu-doan-xa", "chuyen-vien-huyen",
]
OLD_NAMES = {
    "truong-thon": "Trưởng thôn, tổ trưởng tổ dân phố",
    "pho-truong-thon": "Phó trưởng thôn",
    "bi-thu-chi-bo": "Bí thư chi bộ thôn",
    "truong-ban-ctmt": "Trưởng ban công tác Mặt trận thôn",
    "bi-thu-chi-doan": "Bí thư Chi đoàn thôn",
    "thanh-vien-to-giam-ngheo": "Thành viên tổ giảm nghèo thôn",
    "to-truong-to-nhom": "Tổ trưởng tổ hợp tác, nhóm sở thích",
    CHAIRMAN: "Chủ tịch, Phó Chủ tịch UBND xã",
}

positions = sa.table(
    "positions", sa.column("id", sa.Integer), sa.column("code", sa.String),
    sa.column("name", sa.String), sa.column("level", sa.String),
    sa.column("village_leader", sa.Boolean), sa.column("sort_order", sa.Integer),
    sa.column("active", sa.Boolean))
cadres = sa.table(
    "cadres", sa.column("id", sa.Integer), sa.column("full_name", sa.String),
    sa.column("position_id", sa.Integer), sa.column("level", sa.String),
    sa.column("village_id", sa.Integer))
units = sa.table("units", sa.column("id", sa.Integer), sa.column("name", sa.String),
                 sa.column("category", sa.String))
audit = sa.table(
    "audit_entries", sa.column("at", sa.DateTime), sa.column("user_id", sa.Integer),
    sa.column("action", sa.String), sa.column("object_type", sa.String),
    sa.column("object_id", sa.Integer), sa.column("summary", sa.Text),
    sa.column("reason", sa.Text), sa.column("data", sa.JSON))


def _fold(text):
    decomposed = unicodedata.normalize("NFD", (text or "").lower())
    plain = "".join("d" if ch == "đ" else ch for ch in decomposed
                    if not unicodedata.combining(ch))
    return " ".join(plain.split())


def _set_level_check(check):
    for table in ("positions", "cadres"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_level"), type_="check")
            batch.create_check_constraint(op.f(f"ck_{table}_level"), sa.text(check))


def _positions(bind):
    return {row.code: row for row in bind.execute(sa.select(positions))}


def _history(bind, entries):
    if entries:
        now = datetime.now(UTC).replace(tzinfo=None)
        bind.execute(sa.insert(audit), [
            {"at": now, "user_id": None, "object_type": "cadre", **entry} for entry in entries])


def _move(bind, rows, source, target, cadre_ids, reason):
    """Cadres `cadre_ids` from position code `source` to `target`, with their history."""
    old, new = rows[source], rows[target]
    for start in range(0, len(cadre_ids), 500):
        bind.execute(sa.update(cadres).where(cadres.c.id.in_(cadre_ids[start:start + 500]))
                     .values(position_id=new.id, level=new.level))
    _history(bind, [{
        "action": "cadre.update", "object_id": cadre_id,
        "summary": f"Đổi chức vụ theo danh mục mới: {old.name} → {new.name}",
        "reason": reason,
        "data": {"source": "migration 0008_positions",
                 "changes": {"position_id": [old.id, new.id]}}} for cadre_id in cadre_ids])


def _cadres_of(bind, position_ids):
    """(cadre id, position id, village category or None) of the cadres of these positions."""
    query = (sa.select(cadres.c.id, cadres.c.position_id, units.c.category)
             .select_from(cadres.outerjoin(units, units.c.id == cadres.c.village_id))
             .where(cadres.c.position_id.in_(position_ids)).order_by(cadres.c.id))
    return bind.execute(query).all()


def upgrade():
    _set_level_check(NEW_LEVEL_CHECK)
    bind = op.get_bind()
    rows = _positions(bind)
    if not rows:
        return  # a new database: `flask setup` loads the list
    chairman = rows.get(CHAIRMAN)
    if chairman is not None and COMBINED not in rows and chairman.name != "Chủ tịch UBND xã":
        # The combined position keeps its cadres under a code of its own.
        bind.execute(sa.update(positions).where(positions.c.id == chairman.id)
                     .values(code=COMBINED))
    rows = _positions(bind)
    known = {spec[0] for spec in POSITIONS}
    by_name = {row.name: row for row in rows.values()}
    level_changed = []
    for order, (code, name, level, leader, active) in enumerate(POSITIONS):
        values = {"name": name, "level": level, "village_leader": leader,
                  "sort_order": order, "active": active}
        row = rows.get(code)
        if row is None and name in by_name and by_name[name].code not in known:
            row = by_name[name]  # typed by hand under another code: it takes the list's code
            values["code"] = code
        if row is None:
            bind.execute(sa.insert(positions).values(code=code, **values))
            continue
        if row.level != level:
            level_changed.append(row.id)
        bind.execute(sa.update(positions).where(positions.c.id == row.id).values(**values))
    rows = _positions(bind)
    if level_changed:
        bind.execute(sa.update(cadres).where(cadres.c.position_id.in_(level_changed))
                     .values(level=sa.select(positions.c.level)
                             .where(positions.c.id == cadres.c.position_id).scalar_subquery()))

    code_of = {row.id: code for code, row in rows.items()}
    no_village = 0
    for thon, group in PAIRS:
        to_group, to_thon = [], []
        for cadre_id, position_id, category in _cadres_of(bind, [rows[thon].id, rows[group].id]):
            if category is None:
                no_village += code_of[position_id] == thon
                continue
            residential = _fold(category) in RESIDENTIAL
            if residential and code_of[position_id] == thon:
                to_group.append(cadre_id)
            elif not residential and code_of[position_id] == group:
                to_thon.append(cadre_id)
        _move(bind, rows, thon, group, to_group, "Cán bộ thuộc tổ dân phố.")
        _move(bind, rows, group, thon, to_thon, "Cán bộ thuộc thôn, bản.")
        if to_group or to_thon:
            log.info("Chức vụ %s: %d cán bộ chuyển sang %s, %d cán bộ chuyển sang %s.",
                     rows[thon].name, len(to_group), rows[group].name, len(to_thon),
                     rows[thon].name)
    if no_village:
        log.info("%d cán bộ có chức vụ thôn, bản mà chưa ghi thôn: giữ chức vụ thôn, bản.",
                 no_village)

    unclear = [row.id for row in bind.execute(
        sa.select(cadres.c.id).where(cadres.c.position_id == rows[COMBINED].id)
        .order_by(cadres.c.id))]
    _history(bind, [{
        "action": "cadre.position_unclear", "object_id": cadre_id,
        "summary": "Chức vụ cũ “Chủ tịch, Phó Chủ tịch UBND xã” không cho biết là Chủ tịch hay "
                   "Phó Chủ tịch: cần chọn lại chức vụ.",
        "reason": None, "data": {"source": "migration 0008_positions"}} for cadre_id in unclear])
    if unclear:
        log.warning("%d cán bộ có chức vụ “%s”: cần chọn Chủ tịch hoặc Phó Chủ tịch UBND xã "
                    "(mã cán bộ: %s).", len(unclear), rows[COMBINED].name,
                    ", ".join(map(str, unclear)))


def downgrade():
    bind = op.get_bind()
    rows = _positions(bind)
    if rows:
        province = [row.id for row in rows.values() if row.level == "province"]
        held = bind.execute(sa.select(sa.func.count()).select_from(cadres)
                            .where(cadres.c.position_id.in_(province))).scalar() if province else 0
        if held:
            raise RuntimeError(f"{held} cán bộ có chức vụ cấp tỉnh: phiên bản trước không có "
                               "cấp tỉnh. Hãy đổi chức vụ của họ trước khi hạ phiên bản.")
        reason = "Hạ phiên bản danh mục chức vụ."
        moves = [(group, thon) for thon, group in PAIRS]
        combined = COMBINED if COMBINED in rows else CHAIRMAN
        moves += [(code, combined) for code in (CHAIRMAN, "pho-chu-tich-ubnd-xa")
                  if code != combined]
        for source, target in moves:
            if source in rows and target in rows:
                moving = [row.id for row in bind.execute(
                    sa.select(cadres.c.id).where(cadres.c.position_id == rows[source].id))]
                _move(bind, rows, source, target, moving, reason)
        # The positions this revision added, unless somebody holds them.
        held_ids = {row.position_id for row in bind.execute(
            sa.select(cadres.c.position_id).distinct())}
        for code in {spec[0] for spec in POSITIONS} - set(OLD_CODES) | {CHAIRMAN}:
            if code in rows and code != combined and rows[code].id not in held_ids:
                bind.execute(sa.delete(positions).where(positions.c.id == rows[code].id))
        bind.execute(sa.update(positions).where(positions.c.code == combined)
                     .values(code=CHAIRMAN))
        for code in OLD_CODES:
            values = {"active": True}
            if code in OLD_NAMES:
                values["name"] = OLD_NAMES[code]
            bind.execute(sa.update(positions).where(positions.c.code == code).values(**values))
    _set_level_check(OLD_LEVEL_CHECK)
